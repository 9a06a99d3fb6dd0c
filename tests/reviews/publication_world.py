"""One partnership ready to publish its review, built through the services.

Four member schools: Ash and Beech signed the data-sharing agreement in force, Cedar did not,
Damson signed but has only small cohorts. An active priority on KS2 reading, writing and maths
with three years of figures and stretch targets; the 2024/25 cycle, in which Ash's and Beech's
reports are signed off (with findings, evidence, a challenge, an action plan, a safeguarding
concern at Ash) and Cedar's and Damson's are drafts. ``publishable`` drafts the partnership review
and gets every summary approved.

``module_world`` builds it once per test module, inside a transaction rolled back when the module
ends: each test runs in a savepoint of its own on top of it.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import User
from partnerships import services as partnership_services
from partnerships.models import Partnership, Role, School
from priorities.models import Measure, Priority
from priorities.services import (
    measurements_record_year,
    priority_activate,
    priority_propose,
    target_set,
)
from reviews.models import PartnershipReview, PeerReview, ReviewCycle, ReviewTeamMember
from reviews.services import findings, publication, reports, safeguarding, workshops
from reviews.services.cycles import cycle_create
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school

MEASURE = "ks2_rwm_expected"
YEAR = 2024
CONCERN = "Zephyrine-0193: a pupil disclosed something at lunch"
CHALLENGE = "Marrowbright: what leads you to think that?"
EVIDENCE = "Thistlecombe: notes from six book looks"
SELF_REVIEW = "Quorndale: our own view of our school"
MEETING = "Wobblestone: the pre-review meeting notes"


@dataclass
class PublicationWorld:
    partnership: Partnership
    lead: User
    ash: School
    beech: School
    cedar: School
    damson: School
    heads: dict[str, User]
    priority: Priority
    cycle: ReviewCycle
    reviews: dict[str, PeerReview]
    extra: dict = field(default_factory=dict)


def _person(partnership, name, role, school=None):
    user = UserFactory(name=name)
    grant(user, partnership, role, school)
    return user


def _signed_off(world, review, host_head, reviewer, lead_reviewer, lead, *, concern=False):
    from reviews.services import enquiry

    enquiry.review_focus_update(
        actor=host_head,
        review=review,
        priority=world.priority,
        theme="our_impact",
        enquiry_question="How does feedback help pupils redraft?",
        pre_review_notes=MEETING,
    )
    enquiry.self_review_save(actor=host_head, review=review, sections={"context": SELF_REVIEW})
    for member, is_lead in ((lead_reviewer, True), (reviewer, False)):
        ReviewTeamMember.objects.create(
            review=review, user=member, school=member.role_assignments.get().school, is_lead=is_lead
        )
    strength = findings.finding_create(
        actor=lead_reviewer,
        review=review,
        kind="strength",
        judgement="Pupils redraft their writing after feedback.",
    )
    area = findings.finding_create(
        actor=lead_reviewer,
        review=review,
        kind="area_to_develop",
        judgement="Feedback in Year 3 could be more specific.",
    )
    for finding in (strength, area):
        findings.evidence_add(
            actor=lead_reviewer,
            finding=finding,
            kind="work_scrutiny",
            description=EVIDENCE,
            upload=SimpleUploadedFile("notes.txt", b"Notes.", content_type="text/plain"),
        )
    challenge = findings.challenge_raise(actor=reviewer, finding=strength, text=CHALLENGE)
    findings.challenge_reply(actor=lead_reviewer, challenge=challenge, text="The books.")
    for finding in (strength, area):
        findings.finding_submit(actor=lead_reviewer, finding=finding)
    if concern:
        safeguarding.concern_raise(actor=reviewer, review=review, concern=CONCERN)
    reports.report_save(actor=lead_reviewer, review=review, summary="A good visit.")
    reports.report_move(actor=lead_reviewer, review=review, move="submit")
    reports.report_move(actor=lead, review=review, move="quality_assure")
    reports.report_move(actor=host_head, review=review, move="sign_off")
    workshops.workshop_record(
        actor=host_head,
        review=review,
        held_on=datetime.date(2025, 5, 1),
        participants="Year 3 team",
        agreed="Redrafting in every class.",
    )
    done = workshops.action_add(
        actor=host_head,
        review=review,
        description="Share the redrafting approach in every class",
        owner="Ms Owner-Secret",
        due_on=datetime.date(2025, 6, 1),
    )
    workshops.action_update(
        actor=host_head,
        action=done,
        description=done.description,
        owner=done.owner,
        due_on=done.due_on,
        finding=None,
        priority=done.priority,
        status="done",
        what_changed="Done.",
    )
    workshops.action_add(
        actor=host_head,
        review=review,
        description="Train Year 3 staff in specific feedback",
        owner="Ms Owner-Secret",
        due_on=datetime.date(2025, 7, 1),
    )


def build_world() -> PublicationWorld:
    partnership = PartnershipFactory(
        name="Fernwood Learning Partnership", purpose="So that every child writes well."
    )
    lead = _person(partnership, "Lena Lead", Role.PARTNERSHIP_LEAD)
    schools = {
        name: make_member_school(
            partnership,
            name=f"{name.title()} Primary School",
            postcode=f"FW{index} 1AA",
            town="Fernwood" if name != "damson" else "Hollowmere",
            local_authority="Fernshire",
        )
        for index, name in enumerate(("ash", "beech", "cedar", "damson"), start=1)
    }
    heads = {
        name: _person(partnership, f"Head {name.title()}", Role.HEADTEACHER, school)
        for name, school in schools.items()
    }
    agreement = partnership_services.agreement_publish(
        actor=lead, partnership=partnership, text="We share our data."
    )
    assert agreement
    for name in ("ash", "beech", "damson"):
        partnership_services.agreement_sign(
            actor=heads[name], partnership=partnership, school=schools[name]
        )
    measure = Measure.objects.get(code=MEASURE)
    priority = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead,
            partnership=partnership,
            title="Writing for every child",
            rationale="The data.",
            measures=[measure],
        ),
    )
    figures = {"ash": (58, 61, 66), "beech": (70, 69, 73), "cedar": (50, 52, 55)}
    for index, year in enumerate((2022, 2023, 2024)):
        rows = [
            {"school": schools[name], "measure": measure, "value": values[index], "cohort_size": 30}
            for name, values in figures.items()
        ]
        rows.append(
            {"school": schools["damson"], "measure": measure, "value": 77 + index, "cohort_size": 4}
        )
        # Cedar has not signed the agreement: only its own staff may enter its figures.
        cedar_rows = [row for row in rows if row["school"] == schools["cedar"]]
        measurements_record_year(
            actor=lead,
            partnership=partnership,
            academic_year=year,
            rows=[row for row in rows if row["school"] != schools["cedar"]],
        )
        measurements_record_year(
            actor=heads["cedar"], partnership=partnership, academic_year=year, rows=cedar_rows
        )
    for name, value in (("ash", 70), ("beech", 75)):
        target_set(
            actor=heads[name],
            priority=priority,
            school=schools[name],
            measure=measure,
            baseline_year=2022,
            target_value=value,
            target_year=2025,
            statement="Our stretch.",
        )
    cycle = cycle_create(actor=lead, partnership=partnership, academic_year=YEAR)
    reviews = {
        name: PeerReview.objects.get(cycle=cycle, host_school=school)
        for name, school in schools.items()
    }
    world = PublicationWorld(
        partnership=partnership,
        lead=lead,
        ash=schools["ash"],
        beech=schools["beech"],
        cedar=schools["cedar"],
        damson=schools["damson"],
        heads=heads,
        priority=priority,
        cycle=cycle,
        reviews=reviews,
    )
    _signed_off(
        world, reviews["ash"], heads["ash"], heads["beech"], heads["cedar"], lead, concern=True
    )
    _signed_off(world, reviews["beech"], heads["beech"], heads["ash"], heads["damson"], lead)
    return world


def publishable(world: PublicationWorld) -> PartnershipReview:
    """Draft the review, write every section, and get both summaries approved."""
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)
    publication.partnership_review_save(
        actor=world.lead,
        review=review,
        purpose="So that every child writes well.",
        values="We are open with each other.",
        introduction="This year we worked on writing.",
        next_steps="Next year we keep going.",
    )
    for narrative in review.priority_narratives.all():
        publication.priority_narrative_save(
            actor=world.lead,
            narrative=narrative,
            where_we_are="Both schools with targets are on track.",
            text="Schools shared their approach to feedback.",
        )
    for summary in review.school_summaries.all():
        publication.school_summary_submit(actor=world.lead, summary=summary)
        publication.school_summary_approve(
            actor=world.heads[summary.school.name.split()[0].lower()], summary=summary
        )
    review.refresh_from_db()
    return review


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world
        transaction.set_rollback(True)
