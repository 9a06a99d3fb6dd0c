"""Form rendering in the GOV.UK Design System's patterns, for every form in Cairn.

``{{ form }}`` renders each field as a GOV.UK form group (label, hint, inline error, input);
``{% error_summary form %}`` renders the error summary that goes at the top of the page.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form, beside the field it names, keeping what was typed."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always written year-month-day, whatever the
    language, or the browser shows a saved date as an empty field."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d"
        )
