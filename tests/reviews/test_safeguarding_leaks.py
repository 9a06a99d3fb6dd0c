"""A safeguarding concern is invisible to everyone else, through every page, export and email.

The walk requests every URL pattern of Cairn (as ``tests/core/test_url_protection.py`` finds
them), filled with the real objects of one partnership that has one of everything: a review
with a team, a finding with evidence (and a file) and a challenge, a signed-off report, a
workshop and an action, priorities and targets, an agreement, an invitation, a declared
conflict. It is walked as each person before a reviewer raises a concern, and again after:

- for everyone who may not see the concern (the partnership lead, another reviewer on the team,
  the host improvement champion, another school's headteacher, an outsider, a signed-out
  visitor) every page is exactly as it was: not the concern's words, nor a count, nor a link;
- for those who may (the person who raised it, the host headteacher, the designated
  safeguarding contact) its words are on the concern page and on no other page: not the
  report, not the CSV exports, not the activity log;
- no email sent, then or after, holds its words.

Pages added later are walked too: a page with a path converter the walk cannot fill fails
``test_the_walk_covers_every_page`` until ``fill`` learns it.
"""

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent
from partnerships import services as partnership_services
from partnerships.invitations import invitation_create
from partnerships.models import Invitation, Partnership, Role, RoleAssignment, School
from priorities.models import Measure, Priority
from priorities.services import priority_activate, priority_propose
from reviews import selectors
from reviews.models import (
    Action,
    Challenge,
    ConflictDeclaration,
    Evidence,
    Finding,
    PeerReview,
    PriorityNarrative,
    PublishedVersion,
    ReviewCycle,
    SafeguardingConcern,
    Workshop,
    year_slug,
)
from reviews.services import findings, publication, reports
from reviews.services.team import conflict_declare
from tests.core.test_url_protection import DELEGATED_NAMESPACES_AND_PREFIXES, project_url_patterns

pytestmark = pytest.mark.django_db

# Words nobody would write anywhere else in Cairn, so that finding them anywhere is a leak.
SECRET_WORD = "Quillfeather"
SECRET = f"{SECRET_WORD}-4471: a Year 4 pupil said her stepfather hurt her arm"

MEASURE_CODE = "ks2_rwm_expected"
# Pages that search: the walk asks them for the concern's words.
SEARCH_PAGES = {"directory"}
# Opened by a token, not by a person: an invitation, and the calendar feeds, which hold dates
# and the steps' own names, nothing written in a review (tests/reviews/test_calendar_feed.py).
TOKEN_PAGES = {"invitation_accept", "calendar_feed", "calendar_partnership_feed"}

# Who may not see the concern, and who may.
OTHERS = (
    "partnership lead",
    "another reviewer on the team",
    "host improvement champion",
    "another school's headteacher",
    "outsider",
    "anonymous",
)
READERS = ("raiser", "host headteacher", "safeguarding contact")


@dataclass
class World:
    partnership: Partnership
    host: School
    cycle: ReviewCycle
    review: PeerReview
    finding: Finding
    evidence: Evidence
    challenge: Challenge
    action: Action
    conflict: ConflictDeclaration
    invitation: Invitation
    role: RoleAssignment
    priority: Priority
    narrative: PriorityNarrative
    version: PublishedVersion
    people: dict[str, User | None]
    concern: SafeguardingConcern | None = None


@pytest.fixture
def world(
    settings,
    tmp_path,
    partnership,
    school,
    lead,
    headteacher,
    champion,
    cycle,
    review,
    lead_reviewer,
    reviewer,
    safeguarding_contact,
    other_head,
    outsider,
) -> World:
    settings.MEDIA_ROOT = tmp_path
    reading = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead,
            partnership=partnership,
            title="Reading",
            rationale="The data.",
            measures=[Measure.objects.get(code=MEASURE_CODE)],
        ),
    )
    partnership_services.agreement_publish(
        actor=lead, partnership=partnership, text="We share our data for peer review."
    )
    partnership_services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    invitation = invitation_create(
        actor=lead,
        email="new.champion@example.org",
        partnership=partnership,
        role=Role.IMPROVEMENT_CHAMPION,
        school=school,
    )
    conflict = conflict_declare(
        actor=other_head, partnership=partnership, school=school, reason="former_employer"
    )

    # The review, all the way to a signed-off report.
    finding = findings.finding_create(
        actor=reviewer,
        review=review,
        kind="strength",
        judgement="Pupils redraft their writing after feedback.",
    )
    evidence = findings.evidence_add(
        actor=reviewer,
        finding=finding,
        kind="work_scrutiny",
        description="Four of six Year 5 books showed redrafting.",
        upload=SimpleUploadedFile("notes.txt", b"Book look notes.", content_type="text/plain"),
    )
    challenge = findings.challenge_raise(
        actor=lead_reviewer, finding=finding, text="What leads you to think that?"
    )
    findings.challenge_reply(actor=reviewer, challenge=challenge, text="The books, and the work.")
    findings.finding_submit(actor=reviewer, finding=finding)
    reports.report_save(actor=lead_reviewer, review=review, summary="A strong visit.")
    reports.report_move(actor=lead_reviewer, review=review, move="submit")
    reports.report_move(actor=lead, review=review, move="quality_assure")
    reports.report_move(actor=headteacher, review=review, move="sign_off")
    # The workshop and its plan, written as rows: their services are tested elsewhere.
    Workshop.objects.create(
        review=review,
        held_on=cycle.workshops_due,
        participants="Year 5 team",
        agreed="Redrafting in every class.",
        recorded_by=champion,
    )
    action = Action.objects.create(
        review=review,
        description="Share the redrafting approach.",
        owner="Chris Champion",
        due_on=cycle.impact_reviews_due,
        finding=finding,
        priority=review.priority,
    )
    # The partnership review for families, drafted from the signed-off report and published.
    partnership_review = publication.partnership_review_draft(actor=lead, cycle=cycle)
    summary = partnership_review.school_summaries.get()
    publication.school_summary_submit(actor=lead, summary=summary)
    publication.school_summary_approve(actor=headteacher, summary=summary)
    published_version = publication.partnership_review_publish(
        actor=lead, review=partnership_review
    )
    return World(
        partnership=partnership,
        host=school,
        cycle=cycle,
        review=review,
        finding=finding,
        evidence=evidence,
        challenge=challenge,
        action=action,
        conflict=conflict,
        invitation=invitation,
        role=champion.role_assignments.get(),
        priority=reading,
        narrative=partnership_review.priority_narratives.order_by("pk").first(),
        version=published_version,
        people={
            "raiser": reviewer,
            "host headteacher": headteacher,
            "safeguarding contact": safeguarding_contact,
            "partnership lead": lead,
            "another reviewer on the team": lead_reviewer,
            "host improvement champion": champion,
            "another school's headteacher": other_head,
            "outsider": outsider,
            "anonymous": None,
        },
    )


# --- Filling every URL pattern --------------------------------------------------------------

CONVERTER = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")


class Unfillable(Exception):
    pass


def walked_routes() -> list[tuple[str, str, str]]:
    """(route, name, module of the view) of every page but allauth's and the admin's."""
    routes = []
    for route, pattern in project_url_patterns():
        if route.startswith(DELEGATED_NAMESPACES_AND_PREFIXES) or pattern.name in TOKEN_PAGES:
            continue
        module = getattr(pattern.callback, "__module__", "")
        routes.append((route, pattern.name, module))
    return routes


def fill(route: str, name: str, world: World) -> str:
    """The route as a path, each converter filled with a real object of ``world``."""
    by_converter = {
        "slug": world.partnership.slug,
        "urn": world.host.urn,
        "code": MEASURE_CODE,
        "review": world.review.pk,
        "year": world.cycle.academic_year,
        "finding": world.finding.pk,
        "evidence": world.evidence.pk,
        "challenge": world.challenge.pk,
        "action": world.action.pk,
        "conflict": world.conflict.pk,
        "move": "reopen",
        "narrative": world.narrative.pk,
        "number": world.version.number,
        # Before the concern exists, a number no concern has: the page answers the same.
        "concern": world.concern.pk if world.concern else 999_999,
    }
    by_path = {
        "people/<int:pk>": world.role.pk,
        "invitations/<int:pk>": world.invitation.pk,
        "priorities/<int:pk>": world.priority.pk,
        # POST only: a GET is refused before anything is looked up.
        "emails/<int:pk>": 999_999,
        # Requests to join are the schools' and the leads' business, never a review's: a
        # number no request has, so the pages answer the same before and after.
        "membership-requests/<int:pk>": 999_999,
    }

    def value(match: re.Match) -> str:
        converter = match.group("name")
        if match.group(0).startswith("<academicyear:"):
            return year_slug(world.cycle.academic_year)
        if converter in by_converter:
            return str(by_converter[converter])
        if converter == "pk":
            for prefix, pk in by_path.items():
                if prefix in route:
                    return str(pk)
        raise Unfillable(f"say how to fill <{converter}> of {name} ({route})")

    if route.startswith("^") or "(?P<" in route:
        raise Unfillable(f"say how to fill the regular expression of {name} ({route})")
    path = "/" + CONVERTER.sub(value, route)
    if name in SEARCH_PAGES:
        path += f"?q={SECRET_WORD}"  # a search is asked for the concern's words
    return path


def paths_of(world: World) -> dict[str, str]:
    """{path: URL name} of every page the walk can fill."""
    paths = {}
    for route, name, _module in walked_routes():
        try:
            paths[fill(route, name, world)] = name
        except Unfillable:
            continue
    return paths


def content_of(response) -> str:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return body.decode("utf-8", errors="replace")


def normalised(html: str) -> str:
    """The page without what changes on every request (CSRF tokens, CSP nonces)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def without_echo(page: str) -> str:
    """A search page without the query it echoes back (in its box, title and links): any other
    place the concern's words appear is a result, and a leak."""
    for echo in (f'value="{SECRET_WORD}"', f"“{SECRET_WORD}”", f"q={SECRET_WORD}"):
        page = page.replace(echo, "")
    return page


def walk(world: World, person: str) -> dict[str, tuple[int, str]]:
    """{URL name: (status, page)} of every page, as ``person`` gets it."""
    # A fresh client: no message left over from someone else's request. A page that fails is
    # reported as unchecked, after any leak the walk found elsewhere.
    client = Client(raise_request_exception=False)
    user = world.people[person]
    if user is not None:
        client.force_login(user)
    pages = {}
    for path, name in paths_of(world).items():
        response = client.get(path)
        page = content_of(response)
        if name in SEARCH_PAGES:
            page = without_echo(page)
        pages[name] = (response.status_code, page, path)
    return pages


# --- The walk covers every page --------------------------------------------------------------


def test_the_walk_covers_every_page(world):
    unfillable = []
    for route, name, _module in walked_routes():
        try:
            fill(route, name, world)
        except Unfillable as problem:
            unfillable.append(str(problem))
    assert not unfillable, "\n".join(unfillable)

    names = set(paths_of(world).values())
    review_pages = {name for _, name, module in walked_routes() if module.startswith("reviews.")}
    partnership_pages = {
        name for _, name, module in walked_routes() if module.startswith("partnerships.")
    }
    assert review_pages <= names
    assert partnership_pages <= names
    assert {
        "concern_raise",
        "concern_acknowledge",
        "review_detail",
        "review_report",
        "partnership_detail",
        "audit_log",
        "measurements_export",
        "targets_export",
        "dashboard",
    } <= names


def test_the_walk_asks_every_search_for_the_concerns_words(world):
    """The directory is Cairn's only search: the walk asks it for the concern's words, and it
    really searches what it is given (a name it knows is found)."""
    names = {str(pattern.name) for _, pattern in project_url_patterns()}
    assert {name for name in names if "search" in name.lower() or name == "directory"} == (
        SEARCH_PAGES
    )
    path = next(path for path, name in paths_of(world).items() if name == "directory")
    assert path.endswith(f"?q={SECRET_WORD}")
    found = Client().get("/find/", {"q": world.host.name})
    assert world.host.name in content_of(found)
    assert "0 schools" in content_of(Client().get(path))


# --- The walk ---------------------------------------------------------------------------------


def test_a_concern_is_invisible_to_everyone_else_on_every_page_and_in_every_email(
    world, django_capture_on_commit_callbacks
):
    before = {person: walk(world, person) for person in OTHERS}
    outbox_before = len(mail.outbox)

    raiser = Client()
    raiser.force_login(world.people["raiser"])
    url = reverse("concern_raise", args=[world.partnership.slug, world.review.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert raiser.post(url, {"concern": SECRET}).status_code == 302
    world.concern = SafeguardingConcern.objects.get()

    # The host headteacher and the contact are told that there is one, never what it says.
    told = mail.outbox[outbox_before:]
    assert sorted(m.to[0] for m in told) == sorted(
        [world.people["host headteacher"].email, world.people["safeguarding contact"].email]
    )

    leaks = []
    for person in OTHERS:
        after = walk(world, person)
        assert after.keys() == before[person].keys()
        for name, (status, page, path) in after.items():
            if SECRET_WORD in page:
                leaks.append(f"{person} reads the concern on {name} ({path})")
            old_status, old_page, _old_path = before[person][name]
            if status != old_status:
                leaks.append(f"{name} answers {person} {status}, not {old_status}, once it exists")
            elif name != "concern_acknowledge" and normalised(page) != normalised(old_page):
                leaks.append(f"{name} ({path}) changes for {person} once a concern exists")
    for person in READERS:
        for name, (status, page, path) in walk(world, person).items():
            if name == "concern_raise":
                assert status == 200, f"{person} cannot open the concern page"
                assert SECRET_WORD in page, f"{person} cannot read the concern"
            elif SECRET_WORD in page:
                leaks.append(f"the concern's words are on {name} ({path}), as {person} sees it")
    assert not leaks, "\n".join(leaks)
    unchecked = sorted(
        f"{name} ({path}) failed with {status} for {person}"
        for person in OTHERS
        for name, (status, _page, path) in before[person].items()
        if status >= 500
    )
    assert not unchecked, "\n".join(unchecked)

    # The report and its selectors hold none of it, even for the host headteacher.
    assert SECRET_WORD not in repr(selectors.report_contents(world.review))
    # The review goes on: reopened, resubmitted, quality-assured, signed off again; nobody's
    # email holds the concern's words.
    with django_capture_on_commit_callbacks(execute=True):
        lead, head = world.people["partnership lead"], world.people["host headteacher"]
        lead_reviewer = world.people["another reviewer on the team"]
        reports.report_move(actor=lead, review=world.review, move="reopen", comment="A typo.")
        reports.report_move(actor=lead_reviewer, review=world.review, move="submit")
        reports.report_move(actor=lead, review=world.review, move="quality_assure")
        reports.report_move(actor=head, review=world.review, move="sign_off")
    assert len(mail.outbox) > outbox_before + len(told)
    for message in mail.outbox:
        everything = " ".join(
            [message.subject, message.body, *(content for content, _ in message.alternatives)]
        )
        assert SECRET_WORD not in everything, f"the email {message.subject!r} holds the concern"
    # Nor does any record the partnership's activity log reads.
    for event in AuditEvent.objects.all():
        assert SECRET_WORD not in f"{event.target_repr} {event.details}"
    assert not AuditEvent.objects.filter(
        partnership=world.partnership, verb__startswith="safeguarding"
    ).exists()
