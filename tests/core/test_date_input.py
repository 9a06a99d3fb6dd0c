"""The GOV.UK date input (day, month and year apart) that every date in Cairn's forms uses."""

import datetime
import re

import pytest
from django import forms
from django.template import Context, Template

from core.forms import DateField, DateInput


class WorkshopDateForm(forms.Form):
    held_on = DateField(label="Date of the workshop", help_text="For example, 27 3 2027")
    follow_up = DateField(label="Follow-up", required=False)


def typed(day="", month="", year="", name="held_on") -> dict:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def errors(data) -> list[str]:
    form = WorkshopDateForm(data)
    assert not form.is_valid()
    return form.errors["held_on"]


def rendered(form) -> str:
    return " ".join(str(form).split())


def test_a_real_date_is_read_from_its_three_parts():
    form = WorkshopDateForm(typed("7", "03", "2027"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"held_on": datetime.date(2027, 3, 7), "follow_up": None}


@pytest.mark.parametrize("month", ["March", "mar", "Mar.", " 3 "])
def test_the_month_may_be_a_word_or_have_spaces_around_it(month):
    form = WorkshopDateForm(typed("7", month, "2027"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["held_on"] == datetime.date(2027, 3, 7)


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("31", "02", "2027"),
        ("0", "1", "2027"),
        ("1", "13", "2027"),
        ("1", "1", "27"),
        ("x", "1", "2027"),
    ],
)
def test_a_date_that_does_not_exist_is_refused_as_not_real(day, month, year):
    assert errors(typed(day, month, year)) == ["Enter a real date for “Date of the workshop”"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (typed("7", "", "2027"), "Date of the workshop must include a month"),
        (typed("", "3", "2027"), "Date of the workshop must include a day"),
        (typed("7", "3", ""), "Date of the workshop must include a year"),
        (typed("", "", "2027"), "Date of the workshop must include a day and month"),
    ],
)
def test_a_date_with_parts_missing_names_them(data, message):
    assert errors(data) == [message]


def test_nothing_typed_is_required_or_empty_as_the_field_says():
    assert errors(typed()) == ["Enter a date"]
    form = WorkshopDateForm({**typed("7", "3", "2027"), **typed(name="follow_up")})
    assert form.is_valid()
    assert form.cleaned_data["follow_up"] is None


def test_what_was_typed_is_shown_again_with_the_error():
    form = WorkshopDateForm(typed("31", "02", "2027"))
    form.is_valid()
    html = rendered(form)
    for part, value in (("day", "31"), ("month", "02"), ("year", "2027")):
        assert re.search(
            rf'name="held_on_{part}" value="{value}" class="[^"]*govuk-input--error', html
        )
    assert '<p id="id_held_on-error" class="govuk-error-message">' in html


def test_an_initial_date_round_trips_through_the_three_boxes():
    date = datetime.date(2026, 11, 28)
    html = rendered(WorkshopDateForm(initial={"held_on": date}))
    posted = dict(re.findall(r'name="(held_on_\w+)" value="([^"]*)"', html))
    assert posted == typed("28", "11", "2026")
    form = WorkshopDateForm(posted, initial={"held_on": date})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["held_on"] == date
    assert not form.has_changed()


def test_the_date_is_one_fieldset_with_a_legend_hint_and_labelled_boxes():
    html = rendered(WorkshopDateForm())
    fieldset = '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_held_on-hint">'
    assert fieldset in html
    legend = '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
    assert f"{legend}Date of the workshop</legend>" in html
    assert '<div id="id_held_on-hint" class="govuk-hint">For example, 27 3 2027</div>' in html
    for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
        label_tag = f'<label class="govuk-label govuk-date-input__label" for="id_held_on_{part}">'
        assert f"{label_tag}{label}</label>" in html
        box = rf'<input type="text" name="held_on_{part}"[^>]* inputmode="numeric"'
        assert re.search(box, html)
    assert 'type="date"' not in html
    assert "placeholder" not in html


def test_the_error_summary_links_to_the_day_box():
    form = WorkshopDateForm(typed("7", "", "2027"))
    form.is_valid()
    html = Template("{% load govuk %}{% error_summary form %}").render(Context({"form": form}))
    assert '<a href="#id_held_on_day">Date of the workshop must include a month</a>' in html


def test_one_iso_date_posted_as_the_earlier_form_did_is_still_read():
    form = WorkshopDateForm({"held_on": "2027-03-07"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["held_on"] == datetime.date(2027, 3, 7)
    assert errors({"held_on": "31/02/2027"}) == ["Enter a real date for “Date of the workshop”"]


def test_the_staff_forms_dates_all_use_it():
    from priorities.forms import PriorityForm
    from reviews.forms.cycles import CycleDatesForm
    from reviews.forms.enquiry import FocusForm
    from reviews.forms.workshop import ActionForm, WorkshopForm

    fields = [
        *(PriorityForm.base_fields[name] for name in ("start_date", "review_date")),
        *CycleDatesForm().fields.values(),
        *(FocusForm.base_fields[name] for name in ("visit_start", "visit_end")),
        ActionForm.base_fields["due_on"],
        WorkshopForm.base_fields["held_on"],
    ]
    dates = [field for field in fields if isinstance(field, forms.DateField)]
    assert len(dates) == 13
    assert all(isinstance(field, DateField) for field in dates)
    assert all(isinstance(field.widget, DateInput) for field in dates)
