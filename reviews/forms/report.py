"""Forms for the review report: the lead reviewer's summary, and a move along the workflow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.richtext import RichTextField


class ReportSummaryForm(forms.Form):
    summary = RichTextField(
        label=_("Summary of the review"),
        max_length=10_000,
        help_text=_(
            "What the team found in answer to the enquiry question, in a few paragraphs. The "
            "findings and their evidence follow it in the report."
        ),
        error_messages={"required": _("Write the summary of the review")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MoveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
