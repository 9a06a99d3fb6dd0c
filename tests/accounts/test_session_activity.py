"""A signed-in session's "last seen" is written at most every few minutes, not on every page."""

import datetime

from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import UserSessionActivityMiddleware


def usersession_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "usersessions_usersession" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
    ]


def test_the_session_is_recorded_on_the_first_request_only(headteacher):
    browser = Client()
    browser.force_login(headteacher)
    UserSession.objects.filter(user=headteacher).delete()
    browser.get(reverse("dashboard"), HTTP_USER_AGENT="Test Browser 1.0")
    recorded = UserSession.objects.get(user=headteacher)
    assert recorded.user_agent == "Test Browser 1.0"

    with CaptureQueriesContext(connection) as queries:
        browser.get(reverse("dashboard"), HTTP_USER_AGENT="Test Browser 1.0")
    assert usersession_writes(queries) == []


def test_last_seen_moves_on_once_the_interval_has_passed(headteacher, settings):
    settings.USERSESSIONS_ACTIVITY_INTERVAL = 300
    browser = Client()
    browser.force_login(headteacher)
    browser.get(reverse("dashboard"))
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    UserSession.objects.filter(user=headteacher).update(last_seen_at=long_ago)
    session = browser.session
    session[UserSessionActivityMiddleware.SEEN_KEY] -= 301
    session.save()

    browser.get(reverse("dashboard"))
    assert UserSession.objects.get(user=headteacher).last_seen_at > long_ago
