"""Measures, each school's measurements, and the partnership's shared priorities."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Measure(models.Model):
    """A school-level measure: shipped with Cairn (``partnership`` empty) or a partnership's own."""

    class Unit(models.TextChoices):
        PERCENTAGE = "percentage", _("Percentage")
        SCORE = "score", _("Score")
        PERCENTAGE_POINTS = "percentage_points", _("Percentage points")

    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "higher", _("Higher is better")
        LOWER_IS_BETTER = "lower", _("Lower is better")

    class Source(models.TextChoices):
        PUBLISHED = "published", _("Published by the DfE")
        SELF_REPORTED = "self_reported", _("Reported by the school")

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    phase = models.CharField(_("key stage or phase"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    min_value = models.DecimalField(_("lowest possible value"), max_digits=7, decimal_places=2)
    max_value = models.DecimalField(_("highest possible value"), max_digits=7, decimal_places=2)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_measures",
        help_text=_("Empty for the measures every partnership can use."),
    )

    class Meta:
        ordering = ["phase", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(partnership__isnull=True),
                name="priorities_measure_catalogue_code_unique",
            ),
            models.UniqueConstraint(
                fields=["partnership", "code"],
                condition=Q(partnership__isnull=False),
                name="priorities_measure_own_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(min_value__lt=models.F("max_value")),
                name="priorities_measure_range_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def higher_is_better(self) -> bool:
        return self.direction == self.Direction.HIGHER_IS_BETTER

    @property
    def unit_suffix(self) -> str:
        """What follows a value of this measure: "62%", "104", "-8 pts"."""
        return UNIT_SUFFIXES.get(self.unit, "")


UNIT_SUFFIXES = {
    Measure.Unit.PERCENTAGE: "%",
    Measure.Unit.SCORE: "",
    Measure.Unit.PERCENTAGE_POINTS: " pts",
}


class Measurement(models.Model):
    """One school's value of one measure in one academic year."""

    school = models.ForeignKey(
        "partnerships.School", on_delete=models.CASCADE, related_name="measurements"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="measurements")
    academic_year = models.PositiveSmallIntegerField(
        _("academic year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year the academic year starts: 2024 means 2024/25."),
    )
    value = models.DecimalField(_("value"), max_digits=7, decimal_places=2)
    cohort_size = models.PositiveIntegerField(_("cohort size"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school", "measure", "academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "measure", "academic_year"],
                name="priorities_measurement_one_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.school}: {self.measure} {format_academic_year(self.academic_year)}"

    @property
    def academic_year_label(self) -> str:
        return format_academic_year(self.academic_year)


class MeasurementChange(models.Model):
    """One change to a school's figure: who made it, in which partnership, from what to what.

    Written by the services with every figure they create or change, whichever way it came
    (one figure, the year table, a CSV file). Only the school's own staff read it.
    """

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="changes")
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The partnership whose pages the change was made through."),
    )
    old_value = models.DecimalField(
        _("value before"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    old_cohort_size = models.PositiveIntegerField(_("cohort size before"), null=True, blank=True)
    new_value = models.DecimalField(_("value after"), max_digits=7, decimal_places=2)
    new_cohort_size = models.PositiveIntegerField(_("cohort size after"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.measurement}: {self.old_value} -> {self.new_value}"

    @property
    def is_first_entry(self) -> bool:
        return self.old_value is None


def format_academic_year(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


MAX_ACTIVE_PRIORITIES = 3


class Priority(models.Model):
    """A shared priority: proposed, then active (at most three at once), then closed."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField(_("title"), max_length=200)
    rationale = models.TextField(
        _("why this priority"), help_text=_("The evidence from the schools' data.")
    )
    measures = models.ManyToManyField(Measure, related_name="priorities", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    # Each active priority holds one of the partnership's three slots, so the database itself
    # refuses a fourth, whatever the code above it does.
    active_slot = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    outcome = models.TextField(_("outcome"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "order", "proposed_at"]
        verbose_name_plural = _("priorities")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "active_slot"],
                condition=Q(status="active"),
                name="priorities_priority_one_per_active_slot",
            ),
            models.CheckConstraint(
                condition=(
                    # isnull first: a NULL slot would make the range test unknown, which passes.
                    Q(
                        status="active",
                        active_slot__isnull=False,
                        active_slot__gte=1,
                        active_slot__lte=MAX_ACTIVE_PRIORITIES,
                    )
                    | (~Q(status="active") & Q(active_slot__isnull=True))
                ),
                name="priorities_priority_active_has_slot",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""),
                name="priorities_priority_closed_has_outcome",
            ),
        ]

    def __str__(self):
        return self.title


class PriorityTransition(models.Model):
    """A row for every change of a priority's status: who, from, to, when."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Priority.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Priority.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "at"]

    def __str__(self):
        return f"{self.priority}: {self.from_status or '-'} -> {self.to_status}"


# A target further off than this is a hope rather than a plan the partnership can review.
MAX_TARGET_YEARS = 5


class SchoolTarget(models.Model):
    """A school's stretch target on one measure of an active priority: baseline -> target by a year.

    The baseline is one of the school's recorded figures, so a corrected figure corrects the
    baseline too. A target against the measure's direction (below the baseline on a
    higher-is-better measure) is a floor target and carries the reason.
    """

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="targets")
    school = models.ForeignKey(
        "partnerships.School", on_delete=models.CASCADE, related_name="targets"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="targets")
    baseline = models.ForeignKey(
        Measurement,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("baseline"),
        help_text=_("The school's figure the target starts from."),
    )
    target_value = models.DecimalField(_("target"), max_digits=7, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(
        _("target year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The academic year the target is for, by its starting year."),
    )
    statement = models.TextField(
        _("how the partnership makes this reachable"),
        help_text=_("The school's own words: what working with the other schools makes possible."),
    )
    is_floor = models.BooleanField(
        _("floor target"),
        default=False,
        help_text=_("A level to hold rather than beat: allowed against the measure's direction."),
    )
    floor_reason = models.TextField(_("why a floor target"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "school", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "school", "measure"],
                name="priorities_target_one_per_school_measure",
            ),
            models.CheckConstraint(
                condition=Q(is_floor=False) | ~Q(floor_reason=""),
                name="priorities_target_floor_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.school}: {self.measure} {format_academic_year(self.target_year)}"

    @property
    def target_year_label(self) -> str:
        return format_academic_year(self.target_year)
