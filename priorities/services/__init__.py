"""Writes about priorities, measurements and targets, one module per aggregate.

Callers import from the package (``from priorities import services``); the modules are:

- ``priorities``: propose, activate (at most three at once), close;
- ``measurements``: each school's figures, and the partnership's own measures;
- ``targets``: each school's stretch target on an active priority.
"""

from .measurements import (
    KEEP_EXISTING,
    MeasurementEntry,
    check_figures,
    current_academic_year,
    hidden_figure_refusals,
    may_record_measurements,
    measure_create,
    measurement_change,
    measurement_record,
    measurements_record_year,
    parse_value,
    plain_number,
    recording_refusal,
    value_problem,
    write_measurements,
)
from .priorities import (
    ALLOWED_TRANSITIONS,
    TooManyActivePriorities,
    priority_activate,
    priority_close,
    priority_propose,
)
from .targets import CONFLICT_FIELDS as TARGET_CONFLICT_FIELDS
from .targets import target_set

__all__ = [
    "ALLOWED_TRANSITIONS",
    "KEEP_EXISTING",
    "TARGET_CONFLICT_FIELDS",
    "MeasurementEntry",
    "TooManyActivePriorities",
    "check_figures",
    "current_academic_year",
    "hidden_figure_refusals",
    "may_record_measurements",
    "measure_create",
    "measurement_change",
    "measurement_record",
    "measurements_record_year",
    "parse_value",
    "plain_number",
    "priority_activate",
    "priority_close",
    "priority_propose",
    "recording_refusal",
    "target_set",
    "value_problem",
    "write_measurements",
]
