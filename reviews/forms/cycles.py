"""Forms of the review cycle pages: which academic year, and the cycle's deadlines."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField

from ..models import ReviewCycle

HINTS = {
    "data_sharing_due": _(
        "Schools have entered their figures on the priority measures, and the partnership "
        "has looked at them together."
    ),
    "self_reviews_due": _(
        "Each school has chosen its enquiry focus and shared its self-review with its review team."
    ),
    "visits_from": _("The first day a review visit can take place."),
    "visits_until": _("The last day a review visit can take place."),
    "reports_due": _("Lead reviewers have submitted their reports for quality assurance."),
    "workshops_due": _(
        "Each school has held its improvement workshop and written its action plan."
    ),
    "impact_reviews_due": _("Each school has recorded what changed, with the data."),
}


class CycleYearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Which academic year is the cycle for?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the academic year"),
            "invalid_choice": _("Select the academic year"),
        },
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (year, ReviewCycle(academic_year=year).academic_year_label) for year in years
        ]


class CycleDatesForm(forms.Form):
    """The cycle's deadlines, in the order the cycle runs. The service checks their order."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, with_version: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_version:
            del self.fields["version"]
        for name in ReviewCycle.DEADLINES:
            label = str(ReviewCycle._meta.get_field(name).verbose_name).capitalize()
            self.fields[name] = DateField(
                label=label,
                help_text=HINTS[name],
                error_messages={
                    "required": _("Enter the date for “%(stage)s”") % {"stage": label},
                },
            )

    def deadlines(self) -> dict:
        return {name: self.cleaned_data[name] for name in ReviewCycle.DEADLINES}
