"""Every page of Cairn is either on the public list or needs a signed-in user.

Walks every URL pattern of the project. A new view that forgets ``login_required`` (or the
access policy, once a page shows partnership data) fails here until it is protected or
deliberately added to ``PUBLIC``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages anyone may read, by URL name.
PUBLIC = {
    "home",
    "accessibility",
    "privacy",
    "healthz",
    "readyz",
    # Published partnership reviews and the way to them (tests/reviews/test_public_pages.py).
    "directory",
    "public_partnership",
    "public_review",
    "public_review_version",
    "public_review_pdf",
    "partnership_feed",
    "public_school",
    "reviews_feed",
    "sitemap",
    "robots_txt",
}
# Apps whose own tests own their URLs: allauth (sign in, reset, codes), the admin.
DELEGATED_NAMESPACES_AND_PREFIXES = ("accounts/", "admin/")
# The same apps, by where their views come from rather than where they are mounted.
DELEGATED_VIEW_MODULES = ("allauth", "django.contrib.admin")


def project_url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from project_url_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def view_module(pattern: URLPattern) -> str:
    """The module of the view a URL pattern calls. A view the admin serves (a model admin's,
    the admin site's, or one they wrap, such as contenttypes' "view on site") is the admin's."""
    from django.contrib.admin import AdminSite, ModelAdmin

    view = pattern.callback
    while view is not None:
        owner = getattr(view, "__self__", None)
        if (
            hasattr(view, "admin_site")
            or hasattr(view, "model_admin")
            or isinstance(owner, AdminSite | ModelAdmin)
        ):
            return "django.contrib.admin"
        view = getattr(view, "__wrapped__", None)
    return getattr(pattern.callback, "__module__", None) or ""


def is_delegated(pattern: URLPattern) -> bool:
    """Whether allauth or the admin, whose own tests own their pages, serves the pattern."""
    module = view_module(pattern)
    return any(module == app or module.startswith(f"{app}.") for app in DELEGATED_VIEW_MODULES)


def concrete_path(route: str) -> str:
    """A path for the route, with each converter filled by a plausible value."""
    import re

    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<slug:\w+>", "some-slug", path)
    path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<(str:)?\w+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


STAFF_ROUTES = [
    (route, pattern.name)
    for route, pattern in project_url_patterns()
    if pattern.name not in PUBLIC and not route.startswith(DELEGATED_NAMESPACES_AND_PREFIXES)
]


def test_the_walk_finds_staff_pages():
    assert ("dashboard/", "dashboard") in STAFF_ROUTES


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), STAFF_ROUTES)
def test_staff_page_sends_anonymous_visitors_to_sign_in(client, route, name):
    response = client.get(concrete_path(route))
    assert response.status_code in (302, 404), f"{name} answered {response.status_code}"
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/"), name
