"""Is a school on track for its target? The arithmetic, with no database and no viewer.

A stretch target draws a straight line from the baseline (year and value) to the target
(year and value). A school is on track in a year when its figure is at least as good as the
line says it should be by then (higher or lower, as the measure goes), and at or after the
target year it has met the target or missed it. A floor target is a level to hold: on track
while the figure is no worse than the target.

Callers pass only the figures the viewer may see (suppression is decided before this), so a
judgement never rests on a hidden figure.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import SchoolTarget

TENTHS = Decimal("0.1")


class Progress(models.TextChoices):
    NO_FIGURE = "no_figure", _("No figure since the baseline")
    ON_TRACK = "on_track", _("On track")
    OFF_TRACK = "off_track", _("Off track")
    MET = "met", _("Target met")
    MISSED = "missed", _("Target missed")


# GOV.UK tag colours for each judgement; the words say it too, colour is never the only cue.
TAG_CLASSES = {
    Progress.NO_FIGURE: "govuk-tag--grey",
    Progress.ON_TRACK: "govuk-tag--green",
    Progress.OFF_TRACK: "govuk-tag--red",
    Progress.MET: "govuk-tag--blue",
    Progress.MISSED: "govuk-tag--orange",
}


@dataclass(frozen=True)
class Assessment:
    progress: Progress
    year: int | None  # the figure judged, None when there is none after the baseline
    value: Decimal | None
    expected: Decimal | None  # where the line from baseline to target is in that year
    to_go: Decimal | None  # how far from the target, the better way; 0 or less when reached

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.progress]

    @property
    def reached(self) -> bool:
        return self.to_go is not None and self.to_go <= 0


def better_or_equal(a: Decimal, b: Decimal, *, higher_is_better: bool) -> bool:
    return a >= b if higher_is_better else a <= b


def expected_value(
    *, baseline_year: int, baseline_value: Decimal, target: SchoolTarget, year: int
) -> Decimal:
    """The value on the straight line from baseline to target in ``year``, unrounded.

    Judgements compare figures with this exact value; pages round it when they show it.
    """
    if target.is_floor:
        return target.target_value
    span = target.target_year - baseline_year
    if span <= 0 or year >= target.target_year:
        return target.target_value
    if year <= baseline_year:
        return baseline_value
    step = (target.target_value - baseline_value) * (year - baseline_year) / span
    return baseline_value + step


def to_go(target: SchoolTarget, value: Decimal, *, higher_is_better: bool) -> Decimal:
    """Distance from ``value`` to the target, positive while it is still to reach."""
    return target.target_value - value if higher_is_better else value - target.target_value


def assess(
    target: SchoolTarget,
    *,
    baseline_year: int,
    baseline_value: Decimal | None,
    figures: dict[int, Decimal],
    higher_is_better: bool,
) -> Assessment:
    """Judge the target on the latest figure after its baseline among ``figures`` (year: value).

    ``baseline_value`` None means the viewer may not see the baseline: only a floor target,
    which does not need it, can then be judged.
    """
    later = [year for year in figures if year > baseline_year]
    if not later or (baseline_value is None and not target.is_floor):
        return Assessment(Progress.NO_FIGURE, None, None, None, None)
    year = max(later)
    value = figures[year]
    expected = (
        target.target_value
        if baseline_value is None
        else expected_value(
            baseline_year=baseline_year,
            baseline_value=baseline_value,
            target=target,
            year=year,
        )
    )
    distance = to_go(target, value, higher_is_better=higher_is_better)
    good = better_or_equal(value, expected, higher_is_better=higher_is_better)
    if year >= target.target_year:
        progress = Progress.MET if good else Progress.MISSED
    else:
        progress = Progress.ON_TRACK if good else Progress.OFF_TRACK
    return Assessment(progress, year, value, expected, distance)
