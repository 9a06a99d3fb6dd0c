"""A person's calendar feeds and reminder emails.

The feeds themselves are opened by calendar applications, which cannot sign in: the secret in
the address is what lets them in, so a wrong or replaced secret answers 404, as does a
partnership feed for anyone who does not lead that partnership. The pages where a person sees
their addresses, replaces them and chooses their reminder emails need them signed in.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import calendar
from ..forms.notifications import NotificationPreferencesForm
from ..services import calendar as calendar_services
from ..services import reminders


def _feed_owner(token: str):
    user = calendar.feed_owner(token)
    if user is None:
        raise Http404
    return user


def _ical_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Private to its owner: never kept by a shared cache, never listed by a search engine.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def calendar_feed(request, token):
    """The person's own deadlines, visits and actions."""
    user = _feed_owner(token)
    events = calendar.personal_events(user, timezone.localdate())
    return _ical_response(
        calendar.to_ical(events, name=_("Cairn: %(name)s") % {"name": user.get_full_name()}),
        "cairn.ics",
    )


@require_safe
def calendar_partnership_feed(request, token, slug):
    """A partnership's timetables, visits and actions, for a lead of that partnership."""
    user = _feed_owner(token)
    partnership = calendar.partnership_feed_of(user, slug)
    if partnership is None:
        raise Http404
    events = calendar.partnership_events(partnership, timezone.localdate())
    return _ical_response(
        calendar.to_ical(events, name=_("Cairn: %(name)s") % {"name": partnership.name}),
        f"cairn-{partnership.slug}.ics",
    )


@login_required
def calendar_page(request):
    """The person's feed addresses, how to subscribe, and the button that replaces them."""
    if request.method == "POST":
        had_feed = calendar.feed_of(request.user) is not None
        calendar_services.calendar_feed_reset(actor=request.user)
        messages.success(
            request,
            _(
                "Your calendar feeds have new addresses. The old ones no longer work: "
                "subscribe again with the new ones."
            )
            if had_feed
            else _("Your calendar feed is ready. Copy its address into your calendar."),
        )
        return redirect("calendar_page")
    feed = calendar.feed_of(request.user)
    led = calendar.partnerships_led_by(request.user) if feed else []
    return render(
        request,
        "reviews/calendar_page.html",
        {
            "feed": feed,
            "feed_url": _feed_url(request, "calendar_feed", feed.token) if feed else None,
            "partnership_feeds": [
                (
                    partnership,
                    _feed_url(
                        request, "calendar_partnership_feed", feed.token, slug=partnership.slug
                    ),
                )
                for partnership in led
            ],
        },
    )


def _feed_url(request, name: str, token: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(name, kwargs={"token": token, **kwargs}))


@login_required
def notification_preferences(request):
    """Email on or off for each kind of reminder; escalations to leads are shown, not offered."""
    current = reminders.notification_preferences_of(request.user)
    form = NotificationPreferencesForm(
        # Both boxes unticked send no field at all: still a submission.
        request.POST if request.method == "POST" else None,
        initial={
            "review_steps_email": current.review_steps_email,
            "actions_email": current.actions_email,
        },
    )
    if request.method == "POST" and form.is_valid():
        reminders.notification_preferences_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your reminder emails are saved."))
        return redirect("notification_preferences")
    return render(
        request,
        "reviews/notification_preferences.html",
        {"form": form, "leads": bool(calendar.partnerships_led_by(request.user))},
    )


urlpatterns = [
    path("calendar/", calendar_page, name="calendar_page"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path(
        "calendar/<str:token>/<slug:slug>.ics",
        calendar_partnership_feed,
        name="calendar_partnership_feed",
    ),
    path("notifications/", notification_preferences, name="notification_preferences"),
]
