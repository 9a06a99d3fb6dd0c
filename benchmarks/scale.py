"""A national-size synthetic Cairn: every table a page reads, filled with bulk inserts.

``seed_scale`` builds, from one random seed, about 24,000 schools and 5,000 partnerships of 3 to
10 schools (some schools in two), each with its lead, headteachers, improvement champions and
data-sharing agreement; 4 academic years of figures on 6 measures for every school; three
active priorities per partnership with every member school's stretch targets; and a review
cycle for each of the last four academic years (complete: reports signed off, findings with
evidence, workshops, action plans, impact reviews, reminders sent, and the partnership review
published) plus this year's, part-way. Smaller sizes scale everything with the schools.

Everything is made in memory and written with ``bulk_create``, a few hundred partnerships at a
time, so the run takes minutes and bounded memory. The same seed, size and year make the same
data. Published versions' snapshots are built here in the shape ``reviews.snapshot`` freezes,
from the same figures, rather than through the publishing service (which would take hours);
their PDFs are left waiting for the worker, as after a busy publishing day.
"""

import datetime
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from psycopg.types.json import Jsonb

from accounts.models import User
from partnerships.models import (
    AgreementSignature,
    AgreementVersion,
    Membership,
    Partnership,
    Role,
    RoleAssignment,
    School,
)
from priorities.catalogue import ensure_common_measures
from priorities.models import (
    Measure,
    Measurement,
    Priority,
    PriorityTransition,
    SchoolTarget,
    format_academic_year,
)
from reviews.models import (
    Action,
    Evidence,
    Finding,
    FindingKind,
    PartnershipReview,
    PeerReview,
    PriorityNarrative,
    PublicationStatus,
    PublicationTransition,
    PublishedVersion,
    ReminderSent,
    ReportStatus,
    ReviewCycle,
    ReviewTeamMember,
    ReviewTransition,
    SchoolSummary,
    SelfReview,
    SummaryStatus,
    Theme,
    Workshop,
)
from reviews.snapshot import SCHEMA

NATIONAL_SCHOOLS = 24_000
NATIONAL_PARTNERSHIPS = 5_000
FIRST_URN = 700_000  # fictional: GIAS has issued no URN here
FIGURE_YEARS = 4  # figures for the four academic years before this one
COMPLETE_CYCLES = 4  # cycles done and published before this year's
SHARED_SCHOOL_SHARE = 0.12  # of membership places taken by a school already in a partnership
UNSIGNED_SHARE = 0.04  # schools whose headteacher has not signed the agreement
PARTNERSHIPS_PER_CHUNK = 250
BATCH_SIZE = 2000
EMAIL_DOMAIN = "scale.example"

# Partnership sizes (3 to 10 schools) and how common each is: 4.9 schools on average.
SIZES = (3, 4, 5, 6, 7, 8, 9, 10)
SIZE_WEIGHTS = (30, 25, 15, 10, 7, 5, 4, 4)

# The six measures and the three priorities that use them, two measures each.
PRIORITIES = (
    ("Reading, writing and maths at the expected standard", ("ks2_rwm_expected", "ks2_rwm_higher")),
    ("Closing the gap for disadvantaged pupils", ("ks2_rwm_disadvantaged_gap", "phonics_expected")),
    ("Every pupil in school every day", ("overall_absence", "persistent_absence")),
)
MEASURE_CODES = tuple(code for _title, codes in PRIORITIES for code in codes)
# A school's typical figure on each measure, and how far schools spread around it.
FIGURE_CENTRES = {
    "ks2_rwm_expected": (61, 12),
    "ks2_rwm_higher": (9, 4),
    "ks2_rwm_disadvantaged_gap": (18, 8),
    "phonics_expected": (80, 7),
    "overall_absence": (6, 1.5),
    "persistent_absence": (18, 6),
}

PLACES = [
    "Abbotsford",
    "Ashby",
    "Barnfield",
    "Beckton",
    "Birchwood",
    "Bramley",
    "Brookside",
    "Castleton",
    "Cherry",
    "Hinton",
    "Claymore",
    "Coldharbour",
    "Cranford",
    "Dalton",
    "Denby",
    "Eastwood",
    "Elmhurst",
    "Fairfield",
    "Fenwick",
    "Glenmoor",
    "Greenacre",
    "Hadley",
    "Harrowby",
    "Hatherley",
    "Highfield",
    "Hollybank",
    "Kingsley",
    "Langdon",
    "Larkhill",
    "Lowther",
    "Marston",
    "Meadowbank",
    "Middleton",
    "Millfield",
    "Moorside",
    "Northgate",
    "Oakley",
    "Orchard",
    "Park",
    "Pendle",
    "Queensbury",
    "Radcliffe",
    "Redhill",
    "Ridgeway",
    "Riverside",
    "Rosedale",
    "Saltash",
    "Sandhurst",
    "Southfield",
    "Springwell",
    "Stanmore",
    "Thornbury",
    "Upton",
    "Wallbrook",
    "Westbury",
    "Whitmore",
    "Willowbrook",
    "Woodlands",
    "Yarrow",
]
SCHOOL_KINDS = (
    ("Primary School", "Primary"),
    ("Community Primary School", "Primary"),
    ("Church of England Primary School", "Primary"),
    ("Catholic Primary School", "Primary"),
    ("Primary Academy", "Primary"),
    ("Infant and Nursery School", "Primary"),
    ("Junior School", "Primary"),
    ("Academy", "Secondary"),
    ("High School", "Secondary"),
)
LOCAL_AUTHORITIES = [
    "Barnsley",
    "Birmingham",
    "Bradford",
    "Bristol",
    "Cornwall",
    "Cumbria",
    "Derbyshire",
    "Devon",
    "Dorset",
    "Durham",
    "Essex",
    "Gloucestershire",
    "Hampshire",
    "Hertfordshire",
    "Kent",
    "Lancashire",
    "Leeds",
    "Leicestershire",
    "Lincolnshire",
    "Liverpool",
    "Manchester",
    "Norfolk",
    "Northumberland",
    "Nottinghamshire",
    "Oxfordshire",
    "Sheffield",
    "Somerset",
    "Staffordshire",
    "Suffolk",
    "Surrey",
    "Wiltshire",
    "Worcestershire",
]
FIRST_NAMES = [
    "Aisha",
    "Amir",
    "Anna",
    "Ben",
    "Chloe",
    "Daniel",
    "Eleanor",
    "Farah",
    "Grace",
    "Hannah",
    "Imran",
    "James",
    "Jo",
    "Kate",
    "Leon",
    "Maya",
    "Nadia",
    "Oliver",
    "Priya",
    "Rachel",
    "Sam",
    "Tom",
    "Una",
    "Victor",
    "Wendy",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Ahmed",
    "Bailey",
    "Carter",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nolan",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Walker",
    "Young",
]
PARTNERSHIP_WORDS = ("Learning", "Schools", "Education", "Peer Review", "Improvement")


@dataclass
class Sizes:
    schools: int
    partnerships: int

    @classmethod
    def for_schools(cls, schools: int) -> "Sizes":
        return cls(schools, max(1, round(NATIONAL_PARTNERSHIPS * schools / NATIONAL_SCHOOLS)))


@dataclass
class PartnershipPlan:
    index: int
    name: str
    slug: str
    members: list[int]  # school indexes, ordered by school name
    unsigned: set[int] = field(default_factory=set)
    obj: Partnership | None = None
    lead: User | None = None
    priorities: list[Priority] = field(default_factory=list)


def current_academic_year(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _rich(text: str) -> tuple[str, str]:
    return f"<p>{text}</p>", text


def _json_dumps(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder)


def _bulk(model, objects: list) -> list:
    """Insert ``objects`` and give each its primary key.

    On PostgreSQL the keys are taken from the table's sequence and the rows sent with ``COPY``,
    several times faster than ``INSERT``; elsewhere ``bulk_create``.
    """
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    meta = model._meta
    table = meta.db_table
    pk = meta.pk
    with connection.cursor() as cursor:
        if pk.get_internal_type() in ("AutoField", "BigAutoField"):
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(objects)],
            )
            for obj, (key,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = key
        fields = meta.concrete_fields
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        copy_sql = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        # Field values as COPY takes them: the attribute itself for plain and foreign-key
        # columns (Django's per-field preparation costs more than the insert), JSON adapted.
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        file_fields = {f.attname for f in fields if isinstance(f, models.FileField)}
        names = [f.attname for f in fields]
        with cursor.cursor.copy(copy_sql) as copy:
            for obj in objects:
                values = obj.__dict__
                row = [values[name] for name in names]
                for i, name in enumerate(names):
                    if name in json_fields:
                        row[i] = Jsonb(row[i], dumps=_json_dumps)
                    elif name in file_fields:
                        row[i] = str(row[i] or "")
                copy.write_row(row)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = "default"
    return objects


class ScaleSeeder:
    """Builds the dataset. ``run`` writes everything inside one transaction."""

    def __init__(self, *, schools: int, seed: int, year: int, log=None):
        if schools < 10:
            raise ValueError("seed_scale needs at least 10 schools.")
        self.sizes = Sizes.for_schools(schools)
        self.rng = random.Random(seed)  # noqa: S311 - reproducible, not secret
        self.year = year  # this academic year: its cycle is part-way
        self.figure_years = list(range(year - FIGURE_YEARS, year))
        self.cycle_years = list(range(year - COMPLETE_CYCLES, year + 1))
        self.log = log or (lambda message: None)
        self.counts: Counter = Counter()

    # --- Schools and people --------------------------------------------------------------

    def _schools(self) -> None:
        rng = self.rng
        rows = []
        for i in range(self.sizes.schools):
            place = rng.choice(PLACES)
            kind, phase = SCHOOL_KINDS[rng.randrange(len(SCHOOL_KINDS))]
            la_index = rng.randrange(len(LOCAL_AUTHORITIES))
            rows.append(
                School(
                    urn=str(FIRST_URN + i),
                    laestab=f"{201 + la_index * 20}{i % 10000:04d}",
                    name=f"{place} {kind}",
                    phase=phase,
                    establishment_type="Academy converter"
                    if "Academy" in kind
                    else "Community school",
                    local_authority=LOCAL_AUTHORITIES[la_index],
                    town=place,
                    postcode=f"{'ABCDEFGHKLMNPRSTW'[i % 17]}{'ABDEHLMNRSTW'[i // 17 % 12]}"
                    f"{i % 9 + 1} {i // 9 % 9 + 1}{'ABDEFGHJLNPQRSTUWXYZ'[i % 20]}"
                    f"{'ABDEFGHJLNPQRSTUWXYZ'[i // 20 % 20]}",
                    trust_name=f"{place} Learning Trust" if "Academy" in kind else "",
                )
            )
        self.schools = _bulk(School, rows)
        self.counts["schools"] = len(self.schools)

    def _plan_partnerships(self) -> None:
        rng = self.rng
        order = list(range(self.sizes.schools))
        rng.shuffle(order)
        cursor = 0
        used: list[int] = []
        self.plans: list[PartnershipPlan] = []
        for p in range(self.sizes.partnerships):
            # The first partnership is a large one (10 schools): the large PDF.
            size = 10 if p == 0 else rng.choices(SIZES, SIZE_WEIGHTS)[0]
            size = min(size, self.sizes.schools)
            members: set[int] = set()
            while len(members) < size:
                if used and (rng.random() < SHARED_SCHOOL_SHARE or cursor >= len(order)):
                    candidate = rng.choice(used)
                else:
                    candidate = order[cursor]
                    cursor += 1
                    used.append(candidate)
                members.add(candidate)
            place, other = rng.sample(PLACES, 2)
            name = f"{place} and {other} {rng.choice(PARTNERSHIP_WORDS)} Partnership"
            ordered = sorted(members, key=lambda s: (self.schools[s].name, s))
            unsigned = {s for s in ordered if rng.random() < UNSIGNED_SHARE}
            self.plans.append(
                PartnershipPlan(p, name, f"{slugify(name)}-{p + 1}", ordered, unsigned)
            )
        self.member_schools = sorted({s for plan in self.plans for s in plan.members})

    def _person(self, email: str) -> User:
        rng = self.rng
        return User(
            email=email,
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            password=UNUSABLE_PASSWORD_PREFIX,  # no password: they sign in with an emailed code
            date_joined=_at(datetime.date(self.year - COMPLETE_CYCLES - 1, 9, 1)),
        )

    def _people(self) -> None:
        leads = [self._person(f"lead.{plan.index + 1}@{EMAIL_DOMAIN}") for plan in self.plans]
        heads = [
            self._person(f"head.{self.schools[s].urn}@{EMAIL_DOMAIN}") for s in self.member_schools
        ]
        champions = [
            self._person(f"champion.{self.schools[s].urn}@{EMAIL_DOMAIN}")
            for s in self.member_schools
        ]
        users = _bulk(User, leads + heads + champions)
        _bulk(
            EmailAddress,
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        )
        self.counts["people"] = len(users)
        n = len(self.member_schools)
        for plan, lead in zip(self.plans, users[: len(leads)], strict=True):
            plan.lead = lead
        self.head = dict(zip(self.member_schools, users[len(leads) : len(leads) + n], strict=True))
        self.champion = dict(zip(self.member_schools, users[len(leads) + n :], strict=True))

    def _partnerships(self) -> None:
        started = datetime.date(self.year - COMPLETE_CYCLES - 1, 9, 1)
        rows = [
            Partnership(
                name=plan.name,
                slug=plan.slug,
                purpose=f"Schools in {plan.name.split(' and ')[0]} working together so that "
                "every child reads, writes and counts with confidence.",
                values="We visit each other's schools with curiosity, share what we find "
                "honestly and follow up what we agree.",
                public_summary=f"{len(plan.members)} schools reviewing each other's work.",
                created_at=_at(started),
            )
            for plan in self.plans
        ]
        for plan, partnership in zip(self.plans, _bulk(Partnership, rows), strict=True):
            plan.obj = partnership
        memberships, roles, versions = [], [], []
        for plan in self.plans:
            roles.append(
                RoleAssignment(
                    user=plan.lead, partnership=plan.obj, role=Role.PARTNERSHIP_LEAD,
                    granted_at=_at(started),
                )
            )  # fmt: skip
            versions.append(
                AgreementVersion(
                    partnership=plan.obj,
                    number=1,
                    text="Each member school shares its figures on the partnership's measures "
                    "with the other members, for the partnership's work only.",
                    published_by=plan.lead,
                    published_at=_at(started),
                )
            )
            for s in plan.members:
                school = self.schools[s]
                memberships.append(
                    Membership(partnership=plan.obj, school=school, joined_on=started)
                )
                for user, role in (
                    (self.head[s], Role.HEADTEACHER),
                    (self.head[s], Role.PEER_REVIEWER),
                    (self.champion[s], Role.IMPROVEMENT_CHAMPION),
                ):
                    roles.append(
                        RoleAssignment(
                            user=user, partnership=plan.obj, school=school, role=role,
                            granted_at=_at(started), granted_by=plan.lead,
                        )
                    )  # fmt: skip
        _bulk(Membership, memberships)
        _bulk(RoleAssignment, roles)
        versions = _bulk(AgreementVersion, versions)
        signatures = [
            AgreementSignature(
                version=version,
                school=self.schools[s],
                signed_by=self.head[s],
                signed_at=_at(datetime.date(self.year - COMPLETE_CYCLES - 1, 9, 20)),
            )
            for plan, version in zip(self.plans, versions, strict=True)
            for s in plan.members
            if s not in plan.unsigned
        ]
        _bulk(AgreementSignature, signatures)
        self.counts["partnerships"] = len(self.plans)
        self.counts["memberships"] = len(memberships)

    # --- Figures, priorities and targets --------------------------------------------------

    def _figures(self) -> None:
        rng = self.rng
        ensure_common_measures()  # as seed_demo does: the catalogue a migration put there
        measures = Measure.objects.filter(partnership=None, code__in=MEASURE_CODES)
        self.measures = {m.code: m for m in measures}
        missing = set(MEASURE_CODES) - set(self.measures)
        if missing:
            raise RuntimeError(f"Measures missing from the catalogue: {', '.join(sorted(missing))}")
        # self.figures[school index][code] = [(value, cohort), ...] for each figure year
        self.figures: dict[int, dict[str, list[tuple[Decimal, int]]]] = {}
        rows = []
        entered_at = _at(datetime.date(self.year, 7, 20))
        for s, school in enumerate(self.schools):
            by_code = {}
            for code in MEASURE_CODES:
                measure = self.measures[code]
                centre, spread = FIGURE_CENTRES[code]
                level = rng.gauss(centre, spread)
                trend = rng.gauss(0.6 if measure.higher_is_better else -0.3, 1.0)
                series = []
                for offset, year in enumerate(self.figure_years):
                    raw = level + trend * offset + rng.gauss(0, spread / 6)
                    raw = min(max(raw, float(measure.min_value)), float(measure.max_value))
                    value = Decimal(f"{raw:.1f}")
                    cohort = rng.randint(3, 90)
                    series.append((value, cohort))
                    rows.append(
                        Measurement(
                            school=school, measure=measure, academic_year=year,
                            value=value, cohort_size=cohort, entered_at=entered_at,
                        )
                    )  # fmt: skip
                by_code[code] = series
            self.figures[s] = by_code
            if len(rows) >= 20 * BATCH_SIZE:
                _bulk(Measurement, rows)
                self.counts["figures"] += len(rows)
                rows = []
        _bulk(Measurement, rows)
        self.counts["figures"] += len(rows)
        baseline_year = self.figure_years[0]
        self.baselines = {
            (school_id, measure_id): pk
            for school_id, measure_id, pk in Measurement.objects.filter(
                academic_year=baseline_year, school_id__in=[s.pk for s in self.schools]
            ).values_list("school_id", "measure_id", "pk")
        }

    def _priorities(self) -> None:
        agreed = datetime.date(self.year - COMPLETE_CYCLES, 7, 1)
        rows = []
        for plan in self.plans:
            for slot, (title, _codes) in enumerate(PRIORITIES, start=1):
                rows.append(
                    Priority(
                        partnership=plan.obj,
                        title=title,
                        rationale="Our schools' figures on this measure sit below the national "
                        "picture and no school has closed the gap alone.",
                        status=Priority.Status.ACTIVE,
                        active_slot=slot,
                        start_date=agreed,
                        order=slot,
                        proposed_by=plan.lead,
                        proposed_at=_at(agreed - datetime.timedelta(days=30)),
                        agreed_by=plan.lead,
                        agreed_at=_at(agreed),
                    )
                )
        rows = _bulk(Priority, rows)
        through, transitions, targets = [], [], []
        target_year = self.year + 1
        for p, plan in enumerate(self.plans):
            plan.priorities = rows[p * 3 : p * 3 + 3]
            for priority, (_title, codes) in zip(plan.priorities, PRIORITIES, strict=True):
                transitions.append(
                    PriorityTransition(
                        priority=priority, from_status="", to_status="proposed",
                        actor=plan.lead, at=priority.proposed_at,
                    )
                )  # fmt: skip
                transitions.append(
                    PriorityTransition(
                        priority=priority, from_status="proposed", to_status="active",
                        actor=plan.lead, at=priority.agreed_at,
                    )
                )  # fmt: skip
                for code in codes:
                    measure = self.measures[code]
                    through.append(Priority.measures.through(priority=priority, measure=measure))
                    for s in plan.members:
                        baseline = self.figures[s][code][0][0]
                        step = Decimal("4.0") if measure.higher_is_better else Decimal("-2.0")
                        target = min(max(baseline + step, measure.min_value), measure.max_value)
                        targets.append(
                            SchoolTarget(
                                priority=priority,
                                school=self.schools[s],
                                measure=measure,
                                baseline_id=self.baselines[(self.schools[s].pk, measure.pk)],
                                target_value=target,
                                target_year=target_year,
                                statement="Visiting each other's classrooms shows us what works.",
                                set_by=self.head[s],
                                set_at=_at(datetime.date(self.year - COMPLETE_CYCLES, 9, 30)),
                                updated_by=self.head[s],
                                updated_at=_at(datetime.date(self.year - COMPLETE_CYCLES, 9, 30)),
                            )
                        )
        _bulk(Priority.measures.through, through)
        _bulk(PriorityTransition, transitions)
        _bulk(SchoolTarget, targets)
        self.counts["priorities"] = len(rows)
        self.counts["targets"] = len(targets)

    # --- Review cycles, reviews and the published review ----------------------------------

    def _deadlines(self, year: int) -> dict[str, datetime.date]:
        return {
            "data_sharing_due": datetime.date(year, 10, 15),
            "self_reviews_due": datetime.date(year, 11, 15),
            "visits_from": datetime.date(year + 1, 1, 10),
            "visits_until": datetime.date(year + 1, 3, 20),
            "reports_due": datetime.date(year + 1, 4, 30),
            "workshops_due": datetime.date(year + 1, 6, 15),
            "impact_reviews_due": datetime.date(year + 1, 7, 15),
        }

    def _cycles(self) -> None:
        for start in range(0, len(self.plans), PARTNERSHIPS_PER_CHUNK):
            with transaction.atomic():
                self._cycles_for(self.plans[start : start + PARTNERSHIPS_PER_CHUNK])
            self.log(
                f"  review cycles: {min(start + PARTNERSHIPS_PER_CHUNK, len(self.plans))} "
                f"of {len(self.plans)} partnerships"
            )

    def _cycles_for(self, plans: list[PartnershipPlan]) -> None:
        rng = self.rng
        cycles = []
        for plan in plans:
            for year in self.cycle_years:
                cycles.append(
                    ReviewCycle(
                        partnership=plan.obj, academic_year=year, created_by=plan.lead,
                        created_at=_at(datetime.date(year, 9, 5)), **self._deadlines(year),
                    )
                )  # fmt: skip
        cycles = _bulk(ReviewCycle, cycles)
        self.counts["cycles"] += len(cycles)

        reviews, plan_of, school_of, progress = [], [], [], []
        for c, cycle in enumerate(cycles):
            plan = plans[c // len(self.cycle_years)]
            complete = cycle.academic_year < self.year
            due = self._deadlines(cycle.academic_year)
            for m, s in enumerate(plan.members):
                # This year's reviews are part-way: 0 nothing yet, 1 focus set, 2 self-review
                # shared, 3 team assigned, 4 visit dates agreed.
                stage = 5 if complete else rng.choices(range(5), (10, 15, 35, 25, 15))[0]
                priority = plan.priorities[(m + cycle.academic_year) % 3]
                visit = due["visits_from"] + datetime.timedelta(days=7 * (m % 8))
                review = PeerReview(
                    cycle=cycle,
                    host_school=self.schools[s],
                    priority=priority if stage >= 1 else None,
                    theme=list(Theme)[m % 4] if stage >= 1 else "",
                    enquiry_question=(
                        f"To what extent does our work on {priority.title.lower()} reach the "
                        "pupils who need it most?"
                    )
                    if stage >= 1
                    else "",
                    visit_start=visit if stage >= 4 else None,
                    visit_end=visit + datetime.timedelta(days=1) if stage >= 4 else None,
                    created_at=_at(cycle.data_sharing_due),
                )
                if complete:
                    review.status = ReportStatus.SIGNED_OFF
                    review.signed_off_at = _at(due["reports_due"])
                    review.report_summary, review.report_summary_source = _rich(
                        "The school knows its pupils well and its leaders act on what they find."
                    )
                    review.impact_review, review.impact_review_source = _rich(
                        "More pupils reached the expected standard than the year before."
                    )
                    review.impact_reviewed_by = self.head[s]
                    review.impact_reviewed_at = _at(due["impact_reviews_due"])
                reviews.append(review)
                plan_of.append(plan)
                school_of.append(s)
                progress.append(stage)
        reviews = _bulk(PeerReview, reviews)
        self.counts["reviews"] += len(reviews)

        self_reviews, team, findings, transitions, workshops, reminders = [], [], [], [], [], []
        for review, plan, s, stage in zip(reviews, plan_of, school_of, progress, strict=True):
            due = self._deadlines(review.cycle.academic_year)
            if stage >= 1:
                text = _rich("Our pupils arrive with a wide range of starting points.")
                self_reviews.append(
                    SelfReview(
                        review=review, context=text[0], context_source=text[1],
                        strengths=text[0], strengths_source=text[1], updated_by=self.head[s],
                        updated_at=_at(due["self_reviews_due"] - datetime.timedelta(days=3)),
                        shared_at=_at(due["self_reviews_due"]) if stage >= 2 else None,
                    )
                )  # fmt: skip
            if stage >= 3:
                others = [o for o in plan.members if o != s]
                chosen = [others[(review.pk + k) % len(others)] for k in range(min(2, len(others)))]
                for k, o in enumerate(dict.fromkeys(chosen)):
                    team.append(
                        ReviewTeamMember(
                            review=review, user=self.head[o], school=self.schools[o],
                            is_lead=k == 0, assigned_by=plan.lead,
                            assigned_at=_at(due["self_reviews_due"]),
                        )
                    )  # fmt: skip
            if stage < 5:
                if stage < 2:
                    for kind in ("before", "on_the_day"):
                        reminders.append(
                            ReminderSent(
                                review=review, stage="self_review", kind=kind,
                                deadline=due["self_reviews_due"],
                                sent_at=_at(due["self_reviews_due"]),
                            )
                        )  # fmt: skip
                continue
            lead_reviewer = self.head[plan.members[(plan.members.index(s) + 1) % len(plan.members)]]
            for kind, judgement in (
                (FindingKind.STRENGTH, "Pupils explain their reasoning clearly in maths."),
                (FindingKind.STRENGTH, "Staff use the same language for feedback across classes."),
                (FindingKind.AREA_TO_DEVELOP, "Disadvantaged pupils get fewer chances to talk."),
            ):
                html, source = _rich(judgement)
                findings.append(
                    Finding(
                        review=review, kind=kind, judgement=html, judgement_source=source,
                        priority=review.priority, status=Finding.Status.SUBMITTED,
                        author=lead_reviewer, created_at=_at(due["visits_until"]),
                        updated_at=_at(due["visits_until"]),
                        submitted_at=_at(due["visits_until"]),
                    )
                )  # fmt: skip
            draft, submitted = ReportStatus.DRAFT, ReportStatus.SUBMITTED
            assured, signed = ReportStatus.QUALITY_ASSURED, ReportStatus.SIGNED_OFF
            for from_status, to_status, actor, day in (
                (draft, submitted, lead_reviewer, due["visits_until"]),
                (submitted, assured, plan.lead, due["reports_due"]),
                (assured, signed, self.head[s], due["reports_due"]),
            ):
                transitions.append(
                    ReviewTransition(
                        review=review, from_status=from_status, to_status=to_status,
                        actor=actor, at=_at(day),
                    )
                )  # fmt: skip
            agreed = _rich("Every class plans talk time for the pupils who speak least.")
            workshops.append(
                Workshop(
                    review=review, held_on=due["workshops_due"] - datetime.timedelta(days=10),
                    participants="All teaching staff", agreed=agreed[0], agreed_source=agreed[1],
                    recorded_by=self.champion[s], recorded_at=_at(due["workshops_due"]),
                )
            )  # fmt: skip
            for kind in ("before", "on_the_day"):
                reminders.append(
                    ReminderSent(
                        review=review, stage="report", kind=kind, deadline=due["reports_due"],
                        sent_at=_at(due["reports_due"]),
                    )
                )  # fmt: skip
        _bulk(SelfReview, self_reviews)
        _bulk(ReviewTeamMember, team)
        findings = _bulk(Finding, findings)
        _bulk(ReviewTransition, transitions)
        _bulk(Workshop, workshops)
        _bulk(ReminderSent, reminders)
        self.counts["findings"] += len(findings)
        self.counts["reminders"] += len(reminders)

        evidence, actions = [], []
        statuses = (Action.Status.DONE, Action.Status.DONE, Action.Status.IN_PROGRESS)
        for f, finding in enumerate(findings):
            evidence.append(
                Evidence(
                    finding=finding, kind=list(Evidence.Kind)[f % 5],
                    description="Seen in three lessons and in pupils' books.",
                    added_by=finding.author, added_at=finding.created_at,
                )
            )  # fmt: skip
            if finding.kind == FindingKind.AREA_TO_DEVELOP:
                review = finding.review
                due = self._deadlines(review.cycle.academic_year)
                for k, description in enumerate(
                    ("Plan paired talk into every lesson.", "Check pupil voice each half term.")
                ):
                    actions.append(
                        Action(
                            review=review, description=description, owner="Deputy headteacher",
                            due_on=due["impact_reviews_due"], finding=finding,
                            priority=review.priority, status=statuses[(f + k) % 3],
                            what_changed="Pupils now talk through their answers before writing."
                            if statuses[(f + k) % 3] == Action.Status.DONE else "",
                            created_at=_at(due["workshops_due"]),
                            updated_at=_at(due["impact_reviews_due"]),
                        )
                    )  # fmt: skip
        _bulk(Evidence, evidence)
        actions = _bulk(Action, actions)
        self.counts["actions"] += len(actions)
        action_counts: dict[int, Counter] = {}
        for action in actions:
            action_counts.setdefault(action.review_id, Counter())[action.status] += 1

        self._publish(
            [c for c in cycles if c.academic_year < self.year],
            plans,
            [(r, p, s) for r, p, s in zip(reviews, plan_of, school_of, strict=True)],
            action_counts,
        )

    def _publish(self, cycles, plans, reviews, action_counts) -> None:
        plan_by_partnership = {plan.obj.pk: plan for plan in plans}
        reviews_by_cycle: dict[int, list] = {}
        for review, _plan, s in reviews:
            reviews_by_cycle.setdefault(review.cycle_id, []).append((review, s))
        drafts = []
        for cycle in cycles:
            plan = plan_by_partnership[cycle.partnership_id]
            purpose = _rich(plan.obj.purpose)
            values = _rich(plan.obj.values)
            introduction = _rich(
                f"This is what our {len(plan.members)} schools learned from reviewing each "
                f"other in {format_academic_year(cycle.academic_year)}, and what we did next."
            )
            next_steps = _rich("Next year we keep our three priorities and visit every school.")
            drafts.append(
                PartnershipReview(
                    cycle=cycle, status=PublicationStatus.PUBLISHED,
                    purpose=purpose[0], purpose_source=purpose[1],
                    values=values[0], values_source=values[1],
                    introduction=introduction[0], introduction_source=introduction[1],
                    next_steps=next_steps[0], next_steps_source=next_steps[1],
                    created_by=plan.lead,
                    created_at=_at(self._deadlines(cycle.academic_year)["impact_reviews_due"]),
                    updated_at=_at(self._deadlines(cycle.academic_year)["impact_reviews_due"]),
                )
            )  # fmt: skip
        drafts = _bulk(PartnershipReview, drafts)
        narratives, summaries, transitions, versions = [], [], [], []
        for draft, cycle in zip(drafts, cycles, strict=True):
            plan = plan_by_partnership[cycle.partnership_id]
            published_at = _at(self._deadlines(cycle.academic_year)["impact_reviews_due"], 16)
            for order, priority in enumerate(plan.priorities):
                text = _rich("Most schools moved closer to their targets this year.")
                narratives.append(
                    PriorityNarrative(
                        review=draft, priority=priority, where_we_are="Improving in most schools",
                        narrative=text[0], narrative_source=text[1], order=order,
                    )
                )  # fmt: skip
            for review, s in reviews_by_cycle[cycle.pk]:
                found = _rich("Pupils explain their reasoning clearly; some talk too little.")
                did = _rich("Every class now plans talk time for the pupils who speak least.")
                summaries.append(
                    SchoolSummary(
                        review=draft, peer_review=review, school=self.schools[s],
                        found=found[0], found_source=found[1], did=did[0], did_source=did[1],
                        status=SummaryStatus.APPROVED, approved_by=self.head[s],
                        approved_at=published_at - datetime.timedelta(days=2),
                    )
                )  # fmt: skip
            transitions.append(
                PublicationTransition(
                    review=draft, from_status=PublicationStatus.DRAFT,
                    to_status=PublicationStatus.PUBLISHED, version_number=1,
                    actor=plan.lead, at=published_at,
                )
            )  # fmt: skip
            content = self._content(draft, cycle, plan, reviews_by_cycle[cycle.pk], action_counts)
            versions.append(
                PublishedVersion(
                    review=draft, partnership=plan.obj, academic_year=cycle.academic_year,
                    number=1,
                    title=f"{plan.name}: partnership review {content['year_label']}",
                    description=content["introduction"][3:-4],
                    content=content, published_by=plan.lead, published_at=published_at,
                )
            )  # fmt: skip
        _bulk(PriorityNarrative, narratives)
        _bulk(SchoolSummary, summaries)
        _bulk(PublicationTransition, transitions)
        versions = _bulk(PublishedVersion, versions)
        through = PublishedVersion.schools.through
        _bulk(
            through,
            [
                through(publishedversion=version, school=self.schools[s])
                for version, cycle in zip(versions, cycles, strict=True)
                for s in plan_by_partnership[cycle.partnership_id].members
            ],
        )
        self.counts["published_reviews"] += len(versions)

    def _content(self, draft, cycle, plan, reviews, action_counts) -> dict:
        """The snapshot ``reviews.snapshot.build_content`` would freeze for this draft."""
        markers = {self.schools[s].urn: m for m, s in enumerate(plan.members)}
        years = [y for y in self.figure_years if y <= cycle.academic_year]
        visible = [s for s in plan.members if s not in plan.unsigned]
        priorities = []
        for priority, (_title, codes) in zip(plan.priorities, PRIORITIES, strict=True):
            measures, total = [], Counter()
            for code in codes:
                measure = self.measures[code]
                lines, counts = [], Counter()
                per_year: dict[int, list[Decimal]] = {y: [] for y in years}
                for s in visible:
                    school = self.schools[s]
                    series = self.figures[s][code]
                    figures = []
                    for y in years:
                        value, cohort = series[self.figure_years.index(y)]
                        small = cohort < 6
                        if not small:
                            per_year[y].append(value)
                        figures.append([y, None if small else _fig(value), small])
                    baseline, baseline_cohort = series[0]
                    latest = series[self.figure_years.index(years[-1])][0]
                    if len(years) == 1:
                        progress = "no_figure"
                    elif (latest > baseline) == measure.higher_is_better:
                        progress = "on_track"
                    else:
                        progress = "off_track"
                    counts[progress] += 1
                    step = Decimal("4.0") if measure.higher_is_better else Decimal("-2.0")
                    target = min(max(baseline + step, measure.min_value), measure.max_value)
                    lines.append(
                        {
                            "urn": school.urn,
                            "name": school.name,
                            "marker": markers[school.urn],
                            "figures": figures,
                            "target": {
                                "value": _fig(target),
                                "year": self.year + 1,
                                "baseline_year": self.figure_years[0],
                                "baseline_value": None if baseline_cohort < 6 else _fig(baseline),
                                "is_floor": False,
                            },
                            "progress": progress,
                            "progress_label": PROGRESS_LABELS[progress],
                        }
                    )
                total.update(counts)
                measures.append(
                    {
                        "code": measure.code,
                        "name": measure.name,
                        "unit_suffix": measure.unit_suffix,
                        "higher_is_better": measure.higher_is_better,
                        "direction": str(Measure.Direction(measure.direction).label),
                        "source": str(Measure.Source(measure.source).label),
                        "min": _fig(measure.min_value),
                        "max": _fig(measure.max_value),
                        "years": years,
                        "average": [
                            [y, _fig(sum(v) / len(v)) if v else None] for y, v in per_year.items()
                        ],
                        "schools": lines,
                        "suppressed": sum(1 for line in lines for f in line["figures"] if f[2]),
                        "counts": dict(counts),
                    }
                )
            priorities.append(
                {
                    "id": priority.pk,
                    "title": priority.title,
                    "status": priority.status,
                    "where_we_are": "Improving in most schools",
                    "narrative": "<p>Most schools moved closer to their targets this year.</p>",
                    "measures": measures,
                    "counts": dict(total),
                }
            )
        return {
            "schema": SCHEMA,
            "partnership": {"name": plan.name, "slug": plan.slug},
            "academic_year": cycle.academic_year,
            "year_label": format_academic_year(cycle.academic_year),
            "purpose": draft.purpose,
            "values": draft.values,
            "introduction": draft.introduction,
            "next_steps": draft.next_steps,
            "schools": [
                {
                    "urn": self.schools[s].urn,
                    "name": self.schools[s].name,
                    "town": self.schools[s].town,
                    "local_authority": self.schools[s].local_authority,
                    "phase": self.schools[s].phase,
                    "marker": markers[self.schools[s].urn],
                }
                for s in plan.members
            ],
            "priorities": priorities,
            "school_summaries": [
                {
                    "urn": self.schools[s].urn,
                    "name": self.schools[s].name,
                    "priority": review.priority.title if review.priority else "",
                    "found": "<p>Pupils explain their reasoning clearly; some talk too little.</p>",
                    "did": "<p>Every class now plans talk time for the pupils who speak least.</p>",
                    "actions": {
                        status.value: action_counts.get(review.pk, Counter()).get(status.value, 0)
                        for status in Action.Status
                    },
                    "approved": True,
                }
                for review, s in reviews
            ],
            "built_at": _at(self._deadlines(cycle.academic_year)["impact_reviews_due"]).isoformat(),
        }

    # --- The whole run ----------------------------------------------------------------------

    def run(self) -> Counter:
        steps = (
            ("schools", self._schools),
            ("partnerships planned", self._plan_partnerships),
            ("people", self._people),
            ("partnerships, members, roles, agreements", self._partnerships),
            ("figures", self._figures),
            ("priorities and targets", self._priorities),
            ("review cycles and published reviews", self._cycles),
        )
        for label, step in steps:
            started = time.perf_counter()
            step()
            self.log(f"{label}: {time.perf_counter() - started:.1f} s")
        return self.counts


def _fig(value) -> str:
    return format(Decimal(value).quantize(Decimal("0.1")).normalize(), "f")


PROGRESS_LABELS = {
    "no_figure": "No figure since the baseline",
    "on_track": "On track",
    "off_track": "Off track",
}


def seed_scale(*, schools: int, seed: int, year: int | None = None, log=None) -> Counter:
    """Write the dataset for ``schools`` schools (24,000 is national size); return its counts."""
    seeder = ScaleSeeder(schools=schools, seed=seed, year=year or current_academic_year(), log=log)
    with transaction.atomic():
        return seeder.run()
