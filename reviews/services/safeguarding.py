"""Safeguarding concerns: raised during a review, kept apart from it.

A concern never becomes part of the review: not its report, an export, a search, the
partnership's activity log or anything published. The host school's headteacher and the
partnership's designated safeguarding contact see every concern raised on the review; whoever
raised one sees their own; nobody else sees any, or learns that one exists
(``policy.safeguarding_concerns_visible_to``).

The record: the concern's own row says who raised it and when, and who acknowledged it and
when; no service changes or deletes it afterwards. Each action also writes an audit event, for
the platform's own record, but with no partnership (``partnership=None``) and no details: the
partnership's activity log, read by its lead, lists only events of that partnership, and the
lead is not among the people who may know a concern was raised. The event names the concern
by its number, never by what it says.

Email: the host headteacher and the safeguarding contact are told that a concern was raised on
the review of the school, never what it says or who raised it. Email is forwarded, shared with
offices and read on phones in staffrooms: they sign in to read it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.notify import notify
from partnerships.models import Role

from .. import policy
from ..models import PeerReview, SafeguardingConcern

CONCERN_MAX_LENGTH = 10_000


def concern_readers(review: PeerReview) -> tuple[list[User], User | None]:
    """Who sees every concern raised on the review: the host school's headteachers, and the
    partnership's designated safeguarding contact, while they hold a current role in the
    partnership. Two queries at most."""
    partnership = review.cycle.partnership
    heads = list(
        User.objects.filter(
            role_assignments__partnership=partnership,
            role_assignments__role=Role.HEADTEACHER,
            role_assignments__school=review.host_school_id,
            role_assignments__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("name", "pk")
    )
    contact = None
    if partnership.safeguarding_contact_id is not None:
        contact = (
            User.objects.filter(
                pk=partnership.safeguarding_contact_id,
                role_assignments__partnership=partnership,
                role_assignments__revoked_at__isnull=True,
            )
            .distinct()
            .first()
        )
    return heads, contact


def people_to_tell(review: PeerReview) -> list[User]:
    """Everyone told of a new concern on the review, once each."""
    heads, contact = concern_readers(review)
    if contact is not None and contact.pk not in {head.pk for head in heads}:
        return [*heads, contact]
    return heads


def _clean_text(concern: str) -> str:
    text = (concern or "").strip()
    if not text:
        raise ValidationError(
            {"concern": _("Describe the concern: what you saw or heard")}, code="required"
        )
    if len(text) > CONCERN_MAX_LENGTH:
        raise ValidationError(
            {
                "concern": _("The concern must be %(limit)s characters or fewer")
                % {"limit": f"{CONCERN_MAX_LENGTH:,}"}
            },
            code="max_length",
        )
    if "\x00" in text:
        raise ValidationError(
            {"concern": _("The concern contains a character that is not allowed")}
        )
    return text


@transaction.atomic
def concern_raise(*, actor: User, review: PeerReview, concern: str) -> SafeguardingConcern:
    """Record a safeguarding concern about the host school, seen only by the host headteacher,
    the partnership's designated safeguarding contact and the person raising it; tell the
    first two by email that there is one, without what it says."""
    review = PeerReview.objects.select_related("cycle__partnership", "host_school").get(
        pk=review.pk
    )
    policy.require(policy.may_raise_safeguarding_concern(actor, review))
    created = SafeguardingConcern.objects.create(
        review=review, raised_by=actor, concern=_clean_text(concern)
    )
    audit.record(actor=actor, verb="safeguarding_concern.raised", target=created, partnership=None)
    notify(
        [person for person in people_to_tell(review) if person.pk != actor.pk],
        subject=_("A safeguarding concern was raised during the review of %(school)s")
        % {"school": review.host_school.name},
        template="concern_raised",
        # No partnership: a lead must not learn of a concern from a failed email.
        context={"review": review, "partnership": review.cycle.partnership},
    )
    return created


@transaction.atomic
def concern_acknowledge(*, actor: User, concern: SafeguardingConcern) -> SafeguardingConcern:
    """Record that the host headteacher or the safeguarding contact has read the concern and is
    dealing with it: who, and when. Once only."""
    concern = (
        SafeguardingConcern.objects.select_for_update(of=("self",))
        .select_related("review__cycle__partnership", "review__host_school", "acknowledged_by")
        .get(pk=concern.pk)
    )
    policy.require(policy.may_acknowledge_concern(actor, concern))
    if concern.acknowledged_at is not None:
        who = concern.acknowledged_by.get_full_name() if concern.acknowledged_by else _("someone")
        raise ValidationError(
            _("%(name)s already acknowledged this concern on %(date)s."),
            params={
                "name": who,
                "date": date_format(timezone.localtime(concern.acknowledged_at), "j F Y"),
            },
            code="already_acknowledged",
        )
    concern.acknowledged_by = actor
    concern.acknowledged_at = timezone.now()
    concern.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit.record(
        actor=actor, verb="safeguarding_concern.acknowledged", target=concern, partnership=None
    )
    return concern
