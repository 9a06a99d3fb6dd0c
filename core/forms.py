"""Form rendering in the GOV.UK Design System's patterns, for every form in Cairn.

``{{ form }}`` renders each field as a GOV.UK form group (label, hint, inline error, input);
``{% error_summary form %}`` renders the error summary that goes at the top of the page.
``save_form`` runs a form's service call and answers with the redirect, or with the form
again showing why the service refused.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.http import HttpResponseRedirect
from django.shortcuts import redirect

from core.conflicts import EditConflict, conflict_for_page


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


def save_form(
    request,
    form,
    save: Callable[[], Any],
    *,
    success: str | Callable[[Any], str] | None,
    to: Any,
    conflict: Callable[[Any], list[dict]] | None = None,
    version_field: str = "version",
    saved_version: Callable[[Any], int] | None = None,
) -> HttpResponseRedirect | None:
    """Run a form's service call: on success add the message and return the redirect; on a
    refusal show it on the form (what was typed stays) and return None, so the view renders
    the form again.

    ``save`` calls the service; what it returns is given to ``success`` and ``to`` where they
    are callables (a message naming what was made, a redirect to it). ``to`` is anything
    ``redirect`` takes: a URL or an object with ``get_absolute_url``.

    For the edit of a shared draft, ``conflict`` turns the record someone else saved into the
    rows that differ from the user's (``core.conflicts.differences``). On a stale save the
    form's ``version_field`` moves on to the saved version (``saved_version(record)``, by
    default its ``version``) and ``form.conflict`` holds what the page shows
    (``conflict_of(form)``).
    """
    try:
        result = save()
    except EditConflict as error:
        if conflict is None:
            raise
        form.conflict = conflict_for_page(
            form,
            error,
            conflict(error.current),
            field=version_field,
            saved=saved_version(error.current) if saved_version else None,
        )
        return None
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(to(result) if callable(to) else to)


def conflict_of(form) -> dict | None:
    """The edit conflict ``save_form`` found for this form, for the page to show; else None."""
    return getattr(form, "conflict", None)


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always written year-month-day, whatever the
    language, or the browser shows a saved date as an empty field."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d"
        )
