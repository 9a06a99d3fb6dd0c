"""Partnerships are sealed from each other.

Two partnerships, each with its own lead, school, headteacher, champion, open invitation and
signed agreement. Nothing of one is reachable by the other's lead: every partnership page
answers 404 for the other's objects, to GET and to POST with valid-looking data, and the
database is unchanged afterwards. A lead cannot reach the other partnership's objects through
their own partnership's pages either. A school in both partnerships shows, in each, only that
partnership's people.
"""

import copy
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent, OutgoingEmail
from partnerships import services
from partnerships.invitations import invitation_create
from partnerships.models import (
    AgreementSignature,
    AgreementVersion,
    Invitation,
    Membership,
    MembershipRequest,
    MembershipRequestTransition,
    Partnership,
    Role,
    RoleAssignment,
    School,
)
from priorities.models import (
    Measure,
    Measurement,
    MeasurementChange,
    Priority,
    PriorityTransition,
    SchoolTarget,
)
from priorities.services import measurement_record, priority_activate, priority_propose
from reviews.models import (
    Action,
    CalendarFeed,
    Challenge,
    ChallengeReply,
    ConflictDeclaration,
    DigestItem,
    Evidence,
    Finding,
    NotificationPreferences,
    PartnershipReview,
    PeerReview,
    PriorityNarrative,
    PublicationTransition,
    PublishedVersion,
    ReminderSent,
    ReviewCycle,
    ReviewTeamMember,
    ReviewTransition,
    SafeguardingConcern,
    SchoolSummary,
    SelfReview,
    Workshop,
)
from tests.core.test_url_protection import project_url_patterns
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.partnerships.test_access_matrix import (
    REVIEW_CONVERTERS,
    ReviewObjects,
    make_review_objects,
)
from tests.support import rolled_back, work_queued

pytestmark = pytest.mark.django_db

REVIEW_MODELS = [
    ReviewCycle,
    PeerReview,
    ReviewTransition,
    SelfReview,
    ReviewTeamMember,
    ConflictDeclaration,
    Finding,
    Evidence,
    Challenge,
    ChallengeReply,
    SafeguardingConcern,
    Workshop,
    Action,
    ReminderSent,
    DigestItem,
    NotificationPreferences,
    CalendarFeed,
    PartnershipReview,
    PriorityNarrative,
    SchoolSummary,
    PublicationTransition,
    PublishedVersion,
]

PARTNERSHIP_ROUTES = [
    pytest.param(route, pattern.name, id=pattern.name)
    for route, pattern in project_url_patterns()
    if route.startswith("p/<slug:slug>/")
]
# POST-only actions whose URL takes the partnership and one object's pk.
ACTIONS_ON_PK = {"invitation_resend", "invitation_revoke", "priority_activate"}
POST_ONLY = {
    "membership_request_withdraw",
    "invitation_resend",
    "invitation_revoke",
    "email_retry",
    "priority_activate",
    "cycle_review_add",
    "self_review_share",
    "conflict_withdraw",
    "finding_submit",
    "challenge_raise",
    "challenge_reply",
    "concern_acknowledge",
    "publication_draft",
    "publication_school_submit",
    "publication_pdf_retry",
}


@dataclass
class Side:
    """One partnership and its people, as seen by an attacker from the other."""

    partnership: Partnership
    school: School
    lead: User
    headteacher: User
    champion: RoleAssignment
    invitation: Invitation
    agreement: AgreementVersion
    priority: Priority
    review: ReviewObjects
    request: MembershipRequest  # the lead asking a neighbouring partnership's school to join


def make_side(label: str) -> Side:
    partnership = PartnershipFactory(name=f"{label} Partnership")
    school = make_member_school(partnership, name=f"{label} Primary School")
    OutgoingEmail.objects.create(
        subject=f"{label} reminder",
        recipients=f"head@{label.lower()}.example",
        partnership=partnership,
        status=OutgoingEmail.Status.FAILED,
    )
    lead = UserFactory(name=f"{label} Lead")
    grant(lead, partnership, Role.PARTNERSHIP_LEAD)
    headteacher = UserFactory(name=f"{label} Headteacher")
    grant(headteacher, partnership, Role.HEADTEACHER, school)
    champion = grant(
        UserFactory(name=f"{label} Champion"), partnership, Role.IMPROVEMENT_CHAMPION, school
    )
    invitation = invitation_create(
        actor=lead,
        email=f"invitee@{label.lower()}.example",
        partnership=partnership,
        role=Role.IMPROVEMENT_CHAMPION,
        school=school,
    )
    agreement = services.agreement_publish(
        actor=lead, partnership=partnership, text=f"{label} shares its data."
    )
    services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    measure = Measure.objects.get(code="ks2_rwm_expected")
    priority = priority_propose(
        actor=lead,
        partnership=partnership,
        title=f"{label} writing",
        rationale="The data.",
        measures=[measure],
    )
    # Active, so that its target and impact pages exist for its own members.
    priority = priority_activate(actor=lead, priority=priority)
    measurement_record(
        actor=lead,
        partnership=partnership,
        school=school,
        measure=measure,
        academic_year=2024,
        value=64,
        cohort_size=30,
    )
    school_b = make_member_school(partnership, name=f"{label} Beech Primary School")
    head_b = UserFactory(name=f"{label} Beech Head")
    grant(head_b, partnership, Role.HEADTEACHER, school_b)
    review = make_review_objects(partnership, school, school_b, lead, champion.user, head_b)
    neighbour = PartnershipFactory(name=f"{label} Neighbour Partnership")
    neighbour_school = make_member_school(neighbour, name=f"{label} Neighbour Primary School")
    grant(
        UserFactory(name=f"{label} Neighbour Head"), neighbour, Role.HEADTEACHER, neighbour_school
    )
    request = services.membership_request_send(
        actor=lead, partnership=partnership, school=neighbour_school
    )
    return Side(
        partnership,
        school,
        lead,
        headteacher,
        champion,
        invitation,
        agreement,
        priority,
        review,
        request,
    )


@pytest.fixture(scope="module")
def module_sides(django_db_setup, django_db_blocker) -> dict[str, Side]:
    """North and South, built once for the module and rolled back after it."""
    with rolled_back(django_db_blocker):
        yield {"north": make_side("North"), "south": make_side("South")}


# Each test runs in a savepoint of its own on top of the module's sides; it gets a copy of each
# side (its objects too), so that what it changes (in the database or on the side) stays its own.
@pytest.fixture
def north(module_sides, db) -> Side:
    return copy.deepcopy(module_sides["north"])


@pytest.fixture
def south(module_sides, db) -> Side:
    return copy.deepcopy(module_sides["south"])


@pytest.fixture(params=["north attacks south", "south attacks north"])
def sides(request, north, south):
    """(attacker's side, target side), both ways round."""
    return (north, south) if request.param.startswith("north") else (south, north)


def snapshot() -> dict:
    """Everything a request could change, row by row."""
    models = [
        Partnership,
        School,
        Membership,
        RoleAssignment,
        Invitation,
        AgreementVersion,
        AgreementSignature,
        AuditEvent,
        OutgoingEmail,
        User,
        Priority,
        PriorityTransition,
        Measure,
        Measurement,
        MeasurementChange,
        SchoolTarget,
        MembershipRequest,
        MembershipRequestTransition,
        *REVIEW_MODELS,
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def path_to(route: str, side: Side) -> str:
    """The route filled with ``side``'s objects."""
    if "invitations/<int:pk>" in route:
        pk = side.invitation.pk
    elif "priorities/<int:pk>" in route:
        pk = side.priority.pk
    elif "emails/<int:pk>" in route:
        pk = OutgoingEmail.objects.get(partnership=side.partnership, status="failed").pk
    elif "membership-requests/<int:pk>" in route:
        pk = side.request.pk
    else:
        pk = side.champion.pk
    path = (
        route.replace("<slug:slug>", side.partnership.slug)
        .replace("<str:urn>", side.school.urn)
        .replace("<int:pk>", str(pk))
        .replace("<slug:code>", "ks2_rwm_expected")
        .replace("<int:year>", str(side.review.cycle.academic_year))
        .replace("<slug:move>", "quality_assure")
        .replace("<int:number>", "1")
    )
    for converter in REVIEW_CONVERTERS:
        path = path.replace(f"<int:{converter}>", str(getattr(side.review, converter).pk))
    return "/" + path


# Valid-looking data for each partnership page, as its own members would post it.
def crafted_post(name: str, target: Side) -> dict:
    return {
        "partnership_detail": {},
        "partnership_edit": {
            "name": "Taken over",
            "purpose": "Someone else's purpose.",
            "values": "",
            "public_summary": "",
            "version": str(target.partnership.version),
        },
        "school_add": {"urn": "987654", "name": "Planted Primary School"},
        "school_detail": {},
        "school_leave": {},
        "people": {},
        "role_revoke": {},
        "invitation_list": {
            "email": "mole@example.org",
            "role": Role.IMPROVEMENT_CHAMPION.value,
            "school": target.school.pk,
        },
        "invitation_resend": {},
        "invitation_revoke": {},
        "agreement": {"school": target.school.pk, "version": target.agreement.pk},
        "agreement_publish": {
            "text": "A new agreement nobody agreed to.",
            "based_on": str(target.agreement.number),
        },
        "audit_log": {},
        "email_failures": {},
        "email_retry": {},
        "membership_request_withdraw": {},
        "membership_request_detail": {"decision": "accept"},
        "figure_history": {},
        "priority_list": {},
        "data_scrutiny": {},
        "measurements_upload": {
            "file": SimpleUploadedFile(
                "figures.csv",
                b"URN,measure code,academic year,value,cohort size\n"
                + f"{target.school.urn},ks2_rwm_expected,2023/24,61,30\n".encode(),
                content_type="text/csv",
            )
        },
        # With ?measure=ks2_rwm_expected&year=2025/26, as the page that chooses them sends it.
        "measurements_enter": {
            f"value-{target.school.pk}": "66",
            f"cohort-{target.school.pk}": "30",
        },
        "measurements_export": {},
        "measure_list": {},
        "measure_add": {
            "name": "Planted measure",
            "code": "planted_measure",
            "unit": "percentage",
            "direction": "higher",
            "phase": "KS2",
            "source": "self_reported",
            "min_value": "0",
            "max_value": "100",
        },
        "priority_propose": {"title": "Planted priority", "rationale": "None."},
        "priority_detail": {},
        "priority_activate": {},
        "priority_close": {"outcome": "Closed by someone else."},
        "priority_impact": {},
        "target_edit": {
            "baseline_year": "2024",
            "target_value": "70",
            "target_year": "2026",
            "statement": "Planted by someone else.",
        },
        "targets_export": {},
        "cycle_list": {},
        "cycle_create": {
            "data_sharing_due": "2026-10-17",
            "self_reviews_due": "2026-11-28",
            "visits_from": "2027-01-12",
            "visits_until": "2027-03-20",
            "reports_due": "2027-04-24",
            "workshops_due": "2027-05-22",
            "impact_reviews_due": "2027-07-10",
        },
        "cycle_detail": {},
        "cycle_edit": {
            "data_sharing_due": "2025-10-10",
            "self_reviews_due": "2025-11-28",
            "visits_from": "2026-01-12",
            "visits_until": "2026-03-20",
            "reports_due": "2026-04-24",
            "workshops_due": "2026-05-22",
            "impact_reviews_due": "2026-07-10",
            "version": "1",
        },
        "cycle_review_add": {"school": target.school.urn},
        "review_detail": {},
        "review_enquiry": {},
        "review_focus_edit": {
            "theme": "our_impact",
            "enquiry_question": "Planted question.",
            "version": "1",
        },
        "self_review_edit": {"context": "Planted self-review.", "version": "0"},
        "self_review_share": {},
        "review_team": {
            "lead_user": target.headteacher.pk,
            "reviewer_users": [target.headteacher.pk],
            "acknowledge_warnings": "on",
        },
        "cycle_team_suggest": {"action": "suggest", "reviewers_per_team": "1"},
        "conflict_list": {"school": target.school.pk, "reason": "other", "note": "Planted."},
        "conflict_withdraw": {},
        "finding_list": {},
        "finding_create": {
            "kind": "strength",
            "judgement": "Planted finding.",
            "priority": target.priority.pk,
        },
        "finding_detail": {"kind": "document", "description": "Planted evidence."},
        "finding_edit": {
            "kind": "strength",
            "judgement": "Changed by someone else.",
            "priority": target.priority.pk,
            "version": "1",
        },
        "finding_submit": {},
        "finding_delete": {},
        "evidence_download": {},
        "evidence_remove": {},
        "challenge_raise": {"text": "Planted challenge."},
        "challenge_reply": {"text": "Planted reply."},
        "review_report": {},
        "report_edit": {"summary": "Planted summary.", "version": "1"},
        "report_move": {"comment": "Planted comment."},
        "concern_raise": {"concern": "Planted concern from another partnership."},
        "concern_acknowledge": {},
        "review_workshop": {},
        "workshop_edit": {
            "held_on": "2026-05-01",
            "participants": "Planted.",
            "agreed": "Planted.",
            "version": "0",
        },
        "action_add": {"description": "Planted.", "owner": "Someone", "due_on": "2026-07-01"},
        "action_edit": {
            "description": "Planted.",
            "owner": "Someone",
            "due_on": "2026-07-01",
            "status": "done",
            "version": "1",
        },
        "impact_review_edit": {"impact_review": "Planted.", "version": "1"},
        "publication_detail": {},
        "publication_draft": {},
        "publication_compose": {
            "purpose": "Planted purpose.",
            "values": "",
            "introduction": "Planted introduction.",
            "next_steps": "",
            "version": "1",
        },
        "publication_priority_edit": {
            "where_we_are": "Planted.",
            "narrative": "Planted narrative.",
            "version": "1",
        },
        "publication_school_edit": {"found": "Planted.", "did": "Planted.", "version": "1"},
        "publication_school_submit": {},
        "publication_school_approve": {"decision": "approve", "version": "1"},
        "publication_preview": {},
        "publication_publish": {},
        "publication_correct": {"note": "Planted correction."},
        "publication_withdraw": {"reason": "Planted withdrawal."},
        "publication_pdf_retry": {},
    }[name]


def test_the_walk_finds_every_partnership_page():
    names = {param.values[1] for param in PARTNERSHIP_ROUTES}
    assert {"partnership_detail", "role_revoke", "invitation_revoke", "audit_log"} <= names


@pytest.mark.parametrize(("route", "name"), PARTNERSHIP_ROUTES)
def test_every_partnership_page_has_crafted_post_data(route, name, north):
    assert isinstance(crafted_post(name, north), dict)


# --- The other partnership's pages -------------------------------------------------------


@pytest.mark.parametrize(("route", "name"), PARTNERSHIP_ROUTES)
def test_lead_cannot_open_any_page_of_the_other_partnership(client, sides, route, name):
    attacker, target = sides
    client.force_login(attacker.lead)
    response = client.get(path_to(route, target))
    # A GET to a POST-only page is refused before anything is looked up (see the matrix).
    assert response.status_code == (405 if name in POST_ONLY else 404)


@pytest.mark.parametrize(("route", "name"), PARTNERSHIP_ROUTES)
def test_lead_cannot_post_to_any_page_of_the_other_partnership(
    client, sides, route, name, django_capture_on_commit_callbacks
):
    attacker, target = sides
    client.force_login(attacker.lead)
    before = snapshot()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(path_to(route, target), crafted_post(name, target))
    assert response.status_code == 404
    assert snapshot() == before
    assert work_queued(queued) == [], "nothing (no email) may be queued"


def test_the_other_partnerships_pages_answer_as_if_it_did_not_exist(client, north, south):
    client.force_login(north.lead)
    existing = client.get(reverse("people", args=[south.partnership.slug]))
    missing = client.get(reverse("people", args=["no-such-partnership"]))
    assert existing.status_code == missing.status_code == 404
    assert existing.content == missing.content


# --- The other partnership's objects, through the lead's own pages ----------------------


def test_the_same_crafted_posts_work_on_the_leads_own_objects(client, north, south):
    """A control: the 404s below come from the policy, not from a malformed request."""
    client.force_login(north.lead)
    slug = north.partnership.slug
    url = reverse("invitation_revoke", args=[slug, north.invitation.pk])
    assert client.post(url).status_code == 302
    assert client.post(reverse("role_revoke", args=[slug, north.champion.pk])).status_code == 302
    assert client.post(reverse("school_leave", args=[slug, north.school.urn])).status_code == 302
    north.invitation.refresh_from_db()
    north.champion.refresh_from_db()
    assert north.invitation.revoked_at is not None
    assert north.champion.revoked_at is not None
    assert not north.partnership.memberships.filter(
        left_on__isnull=True, school=north.school
    ).exists()


def test_lead_cannot_remove_a_role_of_the_other_partnership_through_their_own(client, north, south):
    south_lead_role = south.lead.role_assignments.get()
    client.force_login(north.lead)
    before = snapshot()
    for assignment in (south.champion, south_lead_role):
        url = reverse("role_revoke", args=[north.partnership.slug, assignment.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("action", sorted(ACTIONS_ON_PK))
def test_lead_cannot_act_on_the_other_partnerships_invitation_through_their_own(
    client, north, south, action, django_capture_on_commit_callbacks
):
    client.force_login(north.lead)
    before = snapshot()
    url = reverse(action, args=[north.partnership.slug, south.invitation.pk])
    with django_capture_on_commit_callbacks() as queued:
        assert client.post(url).status_code == 404
    assert snapshot() == before
    assert work_queued(queued) == []


def test_lead_cannot_withdraw_the_other_partnerships_request_through_their_own(
    client, north, south
):
    client.force_login(north.lead)
    before = snapshot()
    url = reverse("membership_request_withdraw", args=[north.partnership.slug, south.request.pk])
    assert client.post(url).status_code == 404
    assert snapshot() == before


def test_lead_cannot_answer_a_request_to_join_addressed_to_a_school(client, north, south):
    """Only the asked school's headteacher decides, not the lead who asked nor anyone else."""
    asked_head = south.request.school.role_assignments.get().user
    url = reverse("membership_request_detail", args=[south.request.pk])
    for person in (south.lead, north.lead, north.headteacher, south.headteacher):
        client.force_login(person)
        before = snapshot()
        assert client.get(url).status_code == 404
        for decision in ("accept", "decline"):
            assert client.post(url, {"decision": decision}).status_code == 404
        assert snapshot() == before
    client.force_login(asked_head)
    assert client.get(url).status_code == 200


def test_adding_the_other_partnerships_school_asks_it_and_reveals_nothing_of_it(
    client, north, south, django_capture_on_commit_callbacks
):
    """The attack: a lead adds another partnership's school by its URN, then reads and
    rewrites its figures. The school is only asked; until its headteacher accepts, nothing of
    it reaches the lead, and its figures stay as they were."""
    client.force_login(north.lead)
    slug = north.partnership.slug
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("school_add", args=[slug]), {"urn": south.school.urn})
    assert response.status_code == 302
    assert not Membership.objects.filter(
        partnership=north.partnership, school=south.school
    ).exists()
    request = MembershipRequest.objects.get(partnership=north.partnership, school=south.school)
    assert request.status == MembershipRequest.Status.PENDING

    assert client.get(reverse("school_detail", args=[slug, south.school.urn])).status_code == 404
    for name in ("data_scrutiny", "measurements_export", "people", "measurements_enter"):
        page = client.get(reverse(name, args=[slug])).content.decode()
        assert south.school.name not in page, name
        assert south.school.urn not in page, name
    detail = client.get(reverse("partnership_detail", args=[slug]))
    assert south.school not in [m.school for m in detail.context["memberships"]]
    assert [r.school for r in detail.context["pending_requests"]] == [
        north.request.school,
        south.school,
    ]
    upload = client.post(
        reverse("measurements_upload", args=[slug]),
        {
            "file": SimpleUploadedFile(
                "figures.csv",
                f"URN,measure code,academic year,value,cohort size\n"
                f"{south.school.urn},ks2_rwm_expected,2024/25,1,60\n".encode(),
                content_type="text/csv",
            )
        },
    )
    assert "is not a member school of this partnership" in upload.content.decode()
    figure = Measurement.objects.get(school=south.school)
    assert (figure.value, figure.cohort_size) == (64, 30)
    assert not MeasurementChange.objects.filter(
        partnership=north.partnership, measurement__school=south.school
    ).exists()


def test_lead_cannot_make_the_other_partnerships_school_leave_through_their_own(
    client, north, south
):
    client.force_login(north.lead)
    before = snapshot()
    url = reverse("school_leave", args=[north.partnership.slug, south.school.urn])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert snapshot() == before


def test_lead_cannot_open_the_other_partnerships_school_through_their_own(client, north, south):
    client.force_login(north.lead)
    url = reverse("school_detail", args=[north.partnership.slug, south.school.urn])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.HEADTEACHER, Role.IMPROVEMENT_CHAMPION])
def test_lead_cannot_invite_to_a_school_of_the_other_partnership(
    client, north, south, role, django_capture_on_commit_callbacks
):
    client.force_login(north.lead)
    before = snapshot()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("invitation_list", args=[north.partnership.slug]),
            {"email": "mole@example.org", "role": role.value, "school": south.school.pk},
        )
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert snapshot() == before
    assert work_queued(queued) == []


def test_headteacher_cannot_invite_to_a_school_of_the_other_partnership(
    client, north, south, django_capture_on_commit_callbacks
):
    client.force_login(north.headteacher)
    before = snapshot()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("invitation_list", args=[north.partnership.slug]),
            {
                "email": "mole@example.org",
                "role": Role.IMPROVEMENT_CHAMPION.value,
                "school": south.school.pk,
            },
        )
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert snapshot() == before
    assert work_queued(queued) == []


def test_headteacher_cannot_sign_for_a_school_of_the_other_partnership(client, north, south):
    # The headteacher of South's school is also a champion in North.
    grant(south.headteacher, north.partnership, Role.IMPROVEMENT_CHAMPION, north.school)
    south_v2 = services.agreement_publish(
        actor=south.lead, partnership=south.partnership, text="South, second version."
    )
    client.force_login(south.headteacher)
    before = snapshot()
    response = client.post(
        reverse("agreement", args=[north.partnership.slug]), {"school": south.school.pk}
    )
    assert response.status_code == 404
    assert snapshot() == before
    assert not south_v2.signatures.exists()


def test_the_activity_log_shows_only_its_own_partnerships_events(client, north, south):
    client.force_login(north.lead)
    html = client.get(reverse("audit_log", args=[north.partnership.slug])).content.decode()
    assert north.invitation.email in html
    assert south.invitation.email not in html
    assert south.school.name not in html


def test_the_invitation_list_shows_only_its_own_partnerships_invitations(client, north, south):
    client.force_login(north.lead)
    html = client.get(reverse("invitation_list", args=[north.partnership.slug])).content.decode()
    assert north.invitation.email in html
    assert south.invitation.email not in html
    assert south.school.name not in html


# --- A school in both partnerships -----------------------------------------------------


@pytest.fixture
def shared(north, south):
    """A school in both partnerships, with its own people in each."""
    school = make_member_school(north.partnership, name="Shared Academy")
    services.membership_add(actor=south.lead, partnership=south.partnership, school=school)
    north_head = UserFactory(name="Norah Northhead")
    grant(north_head, north.partnership, Role.HEADTEACHER, school)
    south_head = UserFactory(name="Sol Southhead")
    grant(south_head, south.partnership, Role.HEADTEACHER, school)
    south_champion = grant(
        UserFactory(name="Sam Southchamp"), south.partnership, Role.IMPROVEMENT_CHAMPION, school
    )
    services.agreement_sign(actor=south_head, partnership=south.partnership, school=school)
    invitation = invitation_create(
        actor=south.lead,
        email="invitee@shared.example",
        partnership=south.partnership,
        role=Role.PEER_REVIEWER,
        school=school,
    )
    return {
        "school": school,
        "north_head": north_head,
        "south_head": south_head,
        "south_champion": south_champion,
        "south_invitation": invitation,
    }


def test_a_shared_schools_page_shows_only_that_partnerships_people(client, north, south, shared):
    school = shared["school"]
    client.force_login(north.lead)
    north_page = client.get(reverse("school_detail", args=[north.partnership.slug, school.urn]))
    client.force_login(south.lead)
    south_page = client.get(reverse("school_detail", args=[south.partnership.slug, school.urn]))

    assert [a.user for a in north_page.context["people"]] == [shared["north_head"]]
    html = north_page.content.decode()
    assert "Norah Northhead" in html
    assert "Sol Southhead" not in html
    assert "Sam Southchamp" not in html

    assert {a.user for a in south_page.context["people"]} == {
        shared["south_head"],
        shared["south_champion"].user,
    }
    html = south_page.content.decode()
    assert "Sol Southhead" in html
    assert "Sam Southchamp" in html
    assert "Norah Northhead" not in html


def test_a_shared_schools_signature_counts_only_in_the_partnership_it_signed(
    client, north, south, shared
):
    school = shared["school"]
    client.force_login(north.lead)
    north_page = client.get(reverse("school_detail", args=[north.partnership.slug, school.urn]))
    client.force_login(south.lead)
    south_page = client.get(reverse("school_detail", args=[south.partnership.slug, school.urn]))
    assert north_page.context["shares_data"] is False
    assert south_page.context["shares_data"] is True


def test_the_people_page_does_not_list_the_other_partnerships_staff_of_a_shared_school(
    client, north, shared
):
    client.force_login(north.lead)
    html = client.get(reverse("people", args=[north.partnership.slug])).content.decode()
    assert "Norah Northhead" in html
    assert "Sol Southhead" not in html
    assert "Sam Southchamp" not in html


def test_headteacher_of_a_shared_school_cannot_remove_its_champion_in_the_other_partnership(
    client, north, south, shared
):
    client.force_login(shared["north_head"])
    before = snapshot()
    pk = shared["south_champion"].pk
    for slug in (north.partnership.slug, south.partnership.slug):
        url = reverse("role_revoke", args=[slug, pk])
        assert client.get(url).status_code == 404, slug
        assert client.post(url).status_code == 404, slug
    assert snapshot() == before


@pytest.mark.parametrize("action", sorted(ACTIONS_ON_PK))
def test_headteacher_of_a_shared_school_cannot_act_on_its_invitations_in_the_other_partnership(
    client, north, south, shared, action
):
    client.force_login(shared["north_head"])
    before = snapshot()
    pk = shared["south_invitation"].pk
    for slug in (north.partnership.slug, south.partnership.slug):
        assert client.post(reverse(action, args=[slug, pk])).status_code == 404, slug
    assert snapshot() == before


def test_headteacher_of_a_shared_school_sees_only_their_partnerships_invitations(
    client, north, shared
):
    client.force_login(shared["north_head"])
    response = client.get(reverse("invitation_list", args=[north.partnership.slug]))
    assert response.status_code == 200
    assert list(response.context["invitations"]) == []
    assert "invitee@shared.example" not in response.content.decode()


def test_headteacher_of_a_shared_school_cannot_sign_for_it_in_the_other_partnership(
    client, north, south, shared
):
    # Northhead heads the shared school in North only; in South they are a champion elsewhere.
    grant(shared["north_head"], south.partnership, Role.IMPROVEMENT_CHAMPION, south.school)
    version = services.agreement_publish(
        actor=south.lead, partnership=south.partnership, text="South, second version."
    )
    client.force_login(shared["north_head"])
    before = snapshot()
    response = client.post(
        reverse("agreement", args=[south.partnership.slug]), {"school": shared["school"].pk}
    )
    assert response.status_code == 404
    assert snapshot() == before
    assert not version.signatures.exists()
