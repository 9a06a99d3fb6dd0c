"""Two-factor authentication is required of every signed-in person where the setting says so."""

from allauth.mfa.utils import is_mfa_enabled
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
