"""What the demo says, read from ``demo/data/``: the tables ``seed_demo`` plays through Cairn's
services.

- ``people.toml``: the schools, partnerships and people, the agreement and the invitation.
- ``figures.toml``: the priorities, three years of each school's figures and its targets.
- ``reviews/<partnership's slug>.toml``: last academic year's review cycle (``completed``), this
  year's (``current``), the conflicts of interest declared in between, and last year's
  partnership review as published.

Dates in the review files. The completed cycle keeps the default timetable and writes its
dates as ``"MM-DD"`` in that academic year. The current cycle writes them as school days
(Monday to Friday) from the day the demo is seeded, negative for days past, so its deadlines
are always in the coming weeks, with one already passed. A visit is its first day and how many
school days it lasts. Every other step (a self-review shared, a report signed off) is dated
from these by ``seed_demo``: see its timeline.

Text is written as people type it into Cairn (paragraphs separated by a blank line, lists
with "- ") and given to the services as typed. Every name, URN and address is invented, and no
child is named or described.
"""

import tomllib
from pathlib import Path
from typing import NamedTuple

from partnerships.models import Role

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> dict:
    with open(DATA / name, "rb") as file:
        return tomllib.load(file)


# --- Schools, partnerships and people ---------------------------------------------------------

_people = _read("people.toml")

DEMO_PASSWORD: str = _people["password"]  # set only when DEBUG is on
SCHOOLS: dict[str, dict] = _people["schools"]
PARTNERSHIPS: list[dict] = [
    {**spec, "lead": (spec["lead"]["name"], spec["lead"]["email"])}
    for spec in _people["partnerships"]
]
SCHOOL_ROLE_ORDER = [Role.HEADTEACHER, Role.IMPROVEMENT_CHAMPION]
# URN -> ((name, email) of the headteacher, of the improvement champion).
SCHOOL_PEOPLE: dict[str, tuple[tuple[str, str], ...]] = {
    urn: tuple((people[role]["name"], people[role]["email"]) for role in SCHOOL_ROLE_ORDER)
    for urn, people in _people["people"].items()
}
HEAD = {urn: people[0][1] for urn, people in SCHOOL_PEOPLE.items()}
CHAMPION = {urn: people[1][1] for urn, people in SCHOOL_PEOPLE.items()}
SITE_ADMIN = (_people["site_admin"]["name"], _people["site_admin"]["email"])
AGREEMENT_TEXT: str = _people["agreement"]
# Schools whose headteacher has not yet signed, so the demo shows what that looks like.
UNSIGNED_URNS = set(_people["unsigned_urns"])
# Invitations waiting to be accepted: (partnership slug, email, URN), sent by the lead.
PENDING_INVITATIONS = [
    (row["partnership"], row["email"], row["urn"]) for row in _people["pending_invitations"]
]


# --- Priorities, figures and targets ----------------------------------------------------------

_figures = _read("figures.toml")

# Partnership slug -> [(title, why, measure codes, status, outcome when closed)].
PRIORITIES = {
    slug: [(p["title"], p["why"], p["measures"], p["status"], p.get("outcome", "")) for p in rows]
    for slug, rows in _figures["priorities"].items()
}
FIGURE_YEARS = tuple(_figures["years"])
# URN -> measure code -> a value for each of FIGURE_YEARS.
FIGURES = {
    urn: {code: tuple(values) for code, values in by_code.items()}
    for urn, by_code in _figures["figures"].items()
}
MEASURE_COHORTS: dict[str, str] = _figures["measure_cohorts"]
COHORTS = {
    urn: {cohort: tuple(sizes) for cohort, sizes in by_cohort.items()}
    for urn, by_cohort in _figures["cohorts"].items()
}
# (URN, measure code, year) -> the school's note on that figure.
FIGURE_NOTES = {(n["urn"], n["measure"], n["year"]): n["note"] for n in _figures["notes"]}
TARGET_BASELINE_YEAR: int = _figures["target_baseline_year"]
TARGET_YEAR: int = _figures["target_year"]


class TargetSpec(NamedTuple):
    """A school's target on a measure: the value, the headteacher's statement, and for a floor
    target (a level to hold) why."""

    value: float
    statement: str
    floor_reason: str = ""
    target_year: int = TARGET_YEAR


# Partnership slug -> URN -> measure code -> the school's target, on its active priorities.
TARGETS = {
    slug: {
        urn: {code: TargetSpec(**spec) for code, spec in by_code.items()}
        for urn, by_code in by_urn.items()
    }
    for slug, by_urn in _figures["targets"].items()
}


# --- Peer reviews and published reviews -------------------------------------------------------

# A date: (month, day) in the completed cycle's academic year, or school days from the seeding
# day in the current cycle.
When = tuple[int, int] | int


def _when(value: str | int) -> When:
    if isinstance(value, int):
        return value
    month, day = value.split("-")
    return int(month), int(day)


class EvidenceSpec(NamedTuple):
    kind: str
    description: str
    file: tuple[str, str] | None = None  # (file name, its text)


class ChallengeSpec(NamedTuple):
    """A reviewer's question on a finding, its author's answer ("" while unanswered) and the
    evidence the author then added."""

    raised_by: str
    text: str
    reply: str = ""
    added: tuple[EvidenceSpec, ...] = ()


class FindingSpec(NamedTuple):
    kind: str
    author: str
    judgement: str
    evidence: tuple[EvidenceSpec, ...]
    challenge: ChallengeSpec | None = None
    submitted: bool = True


class ReturnSpec(NamedTuple):
    """A report sent back once before it went on: by the partnership lead after submission
    ("return") or by the host headteacher at sign-off ("host_return"); what the lead reviewer
    then added (evidence on a finding, by index) and the summary they submitted again."""

    move: str
    comment: str
    summary: str
    evidence: tuple[tuple[int, EvidenceSpec], ...] = ()


class WorkshopSpec(NamedTuple):
    held_on: When
    participants: str
    agreed: str


class ActionSpec(NamedTuple):
    description: str
    owner: str
    due_on: When
    status: str
    what_changed: str = ""
    finding: int | None = None  # the index, in the review's findings, of the area it answers


class ReviewSpec(NamedTuple):
    urn: str
    priority: str  # the title of one of the partnership's active priorities
    theme: str
    question: str
    self_review: dict[str, str]
    lead_reviewer: str
    reviewers: tuple[str, ...]
    visit: tuple[When, int]  # the first day, and how many school days
    self_review_shared: bool = True
    pre_review_notes: str = ""
    findings: tuple[FindingSpec, ...] = ()
    summary: str = ""
    # How far the report has gone: "draft", "submitted", "quality_assured" or "signed_off".
    report: str = "draft"
    returned: ReturnSpec | None = None
    concern: tuple[str, str] | None = None  # (raised by, the concern)
    workshop: WorkshopSpec | None = None
    actions: tuple[ActionSpec, ...] = ()
    impact_review: str = ""


class ConflictSpec(NamedTuple):
    """A conflict of interest declared after last year's reviews, before this year's teams."""

    user: str
    urn: str
    reason: str
    note: str


class CycleSpec(NamedTuple):
    deadlines: dict[str, int]  # school days from the seeding day; empty for the default timetable
    reviews: tuple[ReviewSpec, ...]


class PublicationSpec(NamedTuple):
    introduction: str
    next_steps: str
    # Priority title: (where we are, in one line; what the partnership did and what changed).
    priorities: dict[str, tuple[str, str]]
    # (the corrected introduction, the public note of what changed), or None.
    correction: tuple[str, str] | None = None


def _evidence(row: dict) -> EvidenceSpec:
    file = row.get("file")
    return EvidenceSpec(row["kind"], row["description"], file and (file["name"], file["text"]))


def _finding(row: dict) -> FindingSpec:
    challenge = row.get("challenge")
    if challenge:
        added = tuple(_evidence(e) for e in challenge.get("added", ()))
        challenge = ChallengeSpec(
            challenge["raised_by"], challenge["text"], challenge.get("reply", ""), added
        )
    return FindingSpec(
        row["kind"],
        row["author"],
        row["judgement"],
        tuple(_evidence(e) for e in row["evidence"]),
        challenge,
        row.get("submitted", True),
    )


def _review(row: dict) -> ReviewSpec:
    visit, report = row["visit"], row.get("report", {})
    returned = report.get("returned")
    if returned:
        returned = ReturnSpec(
            returned["move"],
            returned["comment"],
            returned["summary"],
            tuple((e["finding"], _evidence(e)) for e in returned.get("evidence", ())),
        )
    workshop = row.get("workshop")
    if workshop:
        workshop = WorkshopSpec(
            _when(workshop["held_on"]), workshop["participants"], workshop["agreed"]
        )
    concern = row.get("concern")
    return ReviewSpec(
        urn=row["urn"],
        priority=row["priority"],
        theme=row["theme"],
        question=row["question"],
        self_review=row["self_review"],
        lead_reviewer=row["lead_reviewer"],
        reviewers=tuple(row["reviewers"]),
        visit=(_when(visit["first_day"]), visit["days"]),
        self_review_shared=row.get("self_review_shared", True),
        pre_review_notes=visit.get("pre_review_notes", ""),
        findings=tuple(_finding(f) for f in row.get("findings", ())),
        summary=report.get("summary", ""),
        report=report.get("stage", "draft"),
        returned=returned,
        concern=concern and (concern["raised_by"], concern["text"]),
        workshop=workshop,
        actions=tuple(
            ActionSpec(
                a["description"],
                a["owner"],
                _when(a["due_on"]),
                a["status"],
                a.get("what_changed", ""),
                a.get("finding"),
            )
            for a in row.get("actions", ())
        ),
        impact_review=row.get("impact_review", {}).get("text", ""),
    )


def _cycle(table: dict) -> CycleSpec:
    return CycleSpec(table.get("deadlines", {}), tuple(_review(r) for r in table["reviews"]))


CYCLES: dict[str, dict[str, CycleSpec]] = {}
CONFLICTS: dict[str, tuple[ConflictSpec, ...]] = {}
PUBLICATIONS: dict[str, PublicationSpec] = {}
for _spec in PARTNERSHIPS:
    _slug = _spec["slug"]
    _reviews = _read(f"reviews/{_slug}.toml")
    CYCLES[_slug] = {kind: _cycle(_reviews[kind]) for kind in ("completed", "current")}
    CONFLICTS[_slug] = tuple(ConflictSpec(**row) for row in _reviews.get("conflicts", ()))
    _publication = _reviews["publication"]
    _correction = _publication.get("correction")
    PUBLICATIONS[_slug] = PublicationSpec(
        introduction=_publication["introduction"],
        next_steps=_publication["next_steps"],
        priorities={p["title"]: (p["where_we_are"], p["text"]) for p in _publication["priorities"]},
        correction=_correction and (_correction["introduction"], _correction["note"]),
    )
