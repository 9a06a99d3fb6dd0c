"""Form rendering in the GOV.UK Design System's patterns, for every form in Cairn.

``{{ form }}`` renders each field as a GOV.UK form group (label, hint, inline error, input);
``{% error_summary form %}`` renders the error summary that goes at the top of the page.
``save_form`` runs a form's service call and answers with the redirect, or with the form
again showing why the service refused.
``DateField`` is every date a person types: the GOV.UK date input, day, month and year.
"""

import calendar
import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

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


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in three labelled boxes, never the browser's
    date picker (which shows mm/dd/yyyy or a calendar depending on the browser).

    ``{{ form }}`` renders it inside a fieldset whose legend is the field's label. A value
    posted as one ISO date ("2026-11-28", as the single date field Cairn's forms had before
    sent it) is read too, so a page opened before that change still saves.
    """

    template_name = "forms/widgets/date_input.html"
    # (name, label, width in characters)
    PARTS = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))

    def __init__(self, attrs=None):
        widgets = {
            name: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                }
            )
            for name, _label, width in self.PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{part}" in data for part, *_ in self.PARTS):
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        # The error summary links to the day box.
        return f"{id_}_day" if id_ else ""

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        extra_class = attrs.pop("class", "")
        context = super().get_context(name, value, attrs)
        for subwidget, (part, label, _width) in zip(
            context["widget"]["subwidgets"], self.PARTS, strict=True
        ):
            subwidget["label"] = label
            if context["widget"]["attrs"].get("id"):
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}_{part}"
            if extra_class:
                subwidget["attrs"]["class"] += f" {extra_class}"
        return context


class DateField(forms.DateField):
    """A date typed as day, month and year (``DateInput``), with GOV.UK's error messages:
    what is missing ("Date of the workshop must include a month") or that it is not a date
    at all ("Enter a real date for “Reports due”"). On error the form shows what was typed."""

    widget = DateInput
    default_error_messages = {
        "required": _("Enter a date"),
        "incomplete": _("%(label)s must include a %(missing)s"),
        "invalid": _("Enter a real date for “%(label)s”"),
    }

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, str):  # one ISO date, as posted by the earlier form
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise self._error("invalid") from None
        day, month, year = (str(part or "").strip() for part in value)
        if not (day or month or year):
            return None
        missing = [
            str(label).lower()
            for (_name, label, _width), typed in zip(
                DateInput.PARTS, (day, month, year), strict=True
            )
            if not typed
        ]
        if missing:
            raise self._error("incomplete", missing=_(" and ").join(missing))
        month = MONTH_NAMES.get(month.lower().rstrip("."), month)
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise self._error("invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise self._error("invalid") from None

    def _error(self, code: str, **params) -> ValidationError:
        label = str(self.label or _("Date"))
        return ValidationError(
            self.error_messages[code], code=code, params={"label": label, **params}
        )


# People may type the month as a word: "March", "mar" or "Sept".
MONTH_NAMES = {
    **{name.lower(): str(number) for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): str(number) for number, name in enumerate(calendar.month_abbr) if name},
    "sept": "9",
}
