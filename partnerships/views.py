"""Pages about partnerships, their schools, people, invitations and agreement.

Every page fetches its partnership through the access policy's scoped queryset, so a
partnership the user does not belong to answers 404, exactly like one that does not exist.
"""

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from core.conflicts import EditConflict, conflict_for_page, differences
from core.forms import add_service_errors, conflict_of, save_form

from . import invitations as invitation_services
from . import policy, selectors, services
from .forms import (
    AcceptInvitationForm,
    AddSchoolForm,
    AgreementForm,
    InvitationForm,
    PartnershipForm,
)
from .models import Invitation, MembershipRequest, Partnership, Role, RoleAssignment


@login_required
def partnership_detail(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    agreement = selectors.current_agreement(partnership)
    contact = partnership.safeguarding_contact
    if contact is not None and not policy.may_be_safeguarding_contact(contact, partnership):
        contact = None  # no longer holds a role here, so sees no concern: not shown as contact
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "memberships": selectors.memberships_with_agreement_status(partnership, agreement),
            "former_memberships": selectors.former_memberships(partnership),
            "may_manage": policy.may_manage_partnership(request.user, partnership),
            "pending_requests": selectors.pending_membership_requests(partnership)
            if policy.may_manage_partnership(request.user, partnership)
            else [],
            "safeguarding_contact": contact,
        },
    )


@login_required
def partnership_edit(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_manage_partnership(request.user, partnership))
    form = PartnershipForm(
        request.POST or None,
        request.FILES or None,
        instance=partnership,
        initial={"version": partnership.version},
    )
    if request.method == "POST" and form.is_valid():
        proposed = {name: form.cleaned_data[name] for name in form.Meta.fields}
        done = save_form(
            request,
            form,
            lambda: services.partnership_update(
                actor=request.user,
                partnership=Partnership.objects.get(pk=partnership.pk),
                expected_version=form.cleaned_data["version"],
                **proposed,
            ),
            success=_("The partnership's details are saved."),
            to=partnership,
            conflict=lambda current: differences(current, proposed, TEXT_FIELDS),
        )
        if done:
            return done
    return render(
        request,
        "partnerships/partnership_edit.html",
        {"partnership": partnership, "form": form, "conflict": conflict_of(form)},
    )


TEXT_FIELDS = ["name", "purpose", "values", "public_summary"]


@login_required
def school_add(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_manage_partnership(request.user, partnership))
    form = AddSchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = form.existing_school
        try:
            if school is not None and policy.joining_needs_consent(school):
                services.membership_request_send(
                    actor=request.user, partnership=partnership, school=school
                )
            elif school is not None:
                services.membership_add(actor=request.user, partnership=partnership, school=school)
            else:
                school = services.school_create_and_add(
                    actor=request.user, partnership=partnership, **form.new_school_details()
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if policy.member_schools(partnership).filter(pk=school.pk).exists():
                messages.success(
                    request,
                    _("%(school)s is now a member. Invite its headteacher next.")
                    % {"school": school.name},
                )
                return redirect("invitation_list", slug=partnership.slug)
            messages.success(
                request,
                _(
                    "%(school)s already has people in Cairn, so we have asked its headteacher "
                    "to agree. It becomes a member when they accept."
                )
                % {"school": school.name},
            )
            return redirect(partnership)
    return render(
        request, "partnerships/school_add.html", {"partnership": partnership, "form": form}
    )


@login_required
def school_detail(request, slug, urn):
    partnership = policy.visible_partnership(request.user, slug)
    school = get_object_or_404(policy.member_schools(partnership, include_former=True), urn=urn)
    agreement = selectors.current_agreement(partnership)
    return render(
        request,
        "partnerships/school_detail.html",
        {
            "partnership": partnership,
            "school": school,
            "people": selectors.people_in(partnership, school),
            "membership": partnership.memberships.filter(school=school)
            .order_by("-joined_on")
            .first(),
            "agreement": agreement,
            "shares_data": policy.schools_sharing_data(partnership).filter(pk=school.pk).exists(),
            "data_visible": policy.school_data_visible_to(request.user, partnership, school),
            "may_manage": policy.may_manage_partnership(request.user, partnership),
            "may_sign": agreement is not None
            and policy.may_sign_agreement(request.user, partnership, school),
            "may_view_history": policy.may_view_figure_history(request.user, partnership, school),
        },
    )


@login_required
def school_leave(request, slug, urn):
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_manage_partnership(request.user, partnership))
    school = get_object_or_404(policy.member_schools(partnership), urn=urn)
    error = None
    if request.method == "POST":
        try:
            services.membership_end(actor=request.user, partnership=partnership, school=school)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("%(school)s has left the partnership. Its history stays in Cairn.")
                % {"school": school.name},
            )
            return redirect(partnership)
    return render(
        request,
        "partnerships/school_leave.html",
        {"partnership": partnership, "school": school, "error": error},
    )


@login_required
@require_POST
def membership_request_withdraw(request, slug, pk):
    """The lead takes back a request to join that the school has not answered."""
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_manage_partnership(request.user, partnership))
    membership_request = get_object_or_404(
        MembershipRequest.objects.filter(partnership=partnership).select_related("school"),
        pk=pk,
    )
    try:
        services.membership_request_withdraw(actor=request.user, request=membership_request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The request to %(school)s is withdrawn.")
            % {"school": membership_request.school.name},
        )
    return redirect(partnership)


@login_required
def membership_request_detail(request, pk):
    """A school's headteacher reads a partnership's request to join, and accepts or declines."""
    membership_request = get_object_or_404(
        policy.membership_requests_decided_by(request.user).select_related(
            "partnership", "school", "requested_by", "decided_by"
        ),
        pk=pk,
    )
    if request.method == "POST":
        decision = request.POST.get("decision")
        service = {
            "accept": services.membership_request_accept,
            "decline": services.membership_request_decline,
        }.get(decision)
        if service is None:
            messages.error(request, _("Choose whether to accept or decline."))
            return redirect("membership_request_detail", pk=pk)
        try:
            service(actor=request.user, request=membership_request)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("membership_request_detail", pk=pk)
        names = {
            "school": membership_request.school.name,
            "partnership": membership_request.partnership.name,
        }
        if decision == "accept":
            messages.success(request, _("%(school)s has joined %(partnership)s.") % names)
        else:
            messages.success(request, _("%(school)s will not join %(partnership)s.") % names)
        return redirect("dashboard")
    return render(
        request,
        "partnerships/membership_request.html",
        {"membership_request": membership_request},
    )


@login_required
def people(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    assignments = list(selectors.people_in(partnership))
    for assignment in assignments:
        assignment.may_revoke = policy.may_revoke(request.user, assignment)
    return render(
        request,
        "partnerships/people.html",
        {
            "partnership": partnership,
            "assignments": assignments,
            "may_invite": bool(policy.roles_user_may_grant(request.user, partnership)),
        },
    )


@login_required
def role_revoke(request, slug, pk):
    partnership = policy.visible_partnership(request.user, slug)
    # Removed roles too, so that a second click explains rather than answering "not found".
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "school", "partnership"),
        partnership=partnership,
        pk=pk,
    )
    policy.require(policy.may_revoke(request.user, assignment))
    error = None
    if request.method == "POST":
        try:
            services.role_revoke(actor=request.user, assignment=assignment)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("%(person)s is no longer %(role)s.")
                % {"person": assignment.user, "role": Role(assignment.role).with_article},
            )
            if not policy.is_member(request.user, partnership):
                return redirect("dashboard")  # they removed their own last role here
            return redirect("people", slug=partnership.slug)
    return render(
        request,
        "partnerships/role_revoke.html",
        {"partnership": partnership, "assignment": assignment, "error": error},
    )


@login_required
def invitation_list(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    roles = policy.roles_user_may_grant(request.user, partnership)
    policy.require(bool(roles))
    form = InvitationForm(
        request.POST or None,
        roles=roles,
        schools=policy.schools_user_may_grant_at(request.user, partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_services.invitation_create(
                actor=request.user,
                partnership=partnership,
                email=form.cleaned_data["email"],
                role=Role(form.cleaned_data["role"]),
                school=form.cleaned_data["school"],
                another_headteacher_confirmed=form.cleaned_data["confirm_headteacher"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for %(days)s days.")
                % {"email": invitation.email, "days": settings.CAIRN_INVITATION_VALID_DAYS},
            )
            return redirect("invitation_list", slug=partnership.slug)
    invitations = list(selectors.invitations_visible_to(request.user, partnership))
    for invitation in invitations:
        invitation.may_manage = invitation.is_open and policy.may_manage_invitation(
            request.user, invitation
        )
    return render(
        request,
        "partnerships/invitations.html",
        {"partnership": partnership, "form": form, "invitations": invitations},
    )


def _invitation(request, slug, pk) -> Invitation:
    partnership = policy.visible_partnership(request.user, slug)
    return get_object_or_404(selectors.invitations_visible_to(request.user, partnership), pk=pk)


def _act_on_invitation(request, slug, pk, service, success: str):
    """Resend or withdraw: run the service, say what happened, back to the list."""
    invitation = _invitation(request, slug, pk)
    try:
        service(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, success % {"email": invitation.email})
    return redirect("invitation_list", slug=slug)


@login_required
@require_POST
def invitation_resend(request, slug, pk):
    return _act_on_invitation(
        request,
        slug,
        pk,
        invitation_services.invitation_resend,
        _("A new link is on its way to %(email)s. The old link no longer works."),
    )


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    return _act_on_invitation(
        request,
        slug,
        pk,
        invitation_services.invitation_revoke,
        _("The invitation to %(email)s is withdrawn. Its link no longer works."),
    )


@never_cache
def invitation_accept(request, token):
    """Accepting an invitation: the only way into Cairn for a new person. The link is the
    one emailed, so its address stays the same wherever invitations live."""
    invitation = (
        Invitation.objects.select_related("partnership", "school", "invited_by")
        .filter(token_hash=invitation_services.hash_token(token))
        .first()
    )
    if invitation is None:
        return render(request, "partnerships/invitation_unknown.html", status=404)
    context = {"invitation": invitation}
    if invitation.status != Invitation.Status.PENDING:
        return render(request, "partnerships/invitation_closed.html", context, status=410)

    # Each page names the account that will receive the role before anyone accepts.
    if request.user.is_authenticated:
        if not account_selectors.owns_address(request.user, invitation.email):
            return render(request, "partnerships/invitation_wrong_account.html", context)
        if request.method == "POST":
            return _accept(request, invitation, user=request.user)
        context["account_email"] = request.user.email
        return render(request, "partnerships/invitation_confirm.html", context)

    account = account_selectors.account_for_email(invitation.email)
    if account is not None:
        context["account_email"] = account.email
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "partnerships/invitation_sign_in.html", context)

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
    return render(request, "partnerships/invitation_new_account.html", context)


def _accept(request, invitation, *, user=None, form=None, **new_account):
    try:
        user = invitation_services.invitation_accept(
            invitation=invitation, user=user, **new_account
        )
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
            "role": Role(invitation.role).with_article,
        },
    )
    return redirect(invitation.partnership)


@login_required
def agreement(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    current = selectors.current_agreement(partnership)
    signed_school_ids = set()
    signatures = []
    if current:
        signatures = list(selectors.signatures_of(current))
        signed_school_ids = {s.school_id for s in signatures}
    schools_to_sign = [
        school
        for school in policy.schools_user_signs_for(request.user, partnership)
        if school.pk not in signed_school_ids
    ]
    if request.method == "POST":
        # Any school the user heads here: the service explains a double or stale signature.
        school_pk, version_pk = request.POST.get("school", ""), request.POST.get("version", "")
        school = (
            policy.schools_user_signs_for(request.user, partnership).filter(pk=school_pk).first()
            if school_pk.isdigit()
            else None
        )
        version = (
            partnership.agreement_versions.filter(pk=version_pk).first()
            if version_pk.isdigit()
            else None
        )
        policy.require(school is not None and version is not None)
        try:
            version = services.agreement_sign(
                actor=request.user, partnership=partnership, school=school, version=version
            ).version
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("You signed version %(number)s for %(school)s. Its data is now shared "
                  "with the partnership.") % {"number": version.number, "school": school.name},
            )  # fmt: skip
        return redirect("agreement", slug=partnership.slug)
    return render(
        request,
        "partnerships/agreement.html",
        {
            "partnership": partnership,
            "agreement": current,
            "signatures": signatures,
            "unsigned": selectors.memberships_with_agreement_status(partnership, current).filter(
                has_signed=False
            ),
            "schools_to_sign": schools_to_sign if current else [],
            "earlier_versions": partnership.agreement_versions.order_by("-number")[1:],
            "may_manage": policy.may_manage_partnership(request.user, partnership),
        },
    )


@login_required
def agreement_publish(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_manage_partnership(request.user, partnership))
    current = selectors.current_agreement(partnership)
    form = AgreementForm(
        request.POST or None,
        initial={"text": current.text if current else "", "based_on": _number(current)},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = services.agreement_publish(
                actor=request.user,
                partnership=partnership,
                text=form.cleaned_data["text"],
                based_on=form.cleaned_data["based_on"],
            )
        except EditConflict as error:
            conflict = conflict_for_page(
                form,
                error,
                [{"label": _("Agreement text"), "theirs": error.current.text,
                  "yours": form.cleaned_data["text"]}],
                field="based_on",
                saved=_number(error.current),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(
                request,
                _("Version %(number)s is published. Each headteacher has been asked to sign it.")
                % {"number": version.number},
            )
            return redirect("agreement", slug=partnership.slug)
    return render(
        request,
        "partnerships/agreement_publish.html",
        {"partnership": partnership, "form": form, "agreement": current, "conflict": conflict},
    )


def _number(version) -> int:
    return version.number if version else 0


@login_required
def audit_log(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_view_audit_log(request.user, partnership))
    page = Paginator(selectors.audit_events(partnership), 50).get_page(request.GET.get("page"))
    return render(
        request, "partnerships/audit_log.html", {"partnership": partnership, "page": page}
    )


@login_required
def email_failures(request, slug):
    """The partnership's emails that could not be delivered, for its leads to send again."""
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_see_email_failures(request.user, partnership))
    page = Paginator(selectors.emails_not_delivered(partnership), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "partnerships/email_failures.html", {"partnership": partnership, "page": page}
    )


@login_required
@require_POST
def email_retry(request, slug, pk):
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_see_email_failures(request.user, partnership))
    email = get_object_or_404(selectors.emails_not_delivered(partnership), pk=pk)
    try:
        services.outgoing_email_retry(actor=request.user, email=email)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Cairn will try again to send “%(subject)s” to %(to)s.")
            % {"subject": email.subject, "to": email.recipients},
        )
    return redirect("email_failures", slug=slug)
