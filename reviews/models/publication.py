"""The partnership's yearly review for families: the draft the lead composes, and what is published.

A ``PartnershipReview`` is the draft of one cycle's review: the partnership's purpose and values
as the public will read them, an introduction and next steps, a ``PriorityNarrative`` for each
shared priority and a ``SchoolSummary`` for each member school whose report was signed off. The
host headteacher approves their school's summary before anything is published (the report is
the school's).

Publishing freezes a ``PublishedVersion``: the text and figures as they were, in ``content``,
which nothing writes again. A correction publishes the next version with a public note of what
changed; the earlier one stays readable, marked as superseded. Withdrawing needs a reason, and
every version then says the review was withdrawn. Each move is a ``PublicationTransition``.

Each version's PDF is rendered once, in the background, and kept through the storage named
``publications`` in ``settings.STORAGES`` (object storage in production, if configured).
"""

from django.conf import settings
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from priorities.models import format_academic_year


def publication_storage_name() -> str:
    """The storage that keeps published PDFs: ``publications`` if configured, else ``default``."""
    return "publications" if "publications" in settings.STORAGES else "default"


def publication_storage():
    """Where published PDFs are kept (:func:`publication_storage_name`)."""
    return storages[publication_storage_name()]


def year_slug(academic_year: int) -> str:
    """An academic year as it appears in a public address: 2025 is "2025-26"."""
    return f"{academic_year}-{(academic_year + 1) % 100:02d}"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Not published yet")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PartnershipReview(models.Model):
    """The draft of a cycle's partnership review, composed by the partnership lead."""

    cycle = models.OneToOneField(
        "reviews.ReviewCycle", on_delete=models.CASCADE, related_name="partnership_review"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    # Rich text: sanitised HTML, shown with the ``rich`` filter, and beside it what was typed.
    purpose = models.TextField(_("shared purpose"), blank=True)
    purpose_source = models.TextField(blank=True)
    values = models.TextField(_("values and rules of engagement"), blank=True)
    values_source = models.TextField(blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_source = models.TextField(blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    next_steps_source = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "withdrawn"]),
                name="reviews_partnership_review_status_valid",
            ),
        ]

    def __str__(self):
        return f"Partnership review: {self.cycle}"


class PriorityNarrative(models.Model):
    """What the public review says about one shared priority: where it stands, in words."""

    review = models.ForeignKey(
        PartnershipReview, on_delete=models.CASCADE, related_name="priority_narratives"
    )
    priority = models.ForeignKey("priorities.Priority", on_delete=models.PROTECT, related_name="+")
    where_we_are = models.CharField(_("where we are, in one line"), max_length=200, blank=True)
    narrative = models.TextField(_("what the partnership did and what changed"), blank=True)
    narrative_source = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["review", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "priority"], name="reviews_narrative_once_per_priority"
            ),
        ]

    def __str__(self):
        return f"{self.priority} in {self.review}"


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Being written")
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for the headteacher's approval")
    APPROVED = "approved", _("Approved by the headteacher")


class SchoolSummary(models.Model):
    """One member school's public summary: what its peer review found and what it did about it.

    Drafted from the school's signed-off report, edited by the lead for a public audience, and
    approved by the school's headteacher. Any change after approval needs approving again.
    """

    review = models.ForeignKey(
        PartnershipReview, on_delete=models.CASCADE, related_name="school_summaries"
    )
    peer_review = models.ForeignKey(
        "reviews.PeerReview", on_delete=models.PROTECT, related_name="public_summaries"
    )
    school = models.ForeignKey("partnerships.School", on_delete=models.PROTECT, related_name="+")
    found = models.TextField(_("what the peer review found"), blank=True)
    found_source = models.TextField(blank=True)
    did = models.TextField(_("what the school did about it"), blank=True)
    did_source = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_comment = models.TextField(_("the headteacher's comments"), blank=True)

    class Meta:
        ordering = ["review", "school__name"]
        verbose_name_plural = _("school summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "school"], name="reviews_summary_once_per_school"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="reviews_summary_approved_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.school}: public summary ({self.review})"


class PublicationTransition(models.Model):
    """A row for each publication, correction and withdrawal: who, from, to, when and why."""

    review = models.ForeignKey(
        PartnershipReview, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=20, choices=PublicationStatus.choices)
    to_status = models.CharField(max_length=20, choices=PublicationStatus.choices)
    version_number = models.PositiveIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "at", "pk"]

    def __str__(self):
        return f"{self.review}: {self.from_status} -> {self.to_status}"


def published_pdf_upload_to(instance, filename: str) -> str:
    # Cairn's name, never a person's: one file per version, which never changes.
    return (
        f"publications/{instance.partnership_id}/{instance.academic_year}/"
        f"version-{instance.number}-{instance.pdf_etag[:16]}.pdf"
    )


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


class PublishedVersion(models.Model):
    """One published version of a partnership review: a snapshot nothing writes again.

    ``content`` holds every word and figure the public page, the feed and the PDF show, as they
    were when the lead published. Only the withdrawal, the superseding and the PDF's fields change
    later (``MUTABLE_FIELDS``).
    """

    review = models.ForeignKey(
        PartnershipReview, on_delete=models.PROTECT, related_name="published_versions"
    )
    # Copied from the review, so public pages find a version without joining the drafts.
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="published_versions"
    )
    academic_year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    description = models.CharField(max_length=500, blank=True)
    content = models.JSONField(encoder=DjangoJSONEncoder)
    correction_note = models.TextField(_("what changed"), blank=True)
    schools = models.ManyToManyField(
        "partnerships.School", related_name="published_versions", blank=True
    )
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # The PDF, made once by a background task.
    pdf = models.FileField(
        storage=publication_storage, upload_to=published_pdf_upload_to, blank=True, max_length=300
    )
    pdf_status = models.CharField(max_length=10, choices=PdfStatus.choices, default="pending")
    pdf_attempts = models.PositiveSmallIntegerField(default=0)
    pdf_error = models.CharField(max_length=500, blank=True)
    pdf_etag = models.CharField(max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(null=True, blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)

    MUTABLE_FIELDS = frozenset(
        {
            "superseded_at",
            "withdrawn_at",
            "withdrawn_reason",
            "pdf",
            "pdf_status",
            "pdf_attempts",
            "pdf_error",
            "pdf_etag",
            "pdf_size",
            "pdf_rendered_at",
        }
    )

    class Meta:
        ordering = ["partnership", "-academic_year", "-number"]
        indexes = [
            models.Index(
                fields=["partnership", "academic_year", "-number"], name="reviews_published_year"
            ),
            models.Index(fields=["-published_at"], name="reviews_published_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="reviews_published_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="reviews_published_number"),
            models.CheckConstraint(
                condition=Q(pdf_status__in=["pending", "ready", "failed"]),
                name="reviews_published_pdf_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="reviews_published_withdrawal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.number})"

    def save(self, *args, **kwargs):
        # A published version is immutable: once written, only the withdrawal, the superseding
        # and the PDF's fields may change, and only when saved by name.
        if self.pk is not None and not kwargs.get("force_insert"):
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.MUTABLE_FIELDS:
                raise ValueError("A published version's text and figures never change.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "public_review_version",
            kwargs={
                "slug": self.partnership.slug,
                "year": self.academic_year,
                "number": self.number,
            },
        )

    @property
    def year_label(self) -> str:
        return format_academic_year(self.academic_year)

    @property
    def year_slug(self) -> str:
        return year_slug(self.academic_year)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None

    @property
    def pdf_filename(self) -> str:
        slug = self.partnership.slug
        return f"{slug}-review-{self.year_slug}-version-{self.number}.pdf"
