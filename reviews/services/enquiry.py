"""Writes about a review's enquiry: its focus, the visit, and the host school's self-review.

The host school's headteacher and improvement champion own these. The focus is one of the
partnership's active shared priorities, an enquiry theme and the school's own question; the
self-review is the school's self-evaluation, shared with its review team when it is ready.
Both use optimistic locking: two people editing at once never overwrite each other silently.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit, richtext
from core.conflicts import EditConflict
from core.notify import notify
from priorities.models import Priority

from .. import policy
from ..models import PeerReview, SelfReview, Theme

SELF_REVIEW_FIELDS = [name for name, _label in SelfReview.SECTIONS]
FOCUS_FIELDS = [
    "priority",
    "theme",
    "enquiry_question",
    "visit_start",
    "visit_end",
    "pre_review_notes",
]


def _locked_refusal(review: PeerReview) -> ValidationError:
    return ValidationError(
        _("The review's report is signed off, so its enquiry is locked until it is reopened."),
        code="locked",
    )


@transaction.atomic
def review_focus_update(
    *,
    actor: User,
    review: PeerReview,
    priority: Priority | None,
    theme: str,
    enquiry_question: str,
    visit_start=None,
    visit_end=None,
    pre_review_notes: str = "",
    expected_version: int | None = None,
) -> PeerReview:
    """Save the enquiry focus and the visit's details of the host school's review."""
    review = (
        PeerReview.objects.select_for_update()
        .select_related("cycle__partnership", "host_school")
        .get(pk=review.pk)
    )
    partnership = review.cycle.partnership
    policy.require(policy.may_edit_enquiry(actor, review))
    if review.is_locked:
        raise _locked_refusal(review)
    if expected_version is not None and review.version != expected_version:
        raise EditConflict(current=review)

    errors: dict[str, list[ValidationError]] = {}
    if (
        priority is not None
        and not Priority.objects.filter(
            pk=priority.pk, partnership=partnership, status=Priority.Status.ACTIVE
        ).exists()
    ):
        errors["priority"] = [
            ValidationError(
                _("Choose one of the partnership's active priorities."), code="not_active"
            )
        ]
    if theme and theme not in Theme.values:
        errors["theme"] = [ValidationError(_("Choose an enquiry theme."), code="invalid")]
    question = " ".join((enquiry_question or "").split())
    if visit_start and visit_end and visit_end < visit_start:
        errors["visit_end"] = [
            ValidationError(
                _("The last day of the visit must be on or after the first."), code="order"
            )
        ]
    cycle = review.cycle
    for name, day in (("visit_start", visit_start), ("visit_end", visit_end)):
        if day and not cycle.visits_from <= day <= cycle.visits_until and name not in errors:
            errors[name] = [
                ValidationError(
                    _(
                        "Review visits in this cycle are from %(start)s to %(end)s. Choose a "
                        "day in that window, or ask the partnership lead to move it."
                    ),
                    params={
                        "start": cycle.visits_from.strftime("%-d %B %Y"),
                        "end": cycle.visits_until.strftime("%-d %B %Y"),
                    },
                    code="outside_window",
                )
            ]
    if errors:
        raise ValidationError(errors)

    review.priority = priority
    review.theme = theme or ""
    review.enquiry_question = question
    review.visit_start, review.visit_end = visit_start, visit_end
    richtext.store(review, "pre_review_notes", pre_review_notes)
    review.version += 1
    review.save(update_fields=[*FOCUS_FIELDS, richtext.source_name("pre_review_notes"), "version"])
    audit.record(
        actor=actor,
        verb="review.focus_updated",
        target=review,
        partnership=partnership,
        details={"priority": priority.title if priority else "", "theme": review.theme},
    )
    return review


@transaction.atomic
def self_review_save(
    *, actor: User, review: PeerReview, sections: dict, expected_version: int | None = None
) -> SelfReview:
    """Save the self-review's sections (rich text, as typed), creating it the first time.

    ``expected_version`` is the version the form was opened at, 0 when there was none yet.
    """
    review = (
        PeerReview.objects.select_for_update()
        .select_related("cycle__partnership", "host_school")
        .get(pk=review.pk)
    )
    policy.require(policy.may_edit_enquiry(actor, review))
    if review.is_locked:
        raise _locked_refusal(review)
    self_review = SelfReview.objects.select_for_update().filter(review=review).first()
    current = self_review.version if self_review else 0
    if expected_version is not None and current != expected_version:
        raise EditConflict(current=self_review or SelfReview(review=review, version=0))
    if self_review is None:
        self_review = SelfReview(review=review, version=0)
    for name in SELF_REVIEW_FIELDS:
        richtext.store(self_review, name, sections.get(name))
    self_review.version += 1
    self_review.updated_by = actor
    self_review.updated_at = timezone.now()
    self_review.save()
    audit.record(
        actor=actor,
        verb="self_review.saved",
        target=review,
        partnership=review.cycle.partnership,
    )
    return self_review


@transaction.atomic
def self_review_share(*, actor: User, review: PeerReview) -> SelfReview:
    """Mark the self-review ready and tell the review team it is there to read."""
    review = (
        PeerReview.objects.select_for_update()
        .select_related("cycle__partnership", "host_school")
        .get(pk=review.pk)
    )
    policy.require(policy.may_edit_enquiry(actor, review))
    if review.is_locked:
        raise _locked_refusal(review)
    self_review = SelfReview.objects.select_for_update().filter(review=review).first()
    if self_review is None or not any(
        richtext.plain_text(getattr(self_review, name)).strip() for name in SELF_REVIEW_FIELDS
    ):
        raise ValidationError(
            _("Write the self-review before sharing it with the review team."), code="empty"
        )
    if not (review.priority_id and review.theme and review.enquiry_question):
        raise ValidationError(
            _(
                "Choose the enquiry focus first (a shared priority, a theme and your question): "
                "the review team needs to know what to look at."
            ),
            code="no_focus",
        )
    first_time = self_review.shared_at is None
    self_review.shared_at = timezone.now()
    self_review.save(update_fields=["shared_at"])
    audit.record(
        actor=actor, verb="self_review.shared", target=review, partnership=review.cycle.partnership
    )
    if first_time:
        notify(
            [m.user for m in review.team.select_related("user")],
            subject=_("%(school)s has shared its self-review")
            % {"school": review.host_school.name},
            template="self_review_shared",
            partnership=review.cycle.partnership,
            context={"review": review, "actor": actor},
        )
    return self_review
