"""The audit log: a record of domain events that services write, one row per event."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "partnership.updated": _("changed the partnership's details"),
    "membership.added": _("added a member school"),
    "membership.ended": _("recorded that a school left"),
    "membership_request.sent": _("asked a school to join"),
    "membership_request.accepted": _("accepted the request to join"),
    "membership_request.declined": _("declined the request to join"),
    "membership_request.withdrawn": _("withdrew a request to join"),
    "school.created": _("added a school to Cairn"),
    "role.granted": _("gave a role"),
    "role.revoked": _("removed a role"),
    "invitation.sent": _("sent an invitation"),
    "invitation.resent": _("resent an invitation"),
    "invitation.revoked": _("withdrew an invitation"),
    "invitation.accepted": _("accepted an invitation"),
    "agreement.published": _("published the data-sharing agreement"),
    "agreement.signed": _("signed the data-sharing agreement"),
    "schools.imported": _("imported schools from Get Information about Schools"),
    "priority.proposed": _("proposed a priority"),
    "priority.activated": _("activated a priority"),
    "priority.closed": _("closed a priority"),
    "measurement.recorded": _("entered a school's figure"),
    "measurements.year_recorded": _("entered a year of figures"),
    "measurements.imported": _("imported figures from a CSV file"),
    "measure.created": _("added a measure of the partnership's own"),
    "target.set": _("set a school's stretch target"),
    "target.changed": _("changed a school's stretch target"),
    "cycle.created": _("started a review cycle"),
    "cycle.updated": _("changed a review cycle's deadlines"),
    "review.added": _("added a school's review to a cycle"),
    "review.focus_updated": _("changed a review's enquiry focus or visit"),
    "self_review.saved": _("saved a self-review"),
    "self_review.shared": _("shared a self-review with the review team"),
    "team.assigned": _("assigned a review team"),
    "conflict.declared": _("declared a conflict of interest"),
    "conflict.withdrawn": _("withdrew a conflict of interest"),
    "finding.recorded": _("recorded a finding"),
    "finding.changed": _("changed a finding"),
    "finding.submitted": _("submitted a finding"),
    "finding.deleted": _("deleted a draft finding"),
    "finding.challenged": _("challenged a finding"),
    "challenge.answered": _("answered a challenge"),
    "challenge.replied": _("replied to a challenge"),
    "evidence.added": _("added evidence to a finding"),
    "evidence.removed": _("removed evidence from a finding"),
    "report.saved": _("saved a review report's summary"),
    "report.submitted": _("submitted a review report"),
    "report.returned": _("returned a review report with comments"),
    "report.quality_assured": _("quality-assured a review report"),
    "report.signed_off": _("signed off a review report"),
    "report.reopened": _("reopened a signed-off review report"),
    "workshop.recorded": _("recorded an improvement workshop"),
    "action.added": _("added an action to a plan"),
    "action.updated": _("updated an action"),
    "impact_review.recorded": _("recorded an impact review"),
    "publication.drafted": _("started the partnership review for the public"),
    "publication.refreshed": _("brought new reports and priorities into the partnership review"),
    "publication.saved": _("changed the partnership review's introduction or next steps"),
    "publication.priority_saved": _("changed what the partnership review says about a priority"),
    "publication.summary_saved": _("changed a school's public summary"),
    "publication.summary_submitted": _("asked a headteacher to approve a school's public summary"),
    "publication.summary_approved": _("approved a school's public summary"),
    "publication.summary_returned": _("returned a school's public summary with comments"),
    "publication.published": _("published the partnership review"),
    "publication.corrected": _("published a correction to the partnership review"),
    "publication.withdrawn": _("withdrew the published partnership review"),
    "publication.pdf_retried": _("asked Cairn to make a published review's PDF again"),
    # Recorded without a partnership, so they never show in a partnership's activity log.
    "safeguarding_concern.raised": _("raised a safeguarding concern"),
    "safeguarding_concern.acknowledged": _("acknowledged a safeguarding concern"),
    "email.retried": _("asked Cairn to try a failed email again"),
}


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the system acted (a scheduled task, an import)."),
    )
    verb = models.CharField(max_length=60)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # What the target was called at the time, so the log still reads well after a deletion.
    target_repr = models.CharField(max_length=300, blank=True)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        # A partnership with a history cannot be deleted: its log is its accountability.
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-at"], name="core_audit_partnership_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or 'Cairn'} {self.verb} {self.target_repr}"

    def get_verb_display(self) -> str:
        return str(VERB_LABELS.get(self.verb, self.verb))


class OutgoingEmail(models.Model):
    """One email on its way out: the outbox that makes email durable.

    A row is written in the same transaction as the change that caused the email, so the
    email exists exactly when the change does. The worker delivers from here; a broker outage
    or a lost queue only delays delivery, because a periodic sweep picks up every row that has
    not been handed over (``core.outbox``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(default=timezone.now)
    subject = models.CharField(max_length=500)
    # Who it is to, for the people who look after delivery; the full message is ``message``.
    recipients = models.CharField(max_length=1000)
    # The message as plain data (``core.email.message_to_dict``). Emptied once it is sent:
    # sign-in codes and invitation links need not be kept.
    message = models.JSONField(default=dict, blank=True)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outgoing_emails",
        help_text=_(
            "The partnership whose lead sees this email if it fails. Empty for "
            "account emails and for anything a lead may not know about."
        ),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While a worker is sending, the row is claimed until this moment; a worker that dies
    # mid-send leaves a claim that lapses, and the sweep tries again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="core_outbox_due",
            ),
            models.Index(
                fields=["partnership", "status", "-created_at"], name="core_outbox_partnership"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sending", "sent", "failed"]),
                name="core_outbox_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipients} ({self.get_status_display()})"
