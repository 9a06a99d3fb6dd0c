"""``manage.py seed_scale``: a national-size synthetic dataset for measuring Cairn."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks.scale import NATIONAL_SCHOOLS, current_academic_year, seed_scale
from partnerships.models import Partnership, School


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic national-size Cairn (24,000 schools, 5,000 "
        "partnerships, their figures, priorities, review cycles and published reviews), the "
        "same for the same --seed. --schools makes a smaller one; the rest scales with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=NATIONAL_SCHOOLS)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="This academic year, by its first year (default: today's). Its cycle is part-way.",
        )

    def handle(self, *args, schools, seed, year, **options):
        if School.objects.exists() or Partnership.objects.exists():
            raise CommandError(
                "seed_scale fills an empty database: this one already has schools or "
                "partnerships. Use a database of its own (DATABASE_URL)."
            )
        if schools < 10:
            raise CommandError("--schools must be at least 10.")
        started = time.perf_counter()
        counts = seed_scale(
            schools=schools,
            seed=seed,
            year=year or current_academic_year(),
            log=lambda message: self.stdout.write(message),
        )
        if connection.vendor == "postgresql":
            # Without fresh statistics the planner takes a table of millions of rows for an
            # empty one: hash joins over whole tables where an index finds five rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        for name, count in counts.items():
            self.stdout.write(f"{name:>20}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"Seeded in {elapsed:.0f} s."))
