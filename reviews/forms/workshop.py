"""Forms for the improvement workshop, its action plan and the impact review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField
from core.richtext import RichTextField, plain_text
from priorities.models import Priority

from ..models import Action, Finding


class WorkshopForm(forms.Form):
    held_on = DateField(
        label=_("Date of the workshop"),
        error_messages={"required": _("Enter the date of the workshop")},
    )
    participants = forms.CharField(
        label=_("Who took part"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names or roles, for example: the Year 5 and 6 teachers, the English lead."),
        error_messages={"required": _("Say who took part")},
    )
    agreed = RichTextField(
        label=_("What was agreed"),
        max_length=10_000,
        error_messages={"required": _("Say what the workshop agreed")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Action"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the action")},
    )
    owner = forms.CharField(
        label=_("Owner"),
        max_length=200,
        help_text=_("Who will make it happen."),
        error_messages={"required": _("Say who owns the action")},
    )
    due_on = DateField(
        label=_("Due by"),
        error_messages={"required": _("Enter the date it is due by")},
    )
    finding = forms.ModelChoiceField(
        label=_("The finding it answers"),
        queryset=Finding.objects.none(),
        required=False,
        empty_label=_("None in particular"),
    )
    priority = forms.ModelChoiceField(
        label=_("Shared priority"),
        queryset=Priority.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Action.Status.choices, widget=forms.RadioSelect
    )
    what_changed = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Once the action is under way: what is different, with the evidence."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, review, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = Finding.objects.filter(
            review=review, status=Finding.Status.SUBMITTED
        )
        self.fields["finding"].label_from_instance = _finding_label
        self.fields["priority"].queryset = Priority.objects.filter(
            partnership=review.cycle.partnership
        ).exclude(status=Priority.Status.PROPOSED)
        if not editing:  # a new action starts not started, with nothing changed yet
            del self.fields["status"]
            del self.fields["what_changed"]
            del self.fields["version"]


def _finding_label(finding: Finding) -> str:
    words = plain_text(finding.judgement).split()
    text = " ".join(words[:14]) + ("…" if len(words) > 14 else "")
    return f"{finding.get_kind_display().split(':')[0]}: {text}"


class ImpactReviewForm(forms.Form):
    impact_review = RichTextField(
        label=_("What changed"),
        max_length=10_000,
        help_text=_(
            "Later in the year: what is different for pupils since the review, with the data "
            "where there is some, and what the school will do next."
        ),
        error_messages={"required": _("Say what changed")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
