"""Template helpers for partnership pages."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from partnerships import policy

register = template.Library()


@register.inclusion_tag("partials/subnav.html", takes_context=True)
def partnership_nav(context, partnership):
    """The partnership's sections this person may open, with the current one marked."""
    user = context["request"].user
    path = context["request"].path
    items = [
        (_("Overview"), reverse("partnership_detail", args=[partnership.slug])),
        (_("Priorities"), reverse("priority_list", args=[partnership.slug])),
        (_("Data"), reverse("data_scrutiny", args=[partnership.slug])),
        (_("Reviews"), reverse("cycle_list", args=[partnership.slug])),
        (_("People"), reverse("people", args=[partnership.slug])),
    ]
    if policy.roles_user_may_grant(user, partnership):
        items.append((_("Invitations"), reverse("invitation_list", args=[partnership.slug])))
    items.append((_("Data-sharing agreement"), reverse("agreement", args=[partnership.slug])))
    if policy.may_view_audit_log(user, partnership):
        items.append((_("Activity log"), reverse("audit_log", args=[partnership.slug])))
    if policy.may_see_email_failures(user, partnership):
        items.append(
            (_("Emails not delivered"), reverse("email_failures", args=[partnership.slug]))
        )
    overview = items[0][1]
    return {
        "items": [
            {
                "label": label,
                "url": url,
                "current": path == url or (url != overview and path.startswith(url)),
            }
            for label, url in items
        ],
        "label": _("%(name)s sections") % {"name": partnership.name},
        "summary": _("Partnership sections"),
    }
