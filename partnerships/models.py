"""Schools, the partnerships they form, the roles people hold in them and the invitations
that bring people to those roles."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

urn_validator = RegexValidator(r"^\d{6}$", _("A URN is 6 digits, for example 100000."))
laestab_validator = RegexValidator(
    r"^\d{7}$", _("A DfE number (LAESTAB) is 7 digits, for example 2012345.")
)


class School(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    urn = models.CharField(_("URN"), max_length=6, unique=True, validators=[urn_validator])
    laestab = models.CharField(
        _("DfE number (LAESTAB)"), max_length=7, blank=True, validators=[laestab_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    phase = models.CharField(_("phase"), max_length=100, blank=True)
    establishment_type = models.CharField(_("type"), max_length=150, blank=True)
    local_authority = models.CharField(_("local authority"), max_length=150, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    trust_name = models.CharField(_("trust"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("predecessor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text=_("The school this one replaced, for example before it became an academy."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="partnerships_school_status_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Partnership(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for web addresses"), max_length=80, unique=True)
    purpose = models.TextField(
        _("shared purpose"), blank=True, help_text=_("Why the partnership exists.")
    )
    values = models.TextField(
        _("values and rules of engagement"),
        blank=True,
        help_text=_("How members work together."),
    )
    public_summary = models.TextField(_("public summary"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="partnership-logos/", blank=True)
    safeguarding_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("designated safeguarding contact"),
        help_text=_("Sees every safeguarding concern raised during the partnership's reviews."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Bumped on every save through partnership_update, so two leads never overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnership_detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A school's membership of a partnership. A school that leaves keeps its history."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "school"],
                condition=Q(left_on__isnull=True),
                name="partnerships_membership_one_current",
                violation_error_message=_("This school is already a member of the partnership."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="partnerships_membership_left_after_joined",
            ),
        ]

    def __str__(self):
        return f"{self.school} in {self.partnership}"


class Role(models.TextChoices):
    PARTNERSHIP_LEAD = "partnership_lead", _("Partnership lead")
    HEADTEACHER = "headteacher", _("Headteacher")
    IMPROVEMENT_CHAMPION = "improvement_champion", _("Improvement champion")
    PEER_REVIEWER = "peer_reviewer", _("Peer reviewer")

    @property
    def with_article(self) -> str:
        """The role in a sentence: "You are now a peer reviewer", "an improvement champion"."""
        return str(ROLES_WITH_ARTICLE[self])


# Whole phrases, not an article worked out from the first letter: each language has its own.
ROLES_WITH_ARTICLE = {
    Role.PARTNERSHIP_LEAD: _("a partnership lead"),
    Role.HEADTEACHER: _("a headteacher"),
    Role.IMPROVEMENT_CHAMPION: _("an improvement champion"),
    Role.PEER_REVIEWER: _("a peer reviewer"),
}

SCHOOL_ROLES = [Role.HEADTEACHER, Role.IMPROVEMENT_CHAMPION, Role.PEER_REVIEWER]


class RoleAssignment(models.Model):
    """A role a person holds in a partnership, and for school roles, at which school."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="role_assignments"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["partnership__name", "school__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "school", "role"],
                condition=Q(revoked_at__isnull=True, school__isnull=False),
                name="partnerships_role_one_current_at_school",
                violation_error_message=_("This person already holds this role."),
            ),
            models.UniqueConstraint(
                fields=["user", "partnership", "role"],
                condition=Q(revoked_at__isnull=True, school__isnull=True),
                name="partnerships_role_one_current_in_partnership",
                violation_error_message=_("This person already holds this role."),
            ),
            models.CheckConstraint(
                condition=Q(role="partnership_lead") | Q(school__isnull=False),
                name="partnerships_role_school_roles_need_school",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[choice.value for choice in Role]),
                name="partnerships_role_valid",
            ),
        ]

    def __str__(self):
        where = f"{self.school}, {self.partnership}" if self.school else str(self.partnership)
        return f"{self.user}: {self.get_role_display()} ({where})"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None


class AgreementVersion(models.Model):
    """One version of a partnership's data-sharing agreement. Versions are never edited."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreement_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("agreement text"))
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["partnership", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="partnerships_agreement_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.partnership}: data-sharing agreement version {self.number}"


class AgreementSignature(models.Model):
    """A member school's headteacher signing one version of the agreement for their school."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="signatures")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "school"], name="partnerships_agreement_signed_once"
            ),
        ]

    def __str__(self):
        return f"{self.school} signed {self.version}"


class MembershipRequest(models.Model):
    """A partnership asking a school that already has people in Cairn to join it.

    The school's headteacher decides: it joins only when they accept. Pending, then accepted,
    declined or withdrawn (by the partnership's lead), each move recorded as a transition.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the headteacher")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="membership_requests"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="membership_requests")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who accepted, declined or withdrew the request."),
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "school"],
                condition=Q(status="pending"),
                name="partnerships_membership_request_one_pending",
                violation_error_message=_("The partnership has already asked this school."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined", "withdrawn"]),
                name="partnerships_membership_request_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="pending", decided_at__isnull=True)
                    | (~Q(status="pending") & Q(decided_at__isnull=False))
                ),
                name="partnerships_membership_request_decided_when_closed",
            ),
        ]

    def __str__(self):
        return f"{self.partnership} asks {self.school} to join"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class MembershipRequestTransition(models.Model):
    """A row for every move of a membership request: who, from, to, when."""

    request = models.ForeignKey(
        MembershipRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        max_length=10, choices=MembershipRequest.Status.choices, blank=True
    )
    to_status = models.CharField(max_length=10, choices=MembershipRequest.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request", "at", "pk"]

    def __str__(self):
        return f"{self.request}: {self.from_status or '-'} -> {self.to_status}"


class Invitation(models.Model):
    """An emailed, single-use, expiring invitation to take a role in a partnership.

    Only a hash of the token is stored: the link in the email is the only copy of the token.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("email address"))
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=Role.choices,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
        help_text=_("Empty when a site administrator invited a new partnership's first lead."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    send_count = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        # Invitations began in the accounts app: the table, its constraints and every
        # invitation already sent keep the names they were created with.
        db_table = "accounts_invitation"
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per person, role and place: resend it rather than send another.
            models.UniqueConstraint(
                Lower("email"),
                "partnership",
                "school",
                "role",
                condition=Q(
                    accepted_at__isnull=True, revoked_at__isnull=True, school__isnull=False
                ),
                name="accounts_invitation_one_open_at_school",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "partnership",
                "role",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True, school__isnull=True),
                name="accounts_invitation_one_open_in_partnership",
            ),
        ]

    def __str__(self):
        return f"Invitation for {self.email} ({self.role})"

    @property
    def status(self) -> "Invitation.Status":
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def is_open(self) -> bool:
        """Not yet accepted or revoked (it may have expired, and can then be resent)."""
        return self.accepted_at is None and self.revoked_at is None

    def get_status_display_lower(self) -> str:
        return str(self.Status(self.status).label).lower()
