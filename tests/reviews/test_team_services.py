"""Assigning a review team: who may, who may be on it, and the conflict-of-interest rules.

The world (``team_world`` in conftest): the host school with its headteacher and champion,
Beech and Cedar each with a headteacher and a peer reviewer, the lead, and the 2026/27 cycle.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEvent
from partnerships.models import Role
from partnerships.policy import NotPermitted
from reviews import policy
from reviews.models import PeerReview, ReportStatus, ReviewTeamMember
from reviews.services.cycles import cycle_create
from reviews.services.team import (
    TeamNeedsConfirmation,
    conflict_declare,
    team_assign,
    team_inputs,
)
from tests.factories import PartnershipFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def team(review) -> dict[str, bool]:
    """{name: is lead} of the review's team as saved."""
    return {m.user.name: m.is_lead for m in ReviewTeamMember.objects.filter(review=review).all()}


def assign(world, lead_user, reviewers, **kwargs):
    return team_assign(
        actor=world.lead,
        review=world.review,
        lead_user=lead_user,
        reviewer_users=reviewers,
        **kwargs,
    )


def refusal(world, lead_user, reviewers, **kwargs) -> str:
    with pytest.raises(ValidationError) as raised:
        assign(world, lead_user, reviewers, **kwargs)
    assert team(world.review) == {}, "a refused team is not saved"
    return " ".join(raised.value.messages)


# --- The team the lead assigns ----------------------------------------------------------------


def test_the_lead_assigns_a_lead_reviewer_and_reviewers_from_other_schools(
    team_world, django_capture_on_commit_callbacks
):
    w = team_world
    with django_capture_on_commit_callbacks(execute=True):
        members = assign(w, w.head_b, [w.peer_c, w.head_c])
    # The lead reviewer first, then the reviewers by name; each with the school they come from.
    assert [(m.user, m.is_lead, m.school) for m in members] == [
        (w.head_b, True, w.beech),
        (w.peer_c, False, w.cedar),
        (w.head_c, False, w.cedar),
    ]
    assert team(w.review) == {"Bea Beech": True, "Cal Cedar": False, "Cat Cedar": False}
    event = AuditEvent.objects.get(verb="team.assigned")
    assert event.actor == w.lead
    assert event.details["lead"] == "Bea Beech"
    assert sorted(event.details["reviewers"]) == ["Cal Cedar", "Cat Cedar"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [w.head_b.email, w.peer_c.email, w.head_c.email]
    )
    to_lead = next(m for m in mail.outbox if m.to == [w.head_b.email])
    assert "lead reviewer" in to_lead.subject
    assert w.host.name in to_lead.body
    assert f"/reviews/{w.review.pk}/team/" in to_lead.body


def test_the_assigned_team_is_what_the_policy_then_answers(team_world):
    w = team_world
    assert not policy.is_on_team(w.head_b, w.review)  # caches the (empty) team
    assign(w, w.head_b, [w.peer_c])
    assert policy.is_lead_reviewer(w.head_b, w.review), "the service forgets the cached team"
    assert policy.is_on_team(w.peer_c, w.review)


def test_reassigning_replaces_the_team_and_emails_only_the_newcomers(
    team_world, django_capture_on_commit_callbacks
):
    w = team_world
    assign(w, w.head_b, [w.peer_c])
    first_place = ReviewTeamMember.objects.get(review=w.review, user=w.head_b)
    with django_capture_on_commit_callbacks(execute=True):
        assign(w, w.head_b, [w.head_c])
    assert team(w.review) == {"Bea Beech": True, "Cat Cedar": False}
    assert [m.to for m in mail.outbox] == [[w.head_c.email]]
    kept = ReviewTeamMember.objects.get(review=w.review, user=w.head_b)
    assert kept.assigned_at == first_place.assigned_at, "a kept place keeps its date"
    event = AuditEvent.objects.filter(verb="team.assigned").latest("pk")
    assert event.details["removed"] == ["Cal Cedar"]


def test_assigning_the_same_team_again_changes_nothing(team_world):
    w = team_world
    assign(w, w.head_b, [w.peer_c])
    assign(w, w.head_b, [w.peer_c])
    assert AuditEvent.objects.filter(verb="team.assigned").count() == 1


# --- Conflict-of-interest rules ---------------------------------------------------------------


def test_the_host_schools_headteacher_is_blocked(team_world):
    w = team_world
    message = refusal(w, w.host_head, [w.head_b])
    assert f"{w.host_head.name} works at {w.host.name}, the school under review." in message


def test_a_peer_reviewer_of_the_host_school_is_blocked(team_world):
    w = team_world
    host_peer = w.person("Hal Host", Role.PEER_REVIEWER, w.host)
    message = refusal(w, w.head_b, [host_peer])
    assert "Hal Host works at" in message


def test_someone_who_also_works_at_the_host_school_is_blocked(team_world):
    """A peer reviewer at Beech who is also the host's improvement champion."""
    w = team_world
    grant(w.champion, w.partnership, Role.PEER_REVIEWER, w.beech)
    message = refusal(w, w.head_b, [w.champion])
    assert f"{w.champion.name} works at {w.host.name}" in message


def test_a_declared_conflict_blocks(team_world):
    w = team_world
    conflict_declare(
        actor=w.head_b, partnership=w.partnership, school=w.host, reason="former_employer"
    )
    message = refusal(w, w.head_b, [w.peer_c])
    assert "Bea Beech has declared a conflict of interest with" in message
    # Even when acknowledging warnings: a conflict is not a warning.
    assert "declared a conflict" in refusal(w, w.head_c, [w.head_b], acknowledge_warnings=True)


def test_a_conflict_declared_with_another_school_does_not_block(team_world):
    w = team_world
    conflict_declare(actor=w.head_b, partnership=w.partnership, school=w.cedar, reason="relative")
    assign(w, w.head_b, [w.peer_c])
    assert team(w.review) == {"Bea Beech": True, "Cal Cedar": False}


def test_having_reviewed_the_school_last_cycle_warns_and_needs_acknowledgement(team_world):
    w = team_world
    last_year = cycle_create(actor=w.lead, partnership=w.partnership, academic_year=2025)
    team_assign(
        actor=w.lead,
        review=PeerReview.objects.get(cycle=last_year, host_school=w.host),
        lead_user=w.head_b,
        reviewer_users=[w.head_c],
    )
    with pytest.raises(TeamNeedsConfirmation) as raised:
        assign(w, w.head_b, [w.peer_c])
    assert raised.value.messages == [f"Bea Beech reviewed {w.host.name} last cycle."]
    assert [p.user_id for p in raised.value.warnings] == [w.head_b.pk]
    assert team(w.review) == {}

    assign(w, w.head_b, [w.peer_c], acknowledge_warnings=True)
    assert team(w.review) == {"Bea Beech": True, "Cal Cedar": False}
    event = AuditEvent.objects.filter(verb="team.assigned").latest("pk")
    assert event.details["warnings_considered"] == [f"Bea Beech reviewed {w.host.name} last cycle."]


def test_reviewing_another_school_last_cycle_does_not_warn(team_world):
    w = team_world
    last_year = cycle_create(actor=w.lead, partnership=w.partnership, academic_year=2025)
    team_assign(
        actor=w.lead,
        review=PeerReview.objects.get(cycle=last_year, host_school=w.cedar),
        lead_user=w.head_b,
        reviewer_users=[w.host_head],
    )
    assign(w, w.head_b, [w.peer_c])  # no TeamNeedsConfirmation
    assert team(w.review) == {"Bea Beech": True, "Cal Cedar": False}


def test_a_review_two_cycles_ago_does_not_warn(team_world):
    w = team_world
    older = cycle_create(actor=w.lead, partnership=w.partnership, academic_year=2024)
    team_assign(
        actor=w.lead,
        review=PeerReview.objects.get(cycle=older, host_school=w.host),
        lead_user=w.head_b,
        reviewer_users=[w.head_c],
    )
    assign(w, w.head_b, [w.head_c])
    assert team(w.review) == {"Bea Beech": True, "Cat Cedar": False}


def test_someone_who_is_not_a_reviewer_of_the_partnership_is_refused(team_world, outsider):
    w = team_world
    champion_b = w.person("Chloe Beech", Role.IMPROVEMENT_CHAMPION, w.beech)
    message = refusal(w, w.head_b, [champion_b, outsider])
    assert "Chloe Beech cannot review" in message
    assert "Olive Outsider cannot review" in message
    assert "Pat Lead cannot review" in refusal(w, w.lead, [w.head_c])


def test_someone_whose_role_has_ended_is_refused(team_world):
    w = team_world
    w.peer_c.role_assignments.update(revoked_at=timezone.now())
    assert "Cal Cedar cannot review" in refusal(w, w.head_b, [w.peer_c])


def test_a_peer_reviewer_leads_only_when_their_school_has_no_headteacher(team_world):
    w = team_world
    assert "Ben Beech cannot lead a review" in refusal(w, w.peer_b, [w.head_c])
    w.head_b.role_assignments.update(revoked_at=timezone.now())
    assign(w, w.peer_b, [w.head_c])
    assert team(w.review) == {"Ben Beech": True, "Cat Cedar": False}


@pytest.mark.parametrize("count", [0, 4])
def test_a_team_has_one_to_three_reviewers_besides_the_lead(team_world, count):
    w = team_world
    extra = w.person("Bo Beech", Role.PEER_REVIEWER, w.beech)
    reviewers = [w.peer_b, w.head_c, w.peer_c, extra][:count]
    assert "Choose 1 to 3 reviewers besides the lead reviewer" in refusal(w, w.head_b, reviewers)


@pytest.mark.parametrize("count", [1, 3])
def test_one_and_three_reviewers_are_both_a_team(team_world, count):
    w = team_world
    assign(w, w.head_b, [w.peer_b, w.head_c, w.peer_c][:count])
    assert len(team(w.review)) == count + 1


def test_the_lead_reviewer_cannot_also_be_a_reviewer(team_world):
    w = team_world
    message = refusal(w, w.head_b, [w.head_b, w.peer_c])
    assert "Bea Beech is the lead reviewer, so cannot also be one of the reviewers." in message


def test_nobody_is_listed_twice(team_world):
    w = team_world
    assert "Cal Cedar is listed more than once." in refusal(w, w.head_b, [w.peer_c, w.peer_c])


def test_a_team_needs_a_lead_reviewer(team_world):
    w = team_world
    assert "Choose the lead reviewer." in refusal(w, None, [w.peer_c])


def test_every_blocking_problem_is_named_at_once(team_world):
    w = team_world
    conflict_declare(actor=w.head_c, partnership=w.partnership, school=w.host, reason="relative")
    with pytest.raises(ValidationError) as raised:
        assign(w, w.host_head, [w.head_c, w.champion])
    errors = raised.value.message_dict
    assert errors["lead_user"] == [
        f"{w.host_head.name} works at {w.host.name}, the school under review."
    ]
    assert (
        f"Cat Cedar has declared a conflict of interest with {w.host.name}."
        in errors["reviewer_users"]
    )
    assert f"{w.champion.name} cannot review" in " ".join(errors["reviewer_users"])


# --- Who may assign, and when -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["champion", "host_head", "head_b", "outsider"])
def test_only_the_partnership_lead_assigns(team_world, who, outsider):
    w = team_world
    actor = outsider if who == "outsider" else getattr(w, who)
    with pytest.raises(NotPermitted):
        team_assign(actor=actor, review=w.review, lead_user=w.head_b, reviewer_users=[w.peer_c])
    assert team(w.review) == {}
    assert not AuditEvent.objects.filter(verb="team.assigned").exists()


def test_the_lead_of_another_partnership_may_not_assign(team_world):
    w = team_world
    other_lead = UserFactory()
    grant(other_lead, PartnershipFactory(), Role.PARTNERSHIP_LEAD)
    with pytest.raises(NotPermitted):
        team_assign(
            actor=other_lead, review=w.review, lead_user=w.head_b, reviewer_users=[w.peer_c]
        )


def test_the_team_is_locked_once_the_report_is_signed_off(team_world):
    w = team_world
    assign(w, w.head_b, [w.peer_c])
    PeerReview.objects.filter(pk=w.review.pk).update(
        status=ReportStatus.SIGNED_OFF, signed_off_at=timezone.now()
    )
    with pytest.raises(ValidationError) as raised:
        assign(w, w.head_c, [w.peer_b])
    assert "signed off" in raised.value.messages[0]
    assert team(w.review) == {"Bea Beech": True, "Cal Cedar": False}


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.QUALITY_ASSURED])
def test_the_team_can_still_change_before_sign_off(team_world, status):
    w = team_world
    PeerReview.objects.filter(pk=w.review.pk).update(status=status)
    assign(w, w.head_b, [w.peer_c])
    assert team(w.review) == {"Bea Beech": True, "Cal Cedar": False}


# --- Who can review ---------------------------------------------------------------------------


def test_candidates_are_headteachers_and_peer_reviewers_of_member_schools(team_world):
    w = team_world
    w.person("Chloe Beech", Role.IMPROVEMENT_CHAMPION, w.beech)
    inputs = team_inputs(w.partnership, w.cycle)
    by_name = {c.name: c for c in inputs.candidates.values()}
    assert set(by_name) == {w.host_head.name, "Bea Beech", "Ben Beech", "Cat Cedar", "Cal Cedar"}
    assert by_name["Bea Beech"].can_lead
    assert by_name["Bea Beech"].school_id == w.beech.pk
    assert not by_name["Ben Beech"].can_lead
    assert inputs.roles[w.peer_b.pk] == "Peer reviewer"
    assert sorted(inputs.host_school_ids) == sorted([w.host.pk, w.beech.pk, w.cedar.pk])
