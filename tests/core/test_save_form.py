"""save_form: a form's service call ends in the message and the redirect, the refusal on the
form, or both versions shown when someone saved first."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.conflicts import EditConflict, differences
from core.forms import conflict_of, save_form
from partnerships.models import Partnership


class NoteForm(forms.Form):
    title = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def posted(data):
    request = RequestFactory().post("/", data)
    request._messages = CookieStorage(request)
    form = NoteForm(request.POST)
    assert form.is_valid()
    return request, form


def refuse(error):
    def save():
        raise error

    return save


def test_a_saved_form_adds_the_message_and_redirects_to_what_was_saved():
    request, form = posted({"title": "Reading", "version": 1})
    response = save_form(
        request,
        form,
        lambda: SimpleNamespace(pk=7, title="Reading"),
        success=lambda saved: f"“{saved.title}” is saved.",
        to=lambda saved: f"/notes/{saved.pk}/",
    )
    assert response.status_code == 302
    assert response.url == "/notes/7/"
    assert [str(m) for m in get_messages(request)] == ["“Reading” is saved."]


def test_a_refusal_is_shown_beside_its_field_and_what_was_typed_stays():
    request, form = posted({"title": "Reading", "version": 1})
    response = save_form(
        request,
        form,
        refuse(ValidationError({"title": "That title is taken", "elsewhere": "Not a field"})),
        success="Saved.",
        to="/notes/",
    )
    assert response is None
    assert form.errors["title"] == ["That title is taken"]
    assert form.non_field_errors() == ["Not a field"]
    assert form["title"].value() == "Reading"
    assert list(get_messages(request)) == []


def test_a_stale_save_shows_both_versions_and_moves_the_form_on():
    request, form = posted({"title": "Mine", "version": 1})
    theirs = SimpleNamespace(title="Theirs", version=4)
    response = save_form(
        request,
        form,
        refuse(EditConflict(current=theirs)),
        success="Saved.",
        to="/notes/",
        conflict=lambda current: [{"label": "Title", "theirs": current.title, "yours": "Mine"}],
    )
    assert response is None
    assert conflict_of(form)["rows"] == [{"label": "Title", "theirs": "Theirs", "yours": "Mine"}]
    assert form.data["version"] == 4
    assert form.data["title"] == "Mine"
    assert list(get_messages(request)) == []


def test_a_page_that_expects_no_conflict_lets_it_through():
    request, form = posted({"title": "Mine", "version": 1})
    with pytest.raises(EditConflict):
        save_form(
            request,
            form,
            refuse(EditConflict(current=SimpleNamespace(version=2))),
            success="Saved.",
            to="/notes/",
        )
    assert conflict_of(form) is None


def test_differences_label_by_the_form_and_show_values_as_people_read_them():
    saved = Partnership(name="North Star", version=2)
    rows = differences(
        saved,
        {"name": "North Stars"},
        ["name"],
        labels={"name": "Partnership name"},
        shown=str.upper,
    )
    assert rows == [{"label": "Partnership name", "theirs": "NORTH STAR", "yours": "NORTH STARS"}]
    assert differences(saved, {"name": "North Star"}, ["name"]) == []
