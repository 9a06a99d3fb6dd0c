"""Priorities: proposed, active (never more than three at once), closed."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from core.models import AuditEvent
from partnerships.policy import NotPermitted
from priorities.models import Measure, Priority, PriorityTransition
from priorities.services import (
    TooManyActivePriorities,
    priority_activate,
    priority_close,
    priority_propose,
)
from tests.support import require

pytestmark = pytest.mark.django_db


def propose(actor, partnership, title="Reading for pleasure"):
    return priority_propose(
        actor=actor,
        partnership=partnership,
        title=title,
        rationale="Three of our five schools are below the national average.",
        measures=list(Measure.objects.filter(code="ks2_rwm_expected")),
    )


def test_the_common_measures_ship_with_cairn():
    codes = set(Measure.objects.filter(partnership=None).values_list("code", flat=True))
    assert {"ks2_rwm_expected", "ks4_attainment8", "persistent_absence"} <= codes
    assert Measure.objects.get(code="overall_absence").direction == "lower"


def test_headteacher_proposes_and_lead_activates_recording_who_agreed(
    lead, headteacher, partnership
):
    priority = propose(headteacher, partnership)
    assert priority.status == "proposed"
    priority = priority_activate(actor=lead, priority=priority)
    assert priority.status == "active"
    assert priority.agreed_by == lead
    assert priority.agreed_at is not None
    assert list(priority.transitions.values_list("from_status", "to_status")) == [
        ("", "proposed"),
        ("proposed", "active"),
    ]
    assert AuditEvent.objects.filter(verb="priority.activated", partnership=partnership).exists()


def test_champion_may_not_propose_and_headteacher_may_not_activate(
    lead, headteacher, champion, partnership
):
    with pytest.raises(NotPermitted):
        propose(champion, partnership)
    priority = propose(lead, partnership)
    with pytest.raises(NotPermitted):
        priority_activate(actor=headteacher, priority=priority)
    assert Priority.objects.get(pk=priority.pk).status == "proposed"


def test_fourth_active_priority_is_refused_naming_the_three(lead, partnership):
    titles = ["Reading", "Attendance", "Disadvantaged writers"]
    for title in titles:
        priority_activate(actor=lead, priority=propose(lead, partnership, title))
    fourth = propose(lead, partnership, "Maths fluency")

    with pytest.raises(TooManyActivePriorities) as refusal:
        priority_activate(actor=lead, priority=fourth)

    message = refusal.value.messages[0]
    assert all(f"“{title}”" in message for title in titles)
    assert Priority.objects.get(pk=fourth.pk).status == "proposed"
    assert not PriorityTransition.objects.filter(priority=fourth, to_status="active").exists()


def test_closing_an_active_priority_frees_its_place(lead, partnership):
    active = [priority_activate(actor=lead, priority=propose(lead, partnership, t)) for t in "ABC"]
    priority_close(actor=lead, priority=active[0], outcome="Reading scores rose by 9 points.")
    fourth = priority_activate(actor=lead, priority=propose(lead, partnership, "D"))
    assert fourth.status == "active"
    assert fourth.active_slot == active[0].active_slot


def test_closing_needs_an_outcome_statement(lead, partnership):
    priority = priority_activate(actor=lead, priority=propose(lead, partnership))
    with pytest.raises(ValidationError):
        priority_close(actor=lead, priority=priority, outcome="  ")
    assert Priority.objects.get(pk=priority.pk).status == "active"


def test_a_closed_priority_cannot_be_activated_again(lead, partnership):
    priority = propose(lead, partnership)
    priority_close(actor=lead, priority=priority, outcome="Not taken forward.")
    with pytest.raises(ValidationError, match="cannot become active"):
        priority_activate(actor=lead, priority=priority)


def test_database_refuses_a_fourth_active_priority_written_around_the_service(lead, partnership):
    for title in "ABC":
        priority_activate(actor=lead, priority=propose(lead, partnership, title))
    rogue = propose(lead, partnership, "D")
    for slot in (1, 4):
        with pytest.raises(IntegrityError), transaction.atomic():
            Priority.objects.filter(pk=rogue.pk).update(status="active", active_slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Priority.objects.filter(pk=rogue.pk).update(status="active", active_slot=None)


def test_other_partnerships_count_separately(lead, partnership, outsider):
    from partnerships.models import Role
    from tests.factories import PartnershipFactory, UserFactory, grant

    for title in "ABC":
        priority_activate(actor=lead, priority=propose(lead, partnership, title))
    other = PartnershipFactory()
    other_lead = UserFactory()
    grant(other_lead, other, Role.PARTNERSHIP_LEAD)
    assert priority_activate(actor=other_lead, priority=propose(other_lead, other)).status == (
        "active"
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_leads_activating_at_the_same_moment_get_one_success_and_one_refusal():
    """A real race on PostgreSQL: two connections, two threads, one free place."""
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    from partnerships.models import Role
    from tests.factories import PartnershipFactory, UserFactory, grant

    partnership = PartnershipFactory()
    leads = [UserFactory(), UserFactory()]
    for lead in leads:
        grant(lead, partnership, Role.PARTNERSHIP_LEAD)
    for title in "AB":
        priority_activate(actor=leads[0], priority=propose(leads[0], partnership, title))
    candidates = [propose(leads[i], partnership, f"Candidate {i}") for i in range(2)]

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def activate(index):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            priority_activate(actor=leads[index], priority=candidates[index])
            outcomes.append("activated")
        except TooManyActivePriorities:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=activate, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["activated", "refused"]
    assert Priority.objects.filter(partnership=partnership, status="active").count() == 3
