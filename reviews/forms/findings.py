"""Forms of the findings pages: a finding, a piece of evidence, a challenge and a reply.

They check the shape of input; ``reviews.services.findings`` holds the rules (who may, when,
and which files are accepted).
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.richtext import FORMATTING_HELP, RichTextField

from ..models import Evidence, FindingKind
from ..services.findings import ALLOWED_TYPES_TEXT, human_size, max_upload_bytes

TEXT_MAX_LENGTH = 5000


class FindingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of finding is it?"),
        choices=FindingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether this is a strength or an area to develop")},
    )
    judgement = RichTextField(
        label=_("The finding"),
        max_length=TEXT_MAX_LENGTH,
        help_text=format_lazy(
            "{} {}",
            _("What you judge, in a sentence or two, without naming pupils."),
            FORMATTING_HELP,
        ),
        error_messages={"required": _("Write the finding: what you judge, in a sentence or two")},
    )
    priority = forms.ModelChoiceField(
        label=_("Which shared priority is it about?"),
        queryset=None,
        widget=forms.RadioSelect,
        help_text=_(
            "The review's enquiry focus is chosen for you: change it if the finding is about "
            "another."
        ),
        error_messages={
            "required": _("Choose the shared priority it is about"),
            "invalid_choice": _("Choose one of the partnership's active priorities"),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities
        self.fields["priority"].label_from_instance = lambda priority: priority.title
        if not priorities.exists():
            # Nothing to link to yet: the finding is recorded without a priority.
            del self.fields["priority"]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of evidence"),
        choices=Evidence.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of evidence")},
    )
    description = forms.CharField(
        label=_("What was seen, heard or read"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For example: In 4 of the 6 Year 5 books we looked at, pupils had redrafted their "
            "writing after feedback. Do not name pupils."
        ),
        error_messages={
            "required": _("Describe the evidence: what you saw, heard or read"),
            "max_length": _("The description must be %(limit_value)d characters or fewer"),
        },
    )
    file = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        error_messages={
            "empty": _("The selected file is empty."),
            "invalid": _("The selected file could not be read. Try choosing it again."),
        },
        widget=forms.FileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.pptx,.txt,.csv"}
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "evidence-%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "%(types)s, up to %(limit)s. Remove pupils' names and faces first."
        ) % {"types": ALLOWED_TYPES_TEXT, "limit": human_size(max_upload_bytes(), rounding="down")}


class ChallengeForm(forms.Form):
    text = forms.CharField(
        label=_("Your challenge"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Ask what you need to know to be convinced, for example: What leads you to think "
            "that? Did you see it in other classes too?"
        ),
        error_messages={
            "required": _("Write your challenge: what would you ask the author of this finding?"),
            "max_length": _("The challenge must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "challenge-%s")
        super().__init__(*args, **kwargs)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write your reply"),
            "max_length": _("The reply must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args, challenge, **kwargs):
        # Each challenge on the page has its own reply form: keep their ids apart.
        kwargs.setdefault("auto_id", f"reply-{challenge.pk}-%s")
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        if challenge.raised_by is not None:
            self.fields["text"].label = _("Your reply to %(name)s's challenge") % {
                "name": challenge.raised_by.get_full_name()
            }
