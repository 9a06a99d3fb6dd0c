"""Forms for priority pages. They check the shape of input; services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Measure


class PriorityForm(forms.Form):
    title = forms.CharField(
        label=_("Priority"),
        max_length=200,
        help_text=_(
            "Something no school could achieve alone, for example: Disadvantaged pupils in "
            "Key Stage 2 write as well as their classmates."
        ),
        error_messages={"required": _("Enter the priority")},
    )
    rationale = forms.CharField(
        label=_("Why this priority"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The evidence from the schools' data that makes this a shared priority."),
        error_messages={"required": _("Say why, from the data, this is a priority")},
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures that will show progress"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        help_text=_("For example, 2026-09-01"),
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
    )
    review_date = forms.DateField(
        label=_("Review date"),
        required=False,
        help_text=_("When the partnership will look at the impact, for example 2027-07-15"),
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = measures

    def clean(self):
        cleaned = super().clean()
        start, review = cleaned.get("start_date"), cleaned.get("review_date")
        if start and review and review <= start:
            self.add_error("review_date", _("The review date must be after the start date"))
        return cleaned


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What the partnership achieved on this priority, with the evidence; or why it "
            "was not taken forward."
        ),
        error_messages={"required": _("Say what the priority achieved, or why it was closed")},
    )


CSV_MAX_BYTES = 2 * 1024 * 1024


class MeasurementsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a CSV file"),
        help_text=_(
            "Columns: URN, measure code, academic year (like 2024/25), value, cohort size. "
            "Saved from a spreadsheet as CSV (UTF-8), no bigger than 2 MB."
        ),
        error_messages={"required": _("Select a CSV file")},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Check the file without saving anything"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(_("The file must be 2 MB or smaller"))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("The file must be a CSV file (ending .csv)"))
        head = upload.read(2048)
        upload.seek(0)
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            # A spreadsheet (.xlsx) or other binary renamed to .csv.
            raise forms.ValidationError(
                _("The file must be a CSV file: save the spreadsheet as CSV and try again")
            )
        return upload
