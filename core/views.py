"""Public pages anyone may read, and the error pages. (The home page, which lists published
reviews, is ``reviews.views.public.home``.)"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template
from django.views.decorators.csrf import requires_csrf_token


def accessibility_statement(request):
    return render(request, "pages/accessibility.html")


def privacy_notice(request):
    return render(request, "pages/privacy.html")


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def permission_denied(request, exception=None):
    # Cairn answers "not found" wherever a page exists but is not the user's to see;
    # this page is for the few refusals that are not about an object (a failed CSRF check).
    return render(request, "errors/403.html", status=403)


def too_many_requests(request, exception=None):
    # allauth's rate limits answer through this view (``handler429`` in config/urls.py).
    return render(request, "429.html", status=429)


@requires_csrf_token
def server_error(request):
    # Rendered without the request context: whatever failed may fail again in a processor.
    return HttpResponseServerError(get_template("errors/500.html").render())


def csrf_failure(request, reason=""):
    # The usual cause is a form left open past its session, or cookies being blocked.
    return render(request, "errors/csrf.html", status=403)
