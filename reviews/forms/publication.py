"""Forms for composing, approving and publishing the partnership's review for the public."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.richtext import RichTextField

PUBLIC_HINT = _(
    "Families read this. Write in plain English, name no pupil or member of staff, and give no "
    "grades."
)


class PartnershipReviewForm(forms.Form):
    purpose = RichTextField(label=_("Shared purpose"), required=False, max_length=3_000)
    values = RichTextField(
        label=_("Values and rules of engagement"), required=False, max_length=3_000
    )
    introduction = RichTextField(
        label=_("Introduction"),
        required=False,
        max_length=5_000,
        help_text=_("What the partnership set out to do this year, in a paragraph or two. ")
        + PUBLIC_HINT,
    )
    next_steps = RichTextField(
        label=_("Next steps"),
        required=False,
        max_length=5_000,
        help_text=_("What the partnership will do next year.") + " " + PUBLIC_HINT,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NarrativeForm(forms.Form):
    where_we_are = forms.CharField(
        label=_("Where we are, in one line"),
        required=False,
        max_length=200,
        help_text=_("Shown in the review's overview, for example “4 of 5 schools are on track”."),
    )
    narrative = RichTextField(
        label=_("What the partnership did and what changed"),
        required=False,
        max_length=8_000,
        help_text=PUBLIC_HINT,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SummaryForm(forms.Form):
    found = RichTextField(
        label=_("What the peer review found"),
        required=False,
        max_length=5_000,
        help_text=_("Drafted from the signed-off report’s strengths and areas to develop. ")
        + PUBLIC_HINT,
    )
    did = RichTextField(
        label=_("What the school did about it"),
        required=False,
        max_length=5_000,
        help_text=_("Drafted from the school’s action plan. ") + PUBLIC_HINT,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Do you approve this summary for publication?"),
        choices=[
            ("approve", _("Yes, approve it")),
            ("return", _("No, send it back to the partnership lead with comments")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you approve the summary")},
    )
    comment = forms.CharField(
        label=_("Comments for the partnership lead"),
        required=False,
        max_length=3_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error(
                "comment", _("Say what should change, so the partnership lead knows what to do")
            )
        return data


class CorrectionForm(forms.Form):
    note = RichTextField(
        label=_("What changed"),
        max_length=2_000,
        help_text=_(
            "Families read this note at the top of the corrected review, for example “We "
            "corrected Oakfield’s attendance figure for 2024/25.”"
        ),
        error_messages={"required": _("Say what changed")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the review is withdrawn"),
        max_length=1_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Families read this where the review was."),
        error_messages={"required": _("Say why the review is withdrawn")},
    )
