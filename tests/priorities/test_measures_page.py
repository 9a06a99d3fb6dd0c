"""The measures page: the catalogue and the partnership's own measures, and adding one."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from partnerships.models import Role
from priorities.models import Measure
from priorities.services import measure_create
from tests.factories import PartnershipFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Year 6 reading age gap",
    "code": "reading_age_gap",
    "unit": "score",
    "direction": "lower",
    "phase": "KS2",
    "source": "self_reported",
    "min_value": "-5",
    "max_value": "5",
}


def own_measure(lead, partnership, **overrides):
    return measure_create(actor=lead, partnership=partnership, **{**GOOD, **overrides})


def list_page(client, user, partnership):
    client.force_login(user)
    return client.get(reverse("measure_list", args=[partnership.slug]))


def add(client, user, partnership, **overrides):
    client.force_login(user)
    return client.post(reverse("measure_add", args=[partnership.slug]), {**GOOD, **overrides})


def typed(html: str, name: str) -> str | None:
    """The value a text input of the re-rendered form holds."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = tag and re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def added_by(html: str, code: str) -> str:
    """Who added the measure with ``code``, as its row of the list says."""
    row = re.search(rf"<code>{code}</code>.*?</tr>", html, re.S).group(0)
    return re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', row)[-1]


def checked(html: str, name: str) -> str | None:
    """The value of the radio button of ``name`` that is checked."""
    for tag in re.findall(rf'<input[^>]*type="radio"[^>]*name="{name}"[^>]*>', html):
        if " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


# --- The list ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["champion", "headteacher", "lead"])
def test_every_member_sees_the_common_measures_and_the_partnerships_own(
    request, client, partnership, lead, viewer
):
    own_measure(lead, partnership)
    response = list_page(client, request.getfixturevalue(viewer), partnership)
    html = response.content.decode()
    assert response.status_code == 200
    assert "KS2 reading, writing and maths: % meeting the expected standard" in html
    assert "<code>ks2_rwm_expected</code>" in html
    assert "Year 6 reading age gap" in html
    assert "<code>reading_age_gap</code>" in html
    assert "-5 to 5" in html
    assert "0 to 100" in html
    assert "Lower is better" in html
    assert "Higher is better" in html
    assert "Reported by the school" in html
    assert "Published by the DfE" in html
    assert [added_by(html, "ks2_rwm_expected"), added_by(html, "reading_age_gap")] == [
        "Cairn",
        "This partnership",
    ]


def test_another_partnerships_own_measures_are_not_listed(client, partnership, lead, champion):
    other = PartnershipFactory()
    other_lead = UserFactory()
    grant(other_lead, other, Role.PARTNERSHIP_LEAD)
    own_measure(other_lead, other, name="Their secret measure", code="their_secret")
    html = list_page(client, champion, partnership).content.decode()
    assert "Their secret measure" not in html
    assert "their_secret" not in html


def test_measures_are_grouped_by_key_stage_with_those_without_one_last(client, partnership, lead):
    own_measure(lead, partnership, phase="", name="Staff wellbeing score", code="wellbeing")
    response = list_page(client, lead, partnership)
    phases = [group["phase"] for group in response.context["groups"]]
    assert phases == ["All phases", "KS1", "KS2", "KS4", ""]
    html = response.content.decode()
    captions = re.findall(r'<caption class="govuk-table__caption[^"]*">([^<]*)</caption>', html)
    assert captions == ["All phases", "KS1", "KS2", "KS4", "No key stage or phase given"]
    assert html.index("No key stage or phase given") < html.index("Staff wellbeing score")


def test_a_key_stage_written_in_another_case_joins_its_group(client, partnership, lead):
    own_measure(lead, partnership, phase="ks2")
    groups = list_page(client, lead, partnership).context["groups"]
    [ks2] = [group for group in groups if group["phase"].casefold() == "ks2"]
    assert "reading_age_gap" in [row["measure"].code for row in ks2["rows"]]


def test_the_page_explains_codes_and_links_to_the_import(client, partnership, headteacher):
    html = list_page(client, headteacher, partnership).content.decode()
    assert "measure code" in html
    assert reverse("measurements_upload", args=[partnership.slug]) in html


def test_only_a_lead_is_offered_add_a_measure(client, partnership, lead, headteacher, champion):
    add_url = reverse("measure_add", args=[partnership.slug])
    assert add_url in list_page(client, lead, partnership).content.decode()
    for person in (headteacher, champion):
        assert add_url not in list_page(client, person, partnership).content.decode()


def test_the_data_page_links_to_the_measures(client, partnership, champion):
    client.force_login(champion)
    html = client.get(reverse("data_scrutiny", args=[partnership.slug])).content.decode()
    assert reverse("measure_list", args=[partnership.slug]) in html
    assert "See the measures the partnership uses" in html


def test_list_query_count_stays_the_same_as_measures_grow(client, partnership, lead):
    own_measure(lead, partnership)
    client.force_login(lead)
    url = reverse("measure_list", args=[partnership.slug])
    client.get(url)  # the first request of a session does one-off work
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(8):
        own_measure(lead, partnership, code=f"grown_{index}", name=f"Grown measure {index}",
                    phase=f"Phase {index % 3}")  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "Grown measure 7" in html


# --- Adding a measure ------------------------------------------------------------------------


def test_lead_adds_a_measure(client, partnership, lead):
    response = add(client, lead, partnership)
    measure = Measure.objects.get(partnership=partnership)
    assert response.status_code == 302
    assert response["Location"] == reverse("measure_list", args=[partnership.slug])
    assert (measure.code, measure.name, measure.unit, measure.direction) == (
        "reading_age_gap", "Year 6 reading age gap", "score", "lower"
    )  # fmt: skip
    assert (measure.phase, measure.source) == ("KS2", "self_reported")
    assert (str(measure.min_value), str(measure.max_value)) == ("-5.00", "5.00")
    event = AuditEvent.objects.get(verb="measure.created", partnership=partnership)
    assert event.actor == lead
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "“Year 6 reading age gap” is added" in message
    assert "reading_age_gap" in message


def test_the_message_shows_on_the_list_after_adding(client, partnership, lead):
    client.force_login(lead)
    response = client.post(reverse("measure_add", args=[partnership.slug]), GOOD, follow=True)
    html = response.content.decode()
    assert "“Year 6 reading age gap” is added" in html
    assert "<code>reading_age_gap</code>" in html


def test_a_code_typed_in_capitals_is_kept_in_lowercase(client, partnership, lead):
    add(client, lead, partnership, code="Reading_Age_Gap")
    assert Measure.objects.get(partnership=partnership).code == "reading_age_gap"


@pytest.mark.parametrize("person", ["headteacher", "champion"])
def test_only_a_lead_may_add_a_measure(request, client, partnership, person):
    user = request.getfixturevalue(person)
    client.force_login(user)
    url = reverse("measure_add", args=[partnership.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, GOOD).status_code == 404
    assert not Measure.objects.filter(partnership=partnership).exists()
    assert not AuditEvent.objects.filter(verb="measure.created").exists()


def test_an_outsider_may_not_add_a_measure(client, partnership, outsider):
    assert add(client, outsider, partnership).status_code == 404
    assert not Measure.objects.filter(partnership=partnership).exists()


# --- Refusals keep what was typed ----------------------------------------------------------


def assert_refused_keeping_what_was_typed(response, message, fields):
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert "govuk-form-group--error" in html
    for name, value in fields.items():
        assert typed(html, name) == value, name
    assert checked(html, "unit") == fields.get("unit", GOOD["unit"])
    assert checked(html, "direction") == GOOD["direction"]
    assert checked(html, "source") == GOOD["source"]


@pytest.mark.parametrize("code", ["reading_age_gap", "ks2_rwm_expected", "KS2_RWM_EXPECTED"])
def test_a_code_already_in_use_is_refused(client, partnership, lead, code):
    own_measure(lead, partnership)
    response = add(client, lead, partnership, code=code, name="A second measure")
    assert_refused_keeping_what_was_typed(
        response,
        "is already used by",
        {"name": "A second measure", "code": code, "min_value": "-5", "max_value": "5"},
    )
    assert Measure.objects.filter(partnership=partnership).count() == 1


def test_the_duplicate_codes_measure_is_named(client, partnership, lead):
    html = add(client, lead, partnership, code="ks2_rwm_expected").content.decode()
    assert "The code “ks2_rwm_expected” is already used by “KS2 reading, writing and maths" in html


@pytest.mark.parametrize(("low", "high"), [("10", "10"), ("50", "20")])
def test_a_range_whose_highest_is_not_above_its_lowest_is_refused(
    client, partnership, lead, low, high
):
    response = add(client, lead, partnership, min_value=low, max_value=high)
    assert_refused_keeping_what_was_typed(
        response,
        f"The highest possible value must be above the lowest ({low})",
        {"name": GOOD["name"], "code": GOOD["code"], "min_value": low, "max_value": high},
    )
    assert not Measure.objects.filter(partnership=partnership).exists()


def test_bounds_that_are_not_numbers_are_refused(client, partnership, lead):
    response = add(client, lead, partnership, min_value="nought", max_value="a hundred")
    assert_refused_keeping_what_was_typed(
        response,
        "The value “nought” is not a number",
        {"name": GOOD["name"], "code": GOOD["code"], "min_value": "nought",
         "max_value": "a hundred"},
    )  # fmt: skip
    assert "The value “a hundred” is not a number" in response.content.decode()
    assert not Measure.objects.filter(partnership=partnership).exists()


def test_a_missing_name_is_refused(client, partnership, lead):
    response = add(client, lead, partnership, name="")
    assert_refused_keeping_what_was_typed(
        response,
        "Enter the name of the measure",
        {"code": GOOD["code"], "min_value": "-5", "max_value": "5", "phase": "KS2"},
    )
    assert not Measure.objects.filter(partnership=partnership).exists()


def test_every_problem_is_shown_at_once(client, partnership, lead):
    response = add(client, lead, partnership, name="", code="not a code!", min_value="x")
    html = response.content.decode()
    assert "Enter the name of the measure" in html
    assert "The code must only include lowercase letters" in html
    assert "The value “x” is not a number" in html
    assert typed(html, "code") == "not a code!"


def test_a_missing_choice_is_refused(client, partnership, lead):
    response = add(client, lead, partnership, unit="")
    html = response.content.decode()
    assert "Select the unit of the measure" in html
    assert checked(html, "unit") is None
    assert checked(html, "direction") == GOOD["direction"]
