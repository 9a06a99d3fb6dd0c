"""Invitations moved from the accounts app to partnerships without touching their table.

Invitations sent before the move are read through the model's new home, and what refers to
the model by content type (the activity log, the admin's permissions) still finds it.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.models import AuditEvent
from partnerships.models import Invitation

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("accounts", "0004_alter_invitation_role"), ("partnerships", "0006_school_town")]


def migrate_to(targets):
    """Migrate the database to ``targets`` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_invitations_sent_before_the_move_are_there_after_it():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        before = migrate_to(BEFORE_THE_MOVE)
        User = before.get_model("accounts", "User")
        Partnership = before.get_model("partnerships", "Partnership")
        School = before.get_model("partnerships", "School")
        OldInvitation = before.get_model("accounts", "Invitation")
        OldContentType = before.get_model("contenttypes", "ContentType")

        lead = User.objects.create(email="lead@example.org", name="Pat Lead")
        partnership = Partnership.objects.create(name="Riverdale", slug="riverdale")
        school = School.objects.create(urn="999001", name="Riverdale Primary")
        sent = OldInvitation.objects.create(
            email="head@example.org",
            partnership=partnership,
            school=school,
            role="headteacher",
            invited_by=lead,
            token_hash="a" * 64,
            expires_at=timezone.now() + datetime.timedelta(days=14),
        )
        content_type = OldContentType.objects.get(app_label="accounts", model="invitation")
        AuditEvent.objects.create(
            verb="invitation.sent",
            target_type_id=content_type.pk,
            target_id=str(sent.pk),
            partnership_id=partnership.pk,
        )

        migrate_to(latest)
        ContentType.objects.clear_cache()

        invitation = Invitation.objects.get()
        assert (invitation.pk, invitation.email, invitation.token_hash) == (
            sent.pk,
            "head@example.org",
            "a" * 64,
        )
        assert (invitation.school.name, invitation.invited_by.email) == (
            "Riverdale Primary",
            "lead@example.org",
        )
        assert invitation.status == Invitation.Status.PENDING
        assert ContentType.objects.get_for_model(Invitation).pk == content_type.pk
        assert AuditEvent.objects.get().target == invitation
    finally:
        migrate_to(latest)
        ContentType.objects.clear_cache()
