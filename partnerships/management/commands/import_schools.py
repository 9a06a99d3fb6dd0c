"""Import schools from a GIAS "all establishment data" CSV: the command-line face of
``partnerships.gias``, which owns the reading, checking and writing.
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.gias import GiasFileError, ImportReport, import_gias_csv


class Command(BaseCommand):
    help = (
        "Create or update schools from a Get Information about Schools (GIAS) 'all "
        "establishment data' CSV extract. Schools are matched by URN, so importing again is safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The GIAS CSV extract.")
        parser.add_argument(
            "--encoding",
            default="auto",
            help=(
                "The file's text encoding: 'auto' (the default) reads UTF-8 when the file is "
                "UTF-8 and Windows-1252, as GIAS publishes, otherwise. Or name one, such as "
                "utf-8 or cp1252."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and count what would change, without saving anything.",
        )
        parser.add_argument(
            "--report",
            type=Path,
            metavar="FILE",
            help="Also write the rejected rows to this CSV file (line, urn, reason).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help="How many rows to save in each transaction (default 1000).",
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            report = import_gias_csv(
                stream_or_path=path,
                encoding=options["encoding"],
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
            )
        except GiasFileError as error:
            if error.report is not None:
                # Part of the file was saved before the problem: say how much.
                self.print_report(error.report)
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error.strerror or error}.") from error
        self.print_report(report)
        if options["report"]:
            self.write_rejected_csv(report, options["report"])

    def print_report(self, report: ImportReport) -> None:
        self.stdout.write(report.summary)
        for problem in report.rejected:
            self.stdout.write(f"line {problem.line}: {problem.reason}")
        for problem in report.warnings:
            self.stdout.write(f"line {problem.line}: warning: {problem.reason}")
        if report.dry_run:
            self.stdout.write("Dry run: nothing was saved.")

    def write_rejected_csv(self, report: ImportReport, path: Path) -> None:
        try:
            with path.open("w", encoding="utf-8", newline="") as file:
                writer = csv.writer(file)
                writer.writerow(["line", "urn", "reason"])
                writer.writerows((p.line, p.urn, p.reason) for p in report.rejected)
        except OSError as error:
            raise CommandError(
                f"The import finished, but the report could not be written to {path}: "
                f"{error.strerror or error}."
            ) from error
        self.stdout.write(f"Rejected rows written to {path}.")
