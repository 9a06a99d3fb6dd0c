"""The demo peer reviews: last year's cycle complete, this year's part-way, played through the
services by the right people, within the rules, and safe to seed again."""

import datetime
import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from demo import content as review_demo
from partnerships.models import Partnership, RoleAssignment
from reviews import policy, selectors
from reviews.models import (
    Action,
    Challenge,
    ConflictDeclaration,
    Evidence,
    Finding,
    FindingKind,
    PeerReview,
    ReportStatus,
    ReviewCycle,
    SafeguardingConcern,
)
from reviews.services.team import team_check, team_inputs

# Seeded once for the module (tests/conftest.py); each test runs in a savepoint on top of it.
# That seeding sends no email is in test_seed_demo_fresh.py: only a first seed shows it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]

S = ReportStatus


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def this_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def cycles(year: int):
    return ReviewCycle.objects.filter(academic_year=year).select_related("partnership")


def reviews_of(year: int):
    return (
        PeerReview.objects.filter(cycle__academic_year=year)
        .select_related("cycle__partnership", "host_school")
        .order_by("cycle__partnership__slug", "host_school__name")
    )


def test_each_partnership_has_last_years_cycle_and_this_years():
    year = this_year()
    for partnership in Partnership.objects.all():
        assert set(partnership.cycles.values_list("academic_year", flat=True)) == {year - 1, year}
        members = set(policy.member_schools(partnership).values_list("pk", flat=True))
        for cycle in partnership.cycles.all():
            assert set(cycle.reviews.values_list("host_school", flat=True)) == members


def test_in_the_completed_cycle_every_review_is_signed_off_and_followed_through():
    today = timezone.localdate()
    for cycle in cycles(this_year() - 1):
        overview = selectors.cycle_overview(cycle, today)
        assert overview.late == []
        assert {str(row.standing) for row in overview.rows} == {str(selectors.COMPLETE)}
    for review in reviews_of(this_year() - 1):
        assert review.status == S.SIGNED_OFF
        assert review.signed_off_at is not None
        assert review.self_review.shared_at is not None
        workshop = review.workshop
        assert workshop.held_on <= review.cycle.workshops_due
        assert workshop.participants
        assert workshop.agreed.startswith("<p>")
        statuses = Counter(review.actions.values_list("status", flat=True))
        assert 2 <= sum(statuses.values()) <= 4
        assert statuses[Action.Status.DONE] >= sum(statuses.values()) - 1  # mostly done
        assert statuses[Action.Status.NOT_STARTED] == 0
        assert review.impact_review.startswith("<p>")
        assert review.impact_reviewed_by is not None
        visit_window = (review.cycle.visits_from, review.cycle.visits_until)
        assert visit_window[0] <= review.visit_start <= review.visit_end <= visit_window[1]


def test_the_current_cycle_is_part_way_with_deadlines_in_the_coming_weeks():
    today = timezone.localdate()
    for cycle in cycles(this_year()):
        assert cycle.self_reviews_due < today
        assert cycle.visits_from < today
        assert (
            today < cycle.visits_until <= cycle.reports_due <= today + datetime.timedelta(weeks=6)
        )
        statuses = Counter(cycle.reviews.values_list("status", flat=True))
        assert statuses[S.DRAFT] >= 2
        assert statuses[S.SUBMITTED] >= 1
        # Exactly one step is overdue, for one school: a self-review not shared.
        overview = selectors.cycle_overview(cycle, today)
        assert [(group.stage.key, len(group.schools)) for group in overview.late] == [
            ("self_review", 1)
        ]
        late_school = overview.late[0].schools[0]
        late_review = cycle.reviews.get(host_school=late_school)
        assert late_review.self_review.shared_at is None
        assert late_review.self_review.context  # started, not finished
        # Visits already made, and some still to come.
        assert cycle.reviews.filter(visit_end__lt=today).exists()
        assert cycle.reviews.filter(visit_start__gt=today).exists()
    actions = Action.objects.filter(review__cycle__academic_year=this_year())
    assert actions.exists()
    assert set(actions.values_list("status", flat=True)) == {
        Action.Status.NOT_STARTED,
        Action.Status.IN_PROGRESS,
    }
    for review in reviews_of(this_year()).filter(workshop__isnull=False):
        assert review.status == S.SIGNED_OFF
        assert review.workshop.held_on <= today


def test_reports_moved_along_their_workflow_by_the_right_people():
    returned = 0
    for review in PeerReview.objects.exclude(status=S.DRAFT).select_related(
        "cycle__partnership", "host_school"
    ):
        partnership = review.cycle.partnership
        steps = list(review.transitions.select_related("actor").order_by("at", "pk"))
        assert steps[0].from_status == S.DRAFT
        assert steps[0].to_status == S.SUBMITTED
        assert steps[-1].to_status == review.status
        for step in steps:
            if step.to_status == S.SUBMITTED:
                assert policy.is_lead_reviewer(step.actor, review)
            elif step.to_status == S.QUALITY_ASSURED:
                assert policy.is_lead(step.actor, partnership)
            elif step.to_status == S.SIGNED_OFF:
                assert policy.is_host_headteacher(step.actor, review)
            else:
                assert step.to_status == S.RETURNED
                assert step.comment
                returned += 1
        # What the report says: every finding submitted, with the evidence behind it.
        findings = review.findings.all()
        assert {f.kind for f in findings} == {FindingKind.STRENGTH, FindingKind.AREA_TO_DEVELOP}
        assert all(f.status == Finding.Status.SUBMITTED for f in findings)
        assert all(f.evidence.exists() for f in findings)
    assert returned == 2  # once by a partnership lead, once by a host headteacher
    signed_off = PeerReview.objects.filter(status=S.SIGNED_OFF).count()
    assert AuditEvent.objects.filter(verb="report.signed_off").count() == signed_off


def test_findings_are_challenged_and_answered_and_one_has_a_file():
    for year in (this_year() - 1, this_year()):
        challenges = Challenge.objects.filter(finding__review__cycle__academic_year=year)
        assert challenges.count() == 2  # one in each partnership
        for challenge in challenges.select_related("finding"):
            assert challenge.answered_at is not None
            assert challenge.raised_by_id != challenge.finding.author_id
            assert challenge.replies.filter(author=challenge.finding.author).exists()
    # A report still in draft has findings still in draft.
    assert Finding.objects.filter(
        status=Finding.Status.DRAFT,
        review__status=S.DRAFT,
        review__cycle__academic_year=this_year(),
    ).exists()
    (with_file,) = Evidence.objects.exclude(file="")
    assert with_file.file_name.endswith(".txt")
    assert with_file.file.read().startswith(b"Pupil")
    assert set(Evidence.objects.values_list("kind", flat=True)) == set(Evidence.Kind.values)


def test_every_team_respects_the_conflict_of_interest_rules():
    for review in PeerReview.objects.select_related("cycle__partnership", "host_school"):
        team = list(review.team.select_related("user"))
        assert sum(member.is_lead for member in team) == 1
        assert 2 <= len(team) <= 4
        for member in team:
            # Nobody reviews a school where they hold a role.
            assert member.school_id != review.host_school_id
            assert not RoleAssignment.objects.filter(
                user=member.user, school=review.host_school, revoked_at=None
            ).exists()
            # A declared conflict came after the team was chosen, never before.
            declared = ConflictDeclaration.objects.filter(
                partnership=review.cycle.partnership, user=member.user, school=review.host_school
            ).first()
            assert declared is None or declared.declared_at > member.assigned_at
    # This year's teams pass the product's own check, with nothing to confirm: no declared
    # conflict, nobody on the same school's team as last year.
    assert ConflictDeclaration.objects.count() == 1
    for cycle in cycles(this_year()):
        inputs = team_inputs(cycle.partnership, cycle)
        for review in cycle.reviews.all():
            team = {member.user_id: member.is_lead for member in review.team.all()}
            check = team_check(
                inputs,
                host_school_id=review.host_school_id,
                lead_user_id=next(user for user, is_lead in team.items() if is_lead),
                reviewer_user_ids=[user for user, is_lead in team.items() if not is_lead],
            )
            assert not check.blocks
            assert check.warnings == []


def test_visits_fall_on_school_days_and_nobody_is_on_two_at_once():
    seen = set()
    for review in PeerReview.objects.prefetch_related("team"):
        day = review.visit_start
        assert review.visit_end - review.visit_start <= datetime.timedelta(days=1)
        while day <= review.visit_end:
            assert day.weekday() < 5
            for member in review.team.all():
                assert (member.user_id, day) not in seen
                seen.add((member.user_id, day))
            day += datetime.timedelta(days=1)


def test_one_safeguarding_concern_seen_only_by_the_host_headteacher_and_who_raised_it():
    (concern,) = SafeguardingConcern.objects.select_related("review__cycle__partnership")
    review = concern.review
    assert review.cycle.academic_year == this_year()
    partnership = review.cycle.partnership
    readers = [
        assignment.user
        for assignment in RoleAssignment.objects.filter(partnership=partnership, revoked_at=None)
        if policy.safeguarding_concerns_visible_to(assignment.user, review).exists()
    ]
    assert {user.email for user in readers} == {
        review_demo.HEAD[review.host_school.urn],
        concern.raised_by.email,
    }
    event = AuditEvent.objects.get(verb="safeguarding_concern.raised")
    assert event.partnership is None
    assert event.details == {}


def test_seeding_again_changes_nothing():
    models = [*apps.get_app_config("reviews").get_models(), AuditEvent]

    def snapshot():
        return {
            "counts": {model.__name__: model.objects.count() for model in models},
            "versions": list(ReviewCycle.objects.order_by("pk").values_list("pk", "version")),
            "reviews": list(
                PeerReview.objects.order_by("pk").values_list("pk", "version", "report_version")
            ),
        }

    first = snapshot()
    seed()
    assert snapshot() == first


def test_each_partnership_publishes_last_years_review_and_millbrook_corrects_it():
    from reviews.models import PublishedVersion, SummaryStatus

    year = this_year() - 1
    versions = {
        slug: list(
            PublishedVersion.objects.filter(partnership__slug=slug, academic_year=year)
            .order_by("number")
            .values_list("number", "superseded_at", "correction_note")
        )
        for slug in review_demo.PUBLICATIONS
    }
    millbrook = versions["millbrook-learning-partnership"]
    assert [number for number, _superseded, _note in millbrook] == [1, 2]
    assert millbrook[0][1] is not None
    assert "Riverside" in millbrook[1][2]
    assert [number for number, *_rest in versions["eastshire-schools-partnership"]] == [1]
    for version in PublishedVersion.objects.select_related("review"):
        summaries = version.review.school_summaries.all()
        assert summaries
        assert {summary.status for summary in summaries} == {SummaryStatus.APPROVED}
        assert version.content["priorities"]
    assert AuditEvent.objects.filter(verb="publication.published").count() == 2
    assert AuditEvent.objects.filter(verb="publication.corrected").count() == 1


def test_the_story_happens_in_order_and_nothing_in_the_future():
    """Each cycle's deadlines are in order and last year's visits came before this year's;
    within each review, the self-review is shared before the visit, findings are written on
    it, the report is signed off after it and before the workshop, actions fall due after the
    workshop and the impact review comes last. Nothing is dated after the seeding."""
    now = timezone.now()
    local = timezone.localdate
    for partnership in Partnership.objects.all():
        completed, current = partnership.cycles.order_by("academic_year")
        assert completed.visits_until < current.data_sharing_due
        for cycle in (completed, current):
            deadlines = [
                cycle.data_sharing_due,
                cycle.self_reviews_due,
                cycle.visits_from,
                cycle.visits_until,
                cycle.reports_due,
                cycle.workshops_due,
                cycle.impact_reviews_due,
            ]
            assert deadlines == sorted(deadlines)
            assert cycle.created_at.date() < cycle.data_sharing_due
    for review in PeerReview.objects.select_related("cycle", "self_review"):
        cycle = review.cycle
        assert local(review.created_at) < cycle.self_reviews_due
        assert cycle.visits_from <= review.visit_start <= review.visit_end <= cycle.visits_until
        for member in review.team.all():
            assert local(member.assigned_at) < review.visit_start
        shared_at = review.self_review.shared_at
        if shared_at is not None:
            assert local(shared_at) <= cycle.self_reviews_due
            assert local(shared_at) < review.visit_start
        for finding in review.findings.all():
            assert review.visit_start <= local(finding.created_at) <= review.visit_end
            assert finding.submitted_at is None or local(finding.submitted_at) <= review.visit_end
            for challenge in finding.challenges.all():
                assert finding.created_at < challenge.raised_at < challenge.answered_at <= now
        steps = list(review.transitions.order_by("at", "pk"))
        if steps:
            assert review.visit_end < local(steps[0].at)
            assert [step.at for step in steps] == sorted(step.at for step in steps)
            assert steps[-1].at <= now
        if review.status == S.SIGNED_OFF:
            assert local(review.signed_off_at) == local(steps[-1].at)
        workshop = getattr(review, "workshop", None)
        if workshop is None:
            assert not review.actions.exists()
            continue
        assert local(review.signed_off_at) < workshop.held_on <= local(workshop.recorded_at)
        assert workshop.held_on <= cycle.workshops_due
        for action in review.actions.all():
            assert workshop.held_on < action.due_on
            assert workshop.recorded_at <= action.created_at <= action.updated_at <= now
            if review.impact_reviewed_at:
                assert action.updated_at < review.impact_reviewed_at
        if review.impact_reviewed_at:
            assert workshop.recorded_at < review.impact_reviewed_at <= now
    for event in AuditEvent.objects.all():
        assert event.at <= now
