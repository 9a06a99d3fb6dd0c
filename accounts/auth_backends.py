"""Signing in with a password: allauth's backend, with Cairn's rule for which address is whose.

allauth looks an address up among every address an account lists, verified or not. Cairn asks
``accounts.selectors`` instead, so an address someone has added but not verified signs nobody in.
"""

from allauth.account.auth_backends import AuthenticationBackend

from . import selectors


class VerifiedEmailAuthenticationBackend(AuthenticationBackend):
    def _authenticate_by_email(self, email, password):
        if not email:
            return None
        for user in selectors.accounts_identified_by(email):
            if self._check_password(user, password):
                return user
        return None
