"""Who may open which page: every page of Cairn, for every role, in one explicit table.

The test walks every URL pattern of the project (as ``tests/core/test_url_protection.py``
does), fills each URL with real objects of one partnership and requests it as each kind of
person. ``EXPECTED`` says, page by page, what each person gets. A page that is not in the
table fails ``test_every_url_is_in_the_matrix``: a new view cannot be added without
declaring who may open it.

Pages left out of the walk: the public ones, allauth's ``accounts/`` and the admin (their own
tests), and ``invitation_accept``, which a token opens (``tests/accounts/test_invitations.py``).
"""

import copy
import datetime
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Invitation, User
from accounts.services import invitation_create
from partnerships import services
from partnerships.models import AgreementVersion, Partnership, Role, RoleAssignment, School
from priorities.models import Measure, Priority
from priorities.services import priority_activate, priority_propose
from reviews.models import (
    Action,
    Challenge,
    ConflictDeclaration,
    Evidence,
    Finding,
    FindingKind,
    PartnershipReview,
    PeerReview,
    PriorityNarrative,
    ReviewCycle,
    ReviewTeamMember,
    SafeguardingConcern,
    SchoolSummary,
    SummaryStatus,
)
from reviews.services.cycles import cycle_create
from reviews.services.findings import evidence_add
from tests.core.test_url_protection import (
    DELEGATED_NAMESPACES_AND_PREFIXES,
    PUBLIC,
    project_url_patterns,
)
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.support import rolled_back

pytestmark = pytest.mark.django_db

# Opened by a token, not by a role: tests/accounts/test_invitations.py owns it.
TOKEN_PAGES = {"invitation_accept"}

# Converters filled with the object of the same name in ``World.review``.
REVIEW_CONVERTERS = {
    "review",
    "finding",
    "evidence",
    "challenge",
    "concern",
    "action",
    "conflict",
    "narrative",
}

# The measure of the world's active priority, on which school A's target is set.
MEASURE_CODE = "ks2_rwm_expected"

ROLES = ("anonymous", "outsider", "champion", "headteacher", "lead")

SIGN_IN = "302 to /accounts/login/"
OK = 200
NOT_FOUND = 404
# ``require_POST`` sits inside ``login_required``: a signed-in GET is refused before the view
# looks anything up, so the answer is the same for every partnership, real or not, and
# reveals nothing. A POST from someone who may not act answers 404 (test_isolation.py).
POST_ONLY = 405

# What each person gets when they GET each page, filled with the objects of ``world``:
# the partnership's slug, school A's URN, the role of a colleague champion at school A,
# and an open invitation to school A.
# fmt: off
EXPECTED = {
    #                       anonymous outsider   champion   headteacher lead
    "dashboard":           (SIGN_IN,  OK,        OK,        OK,         OK),
    "partnership_detail":  (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "partnership_edit":    (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "school_add":          (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "school_detail":       (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "school_leave":        (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "people":              (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "role_revoke":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, OK,         OK),
    "invitation_list":     (SIGN_IN,  NOT_FOUND, NOT_FOUND, OK,         OK),
    "invitation_resend":   (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "invitation_revoke":   (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "agreement":           (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "agreement_publish":   (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "audit_log":           (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "email_failures":      (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "email_retry":         (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "priority_list":       (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "data_scrutiny":       (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "measurements_upload": (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "measurements_enter":  (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "measurements_export": (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "measure_list":        (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "measure_add":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "priority_propose":    (SIGN_IN,  NOT_FOUND, NOT_FOUND, OK,         OK),
    "priority_detail":     (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "priority_activate":   (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "priority_close":      (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "priority_impact":     (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "target_edit":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, OK,         OK),
    "targets_export":      (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    # Reviews: the world's review is school A's, led by school B's headteacher, so nobody in
    # these columns is its lead reviewer (report_edit); its report is a draft.
    "cycle_list":          (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "cycle_create":        (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "cycle_detail":        (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "cycle_edit":          (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "cycle_review_add":    (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "review_detail":       (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "review_enquiry":      (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "review_focus_edit":   (SIGN_IN,  NOT_FOUND, OK,        OK,         NOT_FOUND),
    "self_review_edit":    (SIGN_IN,  NOT_FOUND, OK,        OK,         NOT_FOUND),
    "self_review_share":   (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "review_team":         (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "cycle_team_suggest":  (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "conflict_list":       (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "conflict_withdraw":   (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "finding_list":        (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "finding_create":      (SIGN_IN,  NOT_FOUND, OK,        NOT_FOUND,  NOT_FOUND),
    "finding_detail":      (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "finding_edit":        (SIGN_IN,  NOT_FOUND, OK,        NOT_FOUND,  NOT_FOUND),
    "finding_submit":      (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "finding_delete":      (SIGN_IN,  NOT_FOUND, OK,        NOT_FOUND,  NOT_FOUND),
    "evidence_download":   (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "evidence_remove":     (SIGN_IN,  NOT_FOUND, OK,        NOT_FOUND,  NOT_FOUND),
    "challenge_raise":     (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "challenge_reply":     (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "review_report":       (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "report_edit":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  NOT_FOUND),
    "report_move":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "concern_raise":       (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "concern_acknowledge": (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "review_workshop":     (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "workshop_edit":       (SIGN_IN,  NOT_FOUND, OK,        OK,         NOT_FOUND),
    "action_add":          (SIGN_IN,  NOT_FOUND, OK,        OK,         NOT_FOUND),
    "action_edit":         (SIGN_IN,  NOT_FOUND, OK,        OK,         NOT_FOUND),
    "impact_review_edit":  (SIGN_IN,  NOT_FOUND, OK,        OK,         NOT_FOUND),
    # The partnership review for the public: every member reads the draft and its preview, the
    # lead composes and publishes, school A's headteacher approves school A's summary.
    "publication_detail":  (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "publication_draft":   (SIGN_IN,  POST_ONLY, POST_ONLY, POST_ONLY,  POST_ONLY),
    "publication_compose": (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "publication_priority_edit": (SIGN_IN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    "publication_school_edit": (SIGN_IN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    "publication_school_submit": (SIGN_IN, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    "publication_school_approve": (SIGN_IN, NOT_FOUND, NOT_FOUND, OK,   NOT_FOUND),
    "publication_preview": (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "publication_publish": (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "publication_correct": (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "publication_withdraw": (SIGN_IN, NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    "publication_pdf_retry": (SIGN_IN, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
}
# fmt: on


def _is_walked(route: str, name: str | None) -> bool:
    return (
        name not in PUBLIC
        and name not in TOKEN_PAGES
        and not route.startswith(DELEGATED_NAMESPACES_AND_PREFIXES)
    )


ROUTES = [(route, p.name) for route, p in project_url_patterns() if _is_walked(route, p.name)]


@dataclass
class ReviewObjects:
    """School A's review in a cycle, and one of each thing its pages show."""

    cycle: ReviewCycle
    review: PeerReview
    finding: Finding
    evidence: Evidence
    challenge: Challenge
    concern: SafeguardingConcern
    action: Action
    conflict: ConflictDeclaration
    publication: PartnershipReview
    narrative: PriorityNarrative
    summary: SchoolSummary


def make_review_objects(partnership, school, school_b, lead, champion, head_b) -> ReviewObjects:
    """School A's review with school B's headteacher as lead reviewer; a draft finding by A's
    champion with a file as evidence, challenged by the lead reviewer; a safeguarding concern
    the champion raised; an action; a conflict the champion declared with school B; and the
    cycle's partnership review, with a section on the partnership's first priority and school A's
    summary waiting for its headteacher's approval (rows: their services are tested in
    tests/reviews/test_publication_services.py)."""
    cycle = cycle_create(actor=lead, partnership=partnership, academic_year=2025)
    review = PeerReview.objects.get(cycle=cycle, host_school=school)
    publication = PartnershipReview.objects.create(cycle=cycle)
    ReviewTeamMember.objects.create(review=review, user=head_b, school=school_b, is_lead=True)
    finding = Finding.objects.create(
        review=review, kind=FindingKind.STRENGTH, judgement="<p>Good.</p>", author=champion
    )
    evidence = evidence_add(
        actor=champion,
        finding=finding,
        kind=Evidence.Kind.DOCUMENT,
        description="The minutes of the English team's meeting.",
        upload=SimpleUploadedFile("minutes.txt", b"Minutes of the meeting.", "text/plain"),
    )
    return ReviewObjects(
        cycle=cycle,
        review=review,
        finding=finding,
        evidence=evidence,
        challenge=Challenge.objects.create(finding=finding, raised_by=head_b, text="Which?"),
        concern=SafeguardingConcern.objects.create(
            review=review, raised_by=champion, concern="A door was propped open."
        ),
        action=Action.objects.create(
            review=review,
            description="Train staff.",
            owner="English lead",
            due_on=datetime.date(2026, 7, 1),
        ),
        conflict=ConflictDeclaration.objects.create(
            partnership=partnership,
            user=champion,
            school=school_b,
            reason=ConflictDeclaration.Reason.FORMER_EMPLOYER,
        ),
        publication=publication,
        narrative=PriorityNarrative.objects.create(
            review=publication,
            priority=Priority.objects.filter(partnership=partnership).order_by("pk").first(),
        ),
        summary=SchoolSummary.objects.create(
            review=publication,
            peer_review=review,
            school=school,
            found="<p>Pupils redraft their writing.</p>",
            did="<p>Every class redrafts.</p>",
            status=SummaryStatus.AWAITING_APPROVAL,
        ),
    )


@dataclass
class World:
    partnership: Partnership
    school_a: School
    school_b: School
    lead: User
    headteacher: User
    champion: User
    outsider: User  # a headteacher in another partnership
    colleague: RoleAssignment  # another champion at school A
    head_b: RoleAssignment
    invitation: Invitation
    agreement: AgreementVersion
    priority: Priority
    active_priority: Priority
    review: ReviewObjects

    def user(self, role: str) -> User | None:
        return {
            "anonymous": None,
            "outsider": self.outsider,
            "champion": self.champion,
            "headteacher": self.headteacher,
            "lead": self.lead,
        }[role]


def build_world() -> World:
    """One partnership: schools A and B, a lead, at A a headteacher and two champions, at B a
    headteacher; an open invitation to A and a published agreement that A has signed; and an
    outsider, the headteacher of a school in another partnership."""
    partnership = PartnershipFactory()
    school = make_member_school(partnership)
    lead = grant(UserFactory(name="Pat Lead"), partnership, Role.PARTNERSHIP_LEAD).user
    headteacher = grant(UserFactory(name="Hana Head"), partnership, Role.HEADTEACHER, school).user
    champion = grant(
        UserFactory(name="Chris Champion"), partnership, Role.IMPROVEMENT_CHAMPION, school
    ).user
    other = PartnershipFactory()
    outsider = grant(
        UserFactory(name="Olive Outsider"), other, Role.HEADTEACHER, make_member_school(other)
    ).user
    school_b = make_member_school(partnership)
    colleague = grant(
        UserFactory(name="Col League"), partnership, Role.IMPROVEMENT_CHAMPION, school
    )
    head_b = grant(UserFactory(name="Bea Head"), partnership, Role.HEADTEACHER, school_b)
    invitation = invitation_create(
        actor=lead,
        email="new.champion@example.org",
        partnership=partnership,
        role=Role.IMPROVEMENT_CHAMPION,
        school=school,
    )
    agreement = services.agreement_publish(
        actor=lead, partnership=partnership, text="We share our data for peer review."
    )
    services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    priority = priority_propose(
        actor=headteacher, partnership=partnership, title="Writing", rationale="The data."
    )
    active_priority = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead,
            partnership=partnership,
            title="Reading",
            rationale="The data.",
            measures=[Measure.objects.get(code=MEASURE_CODE)],
        ),
    )
    return World(
        partnership=partnership,
        school_a=school,
        school_b=school_b,
        lead=lead,
        headteacher=headteacher,
        champion=champion,
        outsider=outsider,
        colleague=colleague,
        head_b=head_b,
        invitation=invitation,
        agreement=agreement,
        priority=priority,
        active_priority=active_priority,
        review=make_review_objects(partnership, school, school_b, lead, champion, head_b.user),
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker) -> World:
    """The world, built once for the module and rolled back after it."""
    with rolled_back(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(module_world, db) -> World:
    """The module's world, for one test: in a savepoint of its own, and a copy of its
    objects, so that what a test changes (in the database or on the world) stays its own."""
    return copy.deepcopy(module_world)


def fill(route: str, name: str, world: World) -> str:
    """The route as a path, each converter filled with a real object of ``world``."""
    objects_by_name = {
        "role_revoke": world.colleague.pk,
        "invitation_resend": world.invitation.pk,
        "invitation_revoke": world.invitation.pk,
        "priority_detail": world.priority.pk,
        "priority_activate": world.priority.pk,
        "priority_close": world.priority.pk,
        "priority_impact": world.active_priority.pk,
        "target_edit": world.active_priority.pk,
        # Who may send a failed email again is tested with POSTs in tests/core/test_outbox.py.
        "email_retry": 1,
    }

    def value(match: re.Match) -> str:
        converter = match.group("name")
        if converter == "slug":
            return world.partnership.slug
        if converter == "urn":
            return world.school_a.urn
        if converter == "code":
            return MEASURE_CODE
        if converter == "year":
            return str(world.review.cycle.academic_year)
        if converter == "move":
            return "quality_assure"  # the partnership lead's move
        if converter == "number":
            return "1"  # a published version's number: only POST-only pages take one
        if converter in REVIEW_CONVERTERS:
            return str(getattr(world.review, converter).pk)
        if converter == "pk":
            assert name in objects_by_name, f"say which object fills <pk> of {name}"
            return str(objects_by_name[name])
        raise AssertionError(f"say how to fill <{converter}> of {name}")

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)


def assert_status(response, expected, label: str) -> None:
    if expected == SIGN_IN:
        assert response.status_code == 302, f"{label}: {response.status_code}, not {expected}"
        assert response["Location"].startswith("/accounts/login/"), label
    else:
        assert response.status_code == expected, f"{label}: {response.status_code}, not {expected}"


# --- The table covers every page -------------------------------------------------------


def test_the_walk_finds_the_partnership_pages():
    names = {name for _, name in ROUTES}
    assert {"dashboard", "partnership_detail", "role_revoke", "audit_log"} <= names
    assert not names & (PUBLIC | TOKEN_PAGES)


def test_every_url_is_in_the_matrix():
    names = [name for _, name in ROUTES]
    missing = sorted(str(name) for name in names if name not in EXPECTED)
    assert not missing, f"declare who may open these pages in EXPECTED: {missing}"
    stale = sorted(set(EXPECTED) - set(names))
    assert not stale, f"EXPECTED names pages that no longer exist: {stale}"
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


def test_every_url_name_is_unique_so_the_table_is_unambiguous():
    names = [name for _, name in ROUTES]
    assert len(names) == len(set(names))


# --- The matrix -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("route", "name"), [pytest.param(route, name, id=str(name)) for route, name in ROUTES]
)
def test_access_matrix(client, world, route, name, role):
    assert name in EXPECTED, f"{name} is not in EXPECTED"
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    path = fill(route, name, world)
    response = client.get(path)
    assert_status(response, EXPECTED[name][ROLES.index(role)], f"{role} GET {path}")


# --- The rules behind the table, one by one --------------------------------------------


def test_champion_can_open_another_member_schools_page(client, world):
    client.force_login(world.champion)
    url = reverse("school_detail", args=[world.partnership.slug, world.school_b.urn])
    assert client.get(url).status_code == 200


def test_champion_cannot_open_the_activity_log(client, world):
    client.force_login(world.champion)
    assert client.get(reverse("audit_log", args=[world.partnership.slug])).status_code == 404


def test_champion_cannot_open_invitations(client, world):
    client.force_login(world.champion)
    url = reverse("invitation_list", args=[world.partnership.slug])
    assert client.get(url).status_code == 404


def test_headteacher_cannot_open_the_activity_log(client, world):
    client.force_login(world.headteacher)
    assert client.get(reverse("audit_log", args=[world.partnership.slug])).status_code == 404


def test_headteacher_may_remove_a_champion_of_their_own_school(client, world):
    client.force_login(world.headteacher)
    url = reverse("role_revoke", args=[world.partnership.slug, world.colleague.pk])
    assert client.get(url).status_code == 200


def test_headteacher_cannot_remove_the_partnership_lead(client, world):
    lead_role = world.lead.role_assignments.get()
    client.force_login(world.headteacher)
    url = reverse("role_revoke", args=[world.partnership.slug, lead_role.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    lead_role.refresh_from_db()
    assert lead_role.revoked_at is None


def test_headteacher_cannot_remove_another_schools_headteacher(client, world):
    client.force_login(world.headteacher)
    url = reverse("role_revoke", args=[world.partnership.slug, world.head_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    world.head_b.refresh_from_db()
    assert world.head_b.revoked_at is None


def test_headteacher_cannot_remove_a_champion_of_another_school(client, world):
    champion_b = grant(UserFactory(), world.partnership, Role.IMPROVEMENT_CHAMPION, world.school_b)
    client.force_login(world.headteacher)
    url = reverse("role_revoke", args=[world.partnership.slug, champion_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    champion_b.refresh_from_db()
    assert champion_b.revoked_at is None


def test_champion_cannot_remove_a_colleagues_role(client, world):
    client.force_login(world.champion)
    url = reverse("role_revoke", args=[world.partnership.slug, world.colleague.pk])
    assert client.post(url).status_code == 404
    world.colleague.refresh_from_db()
    assert world.colleague.revoked_at is None


@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_headteacher_of_another_school_cannot_act_on_school_as_invitations(client, world, action):
    client.force_login(world.head_b.user)
    before = Invitation.objects.values().get(pk=world.invitation.pk)
    url = reverse(action, args=[world.partnership.slug, world.invitation.pk])
    assert client.post(url).status_code == 404
    assert Invitation.objects.values().get(pk=world.invitation.pk) == before


@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_champion_cannot_act_on_invitations(client, world, action):
    client.force_login(world.champion)
    before = Invitation.objects.values().get(pk=world.invitation.pk)
    url = reverse(action, args=[world.partnership.slug, world.invitation.pk])
    assert client.post(url).status_code == 404
    assert Invitation.objects.values().get(pk=world.invitation.pk) == before


@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_signed_out_post_to_an_invitation_action_is_sent_to_sign_in(client, world, action):
    url = reverse(action, args=[world.partnership.slug, world.invitation.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_post_only_pages_answer_get_alike_for_a_partnership_that_does_not_exist(client, outsider):
    client.force_login(outsider)
    url = reverse("invitation_resend", args=["no-such-partnership", 999999])
    assert client.get(url).status_code == 405


def test_a_removed_role_opens_nothing_any_more(client, world):
    services.role_revoke(actor=world.lead, assignment=world.champion.role_assignments.get())
    client.force_login(world.champion)
    for name in ("partnership_detail", "people", "agreement"):
        assert client.get(reverse(name, args=[world.partnership.slug])).status_code == 404, name


def test_the_people_of_a_school_that_left_open_nothing_any_more(client, world):
    services.membership_end(actor=world.lead, partnership=world.partnership, school=world.school_a)
    for person in (world.headteacher, world.champion):
        client.force_login(person)
        url = reverse("partnership_detail", args=[world.partnership.slug])
        assert client.get(url).status_code == 404, person


def test_a_former_member_schools_page_stays_readable_to_members(client, world):
    services.membership_end(actor=world.lead, partnership=world.partnership, school=world.school_b)
    client.force_login(world.champion)
    url = reverse("school_detail", args=[world.partnership.slug, world.school_b.urn])
    assert client.get(url).status_code == 200


def test_lead_cannot_record_a_former_member_leaving_again(client, world):
    services.membership_end(actor=world.lead, partnership=world.partnership, school=world.school_b)
    client.force_login(world.lead)
    url = reverse("school_leave", args=[world.partnership.slug, world.school_b.urn])
    assert client.get(url).status_code == 404
