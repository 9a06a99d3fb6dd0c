"""Forms for a review's enquiry focus, visit and self-review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField
from core.richtext import RichTextField
from priorities.models import Priority

from ..models import SelfReview, Theme


class FocusForm(forms.Form):
    priority = forms.ModelChoiceField(
        label=_("Shared priority"),
        queryset=Priority.objects.none(),
        required=False,
        empty_label=_("Choose a priority"),
        help_text=_("The enquiry looks at one of the partnership's active priorities."),
    )
    theme = forms.ChoiceField(
        label=_("Enquiry theme"),
        choices=Theme.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Our Impact: what difference are we making? Looking Forward: where next? Looking "
            "Inward: how well do we do what we do? Looking Outward: what can we learn from others?"
        ),
    )
    enquiry_question = forms.CharField(
        label=_("Your enquiry question"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A question, not a judgement: for example, “To what extent does our feedback in "
            "Year 5 help disadvantaged pupils catch up in writing?”"
        ),
    )
    visit_start = DateField(label=_("First day of the visit"), required=False)
    visit_end = DateField(label=_("Last day of the visit"), required=False)
    pre_review_notes = RichTextField(
        label=_("Notes from the pre-review meeting"),
        required=False,
        help_text=_(
            "What the host headteacher and the lead reviewer agreed: who the team will meet, "
            "what they will see, the timetable."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities


class SelfReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in SelfReview.SECTIONS:
            self.fields[name] = RichTextField(label=label, required=False, max_length=10_000)
        # The version last: hidden fields render wherever they are, but keep the order tidy.
        self.fields["version"] = self.fields.pop("version")
