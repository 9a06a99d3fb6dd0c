"""Who may open which page, and who may change what through it: every page of Cairn, for
every role, in two explicit tables.

The test walks every URL pattern of the project (as ``tests/core/test_url_protection.py``
does), fills each URL with real objects of one partnership and requests it as each kind of
person. ``EXPECTED`` says, page by page, what each person gets to a GET; ``EXPECTED_POST``
what each gets to a POST of the data the page's own members would send (``crafted_post`` in
``test_isolation.py``): refused (sent to sign in, or 404) with the database unchanged and
nothing queued, or accepted. A page that is not in both tables fails
``test_every_url_is_in_the_matrix``: a new view cannot be added without declaring who may
open it and who may act through it.

Pages left out of the walk: the public ones, allauth's and the admin's (their own tests; known
by the modules of their views, not by where they are mounted), and ``invitation_accept``,
which a token opens (``tests/partnerships/test_invitations.py``).
"""

import copy
import datetime
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path, reverse

from accounts.models import User
from core.models import OutgoingEmail
from dashboard.views import dashboard
from partnerships import services
from partnerships.invitations import invitation_create
from partnerships.models import (
    AgreementVersion,
    Invitation,
    MembershipRequest,
    Partnership,
    Role,
    RoleAssignment,
    School,
)
from priorities.models import Measure, Priority
from priorities.services import (
    current_academic_year,
    measurement_record,
    priority_activate,
    priority_propose,
)
from reviews.models import (
    Action,
    Challenge,
    ConflictDeclaration,
    Evidence,
    Finding,
    FindingKind,
    PartnershipReview,
    PdfStatus,
    PeerReview,
    PriorityNarrative,
    PublishedVersion,
    ReviewCycle,
    ReviewTeamMember,
    SafeguardingConcern,
    SchoolSummary,
    SummaryStatus,
)
from reviews.services import enquiry, findings, publication, reports
from reviews.services.cycles import cycle_create, default_timetable
from reviews.services.findings import evidence_add
from tests.core.test_url_protection import (
    PUBLIC,
    is_delegated,
    project_url_patterns,
    view_module,
)
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.support import rolled_back, work_queued

pytestmark = pytest.mark.django_db

# Opened by a token, not by a role: tests/partnerships/test_invitations.py owns the invitation,
# tests/reviews/test_calendar_feed.py the calendar feeds (a wrong token is 404, a partnership's
# feed is its leads' only).
TOKEN_PAGES = {"invitation_accept", "calendar_feed", "calendar_partnership_feed"}

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
# reveals nothing. A POST from someone who may not act answers 404 (``EXPECTED_POST``).
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
    # The world's lead asked a school elsewhere to join; another partnership asked school A,
    # whose headteacher alone decides.
    "membership_request_withdraw": (SIGN_IN, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    "membership_request_detail":   (SIGN_IN, NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    "priority_list":       (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "data_scrutiny":       (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "measurements_upload": (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "measurements_enter":  (SIGN_IN,  NOT_FOUND, OK,        OK,         OK),
    "measurements_export": (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK),
    # School A's own staff only: the lead does not work there.
    "figure_history":      (SIGN_IN,  NOT_FOUND, OK,        OK,         NOT_FOUND),
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
    # Each person's own: their calendar feed's address and their reminder emails.
    "calendar_page":       (SIGN_IN,  OK,        OK,        OK,         OK),
    "notification_preferences": (SIGN_IN, OK,   OK,        OK,         OK),
}
# fmt: on


# What each person gets when they POST to each page the data its own members would send, on
# the world made ready for acting (``READY``). Refused: sent to sign in, or 404, the database
# unchanged and nothing queued. Accepted:
DONE = "302, done"  # redirected on, with something changed
DONE_HERE = "200, done"  # the page answers with what it did (an upload's report)
SHOWN = "200, shown"  # the page shows something to confirm (a suggestion), changing nothing
# A page that only reads: a POST answers as a GET does, and changes nothing, for everyone.
READS = "reads"

# fmt: off
EXPECTED_POST = {
    #                       anonymous outsider   champion   headteacher lead
    "dashboard":           READS,
    "partnership_detail":  READS,
    "partnership_edit":    (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "school_add":          (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "school_detail":       READS,
    "school_leave":        (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "people":              READS,
    "role_revoke":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, DONE,       DONE),
    "invitation_list":     (SIGN_IN,  NOT_FOUND, NOT_FOUND, DONE,       DONE),
    "invitation_resend":   (SIGN_IN,  NOT_FOUND, NOT_FOUND, DONE,       DONE),
    "invitation_revoke":   (SIGN_IN,  NOT_FOUND, NOT_FOUND, DONE,       DONE),
    "agreement":           (SIGN_IN,  NOT_FOUND, NOT_FOUND, DONE,       NOT_FOUND),
    "agreement_publish":   (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "audit_log":           READS,
    "email_failures":      READS,
    "email_retry":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    # The world's lead asked a school elsewhere; another partnership asked school A, whose
    # headteacher alone decides.
    "membership_request_withdraw": (SIGN_IN, NOT_FOUND, NOT_FOUND, NOT_FOUND, DONE),
    "membership_request_detail":   (SIGN_IN, NOT_FOUND, NOT_FOUND, DONE,      NOT_FOUND),
    "figure_history":      READS,
    "priority_list":       READS,
    "data_scrutiny":       READS,
    "measurements_upload": (SIGN_IN,  NOT_FOUND, DONE_HERE, DONE_HERE,  DONE_HERE),
    "measurements_enter":  (SIGN_IN,  NOT_FOUND, DONE,      DONE,       DONE),
    "measurements_export": READS,
    "measure_list":        READS,
    "measure_add":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "priority_propose":    (SIGN_IN,  NOT_FOUND, NOT_FOUND, DONE,       DONE),
    "priority_detail":     READS,
    "priority_activate":   (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "priority_close":      (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "priority_impact":     READS,
    "target_edit":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, DONE,       DONE),
    "targets_export":      READS,
    # Reviews: nobody in these columns is on the review's team, so nobody raises a challenge or
    # writes the report.
    "cycle_list":          READS,
    "cycle_create":        (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "cycle_detail":        READS,
    "cycle_edit":          (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "cycle_review_add":    (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "review_detail":       READS,
    "review_enquiry":      READS,
    "review_focus_edit":   (SIGN_IN,  NOT_FOUND, DONE,      DONE,       NOT_FOUND),
    "self_review_edit":    (SIGN_IN,  NOT_FOUND, DONE,      DONE,       NOT_FOUND),
    "self_review_share":   (SIGN_IN,  NOT_FOUND, DONE,      DONE,       NOT_FOUND),
    "review_team":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "cycle_team_suggest":  (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  SHOWN),
    "conflict_list":       (SIGN_IN,  NOT_FOUND, DONE,      DONE,       DONE),
    "conflict_withdraw":   (SIGN_IN,  NOT_FOUND, DONE,      NOT_FOUND,  NOT_FOUND),
    "finding_list":        READS,
    "finding_create":      (SIGN_IN,  NOT_FOUND, DONE,      NOT_FOUND,  NOT_FOUND),
    "finding_detail":      (SIGN_IN,  NOT_FOUND, DONE,      NOT_FOUND,  NOT_FOUND),
    "finding_edit":        (SIGN_IN,  NOT_FOUND, DONE,      NOT_FOUND,  NOT_FOUND),
    "finding_submit":      (SIGN_IN,  NOT_FOUND, DONE,      NOT_FOUND,  NOT_FOUND),
    "finding_delete":      (SIGN_IN,  NOT_FOUND, DONE,      NOT_FOUND,  NOT_FOUND),
    "evidence_download":   READS,
    "evidence_remove":     (SIGN_IN,  NOT_FOUND, DONE,      NOT_FOUND,  NOT_FOUND),
    "challenge_raise":     (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  NOT_FOUND),
    "challenge_reply":     (SIGN_IN,  NOT_FOUND, DONE,      NOT_FOUND,  NOT_FOUND),
    "review_report":       READS,
    "report_edit":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  NOT_FOUND),
    "report_move":         (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "concern_raise":       (SIGN_IN,  NOT_FOUND, DONE,      DONE,       DONE),
    "concern_acknowledge": (SIGN_IN,  NOT_FOUND, NOT_FOUND, DONE,       NOT_FOUND),
    "review_workshop":     READS,
    "workshop_edit":       (SIGN_IN,  NOT_FOUND, DONE,      DONE,       NOT_FOUND),
    "action_add":          (SIGN_IN,  NOT_FOUND, DONE,      DONE,       NOT_FOUND),
    "action_edit":         (SIGN_IN,  NOT_FOUND, DONE,      DONE,       NOT_FOUND),
    "impact_review_edit":  (SIGN_IN,  NOT_FOUND, DONE,      DONE,       NOT_FOUND),
    "publication_detail":  READS,
    "publication_draft":   (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "publication_compose": (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "publication_priority_edit": (SIGN_IN, NOT_FOUND, NOT_FOUND, NOT_FOUND, DONE),
    "publication_school_edit": (SIGN_IN, NOT_FOUND, NOT_FOUND, NOT_FOUND, DONE),
    "publication_school_submit": (SIGN_IN, NOT_FOUND, NOT_FOUND, NOT_FOUND, DONE),
    "publication_school_approve": (SIGN_IN, NOT_FOUND, NOT_FOUND, DONE, NOT_FOUND),
    "publication_preview": READS,
    "publication_publish": (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "publication_correct": (SIGN_IN,  NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "publication_withdraw": (SIGN_IN, NOT_FOUND, NOT_FOUND, NOT_FOUND,  DONE),
    "publication_pdf_retry": (SIGN_IN, NOT_FOUND, NOT_FOUND, NOT_FOUND, DONE),
    # Each person acts on their own only: a new feed address, their own choice of emails.
    "calendar_page":       (SIGN_IN,  DONE,      DONE,      DONE,       DONE),
    "notification_preferences": (SIGN_IN, DONE, DONE,      DONE,       DONE),
}
# fmt: on


def _is_walked(pattern) -> bool:
    return (
        pattern.name not in PUBLIC and pattern.name not in TOKEN_PAGES and not is_delegated(pattern)
    )


ROUTES = [(route, p.name) for route, p in project_url_patterns() if _is_walked(p)]


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
class MembershipRequests:
    """The world's lead asking a school of another partnership to join (``outgoing``), and
    that partnership's lead asking the world's school A (``incoming``)."""

    outgoing: MembershipRequest
    incoming: MembershipRequest


def make_membership_requests(partnership, school, lead) -> MembershipRequests:
    elsewhere = PartnershipFactory(name="Elsewhere Partnership")
    far_school = make_member_school(elsewhere, name="Faraway Primary School")
    grant(UserFactory(name="Fay Faraway"), elsewhere, Role.HEADTEACHER, far_school)
    elsewhere_lead = UserFactory(name="Ellis Elsewhere")
    grant(elsewhere_lead, elsewhere, Role.PARTNERSHIP_LEAD)
    return MembershipRequests(
        outgoing=services.membership_request_send(
            actor=lead, partnership=partnership, school=far_school
        ),
        incoming=services.membership_request_send(
            actor=elsewhere_lead, partnership=elsewhere, school=school
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
    school_c: School  # joined after the cycle began: it has no review in it
    head_c: User  # who may review school A with school B's headteacher
    outsider: User  # a headteacher in another partnership
    colleague: RoleAssignment  # another champion at school A
    head_b: RoleAssignment
    invitation: Invitation
    agreement: AgreementVersion
    priority: Priority
    active_priority: Priority
    failed_email: OutgoingEmail
    review: ReviewObjects
    requests: MembershipRequests

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
    headteacher; an open invitation to A, a published agreement that A has signed, A's figure
    for 2024/25 on the active priority's measure and an email that failed; the review objects
    of ``make_review_objects``; school C, which joined after the cycle began, and its
    headteacher. And an outsider, the headteacher of a school in another partnership."""
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
    measurement_record(
        actor=lead,
        partnership=partnership,
        school=school,
        measure=Measure.objects.get(code=MEASURE_CODE),
        academic_year=2024,
        value=64,
        cohort_size=30,
    )
    failed_email = OutgoingEmail.objects.create(
        subject="A reminder",
        recipients="head@example.org",
        partnership=partnership,
        status=OutgoingEmail.Status.FAILED,
    )
    review = make_review_objects(partnership, school, school_b, lead, champion, head_b.user)
    school_c = make_member_school(partnership)
    return World(
        partnership=partnership,
        school_a=school,
        school_b=school_b,
        school_c=school_c,
        head_c=grant(UserFactory(name="Cy Head"), partnership, Role.HEADTEACHER, school_c).user,
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
        failed_email=failed_email,
        review=review,
        requests=make_membership_requests(partnership, school, lead),
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
        "email_retry": world.failed_email.pk,
        "membership_request_withdraw": world.requests.outgoing.pk,
        "membership_request_detail": world.requests.incoming.pk,
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


# --- Making the world ready for a POST to do something ----------------------------------
#
# A POST is refused by the state of things as well as by the policy (a report not yet
# submitted cannot be quality-assured). So that a refusal in ``EXPECTED_POST`` is the policy's,
# a page whose action the world's state does not allow gets it ready first, in the test's own
# savepoint: every person then POSTs to a page on which the right person's POST is accepted.


def a_second_agreement(world: World) -> None:
    """A new version, which school A has not signed yet."""
    world.agreement = services.agreement_publish(
        actor=world.lead, partnership=world.partnership, text="The second version."
    )


def a_focus_and_a_self_review(world: World) -> None:
    review = world.review.review
    enquiry.review_focus_update(
        actor=world.headteacher,
        review=review,
        priority=world.active_priority,
        theme="our_impact",
        enquiry_question="How does feedback help pupils redraft?",
    )
    enquiry.self_review_save(
        actor=world.headteacher, review=review, sections={"context": "<p>Our view.</p>"}
    )


def a_submitted_report(world: World) -> None:
    """The champion answers the challenge and submits the finding; the lead reviewer, school
    B's headteacher, writes the report and submits it."""
    findings.challenge_reply(
        actor=world.champion, challenge=world.review.challenge, text="The minutes say so."
    )
    findings.finding_submit(actor=world.champion, finding=world.review.finding)
    lead_reviewer, review = world.head_b.user, world.review.review
    reports.report_save(actor=lead_reviewer, review=review, summary="<p>A good visit.</p>")
    reports.report_move(actor=lead_reviewer, review=review, move="submit")


def a_signed_off_report(world: World) -> None:
    a_submitted_report(world)
    reports.report_move(actor=world.lead, review=world.review.review, move="quality_assure")
    reports.report_move(actor=world.headteacher, review=world.review.review, move="sign_off")


def a_summary_sent_back(world: World) -> None:
    """School A's headteacher returns its summary: the lead may send it again."""
    publication.school_summary_return(
        actor=world.headteacher, summary=world.review.summary, comment="Say more."
    )


def a_publishable_review(world: World) -> None:
    """School A's report signed off, and its summary approved by its headteacher."""
    a_signed_off_report(world)
    publication.school_summary_approve(actor=world.headteacher, summary=world.review.summary)


def a_published_review(world: World) -> None:
    a_publishable_review(world)
    publication.partnership_review_publish(actor=world.lead, review=world.review.publication)


def a_pdf_that_failed(world: World) -> None:
    a_published_review(world)
    PublishedVersion.objects.filter(review=world.review.publication).update(
        pdf_status=PdfStatus.FAILED
    )


READY = {
    "agreement": a_second_agreement,
    "self_review_share": a_focus_and_a_self_review,
    "report_move": a_submitted_report,
    "workshop_edit": a_signed_off_report,
    "action_add": a_signed_off_report,
    "impact_review_edit": a_signed_off_report,
    "publication_school_submit": a_summary_sent_back,
    "publication_publish": a_publishable_review,
    "publication_correct": a_published_review,
    "publication_withdraw": a_published_review,
    "publication_pdf_retry": a_pdf_that_failed,
}

# Pages that read a step from the query string, as the page before them sends it.
QUERY = {
    "cycle_create": lambda world: f"?year={next_academic_year()}",
    "measurements_enter": lambda world: f"?measure={MEASURE_CODE}&year=2025/26",
}


def post_data(name: str, world: World) -> dict:
    """``crafted_post``'s data for the page, filled with the world's objects; where the world
    needs other ones (another school, a reviewer who is not the host's), those."""
    from tests.partnerships.test_isolation import crafted_post  # it imports this module

    target = Target(
        partnership=world.partnership,
        school=world.school_a,
        headteacher=world.headteacher,
        agreement=world.agreement,
        priority=world.active_priority,
    )
    try:
        data = crafted_post(name, target)
    except KeyError:
        data = {}  # not a partnership's page (the dashboard): nothing to send
    if name == "conflict_list":
        data["school"] = world.school_c.pk  # not their own school, nor one declared already
    if name == "cycle_review_add":
        data["school"] = world.school_c.urn  # without a review in the cycle
    if name == "cycle_create":  # the default timetable of a year the lead may start
        data.update(
            (stage, day.isoformat())
            for stage, day in default_timetable(next_academic_year()).items()
        )
    if name == "review_team":
        data.update(lead_user=world.head_b.user.pk, reviewer_users=[world.head_c.pk])
    return data


def next_academic_year() -> int:
    """A year without a cycle that a lead may start one for, whatever the date today."""
    return current_academic_year() + 1


@dataclass
class Target:
    """What ``crafted_post`` fills its data with."""

    partnership: Partnership
    school: School
    headteacher: User
    agreement: AgreementVersion
    priority: Priority


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
    missing = sorted(str(name) for name in names if name not in EXPECTED_POST)
    assert not missing, f"declare who may act through these pages in EXPECTED_POST: {missing}"
    stale = sorted(set(EXPECTED_POST) - set(names))
    assert not stale, f"EXPECTED_POST names pages that no longer exist: {stale}"
    assert all(row == READS or len(row) == len(ROLES) for row in EXPECTED_POST.values())
    assert set(READY) <= set(names)
    assert set(QUERY) <= set(names)


def test_the_walk_leaves_out_allauth_and_the_admin_by_their_views_not_their_paths():
    left_out = {
        pattern.name: view_module(pattern)
        for _, pattern in project_url_patterns()
        if is_delegated(pattern)
    }
    assert {
        "account_login",
        "mfa_index",
        "usersessions_list",
        "index",
        "auth_user_password_change",  # a model admin's own view
        "view_on_site",  # contenttypes' view, which the admin wraps
    } <= set(left_out)
    assert {module.split(".")[0] for module in left_out.values()} == {"allauth", "django"}
    assert not {name for _, name in ROUTES} & set(left_out)
    # A page of Cairn's own would be walked wherever it is mounted.
    assert not is_delegated(path("accounts/preferences/", dashboard, name="preferences"))
    assert not is_delegated(path("admin/overview/", dashboard, name="overview"))


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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("route", "name"), [pytest.param(route, name, id=str(name)) for route, name in ROUTES]
)
def test_access_matrix_post(client, world, route, name, role, django_capture_on_commit_callbacks):
    from tests.partnerships.test_isolation import snapshot  # it imports this module

    assert name in EXPECTED_POST, f"{name} is not in EXPECTED_POST"
    if name in READY:
        READY[name](world)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    path = fill(route, name, world) + QUERY.get(name, lambda world: "")(world)
    label = f"{role} POST {path}"
    before = snapshot()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(path, post_data(name, world))
    changed = snapshot() != before

    expected = EXPECTED_POST[name]
    if expected == READS:
        assert_status(response, EXPECTED[name][ROLES.index(role)], label)
        assert not changed, f"{label} changed the database: it is not a page that only reads"
        assert work_queued(queued) == [], f"{label} queued work: it is not a page that only reads"
        return
    expected = expected[ROLES.index(role)]
    if expected in (SIGN_IN, NOT_FOUND):
        assert_status(response, expected, label)
        assert not changed, f"{label} was refused but changed the database"
        assert work_queued(queued) == [], f"{label} was refused but queued work (an email)"
    elif expected == DONE:
        assert response.status_code == 302, (
            f"{label}: {response.status_code}, not {expected} {form_errors(response)}"
        )
        assert not response["Location"].startswith("/accounts/login/"), label
        assert changed, f"{label} was accepted but changed nothing"
    else:
        assert response.status_code == 200, f"{label}: {response.status_code}, not {expected}"
        assert not form_errors(response), f"{label}: {form_errors(response)}"
        if expected == DONE_HERE:
            assert changed, f"{label} was accepted but changed nothing"
        else:
            assert not changed, f"{label} only shows a suggestion, but changed the database"


def form_errors(response) -> dict:
    """The errors of the forms the page shows: a POST refused by a form, not the policy."""
    errors = {}
    for context in response.context or []:
        for value in context.flatten().values():
            if getattr(value, "is_bound", False) and getattr(value, "errors", None):
                errors.update(value.errors)
    return errors


# --- The rules behind the table, one by one --------------------------------------------


def test_champion_can_open_another_member_schools_page(client, world):
    client.force_login(world.champion)
    url = reverse("school_detail", args=[world.partnership.slug, world.school_b.urn])
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


@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_headteacher_of_another_school_cannot_act_on_school_as_invitations(client, world, action):
    client.force_login(world.head_b.user)
    before = Invitation.objects.values().get(pk=world.invitation.pk)
    url = reverse(action, args=[world.partnership.slug, world.invitation.pk])
    assert client.post(url).status_code == 404
    assert Invitation.objects.values().get(pk=world.invitation.pk) == before


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
