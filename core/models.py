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
    # Recorded without a partnership, so they never show in a partnership's activity log.
    "safeguarding_concern.raised": _("raised a safeguarding concern"),
    "safeguarding_concern.acknowledged": _("acknowledged a safeguarding concern"),
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
