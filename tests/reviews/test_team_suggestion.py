"""Suggesting review teams for a whole cycle, through the database, on partnerships of 3 to 10
schools: every school is reviewed and reviews, conflicts are respected, the load is even; and
applying the suggestion, which never replaces a team the lead already set."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEvent
from partnerships.models import Role
from partnerships.policy import NotPermitted
from reviews.models import PeerReview, ReviewTeamMember
from reviews.services.cycles import cycle_create
from reviews.services.team import (
    ProposedTeam,
    TeamNeedsConfirmation,
    conflict_declare,
    team_apply_suggestion,
    team_assign,
    team_inputs,
    team_suggest,
)
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.reviews.test_allocation import assert_no_place_could_move_to_someone_less_busy

pytestmark = pytest.mark.django_db


class Partnership:
    """``size`` member schools, each with a headteacher and 0 to 2 peer reviewers (in turn), a
    lead, and a cycle. School i's headteacher has declared a conflict with school i + 1."""

    def __init__(self, size: int, *, year: int = 2026, conflicts: bool = True, peers=True):
        self.partnership = PartnershipFactory()
        self.lead = UserFactory(name="Pat Lead")
        grant(self.lead, self.partnership, Role.PARTNERSHIP_LEAD)
        self.schools = [
            make_member_school(self.partnership, name=f"School {i:02d}") for i in range(size)
        ]
        self.works_at: dict[int, int] = {}
        self.heads = []
        for i, school in enumerate(self.schools):
            head = self.person(f"Head {i:02d}", Role.HEADTEACHER, school)
            self.heads.append(head)
            for j in range(i % 3 if peers else 0):
                self.person(f"Peer {i:02d}-{j}", Role.PEER_REVIEWER, school)
        self.declared = set()
        if conflicts:
            for i, head in enumerate(self.heads):
                other = self.schools[(i + 1) % size]
                conflict_declare(
                    actor=head, partnership=self.partnership, school=other, reason="same_trust"
                )
                self.declared.add((head.pk, other.pk))
        self.cycle = cycle_create(actor=self.lead, partnership=self.partnership, academic_year=year)

    def person(self, name, role, school):
        user = UserFactory(name=name)
        grant(user, self.partnership, role, school)
        self.works_at[user.pk] = school.pk
        return user


def check_fair(world: Partnership, suggestion, per_team: int, last_year=frozenset()) -> None:
    school_ids = {s.pk for s in world.schools}
    assert suggestion.unassigned_hosts == []
    assert {t.host_school_id for t in suggestion.teams} == school_ids, "every school is reviewed"
    places = Counter()
    leads = Counter()
    for team in suggestion.teams:
        assert len(team.reviewers) == per_team
        members = [team.lead, *team.reviewers]
        assert len({m.user_id for m in members}) == len(members), "all different people"
        assert team.lead.can_lead
        for member in members:
            assert world.works_at[member.user_id] == member.school_id
            assert member.school_id != team.host_school_id, "nobody reviews their own school"
            assert (member.user_id, team.host_school_id) not in world.declared
            places[member.school_id] += 1
        leads[team.lead.user_id] += 1
    assert set(places) == school_ids, "every school reviews another"
    # The load is even across people: nobody holds two places more than someone free to take
    # one of theirs without a conflict, a repeat of last year or leading a second review.
    inputs = team_inputs(world.partnership, world.cycle)
    assert_no_place_could_move_to_someone_less_busy(
        suggestion,
        [],
        list(inputs.candidates.values()),
        inputs.allocation_declared(),
        set(last_year),
    )
    assert suggestion.spread.even == (
        not [m for m in suggestion.messages if "not spread evenly" in m]
    )
    assert max(leads.values()) == 1, "nobody leads two reviews while others lead none"


@pytest.mark.parametrize("size", range(3, 11))
def test_the_suggestion_is_fair_on_partnerships_of_3_to_10_schools(size):
    world = Partnership(size)
    suggestion = team_suggest(actor=world.lead, cycle=world.cycle)
    check_fair(world, suggestion, per_team=1)
    assert suggestion.warnings == []


# With three schools, School 02 has only two people free of a conflict: no team of three.
@pytest.mark.parametrize("size", range(4, 11))
def test_larger_teams_are_fair_too(size):
    world = Partnership(size)
    suggestion = team_suggest(actor=world.lead, cycle=world.cycle, reviewers_per_team=2)
    check_fair(world, suggestion, per_team=2)


@pytest.mark.parametrize("size", range(3, 11))
def test_applying_the_suggestion_gives_every_review_its_team(size):
    world = Partnership(size)
    suggestion = team_suggest(actor=world.lead, cycle=world.cycle)
    applied = team_apply_suggestion(actor=world.lead, cycle=world.cycle, proposal=suggestion)
    assert len(applied.assigned) == size
    assert applied.skipped == []
    for team in suggestion.teams:
        saved = {
            (m.user_id, m.is_lead, m.school_id)
            for m in ReviewTeamMember.objects.filter(
                review__cycle=world.cycle, review__host_school_id=team.host_school_id
            )
        }
        assert saved == {(team.lead.user_id, True, team.lead.school_id)} | {
            (r.user_id, False, r.school_id) for r in team.reviewers
        }
    assert AuditEvent.objects.filter(verb="team.assigned").count() == size


@pytest.mark.parametrize("size", range(4, 11))
def test_next_years_suggestion_avoids_last_years_teams(size):
    world = Partnership(size, year=2025)
    team_apply_suggestion(
        actor=world.lead,
        cycle=world.cycle,
        proposal=team_suggest(actor=world.lead, cycle=world.cycle),
    )
    last_year = set(
        ReviewTeamMember.objects.filter(review__cycle=world.cycle).values_list(
            "user_id", "review__host_school_id"
        )
    )
    next_cycle = cycle_create(actor=world.lead, partnership=world.partnership, academic_year=2026)
    suggestion = team_suggest(actor=world.lead, cycle=next_cycle)
    check_fair(world, suggestion, per_team=1, last_year=last_year)
    this_year = {(m.user_id, t.host_school_id) for t in suggestion.teams for m in t.members}
    repeats = this_year & last_year
    assert repeats == {(p.user_id, p.host_school_id) for p in suggestion.warnings}
    if size > 4:
        assert repeats == set()
    else:
        # Four schools: with the conflicts the heads declared, not every review can have a lead
        # who did not review that school last year.
        assert len(repeats) == 1


def test_an_unavoidable_repeat_is_a_warning_that_applying_must_acknowledge():
    """Three schools, a headteacher each: last year's pairs cannot be avoided."""
    world = Partnership(3, year=2025, conflicts=False, peers=False)
    team_apply_suggestion(
        actor=world.lead,
        cycle=world.cycle,
        proposal=team_suggest(actor=world.lead, cycle=world.cycle),
    )
    next_cycle = cycle_create(actor=world.lead, partnership=world.partnership, academic_year=2026)
    suggestion = team_suggest(actor=world.lead, cycle=next_cycle)
    assert suggestion.warnings, "with so few people some repeat is unavoidable"
    with pytest.raises(TeamNeedsConfirmation):
        team_apply_suggestion(actor=world.lead, cycle=next_cycle, proposal=suggestion)
    assert not ReviewTeamMember.objects.filter(review__cycle=next_cycle).exists()
    team_apply_suggestion(
        actor=world.lead, cycle=next_cycle, proposal=suggestion, acknowledge_warnings=True
    )
    assert ReviewTeamMember.objects.filter(review__cycle=next_cycle).count() == 6


def test_applying_keeps_the_teams_the_lead_already_set():
    world = Partnership(5)
    first = PeerReview.objects.get(cycle=world.cycle, host_school=world.schools[0])
    team_assign(
        actor=world.lead,
        review=first,
        lead_user=world.heads[2],
        reviewer_users=[world.heads[3]],
    )
    suggestion = team_suggest(actor=world.lead, cycle=world.cycle)
    assert suggestion.team_for(world.schools[0].pk) is None, "nothing suggested for a set team"
    applied = team_apply_suggestion(actor=world.lead, cycle=world.cycle, proposal=suggestion)
    assert applied.skipped == []
    assert len(applied.assigned) == 4
    assert set(ReviewTeamMember.objects.filter(review=first).values_list("user_id", "is_lead")) == {
        (world.heads[2].pk, True),
        (world.heads[3].pk, False),
    }


def test_a_team_set_after_the_suggestion_was_made_is_kept_when_it_is_accepted():
    world = Partnership(5)
    suggestion = team_suggest(actor=world.lead, cycle=world.cycle)
    first = PeerReview.objects.get(cycle=world.cycle, host_school=world.schools[0])
    team_assign(
        actor=world.lead, review=first, lead_user=world.heads[2], reviewer_users=[world.heads[3]]
    )
    applied = team_apply_suggestion(actor=world.lead, cycle=world.cycle, proposal=suggestion)
    assert applied.skipped == [first]
    assert len(applied.assigned) == 4


def test_the_places_in_teams_already_set_count_towards_the_spread():
    """The lead put Head 04 on two teams by hand: the suggestion gives them nothing more and
    shares the other reviews among everyone else."""
    world = Partnership(6, conflicts=False, peers=False)
    busy = world.heads[4]
    for host, other in ((0, 1), (1, 2)):
        team_assign(
            actor=world.lead,
            review=PeerReview.objects.get(cycle=world.cycle, host_school=world.schools[host]),
            lead_user=busy,
            reviewer_users=[world.heads[other + 1]],
        )
    suggestion = team_suggest(actor=world.lead, cycle=world.cycle)
    assert {t.host_school_id for t in suggestion.teams} == {s.pk for s in world.schools[2:]}
    places = Counter(m.user_id for t in suggestion.teams for m in t.members)
    assert places[busy.pk] == 0
    places.update(
        ReviewTeamMember.objects.filter(review__cycle=world.cycle).values_list("user_id", flat=True)
    )
    assert set(places.values()) == {2}
    assert suggestion.spread.even


def test_a_proposal_that_breaks_a_rule_is_refused_whole():
    world = Partnership(4)
    suggestion = team_suggest(actor=world.lead, cycle=world.cycle)
    proposal = {
        team.host_school_id: ProposedTeam(
            team.host_school_id, team.lead.user_id, tuple(r.user_id for r in team.reviewers)
        )
        for team in suggestion.teams
    }
    host = world.schools[1]
    proposal[host.pk] = ProposedTeam(host.pk, world.heads[1].pk, (world.heads[2].pk,))
    with pytest.raises(ValidationError) as raised:
        team_apply_suggestion(actor=world.lead, cycle=world.cycle, proposal=proposal)
    assert raised.value.messages == [
        "School 01: Head 01 works at School 01, the school under review."
    ]
    assert not ReviewTeamMember.objects.exists(), "all or nothing"


def test_a_proposal_for_a_school_not_in_the_cycle_is_refused():
    world = Partnership(3)
    elsewhere = make_member_school(PartnershipFactory())
    proposal = {elsewhere.pk: ProposedTeam(elsewhere.pk, world.heads[0].pk, (world.heads[1].pk,))}
    with pytest.raises(ValidationError):
        team_apply_suggestion(actor=world.lead, cycle=world.cycle, proposal=proposal)
    assert not ReviewTeamMember.objects.exists()


def test_a_school_without_reviewers_is_reviewed_and_the_lead_is_told():
    world = Partnership(4, conflicts=False)
    world.heads[0].role_assignments.update(revoked_at=timezone.now())
    suggestion = team_suggest(actor=world.lead, cycle=world.cycle)
    assert {t.host_school_id for t in suggestion.teams} == {s.pk for s in world.schools}
    assert any("School 00 has no one who can review" in m for m in suggestion.messages)


def test_only_the_partnership_lead_suggests_and_applies():
    world = Partnership(3)
    for actor in (world.heads[0], UserFactory()):
        with pytest.raises(NotPermitted):
            team_suggest(actor=actor, cycle=world.cycle)
        with pytest.raises(NotPermitted):
            team_apply_suggestion(actor=actor, cycle=world.cycle, proposal={})


def test_someone_working_at_two_schools_reviews_neither():
    world = Partnership(4, conflicts=False)
    both = world.person("Dual Role", Role.PEER_REVIEWER, world.schools[1])
    grant(both, world.partnership, Role.IMPROVEMENT_CHAMPION, world.schools[0])
    for size in (1, 2):
        suggestion = team_suggest(actor=world.lead, cycle=world.cycle, reviewers_per_team=size)
        for team in suggestion.teams:
            if team.host_school_id in (world.schools[0].pk, world.schools[1].pk):
                assert both.pk not in {m.user_id for m in team.members}
