"""Benchmark: import a full-size GIAS extract (50,000 rows) with ``import_gias_csv``.

Generates a synthetic Windows-1252 CSV with the same shape as the real "all establishment
data" file (about 130 columns, most of them ignored), imports it into a throwaway SQLite
database, imports it again with a tenth of the rows changed, and once more unchanged. Prints
rows per second for each pass, then imports a file of new schools with tracemalloc on to
report peak Python memory, and exits non-zero if any pass takes longer than 60 seconds.

    DJANGO_SETTINGS_MODULE=config.settings.local .venv/bin/python benchmarks/bench_import_schools.py

tracemalloc slows Python down several times over, so the traced pass is timed apart from the
others (and still held to the limit).
"""

import argparse
import csv
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
TIME_LIMIT_SECONDS = 60
# Two sets of URNs, 900000 up and 900000 + rows up, must both stay 6 digits.
MAX_ROWS = 50_000

# The columns the importer reads, in the positions GIAS publishes them, among others it ignores.
GIAS_COLUMNS = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)",
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "ReasonEstablishmentClosed (code)",
    "ReasonEstablishmentClosed (name)",
    "CloseDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Boarders (code)",
    "Boarders (name)",
    "NurseryProvision (name)",
    "OfficialSixthForm (code)",
    "OfficialSixthForm (name)",
    "Gender (code)",
    "Gender (name)",
    "ReligiousCharacter (code)",
    "ReligiousCharacter (name)",
    "ReligiousEthos (name)",
    "Diocese (code)",
    "Diocese (name)",
    "AdmissionsPolicy (code)",
    "AdmissionsPolicy (name)",
    "SchoolCapacity",
    "SpecialClasses (code)",
    "SpecialClasses (name)",
    "CensusDate",
    "NumberOfPupils",
    "NumberOfBoys",
    "NumberOfGirls",
    "PercentageFSM",
    "TrustSchoolFlag (code)",
    "TrustSchoolFlag (name)",
    "Trusts (code)",
    "Trusts (name)",
    "SchoolSponsorFlag (name)",
    "SchoolSponsors (name)",
    "FederationFlag (name)",
    "Federations (code)",
    "Federations (name)",
    "UKPRN",
    "FEHEIdentifier",
    "FurtherEducationType (name)",
    "OfstedLastInsp",
    "LastChangedDate",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "HeadPreferredJobTitle",
    *(f"Extra{n} (name)" for n in range(62)),
]
STATUSES = ["Open"] * 17 + ["Closed", "Open, but proposed to close", "Proposed to open"]
PHASES = ["Primary", "Secondary", "Nursery", "All-through", "16 plus", "Not applicable"]
TYPES = ["Community school", "Academy converter", "Voluntary aided school", "Free schools"]


def gias_row(n: int, *, first_urn: int, renamed: bool) -> dict[str, str]:
    row = dict.fromkeys(GIAS_COLUMNS, "Not applicable")
    academy = n % 3 == 0
    row.update(
        {
            "URN": f"{first_urn + n:06d}",
            "LA (code)": f"{200 + n % 700:03d}",
            "LA (name)": f"Authority {n % 150}",
            "EstablishmentNumber": f"{1000 + n % 9000:04d}",
            "EstablishmentName": f"École Sainte-Thérèse {n}{' (renamed)' if renamed else ''}",
            "TypeOfEstablishment (name)": TYPES[n % len(TYPES)],
            "EstablishmentStatus (name)": STATUSES[n % len(STATUSES)],
            "OpenDate": "01-09-1990",
            "PhaseOfEducation (name)": PHASES[n % len(PHASES)],
            "NumberOfPupils": str(100 + n % 1500),
            "Trusts (name)": f"Trust {n % 2000} Learning Partnership" if academy else "",
            "Street": f"{n % 300} High Street",
            "Town": "Fernley",
            "Postcode": f"FN{n % 20} {n % 10}AB",
            "SchoolWebsite": f"www.school{n}.example",
            "HeadFirstName": "Alex",
            "HeadLastName": "Example",
        }
    )
    return row


def write_extract(path: Path, rows: int, *, first_urn: int = 900_000, renamed_every: int = 0):
    with path.open("w", encoding="cp1252", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=GIAS_COLUMNS)
        writer.writeheader()
        for n in range(rows):
            renamed = bool(renamed_every) and n % renamed_every == 0
            writer.writerow(gias_row(n, first_urn=first_urn, renamed=renamed))


def timed_import(label: str, path: Path, rows: int, *, trace_memory: bool = False) -> float:
    from partnerships.gias import import_gias_csv

    if trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    report = import_gias_csv(stream_or_path=path)
    seconds = time.perf_counter() - started
    memory = ""
    if trace_memory:
        memory = f"  peak {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB"
        tracemalloc.stop()
    print(f"{label:<34} {seconds:6.2f} s {rows / seconds:9,.0f} rows/s{memory}  ({report.summary})")
    if report.rejected:
        sys.exit(f"{len(report.rejected)} rows were rejected; the benchmark file is wrong.")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    arguments = parser.parse_args()
    if not 0 < arguments.rows <= MAX_ROWS:
        parser.error(f"--rows must be between 1 and {MAX_ROWS:,}")

    with tempfile.TemporaryDirectory(prefix="cairn-bench-") as directory:
        directory = Path(directory)
        # Settings read DATABASE_URL when Django starts, so set it first.
        os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
        # With DEBUG on, Django keeps every query's SQL, which would count as import memory.
        os.environ["DJANGO_DEBUG"] = "false"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        sys.path.insert(0, str(PROJECT_DIR))

        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)

        extract = directory / "edubasealldata.csv"
        changed = directory / "edubasealldata-changed.csv"
        # New URNs, so the traced pass measures creating schools, the costliest path.
        fresh = directory / "edubasealldata-fresh.csv"
        write_extract(extract, arguments.rows)
        write_extract(changed, arguments.rows, renamed_every=10)
        write_extract(fresh, arguments.rows, first_urn=900_000 + arguments.rows)
        print(
            f"{arguments.rows:,} rows, {len(GIAS_COLUMNS)} columns, "
            f"{extract.stat().st_size / 2**20:.1f} MiB, into SQLite"
        )

        timings = [
            timed_import("first import", extract, arguments.rows),
            timed_import("again, a tenth changed", changed, arguments.rows),
            timed_import("again, nothing changed", changed, arguments.rows),
            timed_import("new schools, memory traced", fresh, arguments.rows, trace_memory=True),
        ]

    slowest = max(timings)
    if slowest > TIME_LIMIT_SECONDS:
        print(f"Too slow: {slowest:.1f} s is over the {TIME_LIMIT_SECONDS} s limit.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
