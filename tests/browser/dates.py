"""Typing a date into a GOV.UK date input (day, month and year apart) in a real browser."""

import datetime


def fill_date(page, legend: str, date: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(date.day))
    group.get_by_label("Month").fill(str(date.month))
    group.get_by_label("Year").fill(str(date.year))


def date_typed(page, legend: str) -> tuple[str, str, str]:
    """What the date input shows: (day, month, year) as typed."""
    group = page.get_by_role("group", name=legend)
    return tuple(group.get_by_label(part).input_value() for part in ("Day", "Month", "Year"))
