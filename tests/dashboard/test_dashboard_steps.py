"""The dashboard answers "what do I need to do, and by when?".

Each kind of step appears for exactly the people whose step it is (as the review policy says),
and disappears once it is done. The world is built once for the module; each test changes it
inside its own savepoint.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import OutgoingEmail
from dashboard.attention import attention_for
from partnerships.models import Partnership, Role, RoleAssignment, School
from partnerships.services import (
    agreement_publish,
    agreement_sign,
    membership_request_decline,
    membership_request_send,
    partnership_update,
)
from priorities.services import priority_activate, priority_propose
from reviews.models import (
    Action,
    Challenge,
    Finding,
    FindingKind,
    PeerReview,
    ReportStatus,
    ReviewCycle,
    ReviewTeamMember,
    SafeguardingConcern,
    SelfReview,
    Workshop,
)
from reviews.services.cycles import cycle_create
from reviews.steps import review_work_for
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.support import rolled_back

pytestmark = pytest.mark.django_db

CONCERN_TEXT = "A pupil said something worrying at lunchtime."


@dataclass
class World:
    """Millbrook: the host school (its headteacher and champion), Beech (whose head is the
    host review's lead reviewer), Cedar (whose head is a reviewer on it, and whose peer
    reviewer is the partnership's safeguarding contact), the lead, and an outsider who heads a
    school in another partnership. The 2026/27 cycle has a review of each school; only the
    host's has a team."""

    partnership: Partnership
    host: School
    beech: School
    cycle: ReviewCycle
    review: PeerReview  # the host's
    review_b: PeerReview  # Beech's: no team yet
    people: dict[str, User]
    priority: object


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        partnership = PartnershipFactory(name="Millbrook Learning Partnership")
        host = make_member_school(partnership, name="Ash Primary School")
        beech = make_member_school(partnership, name="Beech Primary School")
        cedar = make_member_school(partnership, name="Cedar Primary School")

        def person(name, role, school=None, where=partnership):
            user = UserFactory(name=name)
            grant(user, where, role, school)
            return user

        people = {
            "lead": person("Lena Lead", Role.PARTNERSHIP_LEAD),
            "host head": person("Hana Host", Role.HEADTEACHER, host),
            "host champion": person("Cam Champion", Role.IMPROVEMENT_CHAMPION, host),
            "lead reviewer": person("Lee Beech", Role.HEADTEACHER, beech),
            "reviewer": person("Rae Cedar", Role.HEADTEACHER, cedar),
            "contact": person("Sam Safeguard", Role.PEER_REVIEWER, cedar),
        }
        other = PartnershipFactory(name="Westgate Partnership")
        people["outsider"] = person(
            "Olive Outsider", Role.HEADTEACHER, make_member_school(other), where=other
        )
        partnership_update(
            actor=people["lead"], partnership=partnership, safeguarding_contact=people["contact"]
        )
        priority = priority_activate(
            actor=people["lead"],
            priority=priority_propose(
                actor=people["lead"], partnership=partnership, title="Writing", rationale="Data."
            ),
        )
        cycle = cycle_create(actor=people["lead"], partnership=partnership, academic_year=2026)
        review = PeerReview.objects.get(cycle=cycle, host_school=host)
        ReviewTeamMember.objects.create(
            review=review, user=people["lead reviewer"], school=beech, is_lead=True
        )
        ReviewTeamMember.objects.create(review=review, user=people["reviewer"], school=cedar)
        yield World(
            partnership,
            host,
            beech,
            cycle,
            review,
            PeerReview.objects.get(cycle=cycle, host_school=beech),
            people,
            priority,
        )


def today_in(world) -> datetime.date:
    """A day of the cycle before its first deadline: nothing is late yet."""
    return world.cycle.data_sharing_due


def steps(world, who, today=None) -> list:
    user = User.objects.get(pk=world.people[who].pk)  # fresh: no roles remembered
    return review_work_for(user, today or today_in(world)).steps


def who_has(world, kind, review=None, today=None) -> set[str]:
    review = review or world.review
    return {
        who
        for who in world.people
        if any(s.kind == kind and s.review.pk == review.pk for s in steps(world, who, today))
    }


def set_review(review, **fields):
    PeerReview.objects.filter(pk=review.pk).update(**fields)


def focus_chosen(world):
    set_review(world.review, priority=world.priority, enquiry_question="How far does it help?")


# --- The host school's enquiry ------------------------------------------------------------


def test_the_enquiry_focus_is_the_host_schools_step_until_it_is_chosen(world):
    assert who_has(world, "focus") == {"host head", "host champion"}
    focus_chosen(world)
    assert who_has(world, "focus") == set()


def test_the_self_review_is_the_host_schools_step_until_it_is_shared(world):
    assert who_has(world, "self_review") == {"host head", "host champion"}
    SelfReview.objects.create(review=world.review, shared_at=timezone.now())
    assert who_has(world, "self_review") == set()


def test_a_review_without_a_team_is_the_leads_step(world):
    assert who_has(world, "team", world.review_b) == {"lead"}
    assert who_has(world, "team", world.review) == set()
    ReviewTeamMember.objects.create(
        review=world.review_b, user=world.people["reviewer"], school=world.host, is_lead=True
    )
    assert who_has(world, "team", world.review_b) == set()


def test_the_visit_dates_are_agreed_by_the_host_head_and_the_lead_reviewer(world):
    assert who_has(world, "visit") == {"host head", "lead reviewer"}
    set_review(world.review, visit_start=world.cycle.visits_from)
    assert who_has(world, "visit") == set()


# --- Findings and challenges --------------------------------------------------------------


def finding(world, author, status=Finding.Status.DRAFT) -> Finding:
    return Finding.objects.create(
        review=world.review,
        kind=FindingKind.STRENGTH,
        judgement="Pupils write at length.",
        author=world.people[author],
        status=status,
    )


def test_findings_in_draft_are_their_authors(world):
    drafts = [finding(world, "reviewer"), finding(world, "reviewer")]
    assert who_has(world, "findings_in_draft") == {"reviewer"}
    [step] = [s for s in steps(world, "reviewer") if s.kind == "findings_in_draft"]
    assert step.count == 2
    Finding.objects.filter(pk__in=[f.pk for f in drafts]).update(status=Finding.Status.SUBMITTED)
    assert who_has(world, "findings_in_draft") == set()


def test_a_challenge_waits_on_the_author_of_the_finding(world):
    challenged = finding(world, "lead reviewer", Finding.Status.SUBMITTED)
    challenge = Challenge.objects.create(
        finding=challenged, raised_by=world.people["reviewer"], text="What leads you to think so?"
    )
    assert who_has(world, "challenge") == {"lead reviewer"}
    Challenge.objects.filter(pk=challenge.pk).update(answered_at=timezone.now())
    assert who_has(world, "challenge") == set()


# --- The report ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind", "whose"),
    [
        (ReportStatus.DRAFT, "report_to_write", {"lead reviewer"}),
        (ReportStatus.RETURNED, "report_returned", {"lead reviewer"}),
        (ReportStatus.SUBMITTED, "report_to_quality_assure", {"lead"}),
        (ReportStatus.QUALITY_ASSURED, "report_to_sign_off", {"host head"}),
    ],
)
def test_the_report_waits_on_whoever_moves_it_next(world, status, kind, whose):
    set_review(world.review, status=status)
    assert who_has(world, kind) == whose
    set_review(world.review, status=ReportStatus.SIGNED_OFF, signed_off_at=timezone.now())
    assert who_has(world, kind) == set()


# --- After the report: the workshop, the actions, the impact review -----------------------


def signed_off(world):
    set_review(world.review, status=ReportStatus.SIGNED_OFF, signed_off_at=timezone.now())


def without_champion(world):
    """The host school's champion leaves the role: the headteacher keeps the plan."""
    RoleAssignment.objects.filter(
        user=world.people["host champion"], role=Role.IMPROVEMENT_CHAMPION
    ).update(revoked_at=timezone.now())


def test_the_workshop_is_the_host_champions_once_the_report_is_signed_off(world):
    assert who_has(world, "workshop") == set()
    signed_off(world)
    # The headteacher may record it too, but the champion facilitates it: it waits on them.
    assert who_has(world, "workshop") == {"host champion"}
    without_champion(world)
    assert who_has(world, "workshop") == {"host head"}, "a school without a champion"
    Workshop.objects.create(
        review=world.review, held_on=world.cycle.workshops_due, participants="All", agreed="x"
    )
    assert who_has(world, "workshop") == set()


def test_the_impact_review_follows_the_workshop_until_it_is_recorded(world):
    signed_off(world)
    assert who_has(world, "impact_review") == set()
    Workshop.objects.create(
        review=world.review, held_on=world.cycle.workshops_due, participants="All", agreed="x"
    )
    assert who_has(world, "impact_review") == {"host champion"}
    without_champion(world)
    assert who_has(world, "impact_review") == {"host head"}
    set_review(world.review, impact_reviewed_at=timezone.now(), impact_review="<p>Better.</p>")
    assert who_has(world, "impact_review") == set()


@pytest.mark.parametrize(
    ("owner", "whose"),
    [
        ("Cam Champion", {"host champion"}),
        ("cam  CHAMPION", {"host champion"}),
        ("Hana Host", {"host head"}),
        ("HOST-HEAD-EMAIL", {"host head"}),
        # Not someone at the host school: the champion, who keeps the plan, has it.
        ("The English lead", {"host champion"}),
        ("Lee Beech", {"host champion"}),
    ],
)
def test_an_action_is_its_owners_until_it_is_done(world, owner, whose):
    if owner == "HOST-HEAD-EMAIL":
        owner = world.people["host head"].email.upper()
    action = Action.objects.create(
        review=world.review, description="Model writing daily", owner=owner, due_on=date(2027, 6, 1)
    )
    assert who_has(world, "action") == whose
    [step] = [s for s in steps(world, next(iter(whose))) if s.kind == "action"]
    assert step.due == date(2027, 6, 1)
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)
    assert who_has(world, "action") == set()


def date(*args) -> datetime.date:
    return datetime.date(*args)


# --- Deadlines and order ------------------------------------------------------------------


def test_each_step_has_its_deadline_and_is_late_only_after_it(world):
    due = world.cycle.self_reviews_due
    on_the_day = {s.kind: s for s in steps(world, "host head", today=due)}
    assert on_the_day["focus"].due == due
    assert not on_the_day["focus"].late
    after = {s.kind: s for s in steps(world, "host head", today=due + datetime.timedelta(days=1))}
    assert after["focus"].late


def test_the_steps_come_soonest_first(world):
    signed_off(world)
    set_review(world.review, status=ReportStatus.QUALITY_ASSURED, signed_off_at=None)
    Action.objects.create(
        review=world.review, description="Soon", owner="Hana Host", due_on=date(2026, 10, 1)
    )
    dues = [s.due or today_in(world) for s in steps(world, "host head")]
    assert dues == sorted(dues)


# --- Agreements, membership requests and invitations sit in the same list -----------------


def who_is_asked(world, kind) -> set[str]:
    today = today_in(world)
    asked = set()
    for who, person in world.people.items():
        user = User.objects.get(pk=person.pk)
        items = attention_for(user, review_work_for(user, today).steps, today)
        if any(item.kind == kind for item in items):
            asked.add(who)
    return asked


def test_an_agreement_to_sign_is_each_unsigned_schools_headteachers(world):
    assert who_is_asked(world, "agreement") == set()
    agreement_publish(actor=world.people["lead"], partnership=world.partnership, text="We share.")
    assert who_is_asked(world, "agreement") == {"host head", "lead reviewer", "reviewer"}
    for who, school in (("host head", world.host), ("lead reviewer", world.beech)):
        agreement_sign(actor=world.people[who], partnership=world.partnership, school=school)
    assert who_is_asked(world, "agreement") == {"reviewer"}


def test_a_request_to_join_is_the_asked_schools_headteachers(world):
    outsiders_school = world.people["outsider"].role_assignments.get().school
    request = membership_request_send(
        actor=world.people["lead"], partnership=world.partnership, school=outsiders_school
    )
    assert who_is_asked(world, "membership_request") == {"outsider"}
    membership_request_decline(actor=world.people["outsider"], request=request)
    assert who_is_asked(world, "membership_request") == set()


def test_an_expired_invitation_is_the_inviters_until_it_is_withdrawn(world):
    invitation = world.partnership.invitations.create(
        email="new.teacher@example.org",
        role=Role.PEER_REVIEWER,
        school=world.beech,
        invited_by=world.people["lead reviewer"],
        token_hash="0" * 64,
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert who_is_asked(world, "expired_invitation") == {"lead reviewer"}
    type(invitation).objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    assert who_is_asked(world, "expired_invitation") == set()


# --- Safeguarding -------------------------------------------------------------------------


def raise_concern(world) -> SafeguardingConcern:
    return SafeguardingConcern.objects.create(
        review=world.review, raised_by=world.people["reviewer"], concern=CONCERN_TEXT
    )


def told_of_concern(world) -> set[str]:
    told = set()
    for who, person in world.people.items():
        user = User.objects.get(pk=person.pk)
        if review_work_for(user, today_in(world)).concerns:
            told.add(who)
    return told


def test_an_open_concern_is_told_to_the_host_head_and_the_safeguarding_contact_only(world):
    assert told_of_concern(world) == set()
    concern = raise_concern(world)
    assert told_of_concern(world) == {"host head", "contact"}
    SafeguardingConcern.objects.filter(pk=concern.pk).update(
        acknowledged_at=timezone.now(), acknowledged_by=world.people["host head"]
    )
    assert told_of_concern(world) == set()


def test_the_concern_is_named_on_the_dashboard_and_the_overview_never_its_text(client, world):
    raise_concern(world)
    concern_page = reverse("concern_raise", args=[world.partnership.slug, world.review.pk])
    overview = reverse("review_detail", args=[world.partnership.slug, world.review.pk])
    for who in ("host head", "contact"):
        client.force_login(world.people[who])
        for url in (reverse("dashboard"), overview):
            html = client.get(url).content.decode()
            assert "A safeguarding concern is open at Ash Primary School" in html, (who, url)
            assert concern_page in html
            assert CONCERN_TEXT not in html
    for who in ("reviewer", "lead", "lead reviewer", "host champion"):
        client.force_login(world.people[who])
        for url in (reverse("dashboard"), overview):
            assert "safeguarding concern is open" not in client.get(url).content.decode()


# --- The page -----------------------------------------------------------------------------


def test_the_page_links_each_step_with_its_deadline(client, world):
    client.force_login(world.people["host head"])
    html = client.get(reverse("dashboard")).content.decode()
    slug, pk = world.partnership.slug, world.review.pk
    assert reverse("review_focus_edit", args=[slug, pk]) in html
    assert reverse("self_review_edit", args=[slug, pk]) in html
    assert "Choose the enquiry focus for Ash Primary School" in html
    due = world.cycle.self_reviews_due
    assert f"Due by {due.day} {due:%B %Y}" in html


def test_staff_see_their_schools_review_and_reviewers_the_reviews_they_are_on(client, world):
    client.force_login(world.people["host champion"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "Your school's review" in html
    assert "Ash Primary School, 2026/27" in html
    assert "Next step: Enquiry focus" in html
    assert "Reviews you are on" not in html

    client.force_login(world.people["lead reviewer"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "Reviews you are on" in html
    assert "Ash Primary School, 2026/27" in html
    assert "Lead reviewer" in html
    assert "Beech Primary School, 2026/27" in html  # their own school's


def test_a_lead_sees_the_cycle_at_a_glance_and_the_emails_not_delivered(client, world):
    OutgoingEmail.objects.create(
        subject="Reminder",
        recipients="someone@example.org",
        message={},
        partnership=world.partnership,
        status=OutgoingEmail.Status.FAILED,
    )
    client.force_login(world.people["lead"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "Millbrook Learning Partnership: the 2026/27 cycle at a glance" in html
    assert "Reviews at each step" in html
    assert "1 email could not be delivered" in html
    assert reverse("email_failures", args=[world.partnership.slug]) in html

    client.force_login(world.people["host head"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "at a glance" not in html
    assert "could not be delivered" not in html


def test_an_outsider_sees_nothing_of_the_partnership(client, world):
    raise_concern(world)
    client.force_login(world.people["outsider"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "Millbrook" not in html
    assert "Ash Primary School" not in html


# --- Query count --------------------------------------------------------------------------


def add_partnership_for(person: User, n: int) -> None:
    """Another partnership in which ``person`` is the lead, the head of a school, on another
    school's review team, owns an action, has a draft finding and a challenge to answer, and
    hears of a concern."""
    partnership = PartnershipFactory(name=f"Extra Partnership {n}")
    own = make_member_school(partnership, name=f"Own School {n}")
    other = make_member_school(partnership, name=f"Other School {n}")
    grant(person, partnership, Role.PARTNERSHIP_LEAD)
    grant(person, partnership, Role.HEADTEACHER, own)
    cycle = cycle_create(actor=person, partnership=partnership, academic_year=2026)
    own_review = PeerReview.objects.get(cycle=cycle, host_school=own)
    other_review = PeerReview.objects.get(cycle=cycle, host_school=other)
    ReviewTeamMember.objects.create(review=other_review, user=person, school=own, is_lead=True)
    mine = Finding.objects.create(
        review=other_review, kind=FindingKind.STRENGTH, judgement="J", author=person
    )
    Challenge.objects.create(finding=mine, text="Why?")
    Action.objects.create(
        review=own_review, description="Act", owner=person.name, due_on=date(2027, 3, 1)
    )
    SafeguardingConcern.objects.create(review=own_review, concern="Private")
    OutgoingEmail.objects.create(
        subject="S",
        recipients="a@example.org",
        message={},
        partnership=partnership,
        status=OutgoingEmail.Status.FAILED,
    )


def test_the_query_count_does_not_grow_with_roles_reviews_and_actions(client, world):
    person = world.people["lead reviewer"]
    add_partnership_for(person, 1)
    client.force_login(person)
    client.get(reverse("dashboard"))  # the session, warmed
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("dashboard")).content.decode()
    assert "Extra Partnership 1" in html
    for n in range(2, 5):
        add_partnership_for(person, n)
    with CaptureQueriesContext(connection) as four:
        html = client.get(reverse("dashboard")).content.decode()
    assert html.count("Answer the challenge to your finding") == 4
    assert html.count("Your action for Own School") == 4
    assert html.count("cycle at a glance") == 4
    assert len(four) == len(one), "\n".join(q["sql"][:120] for q in four.captured_queries)
