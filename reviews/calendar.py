"""The private calendar feeds (iCalendar, RFC 5545) that Outlook, Google Calendar and Apple
Calendar subscribe to.

A person's feed holds the deadlines of the review steps that are theirs and not done (whose
each is, the review policy's ``step_holders``, as on their dashboard), the visits of the
reviews they host or are on, and the due dates of the actions they own; a partnership's feed
(for its leads) holds each cycle's timetable, every review visit and every open action. Each
feed is read in a fixed number of queries, however many partnerships, reviews and actions.

Every date is a whole day in the UK (``VALUE=DATE``: no time, so no time zone to convert), and
each event keeps its UID from one download to the next, so a moved deadline replaces the old
event instead of adding a second one.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from accounts.models import User
from partnerships.models import Partnership, Role

from . import policy, selectors
from .models import Action, CalendarFeed, PeerReview, ReviewCycle
from .services import cycles
from .services.reminders import action_owners, actions_open

# Cycles whose last deadline passed longer ago than this drop out of the feeds.
KEEP_PAST_DAYS = 365
# How often a calendar application is asked to fetch the feed again.
REFRESH = datetime.timedelta(hours=6)


@dataclass(frozen=True)
class Event:
    """One whole-day event: ``last`` is its last day (the same as ``first`` for one day)."""

    uid: str
    summary: str
    first: datetime.date
    last: datetime.date
    url: str
    description: str = ""
    busy: bool = False  # a visit takes the day; a deadline does not


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _uid(name: str) -> str:
    """A UID unique to Cairn's site and stable while the object lives."""
    host = urlsplit(settings.SITE_URL).hostname or "cairn"
    return f"{name}@{host}"


def _reviews(cycle_ids: QuerySet) -> list[PeerReview]:
    """The cycles' reviews, with what their stages, team and visit need: two queries."""
    return list(
        selectors.for_stages(
            PeerReview.objects.filter(cycle__in=cycle_ids),
            related=["cycle__partnership"],
            fields=[
                "cycle__partnership__slug",
                "cycle__partnership__name",
                "visit_end",
                *(f"cycle__{field.name}" for field in ReviewCycle._meta.concrete_fields),
            ],
        ).order_by("cycle__academic_year", "host_school__name", "pk")
    )


def _recent_cycles(today: datetime.date) -> QuerySet:
    return ReviewCycle.objects.filter(
        impact_reviews_due__gte=today - datetime.timedelta(days=KEEP_PAST_DAYS)
    )


def _actions(partnership_ids, today: datetime.date) -> list[Action]:
    return list(
        actions_open(on_or_after=today - datetime.timedelta(days=KEEP_PAST_DAYS))
        .filter(review__cycle__partnership__in=partnership_ids)
        .select_related("review__host_school", "review__cycle__partnership")
        .order_by("due_on", "pk")
    )


def _action_event(action: Action, prefix: str) -> Event:
    review = action.review
    return Event(
        uid=_uid(f"{prefix}action-{action.pk}"),
        summary=_("Action due: %(action)s (%(school)s)")
        % {"action": " ".join(action.description.split())[:120], "school": review.host_school.name},
        first=action.due_on,
        last=action.due_on,
        url=_absolute(reverse("review_workshop", args=[review.cycle.partnership.slug, review.pk])),
        description=_("Owner: %(owner)s") % {"owner": action.owner},
    )


def _visit_event(review: PeerReview, prefix: str) -> Event:
    return Event(
        uid=_uid(f"{prefix}visit-{review.pk}"),
        summary=_("Review visit: %(school)s") % {"school": review.host_school.name},
        first=review.visit_start,
        last=max(review.visit_end or review.visit_start, review.visit_start),
        url=_absolute(reverse("review_detail", args=[review.cycle.partnership.slug, review.pk])),
        description=review.cycle.partnership.name,
        busy=True,
    )


def personal_events(user: User, today: datetime.date) -> list[Event]:
    """What is the person's to do or attend, across all their partnerships: six queries."""
    roles = policy.roles_everywhere(user)
    partnership_ids = {partnership_id for partnership_id, _school, _role in roles}
    schools = {(partnership_id, school) for partnership_id, school, _role in roles if school}
    reviews = _reviews(_recent_cycles(today).filter(partnership__in=partnership_ids))
    people = cycles.people_of(partnership_ids)
    events = []
    for review in reviews:
        if not review.host_is_member:
            continue  # nothing is asked of a school that has left the partnership
        cycle, partnership = review.cycle, review.cycle.partnership
        team = list(review.team.all())
        row = selectors.ReviewRow(
            review=review,
            states=selectors.stage_states(review, cycle, today),
            team=team,
            lead_reviewer=next((member for member in team if member.is_lead), None),
            actions_done=0,
            actions_total=0,
        )
        url = _absolute(reverse("review_detail", args=[partnership.slug, review.pk]))
        for key, state in row.states.items():
            # Every deadline still ahead of the person, to plan by: a calendar shows the workshop
            # before the report it follows is signed off; the dashboard and the reminders ask
            # only for steps that can be taken now (``policy.step_is_open``).
            if state.done or user.pk not in cycles.who_must_act(key, row, people[partnership.pk]):
                continue
            events.append(
                Event(
                    uid=_uid(f"step-{review.pk}-{key}"),
                    summary=(
                        _("Visit dates to agree: %(school)s")
                        if key == "visit"
                        else _("%(step)s due: %(school)s")
                    )
                    % {"step": state.stage.label, "school": review.host_school.name},
                    first=state.due,
                    last=state.due,
                    url=url,
                    description=str(cycles.TASKS[key]).capitalize() + ".",
                )
            )
        hosts_or_reviews = (partnership.pk, review.host_school_id) in schools or any(
            member.user_id == user.pk for member in team
        )
        if review.visit_start and hosts_or_reviews:
            events.append(_visit_event(review, ""))
    actions = _actions(partnership_ids, today)
    owners = action_owners(actions)
    events.extend(
        _action_event(action, "")
        for action in actions
        if any(person.pk == user.pk for person in owners[action.pk])
    )
    return sorted(events, key=lambda event: (event.first, event.summary))


def partnership_events(partnership: Partnership, today: datetime.date) -> list[Event]:
    """The partnership's calendar for its leads: each cycle's timetable, every review visit,
    every open action: four queries."""
    prefix = f"partnership-{partnership.pk}-"
    recent = _recent_cycles(today).filter(partnership=partnership)
    reviews = _reviews(recent)
    events = []
    for cycle in recent.order_by("academic_year"):
        url = _absolute(reverse("cycle_detail", args=[partnership.slug, cycle.academic_year]))
        for key, label, starts, due in selectors.TIMETABLE:
            last = getattr(cycle, due)
            events.append(
                Event(
                    uid=_uid(f"{prefix}cycle-{cycle.pk}-{key}"),
                    summary=f"{label} ({cycle.academic_year_label})"
                    if starts
                    else _("%(step)s due (%(year)s)")
                    % {"step": label, "year": cycle.academic_year_label},
                    first=getattr(cycle, starts) if starts else last,
                    last=last,
                    url=url,
                    description=partnership.name,
                )
            )
    events.extend(
        _visit_event(review, prefix)
        for review in reviews
        if review.visit_start and review.host_is_member
    )
    events.extend(_action_event(action, prefix) for action in _actions([partnership.pk], today))
    return sorted(events, key=lambda event: (event.first, event.summary))


def feed_of(user: User):
    """The person's calendar feed (its secret address), or None before they start one."""
    return CalendarFeed.objects.filter(user=user).first()


def feed_owner(token: str) -> User | None:
    """Whose feed the secret in an address opens: an active person's, or nobody's."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def partnership_feed_of(user: User, slug: str) -> Partnership | None:
    """The partnership whose feed the person may have at this address: one they lead."""
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None or not policy.may_manage_cycles(user, partnership):
        return None
    return partnership


def partnerships_led_by(user: User) -> list[Partnership]:
    """The partnerships whose feed the person may have: those they lead."""
    led = {
        partnership_id
        for partnership_id, _school, role in policy.roles_everywhere(user)
        if role == Role.PARTNERSHIP_LEAD
    }
    return list(Partnership.objects.filter(pk__in=led).order_by("name"))


def to_ical(events: list[Event], *, name: str) -> bytes:
    """The events as an iCalendar document, stamped with the time it was made."""
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//Cairn//Peer review calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", event.uid)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.first)
        entry.add("dtend", event.last + datetime.timedelta(days=1))  # the day after: RFC 5545
        entry.add("summary", event.summary)
        if event.description:
            entry.add("description", f"{event.description}\n{event.url}")
        else:
            entry.add("description", event.url)
        entry.add("url", event.url)
        entry.add("transp", "OPAQUE" if event.busy else "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical()
