"""What every CSV import in Cairn reports: counts, and each rejected row with its reason."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowProblem:
    line: int
    urn: str
    reason: str


@dataclass
class ImportCounts:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowProblem] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(rejected)d rejected"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
        }
