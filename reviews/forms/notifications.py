"""The reminder emails a person chooses."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationPreferencesForm(forms.Form):
    review_steps_email = forms.BooleanField(
        label=_("Steps of a peer review that wait on me"),
        help_text=_(
            "A week before each deadline and on the day: the enquiry focus, the self-review, "
            "the visit dates, the report, the workshop and the impact review."
        ),
        required=False,
    )
    actions_email = forms.BooleanField(
        label=_("Actions I own in an action plan"),
        help_text=_("A week before each action is due and on the day."),
        required=False,
    )
