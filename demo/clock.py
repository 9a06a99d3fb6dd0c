"""The demo's clock: the day each step of the demo's story happens.

Cairn's services stamp what they record with ``timezone.now()`` (a self-review shared, a
report signed off, each line of the activity log), as they should. The demo replays more than
a year of two partnerships' work in a few seconds, so it runs each step with Django's clock set
to the day that step happened; the records then tell the story in the order it happened.

Only ``django.utils.timezone`` is moved, as freezegun does it: what Cairn reads the time
through (``timezone.now``, ``timezone.localdate`` and the models' ``default=timezone.now``).
Nothing is ever put in the future: a step due later than now happens now.
"""

import contextlib
import datetime
import itertools
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone as django_timezone

_REAL_DATETIME = django_timezone.datetime


class _DatetimeMeta(type):
    def __instancecheck__(cls, instance):
        return isinstance(instance, _REAL_DATETIME)


def _frozen_datetime(start: datetime.datetime) -> type:
    """A ``datetime`` whose ``now()`` starts at ``start`` and moves on a second at each call,
    so that what one step records keeps its order."""
    ticks = itertools.count()

    class FrozenDatetime(_REAL_DATETIME, metaclass=_DatetimeMeta):
        @classmethod
        def now(cls, tz=None):
            moment = start + datetime.timedelta(seconds=next(ticks))
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    return FrozenDatetime


@contextlib.contextmanager
def on(day: datetime.date, hour: int = 10):
    """Run the block as if it were ``hour`` o'clock on ``day`` (or now, if that is later)."""
    start = datetime.datetime.combine(day, datetime.time(hour), ZoneInfo(settings.TIME_ZONE))
    if start >= _REAL_DATETIME.now(datetime.UTC):
        yield
        return
    django_timezone.datetime = _frozen_datetime(start)
    try:
        yield
    finally:
        django_timezone.datetime = _REAL_DATETIME


def school_days_after(day: datetime.date, count: int) -> datetime.date:
    """The school day (Monday to Friday) ``count`` school days after ``day`` (before it when
    ``count`` is negative)."""
    step = datetime.timedelta(days=1 if count >= 0 else -1)
    for _ in range(abs(count)):
        day += step
        while day.weekday() >= 5:
            day += step
    return day
