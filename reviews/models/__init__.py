"""The yearly peer-review cycle: each member school's review, its team, findings and report.

A partnership runs one ``ReviewCycle`` per academic year, with a deadline for each stage. In a
cycle each member school hosts one ``PeerReview``: its enquiry focus (a shared priority, a theme
and its own question), its ``SelfReview``, the review team (``ReviewTeamMember``), the
``Finding``s recorded with their ``Evidence`` and ``Challenge``s, the report's workflow
(``ReviewTransition`` rows), then the improvement ``Workshop``, its ``Action`` plan and the
impact review. A ``SafeguardingConcern`` sits beside the review, never in it.

Rich text (self-review sections, judgements, the report summary and the rest) is kept twice: in
``<field>`` as HTML already sanitised by ``core.richtext``, which templates show through the
``rich`` filter, and in ``<field>_source`` as the person typed it, which the form shows when they
edit it. Services write both (``core.richtext.store``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from priorities.models import format_academic_year


class Theme(models.TextChoices):
    """The enquiry themes of the Schools Partnership Programme."""

    OUR_IMPACT = "our_impact", _("Our Impact")
    LOOKING_FORWARD = "looking_forward", _("Looking Forward")
    LOOKING_INWARD = "looking_inward", _("Looking Inward")
    LOOKING_OUTWARD = "looking_outward", _("Looking Outward")


class ReviewCycle(models.Model):
    """A partnership's cycle for one academic year, with a deadline for each stage."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="cycles"
    )
    academic_year = models.PositiveSmallIntegerField(
        _("academic year"), help_text=_("The year the academic year starts: 2026 means 2026/27.")
    )
    data_sharing_due = models.DateField(_("data shared by"))
    self_reviews_due = models.DateField(_("self-reviews due"))
    visits_from = models.DateField(_("review visits from"))
    visits_until = models.DateField(_("review visits until"))
    reports_due = models.DateField(_("reports due"))
    workshops_due = models.DateField(_("improvement workshops due"))
    impact_reviews_due = models.DateField(_("impact reviews due"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # The stages' deadlines, in the order the cycle runs.
    DEADLINES = (
        "data_sharing_due",
        "self_reviews_due",
        "visits_from",
        "visits_until",
        "reports_due",
        "workshops_due",
        "impact_reviews_due",
    )

    class Meta:
        ordering = ["partnership", "-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "academic_year"], name="reviews_cycle_one_per_year"
            ),
            models.CheckConstraint(
                condition=(
                    Q(data_sharing_due__lte=F("self_reviews_due"))
                    & Q(self_reviews_due__lte=F("visits_from"))
                    & Q(visits_from__lte=F("visits_until"))
                    & Q(visits_until__lte=F("reports_due"))
                    & Q(reports_due__lte=F("workshops_due"))
                    & Q(workshops_due__lte=F("impact_reviews_due"))
                ),
                name="reviews_cycle_deadlines_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.partnership}: {self.academic_year_label}"

    @property
    def academic_year_label(self) -> str:
        return format_academic_year(self.academic_year)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for quality assurance")
    RETURNED = "returned", _("Returned with comments")
    QUALITY_ASSURED = "quality_assured", _("Quality-assured")
    SIGNED_OFF = "signed_off", _("Signed off: ready to publish")


class PeerReview(models.Model):
    """One member school's review in a cycle: its enquiry, visit, report and what followed."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="reviews")
    host_school = models.ForeignKey(
        "partnerships.School", on_delete=models.PROTECT, related_name="peer_reviews"
    )
    # The enquiry focus, chosen by the host school.
    priority = models.ForeignKey(
        "priorities.Priority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="peer_reviews",
        verbose_name=_("shared priority"),
    )
    theme = models.CharField(_("enquiry theme"), max_length=20, choices=Theme.choices, blank=True)
    enquiry_question = models.TextField(_("enquiry question"), blank=True)
    visit_start = models.DateField(_("first day of the visit"), null=True, blank=True)
    visit_end = models.DateField(_("last day of the visit"), null=True, blank=True)
    pre_review_notes = models.TextField(_("pre-review meeting notes"), blank=True)
    pre_review_notes_source = models.TextField(blank=True)
    # Versions the focus-and-visit details and the report separately: different people edit them.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The report: the lead reviewer's summary above the findings, and its workflow.
    status = models.CharField(
        _("report status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    report_summary = models.TextField(_("summary of the review"), blank=True)
    report_summary_source = models.TextField(blank=True)
    report_version = models.PositiveIntegerField(default=1, editable=False)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # The impact review, later in the year: what changed, with the data.
    impact_review = models.TextField(_("impact review"), blank=True)
    impact_review_source = models.TextField(blank=True)
    impact_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    impact_reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "host_school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "host_school"], name="reviews_review_one_per_school_per_cycle"
            ),
            models.CheckConstraint(
                condition=Q(visit_start__isnull=True)
                | Q(visit_end__isnull=True)
                | Q(visit_start__lte=F("visit_end")),
                name="reviews_review_visit_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.SIGNED_OFF) | Q(signed_off_at__isnull=False),
                name="reviews_review_signed_off_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.host_school} ({self.cycle.academic_year_label})"

    @property
    def is_locked(self) -> bool:
        """A signed-off report changes only after it is reopened."""
        return self.status == ReportStatus.SIGNED_OFF


class ReviewTransition(models.Model):
    """A row for every move of a report along its workflow: who, from, to, when, and why."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "at", "pk"]

    def __str__(self):
        return f"{self.review}: {self.from_status} -> {self.to_status}"


class SelfReview(models.Model):
    """The host school's self-evaluation before its review, in structured sections."""

    SECTIONS = (
        ("context", _("Our school and its context")),
        ("strengths", _("What is going well")),
        ("areas_to_develop", _("What we want to develop")),
        ("priority_evidence", _("What our data and evidence say about the shared priority")),
        ("questions", _("What we would like the review team to look at")),
    )

    review = models.OneToOneField(PeerReview, on_delete=models.CASCADE, related_name="self_review")
    context = models.TextField(_("our school and its context"), blank=True)
    strengths = models.TextField(_("what is going well"), blank=True)
    areas_to_develop = models.TextField(_("what we want to develop"), blank=True)
    priority_evidence = models.TextField(
        _("what our data and evidence say about the shared priority"), blank=True
    )
    questions = models.TextField(_("what we would like the review team to look at"), blank=True)
    # What the school typed into each section, shown back to them when they edit it.
    context_source = models.TextField(blank=True)
    strengths_source = models.TextField(blank=True)
    areas_to_develop_source = models.TextField(blank=True)
    priority_evidence_source = models.TextField(blank=True)
    questions_source = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the school shared it with its review team.")
    )

    def __str__(self):
        return f"Self-review: {self.review}"


class ReviewTeamMember(models.Model):
    """A person on a review's team: its lead reviewer or one of its reviewers."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_places"
    )
    school = models.ForeignKey(
        "partnerships.School",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The member school the reviewer comes from."),
    )
    is_lead = models.BooleanField(_("lead reviewer"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "-is_lead", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="reviews_team_one_place_each"),
            models.UniqueConstraint(
                fields=["review"], condition=Q(is_lead=True), name="reviews_team_one_lead"
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.review}"


class ConflictDeclaration(models.Model):
    """A declared conflict of interest with a member school: it blocks reviewing that school."""

    class Reason(models.TextChoices):
        FORMER_EMPLOYER = "former_employer", _("I used to work there")
        RELATIVE = "relative", _("A relative or partner works or studies there")
        SAME_TRUST = "same_trust", _("It is in the same trust as my school")
        OTHER = "other", _("Another reason")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="conflicts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    school = models.ForeignKey("partnerships.School", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("anything to add"), max_length=500, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership", "user", "school"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "school"], name="reviews_conflict_once_per_school"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.school} ({self.reason})"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength: what went well")
    AREA_TO_DEVELOP = "area_to_develop", _("Area to develop: even better if")


class Finding(models.Model):
    """A judgement from the review and, in its Evidence, what leads the author to think it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    judgement = models.TextField(_("the finding"))
    judgement_source = models.TextField(blank=True)
    priority = models.ForeignKey(
        "priorities.Priority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("shared priority"),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="findings"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "kind", "created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.review})"


def evidence_upload_to(instance, filename: str) -> str:
    # The stored name is Cairn's, never the uploader's: it cannot collide, traverse or mislead.
    return f"evidence/{instance.finding.review.cycle_id}/{instance.finding_id}/{instance.token}"


class Evidence(models.Model):
    """One piece of evidence behind a finding, with an optional file."""

    class Kind(models.TextChoices):
        LESSON_VISIT = "lesson_visit", _("Lesson visit")
        PUPIL_VOICE = "pupil_voice", _("Pupil voice")
        WORK_SCRUTINY = "work_scrutiny", _("Work scrutiny")
        DATA = "data", _("Data")
        CONVERSATION = "conversation", _("Conversation")
        DOCUMENT = "document", _("Document")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("type of evidence"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("what was seen or heard"))
    token = models.CharField(max_length=40, blank=True, editable=False)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["finding", "added_at", "pk"]
        verbose_name_plural = _("evidence")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:40]}"


class Challenge(models.Model):
    """A reviewer's question about another's finding; it must be answered before submission."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="challenges")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("challenge"))
    raised_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["finding", "raised_at", "pk"]

    def __str__(self):
        return f"Challenge on {self.finding}"


class ChallengeReply(models.Model):
    """One message in a challenge's thread."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("reply"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["challenge", "at", "pk"]
        verbose_name_plural = _("challenge replies")

    def __str__(self):
        return f"Reply on {self.challenge}"


class SafeguardingConcern(models.Model):
    """A concern raised during a review. Never part of a report, an export, a search or anything
    published: only the host headteacher, the person who raised it and the partnership's
    designated safeguarding contact see it (``policy.safeguarding_concerns_visible_to``)."""

    review = models.ForeignKey(
        PeerReview, on_delete=models.CASCADE, related_name="safeguarding_concerns"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    concern = models.TextField(_("the concern"))
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "raised_at", "pk"]

    def __str__(self):
        return f"Safeguarding concern #{self.pk}"


class Workshop(models.Model):
    """The improvement workshop the host's improvement champion runs after the review."""

    review = models.OneToOneField(PeerReview, on_delete=models.CASCADE, related_name="workshop")
    held_on = models.DateField(_("date of the workshop"))
    participants = models.TextField(_("who took part"))
    agreed = models.TextField(_("what was agreed"))
    agreed_source = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Workshop: {self.review}"


class Action(models.Model):
    """One action of the plan that came out of the workshop."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner = models.CharField(_("owner"), max_length=200, help_text=_("Who will make it happen."))
    due_on = models.DateField(_("due by"))
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    priority = models.ForeignKey(
        "priorities.Priority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("shared priority"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    what_changed = models.TextField(_("what changed"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "due_on", "pk"]

    def __str__(self):
        return self.description[:60]


class ReminderSent(models.Model):
    """A deadline reminder already sent about one stage of one review, or one action of its
    plan (``stage`` is then "action"), so none goes twice.

    Keyed by the deadline it was about: when a lead moves a deadline, or a school an action's
    due date, the new date has its own reminders.
    """

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the deadline")
        ON_THE_DAY = "on_the_day", _("On the day")
        OVERDUE = "overdue", _("Overdue: told to the partnership lead")

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="reminders")
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    stage = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "deadline", "stage", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "stage", "kind", "deadline"],
                condition=Q(action__isnull=True),
                name="reviews_reminder_once",
            ),
            models.UniqueConstraint(
                fields=["action", "kind", "deadline"],
                condition=Q(action__isnull=False),
                name="reviews_action_reminder_once",
            ),
        ]

    def __str__(self):
        return f"{self.review}: {self.stage} ({self.kind}, {self.deadline})"


# Reminder emails and calendar feeds live in their own module; Django finds their models here.
from .notifications import (  # noqa: E402
    CalendarFeed,
    DigestItem,
    NotificationPreferences,
    ReminderTopic,
)

# The partnership's published review lives in its own module; Django finds its models here.
from .publication import (  # noqa: E402
    PartnershipReview,
    PdfStatus,
    PriorityNarrative,
    PublicationStatus,
    PublicationTransition,
    PublishedVersion,
    SchoolSummary,
    SummaryStatus,
    year_slug,
)

__all__ = [
    "Action",
    "CalendarFeed",
    "Challenge",
    "ChallengeReply",
    "ConflictDeclaration",
    "DigestItem",
    "Evidence",
    "Finding",
    "FindingKind",
    "NotificationPreferences",
    "PartnershipReview",
    "PdfStatus",
    "PeerReview",
    "PriorityNarrative",
    "PublicationStatus",
    "PublicationTransition",
    "PublishedVersion",
    "ReminderSent",
    "ReminderTopic",
    "ReportStatus",
    "ReviewCycle",
    "ReviewTeamMember",
    "ReviewTransition",
    "SafeguardingConcern",
    "SchoolSummary",
    "SelfReview",
    "SummaryStatus",
    "Theme",
    "Workshop",
    "evidence_upload_to",
    "year_slug",
]
