"""The service navigation: which links each person sees, by the roles they hold."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .selectors import current_roles_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str

    def is_active(self, path: str) -> bool:
        return path == self.url or (self.url != "/" and path.startswith(self.url))


MAX_PARTNERSHIP_LINKS = 3


def items_for(user, roles) -> list[NavItem]:
    """Links for this person; ``roles`` are their current role assignments."""
    if not user.is_authenticated:
        return [NavItem(_("About Cairn"), reverse("home"))]
    items = [NavItem(_("Dashboard"), reverse("dashboard"))]
    # Most people belong to one or two partnerships: link each one directly.
    partnerships = list({a.partnership_id: a.partnership for a in roles}.values())
    if len(partnerships) <= MAX_PARTNERSHIP_LINKS:
        items += [NavItem(p.name, p.get_absolute_url()) for p in partnerships]
    items.append(NavItem(_("Your account"), reverse("account_email")))
    if user.is_staff:
        items.append(NavItem(_("Site administration"), reverse("admin:index")))
    return items


def navigation_for(request) -> dict:
    return {"nav_items": items_for(request.user, list(current_roles_for(request.user)))}
