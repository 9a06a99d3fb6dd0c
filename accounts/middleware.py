"""Two-factor authentication where the setting says so, and the record of signed-in sessions."""

import time

from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Paths a person without two-factor authentication may still reach: signing in and out,
# setting up two-factor authentication, public pages, static files and health checks.
ALLOWED_PREFIXES = ("/accounts/", "/invitations/", "/static/", "/healthz", "/readyz")
ALLOWED_EXACT = {"/", "/accessibility/", "/privacy/"}


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The admin reaches everything, so it needs a second factor outside local development.
        admin = request.path.startswith("/admin/") and not settings.DEBUG
        if (
            (settings.CAIRN_REQUIRE_MFA or admin)
            and request.user.is_authenticated
            and not (request.path in ALLOWED_EXACT or request.path.startswith(ALLOWED_PREFIXES))
            and not is_mfa_enabled(request.user)
        ):
            messages.info(
                request,
                _(
                    "Set up two-factor authentication to continue. Cairn holds information "
                    "about schools that must stay safe even if a password is stolen."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class UserSessionActivityMiddleware:
    """allauth's record of each signed-in session (its address, browser, when last seen), written
    at most once every ``USERSESSIONS_ACTIVITY_INTERVAL`` seconds per session.

    allauth's own middleware writes it on every signed-in request: a transaction, a read and an
    update in front of every page. "Last seen" to the nearest few minutes is all the sessions
    page needs; the time of the last write is kept in the session itself.
    """

    SEEN_KEY = "_cairn_session_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and session.session_key and user and user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.SEEN_KEY, 0) >= settings.USERSESSIONS_ACTIVITY_INTERVAL:
                UserSession.objects.create_from_request(request, user=user, session=session)
                session[self.SEEN_KEY] = now
        return self.get_response(request)
