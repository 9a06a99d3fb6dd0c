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
