"""The safeguarding concern form: plain text, kept apart from the review.

``reviews.services.safeguarding`` holds the rules (who may raise and acknowledge, who is told).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.safeguarding import CONCERN_MAX_LENGTH


class ConcernForm(forms.Form):
    concern = forms.CharField(
        label=_("Your concern"),
        max_length=CONCERN_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 10, "autocomplete": "off"}),
        help_text=_(
            "What you saw or heard, where and when, which child or children it is about if you "
            "know, who was involved, and anything you have already done about it. Record the "
            "facts and the words people used."
        ),
        error_messages={
            "required": _("Describe the concern: what you saw or heard"),
            "max_length": _("The concern must be %(limit_value)d characters or fewer"),
        },
    )
