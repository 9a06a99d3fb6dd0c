"""Template helpers for review pages."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The review's sections, in the order the cycle runs: (label, URL name).
SECTIONS = [
    (_("Overview"), "review_detail"),
    (_("Enquiry and self-review"), "review_enquiry"),
    (_("Team"), "review_team"),
    (_("Findings"), "finding_list"),
    (_("Report"), "review_report"),
    (_("Workshop and actions"), "review_workshop"),
]


@register.inclusion_tag("partials/subnav.html", takes_context=True)
def review_nav(context, review):
    """The review's sections, with the current one marked; a safeguarding link apart."""
    path = context["request"].path
    slug = review.cycle.partnership.slug
    items = []
    for label, name in SECTIONS:
        url = reverse(name, args=[slug, review.pk])
        current = path == url if name == "review_detail" else path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    concern_url = reverse("concern_raise", args=[slug, review.pk])
    return {
        "items": items,
        "concern_url": concern_url,
        "label": _("This review"),
        "summary": _("This review’s sections"),
        "modifier": "review",
    }


@register.filter
def get_item(mapping, key):
    """``{{ tags|get_item:status }}``: a dictionary's value in a template."""
    return mapping.get(key, "")
