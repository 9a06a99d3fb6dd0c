"""Accepting an invitation: the only way into Cairn for a new person."""

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import selectors, services
from .forms import AcceptInvitationForm
from .models import Invitation


@never_cache
def invitation_accept(request, token):
    invitation = (
        Invitation.objects.select_related("partnership", "school", "invited_by")
        .filter(token_hash=services.hash_token(token))
        .first()
    )
    if invitation is None:
        return render(request, "accounts/invitation_unknown.html", status=404)
    context = {"invitation": invitation}
    if invitation.status != Invitation.Status.PENDING:
        return render(request, "accounts/invitation_closed.html", context, status=410)

    # Each page names the account that will receive the role before anyone accepts.
    if request.user.is_authenticated:
        if not selectors.owns_address(request.user, invitation.email):
            return render(request, "accounts/invitation_wrong_account.html", context)
        if request.method == "POST":
            return _accept(request, invitation, user=request.user)
        context["account_email"] = request.user.email
        return render(request, "accounts/invitation_confirm.html", context)

    account = selectors.account_for_email(invitation.email)
    if account is not None:
        context["account_email"] = account.email
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "accounts/invitation_sign_in.html", context)

    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        return _accept(
            request,
            invitation,
            form=form,
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password1"],
        )
    context["form"] = form
    return render(request, "accounts/invitation_new_account.html", context)


def _accept(request, invitation, *, user=None, form=None, **new_account):
    try:
        user = services.invitation_accept(invitation=invitation, user=user, **new_account)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(request.path)
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        # They have just chosen their password on this page: tell allauth, so that setting up
        # two-factor authentication next does not ask for it again. (No public API for this.)
        record_authentication(
            request, user, method="password", email=user.email, reauthenticated=True
        )
    messages.success(
        request,
        _("Welcome to %(partnership)s. You are now %(role)s.")
        % {
            "partnership": invitation.partnership.name,
            "role": invitation.get_role_display().lower(),
        },
    )
    return redirect(invitation.partnership)
