"""The target pages: setting a school's target, who may, two people at once, and the CSV."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from partnerships.models import Role
from partnerships.services import agreement_sign
from priorities.models import Measure, Measurement, SchoolTarget
from priorities.services import priority_close, priority_propose, target_set
from priorities.views.targets import EXPORT_HEADER
from tests.factories import UserFactory, grant, make_member_school
from tests.priorities.support import ABSENCE, KS2, measure, record

pytestmark = pytest.mark.django_db

STATEMENT = "Moderating writing together across the schools lifts our teachers' judgements."


def text_of(html: str) -> str:
    """The page's words, without tags, entities for apostrophes and runs of white space."""
    words = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"')
    return " ".join(words.split())


def edit_url(partnership, priority, school, code=KS2) -> str:
    return reverse("target_edit", args=[partnership.slug, priority.pk, school.urn, code])


def detail_url(partnership, priority) -> str:
    return reverse("priority_detail", args=[partnership.slug, priority.pk])


def hidden_version(html: str) -> str:
    [value] = re.findall(r'<input type="hidden" name="version" value="(\d+)"', html)
    return value


def textarea(html: str, name: str) -> str:
    [content] = re.findall(rf'<textarea name="{name}"[^>]*>\s*(.*?)</textarea>', html, re.S)
    return content


def input_value(html: str, name: str) -> str | None:
    tag = re.search(rf'<input type="text" name="{name}"[^>]*>', html)
    assert tag, f"no input named {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def target_form(**changes) -> dict:
    data = {
        "baseline_year": "2024",
        "target_value": "70",
        "target_year": "2026",
        "statement": STATEMENT,
        "floor_reason": "",
        "version": "0",
    }
    data.update(changes)
    return data


@pytest.fixture
def figures(school):
    """The school's KS2 figures: 58% in 2023/24 and 63% in 2024/25."""
    record(school, 2023, "58")
    return record(school, 2024, "63")


@pytest.fixture
def other_school(partnership):
    return make_member_school(partnership, name="Brook Lane Primary")


@pytest.fixture
def other_head(partnership, other_school):
    user = UserFactory(name="Bea Brook")
    grant(user, partnership, Role.HEADTEACHER, other_school)
    return user


# --- Setting a target ----------------------------------------------------------------------


def test_headteacher_sees_each_years_figure_as_a_baseline_to_choose(
    client, partnership, school, headteacher, priority, figures
):
    client.force_login(headteacher)
    response = client.get(edit_url(partnership, priority, school))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Target on KS2 reading, writing and maths: % meeting the expected standard" in html
    assert re.search(r'type="radio" name="baseline_year" value="2023"', html)
    assert re.search(r'type="radio" name="baseline_year" value="2024"[^>]*checked', html)
    assert ">2023/24: 58%</label>" in html
    assert ">2024/25: 63%</label>" in html
    assert "Higher is better on this measure" in html
    assert hidden_version(html) == "0"


def test_headteacher_saves_a_target_and_is_told_so(
    client, partnership, school, headteacher, priority, figures
):
    client.force_login(headteacher)
    response = client.post(
        edit_url(partnership, priority, school),
        target_form(target_value="70.5", statement=f"  {STATEMENT}  "),
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(partnership, priority)
    stored = SchoolTarget.objects.get()
    assert (stored.priority, stored.school, stored.measure) == (priority, school, measure())
    assert stored.baseline == figures
    assert stored.target_value == Decimal("70.5")
    assert stored.target_year == 2026
    assert stored.statement == STATEMENT
    assert (stored.version, stored.set_by) == (1, headteacher)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        f"{school.name}'s target on “KS2 reading, writing and maths: % meeting the expected "
        "standard” is saved: 70.5% by 2026/27."
    )


def test_a_target_against_the_measures_direction_is_refused_keeping_what_was_typed(
    client, partnership, school, headteacher, priority, figures
):
    client.force_login(headteacher)
    response = client.post(
        edit_url(partnership, priority, school),
        target_form(target_value="61.5", statement="We read <b>together</b> every week."),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    message = (
        "Higher is better on “KS2 reading, writing and maths: % meeting the expected "
        "standard”, so a stretch target must be above the baseline of 63 in 2024/25."
    )
    summary = html.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    assert message in summary
    assert 'href="#id_target_value"' in summary
    assert input_value(html, "target_value") == "61.5"
    assert textarea(html, "statement") == "We read &lt;b&gt;together&lt;/b&gt; every week."
    assert re.search(r'value="2026"[^>]*selected', html)
    assert not SchoolTarget.objects.exists()


def test_a_target_that_is_not_a_number_is_named(
    client, partnership, school, headteacher, priority, figures
):
    client.force_login(headteacher)
    response = client.post(
        edit_url(partnership, priority, school), target_form(target_value="lots")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "“lots” is not a number" in html
    assert input_value(html, "target_value") == "lots"
    assert textarea(html, "statement") == STATEMENT.replace("'", "&#x27;")
    assert not SchoolTarget.objects.exists()


def test_a_missing_statement_is_named(client, partnership, school, headteacher, priority, figures):
    client.force_login(headteacher)
    response = client.post(
        edit_url(partnership, priority, school), target_form(target_value="72", statement="  ")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Say how the partnership makes this target reachable" in html
    assert 'href="#id_statement"' in html
    assert input_value(html, "target_value") == "72"
    assert not SchoolTarget.objects.exists()


def test_a_target_that_is_not_a_number_and_a_missing_statement_are_both_named(
    client, partnership, school, headteacher, priority, figures
):
    client.force_login(headteacher)
    response = client.post(
        edit_url(partnership, priority, school), target_form(target_value="lots", statement="")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Say how the partnership makes this target reachable" in html
    assert "“lots” is not a number" in html
    assert input_value(html, "target_value") == "lots"
    assert not SchoolTarget.objects.exists()


# --- Two people at once --------------------------------------------------------------------


def test_a_stale_save_shows_both_versions_and_keeps_the_users_text(
    client, partnership, school, headteacher, lead, priority, figures, shared
):
    target_set(
        actor=headteacher,
        priority=priority,
        school=school,
        measure=measure(),
        baseline_year=2024,
        target_value="70",
        target_year=2026,
        statement=STATEMENT,
    )
    client.force_login(headteacher)
    opened = client.get(edit_url(partnership, priority, school)).content.decode()
    assert hidden_version(opened) == "1"
    assert input_value(opened, "target_value") == "70"
    # The lead saves while the headteacher is still typing.
    target_set(
        actor=lead,
        priority=priority,
        school=school,
        measure=measure(),
        baseline_year=2024,
        target_value="72.25",
        target_year=2026,
        statement="The lead's wording.",
        expected_version=1,
    )

    response = client.post(
        edit_url(partnership, priority, school),
        target_form(target_value="75.5", statement="The headteacher's own words.", version="1"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved changes while you were editing" in html
    conflict = html.split('class="govuk-table cairn-conflict"')[1].split("</table>")[0]
    rows = text_of(conflict)
    assert "Target 72.25 75.5" in rows
    assert "How the partnership makes this reachable The lead's wording. " in rows
    assert "The headteacher's own words." in rows
    assert textarea(html, "statement") == "The headteacher&#x27;s own words."
    assert input_value(html, "target_value") == "75.5"
    assert hidden_version(html) == "2"  # saving again replaces theirs knowingly
    stored = SchoolTarget.objects.get()
    assert (stored.version, stored.target_value, stored.statement, stored.updated_by) == (
        2,
        Decimal("72.25"),
        "The lead's wording.",
        lead,
    )

    again = client.post(
        edit_url(partnership, priority, school),
        target_form(target_value="75.5", statement="The headteacher's own words.", version="2"),
    )

    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.version, stored.target_value, stored.statement, stored.updated_by) == (
        3,
        Decimal("75.5"),
        "The headteacher's own words.",
        headteacher,
    )


def test_two_people_setting_the_same_new_target_do_not_overwrite_each_other(
    client, partnership, school, headteacher, lead, priority, figures, shared
):
    url = edit_url(partnership, priority, school)
    client.force_login(headteacher)
    assert hidden_version(client.get(url).content.decode()) == "0"
    client.force_login(lead)
    assert hidden_version(client.get(url).content.decode()) == "0"

    client.force_login(headteacher)
    first = client.post(url, target_form(target_value="71", statement="The school's plan."))
    assert first.status_code == 302

    client.force_login(lead)
    second = client.post(url, target_form(target_value="78", statement="The lead's plan."))

    html = second.content.decode()
    assert second.status_code == 200
    assert "Someone else saved changes while you were editing" in html
    conflict = text_of(html.split("cairn-conflict")[1].split("</table>")[0])
    assert re.search(r"Target 71(\.00)? 78 ", conflict)
    assert textarea(html, "statement") == "The lead&#x27;s plan."
    assert hidden_version(html) == "1"
    stored = SchoolTarget.objects.get()
    assert (stored.target_value, stored.statement, stored.set_by, stored.version) == (
        Decimal("71"),
        "The school's plan.",
        headteacher,
        1,
    )


# --- Who may open the page -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["champion", "outsider", "other_head"])
def test_only_the_schools_headteacher_or_the_lead_may_open_it(
    request, client, partnership, school, priority, figures, shared, who
):
    client.force_login(request.getfixturevalue(who))
    url = edit_url(partnership, priority, school)

    assert client.get(url).status_code == 404
    assert client.post(url, target_form()).status_code == 404
    assert not SchoolTarget.objects.exists()


def test_lead_sets_a_target_for_a_school_that_shares_its_data(
    client, partnership, school, lead, priority, figures, shared
):
    client.force_login(lead)
    url = edit_url(partnership, priority, school)

    assert ">2024/25: 63%</label>" in client.get(url).content.decode()
    assert client.post(url, target_form(target_value="69")).status_code == 302
    assert SchoolTarget.objects.get().set_by == lead


def test_lead_may_not_open_the_page_of_a_school_that_has_not_signed(
    client, partnership, lead, priority, agreement, unsigned_school, unsigned_head
):
    record(unsigned_school, 2024, "57.35")
    url = edit_url(partnership, priority, unsigned_school)
    client.force_login(lead)

    response = client.get(url)

    assert response.status_code == 404
    assert "57.35" not in response.content.decode()
    assert client.post(url, target_form(target_value="65")).status_code == 404
    assert not SchoolTarget.objects.exists()
    client.force_login(unsigned_head)
    assert ">2024/25: 57.35%</label>" in client.get(url).content.decode()


def test_there_is_no_target_page_for_a_proposed_or_closed_priority(
    client, partnership, school, headteacher, lead, priority, figures
):
    proposed = priority_propose(
        actor=lead, partnership=partnership, title="Maths", rationale="Data.", measures=[measure()]
    )
    client.force_login(headteacher)
    assert client.get(edit_url(partnership, proposed, school)).status_code == 404

    priority_close(actor=lead, priority=priority, outcome="Writing rose in every school.")
    assert client.get(edit_url(partnership, priority, school)).status_code == 404
    assert client.post(edit_url(partnership, priority, school), target_form()).status_code == 404
    assert not SchoolTarget.objects.exists()


def test_there_is_no_target_page_for_a_measure_not_linked_to_the_priority(
    client, partnership, school, headteacher, priority, figures
):
    record(school, 2024, "20", code="ks2_rwm_higher")
    client.force_login(headteacher)

    assert client.get(edit_url(partnership, priority, school, "ks2_rwm_higher")).status_code == 404
    assert client.get(edit_url(partnership, priority, school, "no-such-measure")).status_code == 404


# --- Small cohorts -------------------------------------------------------------------------


def test_a_small_cohorts_baseline_is_named_but_not_shown_to_the_lead(
    client, partnership, school, headteacher, lead, priority, shared
):
    record(school, 2023, "58")
    record(school, 2024, "43.75", cohort=4)
    url = edit_url(partnership, priority, school)

    client.force_login(lead)
    html = client.get(url).content.decode()

    assert ">2023/24: 58%</label>" in html
    assert (
        ">2024/25: fewer than 6 pupils (only the school&#x27;s headteacher can use it)</label>"
        in html
    )
    assert "43.75" not in html
    assert "43.8" not in html

    client.force_login(headteacher)
    assert ">2024/25: 43.75%</label>" in client.get(url).content.decode()


def test_the_lead_cannot_set_a_target_from_a_small_cohorts_baseline_through_the_page(
    client, partnership, school, lead, priority, shared
):
    record(school, 2024, "43.75", cohort=4)
    client.force_login(lead)

    response = client.post(edit_url(partnership, priority, school), target_form(target_value="40"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The 2024/25 figure comes from a cohort of fewer than 6 pupils" in html
    assert "43.75" not in html
    assert "stretch target must be above" not in html  # no comparison with the hidden figure
    assert not SchoolTarget.objects.exists()


# --- The priority's page: each school's target ---------------------------------------------


@pytest.fixture
def two_schools_with_targets(
    partnership, school, headteacher, other_school, other_head, priority, shared
):
    """Both schools share. The school is on track (58% -> 70% by 2026/27, 63% in 2024/25, where
    the line says 62%); the other school has figures but no target yet."""
    agreement_sign(actor=other_head, partnership=partnership, school=other_school)
    record(school, 2023, "58")
    record(school, 2024, "63")
    record(other_school, 2024, "49")
    target_set(
        actor=headteacher,
        priority=priority,
        school=school,
        measure=measure(),
        baseline_year=2023,
        target_value="70",
        target_year=2026,
        statement=STATEMENT,
    )


def target_rows(html: str, measure_name: str) -> dict[str, str]:
    """Each school's row in the measure's table of the priority page, as text."""
    tables = [t for t in html.split("<table")[1:] if measure_name in t.split("</caption>")[0]]
    [table] = tables
    body = table.split("<tbody")[1].split("</tbody>")[0]
    return {
        text_of(row.split("</th>")[0]): row
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    }


def links_in(row: str) -> list[tuple[str, str]]:
    return [
        (href, text_of(label).split(" for ")[0])
        for href, label in re.findall(r'<a class="govuk-link" href="([^"]+)">(.*?)</a>', row)
    ]


def test_the_priority_page_lists_each_schools_target_and_progress_with_links_for_the_lead(
    client, partnership, school, other_school, lead, priority, two_schools_with_targets
):
    client.force_login(lead)
    html = client.get(detail_url(partnership, priority)).content.decode()

    rows = target_rows(html, "KS2 reading, writing and maths: % meeting")
    assert list(rows) == ["Brook Lane Primary", school.name]  # by name
    mine = text_of(rows[school.name])
    assert "58% (2023/24)" in mine
    assert "70% by 2026/27" in mine
    assert "On track" in mine
    assert 'govuk-tag govuk-tag--green">On track<' in rows[school.name]
    assert links_in(rows[school.name]) == [(edit_url(partnership, priority, school), "Change")]
    theirs = rows["Brook Lane Primary"]
    assert "No target yet" in text_of(theirs)
    assert links_in(theirs) == [(edit_url(partnership, priority, other_school), "Set target")]
    absence = target_rows(html, "Persistent absence")
    assert links_in(absence["Brook Lane Primary"]) == [
        (edit_url(partnership, priority, other_school, ABSENCE), "Set target")
    ]


def test_a_headteacher_has_links_for_their_own_school_only(
    client, partnership, school, other_school, headteacher, priority, two_schools_with_targets
):
    client.force_login(headteacher)
    html = client.get(detail_url(partnership, priority)).content.decode()

    rows = target_rows(html, "KS2 reading, writing and maths: % meeting")
    assert "On track" in text_of(rows[school.name])
    assert links_in(rows[school.name]) == [(edit_url(partnership, priority, school), "Change")]
    assert "No target yet" in text_of(rows["Brook Lane Primary"])
    assert links_in(rows["Brook Lane Primary"]) == []
    assert edit_url(partnership, priority, other_school) not in html


def test_a_champion_sees_the_targets_with_no_links_to_set_them(
    client, partnership, school, champion, priority, two_schools_with_targets
):
    client.force_login(champion)
    html = client.get(detail_url(partnership, priority)).content.decode()

    rows = target_rows(html, "KS2 reading, writing and maths: % meeting")
    assert "70% by 2026/27" in text_of(rows[school.name])
    assert all(links_in(row) == [] for row in rows.values())
    assert "/targets/" not in html


# --- The targets export --------------------------------------------------------------------


def export(client, partnership):
    return client.get(reverse("targets_export", args=[partnership.slug]))


def export_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def exported_world(
    partnership,
    school,
    headteacher,
    other_school,
    other_head,
    unsigned_school,
    unsigned_head,
    priority,
    shared,
):
    """Three targets: the school's (shared, on track), the other school's from a small cohort's
    baseline (shared) and the unsigned school's (not shared)."""
    agreement_sign(actor=other_head, partnership=partnership, school=other_school)
    record(school, 2023, "58")
    record(school, 2024, "63")
    record(other_school, 2023, "41.35", cohort=4)
    record(other_school, 2024, "47.65", cohort=5)
    record(unsigned_school, 2024, "57.85")
    for actor, where, baseline, value, statement in [
        (headteacher, school, 2023, "70", '=HYPERLINK("http://example.com","Click")'),
        (other_head, other_school, 2023, "55.5", "Maths leads share planning."),
        (unsigned_head, unsigned_school, 2024, "66.5", "Quiet Lane's own plan."),
    ]:
        target_set(
            actor=actor,
            priority=priority,
            school=where,
            measure=measure(),
            baseline_year=baseline,
            target_value=value,
            target_year=2026,
            statement=statement,
        )


def test_the_export_has_a_row_per_shared_target_and_no_small_cohort_or_unsigned_school(
    client, partnership, school, other_school, unsigned_school, lead, priority, exported_world
):
    client.force_login(lead)
    response = export(client, partnership)

    assert response["Content-Disposition"] == (
        f'attachment; filename="{partnership.slug}-targets.csv"'
    )
    rows = export_rows(response)
    assert rows[0] == EXPORT_HEADER
    by_urn = {row[2]: dict(zip(EXPORT_HEADER, row, strict=True)) for row in rows[1:]}
    assert len(rows) == 3
    assert set(by_urn) == {school.urn, other_school.urn}

    mine = by_urn[school.urn]
    assert mine == {
        "priority": "Writing at greater depth",
        "priority status": "Active",
        "URN": school.urn,
        "school": school.name,
        "measure code": KS2,
        "measure": "KS2 reading, writing and maths: % meeting the expected standard",
        "baseline year": "2023/24",
        "baseline value": "58",
        "target year": "2026/27",
        "target value": "70",
        "floor target": "no",
        "why a floor target": "",
        "how the partnership makes it reachable": '\'=HYPERLINK("http://example.com","Click")',
        "latest year": "2024/25",
        "latest value": "63",
        "progress": "On track",
    }
    theirs = by_urn[other_school.urn]
    assert (theirs["baseline year"], theirs["baseline value"]) == ("2023/24", "")
    assert (theirs["latest year"], theirs["latest value"]) == ("", "")
    assert theirs["target value"] == "55.5"

    text = response.content.decode("utf-8-sig")
    for hidden in ("41.35", "41.4", "47.65", "47.7"):
        assert hidden not in text
    assert unsigned_school.urn not in text
    assert "Quiet Lane" not in text
    assert "57.85" not in text
    assert "66.5" not in text


def test_the_export_is_read_as_nobodys_staff_even_when_the_lead_heads_a_school(
    client, partnership, other_school, unsigned_school, lead, exported_world
):
    grant(lead, partnership, Role.HEADTEACHER, other_school)
    grant(lead, partnership, Role.HEADTEACHER, unsigned_school)
    client.force_login(lead)

    response = export(client, partnership)

    urns = [row[2] for row in export_rows(response)[1:]]
    assert other_school.urn in urns
    assert unsigned_school.urn not in urns
    text = response.content.decode("utf-8-sig")
    for hidden in ("41.35", "41.4", "47.65", "47.7", "57.85", "66.5", "Quiet Lane"):
        assert hidden not in text


@pytest.mark.parametrize("who", ["champion", "headteacher", "outsider"])
def test_only_the_lead_may_export_the_targets(request, client, partnership, who, exported_world):
    client.force_login(request.getfixturevalue(who))
    assert export(client, partnership).status_code == 404


def test_the_figures_export_writes_names_that_look_like_formulas_as_text(
    client, partnership, lead, agreement
):
    formula_school = make_member_school(partnership, name="=CMD|' /C calc'!A0")
    head = UserFactory()
    grant(head, partnership, Role.HEADTEACHER, formula_school)
    agreement_sign(actor=head, partnership=partnership, school=formula_school)
    own = Measure.objects.create(
        partnership=partnership,
        code="reading-for-pleasure",
        name="=1+2",
        unit=Measure.Unit.PERCENTAGE,
        direction=Measure.Direction.HIGHER_IS_BETTER,
        source=Measure.Source.SELF_REPORTED,
        min_value=0,
        max_value=100,
    )
    Measurement.objects.create(school=formula_school, measure=own, academic_year=2024, value=40)
    client.force_login(lead)

    response = client.get(reverse("measurements_export", args=[partnership.slug]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["school"], r["measure"], r["value"]) for r in rows] == [
        ("'=CMD|' /C calc'!A0", "'=1+2", "40")
    ]
