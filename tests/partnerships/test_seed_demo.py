import io

import pytest
from django.core.management import call_command

from accounts.models import User
from core.models import AuditEvent
from demo import content as demo
from partnerships.models import Membership, Partnership, Role, RoleAssignment, School
from priorities.models import Measurement, SchoolTarget

# Seeded once for the module (tests/conftest.py); each test runs in a savepoint on top of it.
# What only a first seed into an empty database shows is in test_seed_demo_fresh.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            School,
            Partnership,
            Membership,
            RoleAssignment,
            Measurement,
            SchoolTarget,
            AuditEvent,
        )
    }


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    first = counts()
    seed()
    assert counts() == first
    assert first["Partnership"] == 2


def test_each_partnership_has_a_lead_and_each_school_a_headteacher_and_champion():
    for partnership in Partnership.objects.all():
        roles = RoleAssignment.objects.filter(partnership=partnership, revoked_at__isnull=True)
        assert roles.filter(role=Role.PARTNERSHIP_LEAD).count() == 1
        schools = Membership.objects.filter(partnership=partnership).values_list(
            "school", flat=True
        )
        assert 4 <= len(schools) <= 6
        for school in schools:
            assert roles.filter(school=school, role=Role.HEADTEACHER).count() == 1
            assert roles.filter(school=school, role=Role.IMPROVEMENT_CHAMPION).count() == 1


def test_one_school_belongs_to_both_partnerships():
    shared = [s for s in School.objects.all() if s.memberships.count() == 2]
    assert [s.name for s in shared] == ["Hollins Park Academy"]


def test_json_lists_every_account_with_its_roles(seeded_demo):
    accounts = seeded_demo
    assert {"email", "password", "roles", "school", "partnership"} <= set(accounts[0])
    emails = {a["email"] for a in accounts}
    assert emails == set(User.objects.values_list("email", flat=True))
    heads = [a for a in accounts if "headteacher" in a["roles"]]
    assert len(heads) == len(demo.SCHOOLS)
    assert all(a["password"] == demo.DEMO_PASSWORD for a in accounts)
    user = User.objects.get(email=heads[0]["email"])
    assert user.check_password(demo.DEMO_PASSWORD)


def test_table_lists_the_accounts(settings):
    settings.DEBUG = True
    output = seed()
    assert "a.hussain@oakfield.example" in output
    assert "Oakfield Primary School" in output
    assert demo.DEMO_PASSWORD in output


def test_each_partnership_has_two_active_priorities_and_one_closed(settings):
    settings.DEBUG = True
    seed()  # and again: still three
    for partnership in Partnership.objects.all():
        statuses = sorted(partnership.priorities.values_list("status", flat=True))
        assert statuses == ["active", "active", "closed"]
        closed = partnership.priorities.get(status="closed")
        assert closed.outcome
