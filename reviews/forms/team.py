"""Forms of the team pages: a review's team, the suggested teams for a cycle, declared
conflicts of interest. They check the shape of input; ``reviews.services.team`` holds the rules."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import ConflictDeclaration
from ..services.team import MAX_REVIEWERS, MIN_REVIEWERS, ProposedTeam

ACKNOWLEDGE_LABEL = _("I have considered this; assign the team anyway")


class _PersonField(forms.TypedChoiceField):
    """A person from the list, or anyone else who may review: the service then says exactly
    why someone not offered (a conflict declared since the page opened) cannot be chosen."""

    also_valid: frozenset = frozenset()

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or str(value) in self.also_valid


class _PeopleField(forms.TypedMultipleChoiceField):
    also_valid: frozenset = frozenset()

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or str(value) in self.also_valid


class TeamForm(forms.Form):
    """The lead reviewer and the other reviewers of one review."""

    lead_user = _PersonField(
        label=_("Lead reviewer"),
        coerce=int,
        required=False,  # the service names a missing lead with the team's other problems
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=_(
            "Headteachers from the other member schools (or a peer reviewer from a school "
            "with no headteacher in Cairn). They lead the visit and write the report."
        ),
        error_messages={"invalid_choice": _("Choose the lead reviewer from the list.")},
    )
    reviewer_users = _PeopleField(
        label=_("Reviewers"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
        help_text=_("Choose 1 to 3, besides the lead reviewer."),
        error_messages={"invalid_choice": _("Choose the reviewers from the list.")},
    )
    acknowledge_warnings = forms.BooleanField(label=ACKNOWLEDGE_LABEL, required=False)

    def __init__(self, *args, lead_choices, reviewer_choices, also_valid=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_user"].choices = lead_choices
        self.fields["reviewer_users"].choices = reviewer_choices
        for name in ("lead_user", "reviewer_users"):
            self.fields[name].also_valid = frozenset(str(user_id) for user_id in also_valid)


class SuggestForm(forms.Form):
    reviewers_per_team = forms.TypedChoiceField(
        label=_("How many reviewers should each team have, besides its lead reviewer?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(MIN_REVIEWERS, MAX_REVIEWERS + 1)],
        initial=MIN_REVIEWERS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how many reviewers each team should have")},
    )


# One team as the suggestion page carries it: "host:lead:reviewer.reviewer", all ids.
TEAM_PATTERN = re.compile(r"^(\d{1,18}):(\d{1,18}):(\d{1,18}(?:\.\d{1,18}){0,9})$")


def encode_team(team: ProposedTeam) -> str:
    reviewers = ".".join(str(user_id) for user_id in team.reviewer_user_ids)
    return f"{team.host_school_id}:{team.lead_user_id}:{reviewers}"


class ProposalField(forms.Field):
    """The suggested teams, carried in hidden fields from the suggestion to its acceptance."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> dict[int, ProposedTeam]:
        teams: dict[int, ProposedTeam] = {}
        for item in value or []:
            match = TEAM_PATTERN.match(str(item))
            if match is None:
                raise ValidationError(
                    _("The suggestion could not be read: suggest teams again."), code="invalid"
                )
            host, lead, reviewers = match.groups()
            team = ProposedTeam(
                int(host), int(lead), tuple(int(user_id) for user_id in reviewers.split("."))
            )
            if team.host_school_id in teams:
                raise ValidationError(
                    _("The suggestion could not be read: suggest teams again."), code="invalid"
                )
            teams[team.host_school_id] = team
        return teams

    def prepare_value(self, value):
        if isinstance(value, dict):
            return [encode_team(team) for team in value.values()]
        return value


class AcceptSuggestionForm(forms.Form):
    teams = ProposalField(
        error_messages={"required": _("There are no suggested teams to accept.")},
    )
    reviewers_per_team = forms.TypedChoiceField(
        coerce=int,
        choices=[(n, str(n)) for n in range(MIN_REVIEWERS, MAX_REVIEWERS + 1)],
        widget=forms.HiddenInput,
    )
    acknowledge_warnings = forms.BooleanField(label=ACKNOWLEDGE_LABEL, required=False)


class ConflictForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=None,
        empty_label=_("Choose a school"),
        error_messages={
            "required": _("Choose the school you have a conflict of interest with"),
            "invalid_choice": _("Choose one of the partnership's member schools"),
        },
    )
    reason = forms.ChoiceField(
        label=_("Why do you have a conflict of interest?"),
        choices=ConflictDeclaration.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for the conflict of interest")},
    )
    note = forms.CharField(
        label=_("Anything to add (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example, when you worked there. The partnership lead, who assigns review "
            "teams, sees this. Do not name pupils."
        ),
        error_messages={"max_length": _("Keep what you add to 500 characters or fewer")},
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
