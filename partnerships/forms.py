"""Forms for partnership pages. They check the shape of input; services hold the rules."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from accounts.models import User

from .models import Partnership, Role, School, urn_validator

LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG"}


class PartnershipForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Partnership
        fields = ["name", "purpose", "values", "public_summary", "logo", "safeguarding_contact"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "values": forms.Textarea(attrs={"rows": 6}),
            "public_summary": forms.Textarea(attrs={"rows": 4}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        }
        help_texts = {
            "purpose": _("Why the partnership exists: what its schools are passionate about."),
            "values": _(
                "What binds the schools together: the behaviours you adopt and those you will "
                "not tolerate."
            ),
            "public_summary": _("A few sentences for parents, shown on published reviews."),
            "logo": _("Optional. A PNG or JPEG image, no bigger than 1 MB."),
            "safeguarding_contact": _(
                "Someone who holds a role in the partnership. With the host school's headteacher, "
                "they see every safeguarding concern raised during a review, and are told by "
                "email when one is raised. Nobody else sees the concerns."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The contact is chosen from the partnership's current people (services check it too).
        contact = self.fields["safeguarding_contact"]
        contact.queryset = (
            User.objects.filter(
                role_assignments__partnership=self.instance,
                role_assignments__revoked_at__isnull=True,
            )
            .distinct()
            .order_by("name", "email")
        )
        contact.empty_label = _("No designated safeguarding contact")
        contact.label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"
        contact.error_messages["invalid_choice"] = _(
            "Choose someone who holds a role in the partnership"
        )

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo == self.initial.get("logo"):
            return logo
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo must be 1 MB or smaller."))
        try:
            with Image.open(logo) as image:
                image.verify()
                image_format = image.format
        except (UnidentifiedImageError, OSError) as exc:
            raise ValidationError(_("The logo must be a PNG or JPEG image.")) from exc
        if image_format not in LOGO_FORMATS:
            raise ValidationError(_("The logo must be a PNG or JPEG image."))
        logo.seek(0)
        return logo


class AddSchoolForm(forms.Form):
    urn = forms.CharField(
        label=_("URN"),
        max_length=6,
        validators=[urn_validator],
        help_text=_(
            "The school's 6-digit unique reference number, from Get Information about Schools."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )
    name = forms.CharField(
        label=_("School name"),
        max_length=200,
        required=False,
        help_text=_("Only needed if Cairn does not know the school yet."),
    )
    laestab = forms.CharField(
        label=_("DfE number (LAESTAB)"),
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )
    phase = forms.CharField(label=_("Phase"), max_length=100, required=False)
    local_authority = forms.CharField(label=_("Local authority"), max_length=150, required=False)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )

    def clean(self):
        cleaned = super().clean()
        urn = cleaned.get("urn")
        if urn:
            self.existing_school = School.objects.filter(urn=urn).first()
            if self.existing_school is None and not cleaned.get("name"):
                self.add_error(
                    "name",
                    _("No school with URN %(urn)s is in Cairn yet. Enter its name to add it.")
                    % {"urn": urn},
                )
        return cleaned

    def new_school_details(self) -> dict:
        return {
            key: self.cleaned_data[key]
            for key in ("urn", "name", "laestab", "phase", "local_authority", "postcode")
        }


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address in the correct format, like name@school.org.uk"),
        },
        help_text=_("Use their work email address. The invitation link is sent there."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the role you are inviting them to")},
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("Not at a school (partnership lead)"),
        help_text=_("The school where they will hold the role."),
    )
    # Shown only once the school turns out to have a headteacher already (the service says
    # so, naming them), or when it was ticked: a second one is sent only when asked for.
    confirm_headteacher = forms.BooleanField(
        label=_("Yes, invite another headteacher for this school"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, roles, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self.fields["school"].queryset = schools
        if Role.PARTNERSHIP_LEAD not in roles:
            self.fields["school"].required = True
            self.fields["school"].empty_label = None
        if self.is_bound and self.fields["confirm_headteacher"].clean(
            self.data.get(self.add_prefix("confirm_headteacher"))
        ):
            self._show_headteacher_confirmation()

    def add_error(self, field, error):
        super().add_error(field, error)
        if field == "confirm_headteacher":
            self._show_headteacher_confirmation()

    def _show_headteacher_confirmation(self) -> None:
        self.fields["confirm_headteacher"].widget = forms.CheckboxInput()


class AgreementForm(forms.Form):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    text = forms.CharField(
        label=_("Agreement text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Publishing a new version asks every member school's headteacher to sign it again. "
            "Until a school signs, its data is not shown to other schools."
        ),
    )


class AcceptInvitationForm(forms.Form):
    """A new person's account: their name and a password of their choosing."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A few random words make a strong password."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The passwords do not match. Type them again."))
        elif password1:
            candidate = User(email=self.email, name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
