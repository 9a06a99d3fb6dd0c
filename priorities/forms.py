"""Forms for priority pages. They check the shape of input; services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField

from .models import Measure
from .services import parse_value


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
    start_date = DateField(
        label=_("Start date"),
        required=False,
        help_text=_("For example, 1 9 2026"),
    )
    review_date = DateField(
        label=_("Review date"),
        required=False,
        help_text=_("When the partnership will look at the impact, for example 15 7 2027"),
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


class MeasureForm(forms.Form):
    """A measure of the partnership's own. The service refuses a code already in use."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_(
            "What the figure is, as people will read it on the data page, for example: "
            "Year 6 reading age: months behind or ahead of actual age."
        ),
        error_messages={
            "required": _("Enter the name of the measure"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "A short name that CSV files of figures use to say which measure a row is for. "
            "Lowercase letters, digits, underscores (_) and hyphens (-) only, for example "
            "reading_age_gap."
        ),
        error_messages={
            "required": _("Enter a code for the measure"),
            "invalid": _(
                "The code must only include lowercase letters, digits, underscores (_) and "
                "hyphens (-)"
            ),
            "max_length": _("The code must be 40 characters or fewer"),
        },
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-20",
                "spellcheck": "false",
                "autocapitalize": "none",
                "autocomplete": "off",
            }
        ),
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=Measure.Unit.choices,
        help_text=_("Percentage points are for gaps between two percentages."),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the unit of the measure")},
    )
    direction = forms.ChoiceField(
        label=_("Which way is better"),
        choices=Measure.Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether a higher or a lower figure is better")},
    )
    phase = forms.CharField(
        label=_("Key stage or phase (optional)"),
        max_length=40,
        required=False,
        help_text=_("For example KS2, KS4 or All phases. Measures are listed by it."),
        error_messages={"max_length": _("The key stage or phase must be 40 characters or fewer")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    source = forms.ChoiceField(
        label=_("Where the figures come from"),
        choices=Measure.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select where the figures come from")},
    )
    min_value = forms.CharField(
        label=_("Lowest possible value"),
        help_text=_("For example 0 for a percentage. A figure below it is refused."),
        error_messages={"required": _("Enter the lowest possible value")},
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-5", "inputmode": "decimal", "spellcheck": "false"}
        ),
    )
    max_value = forms.CharField(
        label=_("Highest possible value"),
        help_text=_("For example 100 for a percentage. A figure above it is refused."),
        error_messages={"required": _("Enter the highest possible value")},
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-5", "inputmode": "decimal", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        # Codes are matched regardless of case, so they are kept in one case.
        return self.cleaned_data["code"].lower()

    def clean_min_value(self):
        return self._number("min_value")

    def clean_max_value(self):
        return self._number("max_value")

    def _number(self, field_name):
        # The service parses the bounds, and says why a value is not a number; asking it here
        # too shows that beside the other fields' errors, all at once.
        return parse_value(self.cleaned_data[field_name])


class TargetForm(forms.Form):
    """A school's target on one measure. Years are offered as choices; the service checks them."""

    baseline_year = forms.TypedChoiceField(
        label=_("Baseline"),
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("The school's figure the target starts from, usually the latest."),
        error_messages={"required": _("Choose the baseline year")},
    )
    target_value = forms.CharField(
        label=_("Target"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={"required": _("Enter the target")},
    )
    target_year = forms.TypedChoiceField(
        label=_("By the academic year"),
        coerce=int,
        error_messages={"required": _("Choose the year the target is for")},
    )
    statement = forms.CharField(
        label=_("How the partnership makes this reachable"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "In the school's own words: what working with the other schools makes possible "
            "that the school could not do alone."
        ),
        error_messages={"required": _("Say how the partnership makes this target reachable")},
    )
    is_floor = forms.BooleanField(
        label=_("This is a floor target: a level to hold rather than beat"),
        required=False,
    )
    floor_reason = forms.CharField(
        label=_("Why a floor target"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the school is already well above the national figure."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_target_value(self):
        # Checked here as well as by the service, so that a value that is not a number is
        # named together with every other problem of the form, not after them.
        raw = self.cleaned_data["target_value"]
        parse_value(raw)
        return raw

    def __init__(self, *args, baseline_choices, year_choices, unit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline_year"].choices = baseline_choices
        self.fields["target_year"].choices = [("", _("Choose a year")), *year_choices]
        self.fields["target_value"].help_text = unit_label
