"""Create Cairn's demo data: two fictional partnerships, their schools and their people, three
years of each school's figures, the partnerships' priorities, each school's targets on them,
two peer-review cycles per partnership (last year's, complete, and this year's, part-way),
and last year's partnership review published for families (Millbrook's corrected once).

Safe to run again: it brings the same records up to date and creates no duplicates.

What the demo says is in ``demo/data/`` (read by ``demo/content.py``); this command plays it
through every app's services.
"""

import contextlib
import datetime
import itertools
import json

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_ensure
from demo import clock, content
from demo.clock import school_days_after
from partnerships.invitations import invitation_create
from partnerships.models import Invitation, Role, RoleAssignment, School
from partnerships.services import (
    agreement_publish,
    agreement_sign,
    membership_ensure,
    partnership_upsert,
    role_ensure,
    school_upsert,
)
from priorities.catalogue import ensure_common_measures
from priorities.models import Measure, Priority, SchoolTarget
from priorities.services import (
    measurements_record_year,
    priority_activate,
    priority_close,
    priority_propose,
    target_set,
)
from reviews.models import ConflictDeclaration, PartnershipReview, ReviewCycle
from reviews.services import (
    cycles,
    enquiry,
    findings,
    publication,
    reports,
    safeguarding,
    team,
    workshops,
)
from reviews.services.cycles import default_timetable

# How far a demo report goes along its workflow, in order.
REPORT_STAGES = ["draft", "submitted", "quality_assured", "signed_off"]


@contextlib.contextmanager
def emails_go_nowhere():
    """Email sent meanwhile is dropped instead of queued for the worker."""
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = backend


class Command(BaseCommand):
    help = "Create or refresh the demo partnerships, schools and accounts, and list the accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Print the demo accounts as a JSON list."
        )

    def handle(self, *args, **options):
        # Demo passwords exist only where DEBUG is on; elsewhere demo people sign in by code.
        password = content.DEMO_PASSWORD if settings.DEBUG else None
        with transaction.atomic():
            accounts = self.seed(password)
        # The peer reviews follow the priorities they enquire into. They replay more than a
        # year of the partnerships' work, whose emails (teams assigned, reports moved,
        # challenges answered) would all arrive at once about steps long past: they are queued
        # when the transaction commits, and it commits while email goes nowhere.
        with emails_go_nowhere(), transaction.atomic():
            for partnership, lead in self.partnerships.values():
                self.seed_reviews(partnership, lead)
        # Last year's review, published for families (its PDF is made by the worker, once
        # the transaction commits).
        with emails_go_nowhere(), transaction.atomic():
            for partnership, lead in self.partnerships.values():
                self.seed_publication(partnership, lead)
        if options["json"]:
            self.stdout.write(json.dumps(accounts, indent=2))
        else:
            self.print_table(accounts, password)

    def seed(self, password: str | None) -> list[dict]:
        ensure_common_measures()
        schools = {
            urn: school_upsert(urn=urn, **details)[0] for urn, details in content.SCHOOLS.items()
        }
        partnerships: dict[str, tuple] = {}
        accounts: dict[str, dict] = {}

        def remember(user, role: Role, school, partnership):
            entry = accounts.setdefault(
                user.email,
                {
                    "email": user.email,
                    "password": password,
                    "name": user.name,
                    "roles": [],
                    "school": school.name if school else "",
                    "partnership": [],
                },
            )
            if role.value not in entry["roles"]:
                entry["roles"].append(role.value)
            if partnership.name not in entry["partnership"]:
                entry["partnership"].append(partnership.name)

        for spec in content.PARTNERSHIPS:
            partnership = partnership_upsert(
                slug=spec["slug"],
                name=spec["name"],
                purpose=spec["purpose"],
                values=spec["values"],
                public_summary=spec["public_summary"],
            )
            lead_name, lead_email = spec["lead"]
            lead, _ = user_ensure(email=lead_email, name=lead_name, password=password)
            role_ensure(user=lead, partnership=partnership, role=Role.PARTNERSHIP_LEAD)
            remember(lead, Role.PARTNERSHIP_LEAD, None, partnership)
            for urn in spec["schools"]:
                school = schools[urn]
                membership_ensure(
                    partnership=partnership, school=school, joined_on=spec["joined_on"]
                )
                for role, (name, email) in zip(
                    content.SCHOOL_ROLE_ORDER, content.SCHOOL_PEOPLE[urn], strict=True
                ):
                    person, _ = user_ensure(email=email, name=name, password=password)
                    role_ensure(
                        user=person,
                        partnership=partnership,
                        school=school,
                        role=role,
                        granted_by=lead,
                    )
                    remember(person, role, school, partnership)

            self.seed_agreement(partnership, lead, spec["schools"], schools)
            self.seed_invitations(partnership, lead, schools)
            partnerships[spec["slug"]] = (partnership, lead)

        # The figures come first: the partnerships chose their priorities from them.
        self.seed_figures(partnerships, schools)
        for spec in content.PARTNERSHIPS:
            partnership, lead = partnerships[spec["slug"]]
            self.seed_priorities(partnership, lead)
            self.seed_targets(partnership, spec["schools"], schools)
        self.partnerships = partnerships  # for the peer reviews, seeded next

        admin_name, admin_email = content.SITE_ADMIN
        user_ensure(email=admin_email, name=admin_name, password=password, is_staff=True)
        rows = list(accounts.values())
        rows.append(
            {
                "email": admin_email,
                "password": password,
                "name": admin_name,
                "roles": ["site_administrator"],
                "school": "",
                "partnership": [],
            }
        )
        for row in rows:
            row["partnership"] = ", ".join(row["partnership"])
        return rows

    def seed_agreement(self, partnership, lead, urns, schools) -> None:
        version = partnership.agreement_versions.order_by("-number").first()
        if version is None:
            version = agreement_publish(
                actor=lead, partnership=partnership, text=content.AGREEMENT_TEXT
            )
        for urn in urns:
            school = schools[urn]
            if urn in content.UNSIGNED_URNS or version.signatures.filter(school=school).exists():
                continue
            head = self.headteacher(partnership, school)
            agreement_sign(actor=head, partnership=partnership, school=school)

    @staticmethod
    def headteacher(partnership, school):
        return (
            RoleAssignment.objects.filter(
                partnership=partnership, school=school, role=Role.HEADTEACHER, revoked_at=None
            )
            .select_related("user")
            .order_by("pk")
            .first()
            .user
        )

    def seed_figures(self, partnerships, schools) -> None:
        """Record each school's figures once (they are the school's, not a partnership's), as
        its own headteacher in the first partnership it belongs to: nobody else may write the
        figures of a school that has not signed the agreement, or overwrite a small cohort's.
        Figures already recorded with the same values are left as they are."""
        measures = {m.code: m for m in Measure.objects.filter(partnership=None)}
        recorded_in: dict[str, str] = {}
        for spec in content.PARTNERSHIPS:
            for urn in spec["schools"]:
                recorded_in.setdefault(urn, spec["slug"])
        for urn, figures in content.FIGURES.items():
            partnership, _lead = partnerships[recorded_in[urn]]
            head = self.headteacher(partnership, schools[urn])
            for index, year in enumerate(content.FIGURE_YEARS):
                rows = [
                    {
                        "school": schools[urn],
                        "measure": measures[code],
                        "value": values[index],
                        "cohort_size": content.COHORTS[urn][content.MEASURE_COHORTS[code]][index],
                        "note": content.FIGURE_NOTES.get((urn, code, year), ""),
                    }
                    for code, values in figures.items()
                ]
                measurements_record_year(
                    actor=head, partnership=partnership, academic_year=year, rows=rows
                )

    def seed_priorities(self, partnership, lead) -> None:
        if partnership.priorities.exists():
            return
        for title, why, codes, status, outcome in content.PRIORITIES.get(partnership.slug, []):
            priority = priority_propose(
                actor=lead,
                partnership=partnership,
                title=title,
                rationale=why,
                measures=list(Measure.objects.filter(code__in=codes, partnership=None)),
            )
            if status in ("active", "closed"):
                priority = priority_activate(actor=lead, priority=priority)
            if status == "closed":
                priority_close(actor=lead, priority=priority, outcome=outcome)

    def seed_targets(self, partnership, urns, schools) -> None:
        """Each school's targets on the active priorities, set by its own headteacher (the
        lead may not set them for a school that has not signed the agreement). Only missing
        targets are set, so running again writes nothing."""
        targets = content.TARGETS.get(partnership.slug, {})
        for title, _why, codes, status, _outcome in content.PRIORITIES.get(partnership.slug, []):
            if status != "active":
                continue
            priority = partnership.priorities.filter(
                title=title, status=Priority.Status.ACTIVE
            ).first()
            if priority is None:  # closed or retitled since it was seeded
                continue
            measures = {m.code: m for m in priority.measures.all()}
            for urn in urns:
                school = schools[urn]
                for code in codes:
                    if code not in content.FIGURES[urn] or code not in measures:
                        continue  # no baseline: an infant school has no KS2 figures
                    if SchoolTarget.objects.filter(
                        priority=priority, school=school, measure=measures[code]
                    ).exists():
                        continue
                    spec = targets[urn][code]
                    target_set(
                        actor=self.headteacher(partnership, school),
                        priority=priority,
                        school=school,
                        measure=measures[code],
                        baseline_year=content.TARGET_BASELINE_YEAR,
                        target_value=spec.value,
                        target_year=spec.target_year,
                        statement=spec.statement,
                        is_floor=bool(spec.floor_reason),
                        floor_reason=spec.floor_reason,
                    )

    # --- Peer reviews ----------------------------------------------------------------------
    #
    # Each step goes through the service whose step it is, acted by the person whose part of
    # the cycle it is, so the activity log, the report's history and the checks (conflicts of
    # interest, evidence behind every finding, the report's workflow) are the real ones. The
    # content is in ``demo/data/reviews/``.

    def seed_reviews(self, partnership, lead) -> None:
        """Last academic year's review cycle, complete, and this year's, part-way through.
        A cycle that exists already is left as it is."""
        specs = content.CYCLES.get(partnership.slug)
        if specs is None:
            return
        today = timezone.localdate()
        year = today.year if today.month >= 9 else today.year - 1
        self._users: dict[str, User] = {}
        self.seed_cycle(partnership, lead, year - 1, specs["completed"], today)
        self.seed_cycle(
            partnership,
            lead,
            year,
            specs["current"],
            today,
            conflicts=content.CONFLICTS.get(partnership.slug, ()),
        )

    def user(self, email: str) -> User:
        if email not in self._users:
            self._users[email] = User.objects.get(email=email)
        return self._users[email]

    @staticmethod
    def demo_date(when, academic_year: int, today: datetime.date) -> datetime.date:
        """A date of the demo tables: school days from today, or (month, day) in the academic
        year (a weekend moves to the Monday); never past the academic year's second calendar
        year."""
        if isinstance(when, int):
            day = school_days_after(today, when)
        else:
            month, day_of_month = when
            day = datetime.date(academic_year + (0 if month >= 9 else 1), month, day_of_month)
            while day.weekday() >= 5:
                day += datetime.timedelta(days=1)
        return min(day, datetime.date(academic_year + 1, 12, 31))

    @staticmethod
    def visit_dates(first_day: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
        """A visit of ``days`` school days from ``first_day``, started earlier in the week when
        it would otherwise run into the weekend."""
        start = first_day
        while start.weekday() + days > 5:
            start -= datetime.timedelta(days=1)
        return start, start + datetime.timedelta(days=days - 1)

    # The story's timeline. The tables give the cycle's deadlines, each visit and workshop and
    # each action's due date; every other step happens on the day placed here from those, with
    # the clock set to it (``demo.clock``), so the records and the activity log tell the story
    # in order: the cycle is started three weeks before data is due to be shared; each host
    # school writes its self-review a fortnight before it is due, the lead assigns its team a
    # week before, and the school shares it two days before, so always before the visit. The
    # visit is agreed three weeks ahead; findings are written on its first day, submitted and
    # challenged on its last, and answered the next day. The report is written two school days
    # after the visit and each move of its workflow comes a school day after the one before,
    # so it is signed off before the workshop. Actions are added at the workshop and brought
    # up to date when due (or at the impact review, or today, if sooner); the impact review is
    # written on its deadline. A step placed after today happens today.

    def seed_cycle(self, partnership, lead, year, spec, today, conflicts=()) -> None:
        if ReviewCycle.objects.filter(partnership=partnership, academic_year=year).exists():
            return

        def date(when):
            return self.demo_date(when, year, today)

        deadlines = {name: date(offset) for name, offset in spec.deadlines.items()}
        started_on = school_days_after(
            deadlines.get("data_sharing_due") or default_timetable(year)["data_sharing_due"], -15
        )
        with clock.on(started_on):
            # Conflicts of interest declared since last year, before this year's teams.
            for conflict in conflicts:
                person, school = self.user(conflict.user), School.objects.get(urn=conflict.urn)
                if not ConflictDeclaration.objects.filter(
                    partnership=partnership, user=person, school=school
                ).exists():
                    team.conflict_declare(
                        actor=person,
                        partnership=partnership,
                        school=school,
                        reason=conflict.reason,
                        note=conflict.note,
                    )
            cycle = cycles.cycle_create(
                actor=lead, partnership=partnership, academic_year=year, **deadlines
            )
        reviews = {
            review.host_school.urn: review for review in cycle.reviews.select_related("host_school")
        }
        for review_spec in spec.reviews:
            self.seed_review(partnership, lead, reviews[review_spec.urn], review_spec, date)

    def seed_review(self, partnership, lead, review, spec, date) -> None:
        cycle = review.cycle
        host_head = self.user(content.HEAD[spec.urn])
        champion = self.user(content.CHAMPION[spec.urn])
        lead_reviewer = self.user(spec.lead_reviewer)
        focus = {
            "priority": partnership.priorities.get(
                title=spec.priority, status=Priority.Status.ACTIVE
            ),
            "theme": spec.theme,
            "enquiry_question": spec.question,
        }
        first_day, days = spec.visit
        visit_start, visit_end = self.visit_dates(date(first_day), days)
        # The host school chooses its focus and writes its self-review.
        with clock.on(school_days_after(cycle.self_reviews_due, -10)):
            enquiry.review_focus_update(actor=champion, review=review, **focus)
            enquiry.self_review_save(actor=champion, review=review, sections=spec.self_review)
        # The partnership lead assigns the team; the host head agrees the visit with its lead.
        team_day = school_days_after(cycle.self_reviews_due, -5)
        with clock.on(team_day):
            team.team_assign(
                actor=lead,
                review=review,
                lead_user=lead_reviewer,
                reviewer_users=[self.user(email) for email in spec.reviewers],
            )
        with clock.on(max(school_days_after(team_day, 1), school_days_after(visit_start, -15))):
            enquiry.review_focus_update(
                actor=host_head,
                review=review,
                **focus,
                visit_start=visit_start,
                visit_end=visit_end,
                pre_review_notes=spec.pre_review_notes,
            )
        # The head shares the self-review with the team, before the visit.
        if spec.self_review_shared:
            with clock.on(school_days_after(cycle.self_reviews_due, -2)):
                enquiry.self_review_share(actor=host_head, review=review)
        # The visit: findings with the evidence behind them, challenged and answered.
        recorded = []
        with clock.on(visit_start):
            for finding_spec in spec.findings:
                author = self.user(finding_spec.author)
                finding = findings.finding_create(
                    actor=author,
                    review=review,
                    kind=finding_spec.kind,
                    judgement=finding_spec.judgement,
                )
                for evidence in finding_spec.evidence:
                    self.add_evidence(author, finding, evidence)
                recorded.append(finding)
        with clock.on(visit_end, hour=15):
            for finding_spec, finding in zip(spec.findings, recorded, strict=True):
                if finding_spec.submitted:
                    findings.finding_submit(actor=self.user(finding_spec.author), finding=finding)
            challenges = [
                findings.challenge_raise(
                    actor=self.user(f.challenge.raised_by), finding=finding, text=f.challenge.text
                )
                if f.challenge
                else None
                for f, finding in zip(spec.findings, recorded, strict=True)
            ]
            if spec.concern:
                raised_by, concern = spec.concern
                safeguarding.concern_raise(
                    actor=self.user(raised_by), review=review, concern=concern
                )
        with clock.on(school_days_after(visit_end, 1)):
            for finding_spec, finding, challenge in zip(
                spec.findings, recorded, challenges, strict=True
            ):
                if challenge is None or not finding_spec.challenge.reply:
                    continue
                author = self.user(finding_spec.author)
                findings.challenge_reply(
                    actor=author, challenge=challenge, text=finding_spec.challenge.reply
                )
                for evidence in finding_spec.challenge.added:
                    self.add_evidence(author, finding, evidence)
        self.seed_report(lead, review, spec, recorded, host_head, lead_reviewer, visit_end)
        # After sign-off: the workshop, its action plan and, later, the impact review.
        if not spec.workshop:
            return
        held_on = date(spec.workshop.held_on)
        with clock.on(held_on, hour=15):
            workshops.workshop_record(
                actor=champion,
                review=review,
                held_on=held_on,
                participants=spec.workshop.participants,
                agreed=spec.workshop.agreed,
            )
            actions = [
                workshops.action_add(
                    actor=champion,
                    review=review,
                    description=action_spec.description,
                    owner=action_spec.owner,
                    due_on=date(action_spec.due_on),
                    finding=None if action_spec.finding is None else recorded[action_spec.finding],
                )
                for action_spec in spec.actions
            ]
        impact_day = cycle.impact_reviews_due if spec.impact_review else timezone.localdate()
        for action_spec, action in zip(spec.actions, actions, strict=True):
            if action_spec.status == action.status:
                continue
            with clock.on(max(held_on, min(action.due_on, impact_day))):
                workshops.action_update(
                    actor=champion,
                    action=action,
                    description=action.description,
                    owner=action.owner,
                    due_on=action.due_on,
                    finding=action.finding,
                    priority=action.priority,
                    status=action_spec.status,
                    what_changed=action_spec.what_changed,
                )
        if spec.impact_review:
            with clock.on(impact_day, hour=16):
                workshops.impact_review_record(
                    actor=champion, review=review, text=spec.impact_review
                )

    def seed_report(self, lead, review, spec, recorded, host_head, lead_reviewer, visit_end):
        """The lead reviewer writes and submits the report, the partnership lead quality-assures
        it and the host headteacher signs it off, as far as ``spec.report`` says; a report
        returned once on the way is revised and submitted again. The report is written two
        school days after the visit, and each move comes a school day after the one before."""
        if not spec.summary:
            return
        stage = REPORT_STAGES.index(spec.report)
        returned = spec.returned
        days = itertools.count(2)

        def next_day():
            return clock.on(school_days_after(visit_end, next(days)))

        def move(actor, name, comment=""):
            with next_day():
                reports.report_move(actor=actor, review=review, move=name, comment=comment)

        def revise():
            with next_day():
                for index, evidence in returned.evidence:
                    author = self.user(spec.findings[index].author)
                    self.add_evidence(author, recorded[index], evidence)
                reports.report_save(actor=lead_reviewer, review=review, summary=returned.summary)
            move(lead_reviewer, "submit")

        with next_day():
            reports.report_save(actor=lead_reviewer, review=review, summary=spec.summary)
        if stage >= REPORT_STAGES.index("submitted"):
            move(lead_reviewer, "submit")
        if returned and returned.move == "return":
            move(lead, "return", returned.comment)
            revise()
        if stage >= REPORT_STAGES.index("quality_assured"):
            move(lead, "quality_assure")
        if returned and returned.move == "host_return":
            move(host_head, "host_return", returned.comment)
            revise()
            move(lead, "quality_assure")
        if stage >= REPORT_STAGES.index("signed_off"):
            move(host_head, "sign_off")

    # --- The published partnership review ---------------------------------------------------

    def seed_publication(self, partnership, lead) -> None:
        """Last year's partnership review, composed by the lead, each school's summary approved
        by its headteacher, and published; Millbrook's then corrected (version 2). A review
        already started is left as it is."""
        spec = content.PUBLICATIONS.get(partnership.slug)
        today = timezone.localdate()
        year = (today.year if today.month >= 9 else today.year - 1) - 1
        cycle = ReviewCycle.objects.filter(partnership=partnership, academic_year=year).first()
        if spec is None or cycle is None or PartnershipReview.objects.filter(cycle=cycle).exists():
            return
        review = publication.partnership_review_draft(actor=lead, cycle=cycle)
        publication.partnership_review_save(
            actor=lead,
            review=review,
            purpose=partnership.purpose,
            values=partnership.values,
            introduction=spec.introduction,
            next_steps=spec.next_steps,
        )
        for narrative in review.priority_narratives.select_related("priority"):
            where, text = spec.priorities.get(narrative.priority.title, ("", ""))
            publication.priority_narrative_save(
                actor=lead, narrative=narrative, where_we_are=where, text=text
            )
        for summary in review.school_summaries.select_related("school"):
            publication.school_summary_submit(actor=lead, summary=summary)
            publication.school_summary_approve(
                actor=self.headteacher(partnership, summary.school), summary=summary
            )
        publication.partnership_review_publish(actor=lead, review=review)
        if spec.correction:
            introduction, note = spec.correction
            review.refresh_from_db()
            publication.partnership_review_save(
                actor=lead,
                review=review,
                purpose=review.purpose_source,
                values=review.values_source,
                introduction=introduction,
                next_steps=review.next_steps_source,
            )
            publication.partnership_review_correct(actor=lead, review=review, note=note)

    @staticmethod
    def add_evidence(actor, finding, spec) -> None:
        upload = None
        if spec.file:
            name, text = spec.file
            upload = ContentFile(text.encode(), name=name)
        findings.evidence_add(
            actor=actor,
            finding=finding,
            kind=spec.kind,
            description=spec.description,
            upload=upload,
        )

    def seed_invitations(self, partnership, lead, schools) -> None:
        for slug, email, urn in content.PENDING_INVITATIONS:
            if slug != partnership.slug:
                continue
            if Invitation.objects.filter(email=email, partnership=partnership).exists():
                continue
            invitation_create(
                actor=lead,
                email=email,
                partnership=partnership,
                role=Role.PEER_REVIEWER,
                school=schools[urn],
            )

    def print_table(self, accounts: list[dict], password: str | None) -> None:
        headers = ["email", "password", "roles", "school", "partnership"]
        table = [
            [
                row["email"],
                row["password"] or "(sign in by code)",
                ", ".join(role.replace("_", " ") for role in row["roles"]),
                row["school"],
                row["partnership"],
            ]
            for row in accounts
        ]
        widths = [max(len(str(r[i])) for r in [headers, *table]) for i in range(len(headers))]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready: {len(accounts)} accounts."))
        self.stdout.write(line.format(*headers))
        self.stdout.write(line.format(*["-" * w for w in widths]))
        for row in table:
            self.stdout.write(line.format(*row))
        if password is None:
            self.stdout.write(
                "DEBUG is off, so demo accounts have no password: sign in with an emailed code."
            )
