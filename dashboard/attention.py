"""What needs a person's attention, gathered from every app for their dashboard.

Each app answers for its own work through a selector that takes the user: the partnership's
(agreements to sign, requests to join, invitations expired) and the review cycle's
(``reviews.steps``: each step that is theirs, by the review policy). The dashboard sits above
every app, so it is the one place that knows them all; here each becomes an ``Item`` with the
same few fields, worded for the person and linked to the page where they take the step, in date
order. No app imports another to build this list.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships.selectors import attention_for as partnership_attention_for
from reviews.steps import Step


@dataclass(frozen=True)
class Item:
    """One thing to do: what, where to do it, in which partnership, and by when."""

    kind: str
    text: str
    url: str
    partnership: str
    due: datetime.date | None
    late: bool
    # What a late or undated item shows instead of a plain deadline ("Expired on ...").
    note: str = ""


def _review_url(name: str, step: Step, **extra) -> str:
    return reverse(name, kwargs={"slug": step.partnership.slug, "review": step.review.pk, **extra})


def _review_item(step: Step) -> Item:
    school = step.review.host_school.name
    texts = {
        "focus": (_("Choose the enquiry focus for %(school)s's review"), "review_focus_edit"),
        "self_review": (_("Write and share %(school)s's self-review"), "self_review_edit"),
        "team": (_("Assign the review team for %(school)s"), "review_team"),
        "visit": (_("Agree the dates of the review visit to %(school)s"), "review_enquiry"),
        "report_to_write": (
            _("Write and submit the review report for %(school)s"),
            "review_report",
        ),
        "report_returned": (
            _("The review report for %(school)s was returned to you with comments"),
            "review_report",
        ),
        "report_to_quality_assure": (
            _("Quality-assure the review report for %(school)s"),
            "review_report",
        ),
        "report_to_sign_off": (_("Sign off the review report for %(school)s"), "review_report"),
        "workshop": (_("Record the improvement workshop at %(school)s"), "workshop_edit"),
        "impact_review": (_("Record the impact review for %(school)s"), "impact_review_edit"),
    }
    if step.kind in texts:
        text, url_name = texts[step.kind]
        text, url = text % {"school": school}, _review_url(url_name, step)
    elif step.kind == "findings_in_draft":
        text = ngettext(
            "Finish and submit your draft finding for %(school)s's review",
            "Finish and submit your %(count)d draft findings for %(school)s's review",
            step.count,
        ) % {"school": school, "count": step.count}
        url = _review_url("finding_list", step)
    elif step.kind == "challenge":
        text = _("Answer the challenge to your finding in %(school)s's review") % {"school": school}
        url = _review_url("finding_detail", step, finding=step.finding.pk)
    elif step.kind == "action":
        text = _("Your action for %(school)s: %(action)s") % {
            "school": school,
            "action": Truncator(step.action.description).words(12),
        }
        url = _review_url("review_workshop", step)
    else:  # pragma: no cover - a kind added in reviews.steps without its words here
        raise ValueError(step.kind)
    return Item(step.kind, text, url, step.partnership.name, step.due, step.late)


def _partnership_item(item: dict) -> Item:
    kind = item["kind"]
    if kind == "agreement":
        partnership = item["partnership"]
        return Item(
            kind,
            _("Sign version %(number)s of the data-sharing agreement for %(school)s")
            % {"number": item["version"].number, "school": item["school"].name},
            reverse("agreement", args=[partnership.slug]),
            partnership.name,
            None,
            False,
        )
    if kind == "membership_request":
        request = item["request"]
        return Item(
            kind,
            _("%(partnership)s asks %(school)s to join: accept or decline")
            % {"partnership": request.partnership.name, "school": request.school.name},
            reverse("membership_request_detail", args=[request.pk]),
            request.partnership.name,
            None,
            False,
        )
    if kind == "expired_invitation":
        invitation = item["invitation"]
        expired = localdate(invitation.expires_at)
        return Item(
            kind,
            _("Your invitation to %(email)s has expired: resend or withdraw it")
            % {"email": invitation.email},
            reverse("invitation_list", args=[invitation.partnership.slug]),
            invitation.partnership.name,
            expired,
            True,
            note=_("Expired"),
        )
    raise ValueError(kind)  # pragma: no cover


def attention_for(user, steps: list[Step], today: datetime.date) -> list[Item]:
    """Everything waiting on the person, soonest first. What has no deadline is waiting now:
    it sorts as due today."""
    items = [_partnership_item(item) for item in partnership_attention_for(user)]
    items += [_review_item(step) for step in steps]
    return sorted(items, key=lambda item: item.due or today)
