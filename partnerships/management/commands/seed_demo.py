"""Create Cairn's demo data: two fictional partnerships, their schools and their people, three
years of each school's figures, the partnerships' priorities and each school's targets on them.

Safe to run again: it brings the same records up to date and creates no duplicates.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Invitation
from accounts.services import invitation_create, user_ensure
from partnerships import demo
from partnerships.models import Role, RoleAssignment
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


class Command(BaseCommand):
    help = "Create or refresh the demo partnerships, schools and accounts, and list the accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Print the demo accounts as a JSON list."
        )

    def handle(self, *args, **options):
        # Demo passwords exist only where DEBUG is on; elsewhere demo people sign in by code.
        password = demo.DEMO_PASSWORD if settings.DEBUG else None
        with transaction.atomic():
            accounts = self.seed(password)
        if options["json"]:
            self.stdout.write(json.dumps(accounts, indent=2))
        else:
            self.print_table(accounts, password)

    def seed(self, password: str | None) -> list[dict]:
        ensure_common_measures()
        schools = {
            urn: school_upsert(urn=urn, **details)[0] for urn, details in demo.SCHOOLS.items()
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

        for spec in demo.PARTNERSHIPS:
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
                    demo.SCHOOL_ROLE_ORDER, demo.SCHOOL_PEOPLE[urn], strict=True
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
        for spec in demo.PARTNERSHIPS:
            partnership, lead = partnerships[spec["slug"]]
            self.seed_priorities(partnership, lead)
            self.seed_targets(partnership, spec["schools"], schools)

        admin_name, admin_email = demo.SITE_ADMIN
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
                actor=lead, partnership=partnership, text=demo.AGREEMENT_TEXT
            )
        for urn in urns:
            school = schools[urn]
            if urn in demo.UNSIGNED_URNS or version.signatures.filter(school=school).exists():
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
        the lead of the first partnership it belongs to. Figures already recorded with the same
        values are left as they are."""
        measures = {m.code: m for m in Measure.objects.filter(partnership=None)}
        recorded_in: dict[str, str] = {}
        for spec in demo.PARTNERSHIPS:
            for urn in spec["schools"]:
                recorded_in.setdefault(urn, spec["slug"])
        for slug, (partnership, lead) in partnerships.items():
            for index, year in enumerate(demo.FIGURE_YEARS):
                rows = [
                    {
                        "school": schools[urn],
                        "measure": measures[code],
                        "value": values[index],
                        "cohort_size": demo.COHORTS[urn][demo.MEASURE_COHORTS[code]][index],
                        "note": demo.FIGURE_NOTES.get((urn, code, year), ""),
                    }
                    for urn, figures in demo.FIGURES.items()
                    if recorded_in[urn] == slug
                    for code, values in figures.items()
                ]
                measurements_record_year(
                    actor=lead, partnership=partnership, academic_year=year, rows=rows
                )

    def seed_priorities(self, partnership, lead) -> None:
        if partnership.priorities.exists():
            return
        for title, why, codes, status, outcome in demo.PRIORITIES.get(partnership.slug, []):
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
        targets = demo.TARGETS.get(partnership.slug, {})
        for title, _why, codes, status, _outcome in demo.PRIORITIES.get(partnership.slug, []):
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
                    if code not in demo.FIGURES[urn] or code not in measures:
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
                        baseline_year=demo.TARGET_BASELINE_YEAR,
                        target_value=spec.value,
                        target_year=spec.target_year,
                        statement=spec.statement,
                        is_floor=bool(spec.floor_reason),
                        floor_reason=spec.floor_reason,
                    )

    def seed_invitations(self, partnership, lead, schools) -> None:
        for slug, email, urn in demo.PENDING_INVITATIONS:
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
