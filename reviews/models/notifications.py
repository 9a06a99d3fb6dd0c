"""What each person is told, and where: their choice of reminder emails, their private calendar
feed, and the reminders waiting for their email of the day.

The daily sweep (``reviews.services.reminders``) writes a ``DigestItem`` for each thing a person
is reminded of, then sends each person one email with all of theirs; the rows are the record of
what was sent, and of what was held back because the person turned that kind of email off.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderTopic(models.TextChoices):
    """The kinds of reminder a person may turn off. Escalations to leads are not among them."""

    REVIEW_STEPS = "review_steps", _("Steps of a peer review that wait on you")
    ACTIONS = "actions", _("Actions you own in an action plan")


class NotificationPreferences(models.Model):
    """A person's choice of reminder emails; without a row, every kind is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    review_steps_email = models.BooleanField(
        _("Email me about steps of a peer review that wait on me"), default=True
    )
    actions_email = models.BooleanField(
        _("Email me about actions I own in an action plan"), default=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "notification preferences"

    def __str__(self):
        return f"Notification preferences of {self.user}"

    def wants_email(self, topic: str) -> bool:
        return {
            ReminderTopic.REVIEW_STEPS: self.review_steps_email,
            ReminderTopic.ACTIONS: self.actions_email,
        }[topic]


class CalendarFeed(models.Model):
    """The secret in a person's calendar feed URL. Replacing it makes the old URL answer 404.

    Kept as it is, not hashed: the person is shown their URL again whenever they open the page,
    as a calendar application needs it whole.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"


class DigestItem(models.Model):
    """One thing one person is reminded of, sent in (or held back from) their email of the day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.CharField(max_length=20, choices=ReminderTopic.choices)
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    review = models.ForeignKey(
        "reviews.PeerReview", on_delete=models.CASCADE, related_name="digest_items"
    )
    action = models.ForeignKey(
        "reviews.Action",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="digest_items",
    )
    task = models.CharField(max_length=500)  # what to do, as the email says it
    due = models.DateField()
    path = models.CharField(max_length=500)  # the page to do it on
    found_on = models.DateField()  # the day the sweep found it due
    sent_on = models.DateField(null=True, blank=True)  # the day of the email it went in
    emailed = models.BooleanField(default=False)  # False once sent: that kind is turned off

    class Meta:
        ordering = ["recipient", "due", "pk"]
        indexes = [models.Index(fields=["sent_on", "recipient"], name="reviews_digest_waiting")]

    def __str__(self):
        return f"{self.recipient}: {self.task} (due {self.due})"
