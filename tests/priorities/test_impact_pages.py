"""The impact of a priority: each school's figures against its target, in charts and tables,
with small cohorts and unshared schools hidden from whoever may not see them, in a fixed
number of queries."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Role
from partnerships.services import agreement_sign
from priorities.services import priority_activate, priority_close, priority_propose, target_set
from tests.factories import UserFactory, grant, make_member_school
from tests.priorities.support import ABSENCE, KS2, measure, record

pytestmark = pytest.mark.django_db

KS2_NAME = "KS2 reading, writing and maths: % meeting the expected standard"
ABSENCE_NAME = "Persistent absence: % of pupils missing 10% or more of sessions"


def set_target(actor, priority, school, baseline_year, value, target_year, code=KS2, **kwargs):
    kwargs.setdefault("statement", "Working with the other schools makes it reachable.")
    return target_set(
        actor=actor,
        priority=priority,
        school=school,
        measure=measure(code),
        baseline_year=baseline_year,
        target_value=value,
        target_year=target_year,
        **kwargs,
    )


def text_of(html: str) -> str:
    words = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"')
    return " ".join(words.split())


def impact_url(partnership, priority) -> str:
    return reverse("priority_impact", args=[partnership.slug, priority.pk])


def get(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, measure_name: str) -> str:
    """The part of the impact page about one measure, from its heading to the next."""
    parts = html.split('<h2 class="govuk-heading-m">')
    [part] = [p for p in parts if p.startswith(f"{measure_name}</h2>")]
    return part


def figures_table(part: str) -> tuple[dict[str, dict[str, str]], dict[str, str], list[str]]:
    """The measure's table of every school: each school's row and the average row, by column
    ("2024/25", "Target", "Progress"), leaving out empty cells; and the years, in order."""
    table = part.split('<table class="govuk-table">')[1].split("</table>")[0]
    head = table.split("<thead")[1].split("</thead>")[0]
    columns = [text_of(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    assert columns[0] == "School"
    assert columns[-2:] == ["Target", "Progress"]
    body = table.split("<tbody")[1].split("</tbody>")[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = cells_of(row)
        rows[cells[0]] = filled(columns, cells)
    average = cells_of(table.split("<tfoot>")[1].split("</tfoot>")[0])
    assert average[0] == "Partnership average"
    return rows, filled(columns, average), columns[1:-2]


def filled(columns: list[str], cells: list[str]) -> dict[str, str]:
    assert len(cells) == len(columns)
    return {
        column: cell
        for column, cell in zip(columns[1:], cells[1:], strict=True)
        if cell not in ("", "–")
    }


def cells_of(row: str) -> list[str]:
    return [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def charts(html: str) -> dict[str, str]:
    """Every chart on the page by its id (the part of aria-labelledby before "-title")."""
    found = {}
    for svg in re.findall(r'<svg [^>]*role="img".*?</svg>', html, re.S):
        labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
        title_id, desc_id = labelled.split()
        chart_id = title_id.removesuffix("-title")
        assert (title_id, desc_id) == (f"{chart_id}-title", f"{chart_id}-desc")
        assert re.search(rf'<title id="{title_id}">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{desc_id}">[^<]+</desc>', svg)
        found[chart_id] = svg
    return found


def chart_text(svg: str, tag: str) -> str:
    return text_of(re.search(rf"<{tag} id=[^>]*>(.*?)</{tag}>", svg, re.S).group(1))


def marker_titles(svg: str) -> list[str]:
    return re.findall(r'class="cairn-chart__marker"[^>]*><title>([^<]*)</title>', svg)


@pytest.fixture
def other_school(partnership):
    return make_member_school(partnership, name="Brook Lane Primary")


@pytest.fixture
def other_head(partnership, other_school, agreement):
    """The other school's headteacher, who has signed the agreement for it."""
    user = UserFactory(name="Bea Brook")
    grant(user, partnership, Role.HEADTEACHER, other_school)
    agreement_sign(actor=user, partnership=partnership, school=other_school)
    return user


# --- The page: charts, the table, progress -------------------------------------------------


@pytest.fixture
def judged(partnership, school, headteacher, other_school, other_head, priority, shared):
    """One target on track, one off track, one met, and one school with no target.

    KS2 (higher is better):
      the school: 55, 58, 63 in 2022/23..2024/25; from 58 to 70 by 2026/27, so 62 is where the
      line is in 2024/25: on track, 7 points to go.
      Brook Lane: 60, 60.5 in 2023/24..2024/25; from 60 to 72 by 2026/27, where the line is 64
      in 2024/25: off track, 11.5 points to go.
    Persistent absence (lower is better):
      the school: 18 in 2023/24, 14.5 in 2025/26; from 18 to 15 by 2025/26: met.
      Brook Lane: 12 in 2023/24, and no target yet.
    """
    for year, value in [(2022, "55"), (2023, "58"), (2024, "63")]:
        record(school, year, value)
    for year, value in [(2023, "60"), (2024, "60.5")]:
        record(other_school, year, value)
    record(school, 2023, "18", code=ABSENCE)
    record(school, 2025, "14.5", code=ABSENCE)
    record(other_school, 2023, "12", code=ABSENCE)
    set_target(headteacher, priority, school, 2023, "70", 2026)
    set_target(other_head, priority, other_school, 2023, "72", 2026)
    set_target(headteacher, priority, school, 2023, "15", 2025, code=ABSENCE)


def test_each_measure_has_a_table_of_every_years_figure_target_and_progress(
    client, partnership, school, lead, priority, judged
):
    html = get(client, lead, impact_url(partnership, priority))

    rows, average, years = figures_table(section(html, KS2_NAME))
    assert years[:3] == ["2022/23", "2023/24", "2024/25"]
    assert years[-1] == "2026/27"  # the target year
    assert list(rows) == ["Brook Lane Primary", school.name]
    assert rows[school.name] == {
        "2022/23": "55%",
        "2023/24": "58%",
        "2024/25": "63%",
        "Target": "70% by 2026/27",
        "Progress": "On track 7 percentage points to go",
    }
    assert rows["Brook Lane Primary"] == {
        "2023/24": "60%",
        "2024/25": "60.5%",
        "Target": "72% by 2026/27",
        "Progress": "Off track 11.5 percentage points to go",
    }
    assert average == {
        "2022/23": "55% 1 school",
        "2023/24": "59% 2 schools",
        "2024/25": "61.8% 2 schools",
    }

    rows, average, years = figures_table(section(html, ABSENCE_NAME))
    assert (years[0], years[-1]) == ("2023/24", "2025/26")
    assert rows[school.name] == {
        "2023/24": "18%",
        "2025/26": "14.5%",
        "Target": "15% by 2025/26",
        "Progress": "Target met Target reached",
    }
    assert rows["Brook Lane Primary"] == {"2023/24": "12%", "Target": "None yet"}
    assert average == {"2023/24": "15% 2 schools", "2025/26": "14.5% 1 school"}


def test_the_progress_tags_and_counts_say_how_the_targets_are_doing(
    client, partnership, school, lead, priority, judged
):
    html = get(client, lead, impact_url(partnership, priority))

    counts = text_of(html.split('class="govuk-list cairn-target-counts">')[1].split("</ul>")[0])
    assert counts == (
        "On track 1 target Off track 1 target Target met 1 target 1 target not set yet"
    )
    ks2 = section(html, KS2_NAME)
    assert '<strong class="govuk-tag govuk-tag--green">On track</strong>' in ks2
    assert '<strong class="govuk-tag govuk-tag--red">Off track</strong>' in ks2
    absence = section(html, ABSENCE_NAME)
    assert '<strong class="govuk-tag govuk-tag--blue">Target met</strong>' in absence
    assert f"{school.name}: on track</span></summary>" in ks2
    assert "Brook Lane Primary: off track</span></summary>" in ks2
    assert "Brook Lane Primary: no target yet</span></summary>" in absence


def test_each_measure_and_each_school_has_a_described_chart(
    client, partnership, school, other_school, lead, priority, judged
):
    html = get(client, lead, impact_url(partnership, priority))

    ks2, absence = measure(KS2).pk, measure(ABSENCE).pk
    p = priority.pk
    found = charts(html)
    assert set(found) == {
        f"p{p}-m{ks2}",
        f"p{p}-m{ks2}-s{school.pk}",
        f"p{p}-m{ks2}-s{other_school.pk}",
        f"p{p}-m{absence}",
        f"p{p}-m{absence}-s{school.pk}",
        f"p{p}-m{absence}-s{other_school.pk}",
    }

    partnership_chart = found[f"p{p}-m{ks2}"]
    assert chart_text(partnership_chart, "title") == (
        f"{KS2_NAME}: each school and the partnership average"
    )
    assert chart_text(partnership_chart, "desc") == (
        "Partnership average: 55% in 2022/23, 59% in 2023/24, 61.8% in 2024/25. Higher is "
        "better. Every school's figures are in the table after the chart."
    )
    assert marker_titles(partnership_chart) == [
        "Partnership average, 2022/23: 55%",
        "Partnership average, 2023/24: 59%",
        "Partnership average, 2024/25: 61.8%",
        "Brook Lane Primary, 2023/24: 60%",
        "Brook Lane Primary, 2024/25: 60.5%",
        f"{school.name}, 2022/23: 55%",
        f"{school.name}, 2023/24: 58%",
        f"{school.name}, 2024/25: 63%",
    ]

    school_chart = found[f"p{p}-m{ks2}-s{school.pk}"]
    assert chart_text(school_chart, "title") == f"{school.name} on {KS2_NAME}"
    assert chart_text(school_chart, "desc") == (
        f"{school.name}: 55% in 2022/23, 58% in 2023/24, 63% in 2024/25. "
        "Target: 70% by 2026/27. On track."
    )
    assert "Target, 2023/24: 58%" in marker_titles(school_chart)  # the line starts at the baseline
    assert "Target, 2026/27: 70%" in marker_titles(school_chart)
    assert chart_text(found[f"p{p}-m{absence}-s{other_school.pk}"], "desc") == (
        "Brook Lane Primary: 12% in 2023/24. No target set yet."
    )


def test_each_school_has_its_own_table_with_the_line_to_its_target(
    client, partnership, school, lead, priority, judged
):
    html = get(client, lead, impact_url(partnership, priority))

    ks2 = section(html, KS2_NAME)
    details = ks2.split(f"{school.name}: on track")[1].split("</details>")[0]
    table = details.split("<tbody")[1].split("</tbody>")[0]
    assert [cells_of(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)] == [
        ["2022/23", "55%", "–"],
        ["2023/24 (baseline)", "58%", "–"],
        ["2024/25", "63%", "62%"],
        ["2025/26", "–", "66%"],
        ["2026/27 (target year)", "–", "70%"],
    ]
    assert "Working with the other schools makes it reachable." in details


# --- Small cohorts -------------------------------------------------------------------------


@pytest.fixture
def small_cohort(partnership, school, headteacher, other_school, other_head, priority, shared):
    """Brook Lane's 2023/24 figure is for 4 pupils (43.75%); its target starts from it.

    The school: 58 in 2023/24, 63 in 2024/25, from 58 to 70 by 2026/27: on track.
    Brook Lane: 43.75 (4 pupils) in 2023/24, 52 in 2024/25, from 43.75 to 60 by 2026/27: on
    track for its own headteacher (the line is at 49.2), no figure to judge for anyone else.
    With the hidden figure the 2023/24 average would be 50.9%; without it, 58%.
    """
    record(school, 2023, "58")
    record(school, 2024, "63")
    record(other_school, 2023, "43.75", cohort=4)
    record(other_school, 2024, "52", cohort=28)
    set_target(headteacher, priority, school, 2023, "70", 2026)
    set_target(other_head, priority, other_school, 2023, "60", 2026)


def assert_hidden(html: str) -> None:
    """Neither the small cohort's figure nor anything worked out from it is on the page."""
    for hidden in ("43.75", "50.875", "50.88"):
        assert hidden not in html  # anywhere, markup included
    words = text_of(html)
    for hidden in ("43.8", "50.9", "49.2"):
        assert hidden not in words  # rounded, as a page would show it (not a coordinate)


@pytest.mark.parametrize("who", ["lead", "headteacher"])
def test_a_small_cohorts_figure_is_hidden_from_other_schools_and_the_lead(
    request, client, partnership, other_school, priority, small_cohort, who
):
    html = get(client, request.getfixturevalue(who), impact_url(partnership, priority))

    assert_hidden(html)
    rows, average, _years = figures_table(section(html, KS2_NAME))
    assert rows["Brook Lane Primary"] == {
        "2023/24": "Fewer than 6 pupils",
        "2024/25": "52%",
        "Target": "60% by 2026/27",
        "Progress": "No figure since the baseline",
    }
    assert average == {"2023/24": "58% 1 school", "2024/25": "57.5% 2 schools"}
    found = charts(html)
    theirs = found[f"p{priority.pk}-m{measure().pk}-s{other_school.pk}"]
    assert [t for t in marker_titles(theirs) if t.startswith(("Brook", "Target"))] == [
        "Brook Lane Primary, 2024/25: 52%",
        "Target, 2026/27: 60%",  # no line from a baseline they may not see
    ]
    assert chart_text(theirs, "desc") == (
        "Brook Lane Primary: 52% in 2024/25. Target: 60% by 2026/27. No figure since the baseline."
    )
    assert "Brook Lane Primary, 2023/24" not in found[f"p{priority.pk}-m{measure().pk}"]
    counts = text_of(html.split('cairn-target-counts">')[1].split("</ul>")[0])
    assert "On track 1 target" in counts
    assert "No figure since the baseline 1 target" in counts


def test_a_small_cohorts_figure_is_shown_to_its_own_headteacher(
    client, partnership, other_school, other_head, priority, small_cohort
):
    html = get(client, other_head, impact_url(partnership, priority))

    rows, average, _years = figures_table(section(html, KS2_NAME))
    assert rows["Brook Lane Primary"] == {
        "2023/24": "43.75%",
        "2024/25": "52%",
        "Target": "60% by 2026/27",
        "Progress": "On track 8 percentage points to go",
    }
    assert average == {"2023/24": "50.9% 2 schools", "2024/25": "57.5% 2 schools"}
    theirs = charts(html)[f"p{priority.pk}-m{measure().pk}-s{other_school.pk}"]
    assert "Brook Lane Primary, 2023/24: 43.75%" in marker_titles(theirs)
    assert "Target, 2023/24: 43.75%" in marker_titles(theirs)
    assert "On track 2 targets" in text_of(html.split('cairn-target-counts">')[1].split("</ul>")[0])
    assert "49.2%" in html  # where the line to the target is in 2024/25


def target_row(html: str, school_name: str) -> str:
    table = html.split('id="targets"')[1].split("</table>")[0]
    [row] = [r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S) if school_name in r]
    return text_of(row)


@pytest.mark.parametrize("who", ["lead", "headteacher"])
def test_the_priority_page_hides_a_small_cohorts_baseline_from_others(
    request, client, partnership, priority, small_cohort, who
):
    html = get(
        client,
        request.getfixturevalue(who),
        reverse("priority_detail", args=[partnership.slug, priority.pk]),
    )

    assert_hidden(html)
    assert target_row(html, "Brook Lane Primary").startswith(
        "Brook Lane Primary Fewer than 6 pupils (2023/24) 60% by 2026/27 "
        "No figure since the baseline"
    )


def test_the_priority_page_shows_a_small_cohorts_baseline_to_its_own_headteacher(
    client, partnership, other_head, priority, small_cohort
):
    html = get(client, other_head, reverse("priority_detail", args=[partnership.slug, priority.pk]))

    assert target_row(html, "Brook Lane Primary").startswith(
        "Brook Lane Primary 43.75% (2023/24) 60% by 2026/27 On track"
    )


def list_counts(html: str, title: str) -> str:
    card = html.split(f">{title}</a></h3>")[1].split('<div class="cairn-priority-card">')[0]
    return text_of(card.split('cairn-target-counts">')[1].split("</ul>")[0])


@pytest.mark.parametrize("who", ["lead", "headteacher"])
def test_the_priority_list_counts_only_what_the_viewer_may_see(
    request, client, partnership, priority, small_cohort, who
):
    html = get(
        client, request.getfixturevalue(who), reverse("priority_list", args=[partnership.slug])
    )

    assert list_counts(html, "Writing at greater depth") == (
        "On track 1 target No figure since the baseline 1 target"
    )


def test_the_priority_list_counts_a_schools_own_small_cohort_for_its_headteacher(
    client, partnership, other_head, priority, small_cohort
):
    html = get(client, other_head, reverse("priority_list", args=[partnership.slug]))

    assert list_counts(html, "Writing at greater depth") == ("On track 2 targets")


def test_the_targets_export_leaves_out_a_small_cohorts_baseline(
    client, partnership, other_school, lead, priority, small_cohort
):
    client.force_login(lead)
    response = client.get(reverse("targets_export", args=[partnership.slug]))

    text = response.content.decode("utf-8-sig")
    for hidden in ("43.75", "43.8", "49.2"):
        assert hidden not in text
    rows = {row["URN"]: row for row in csv.DictReader(io.StringIO(text))}
    theirs = rows[other_school.urn]
    assert (theirs["baseline year"], theirs["baseline value"]) == ("2023/24", "")
    assert theirs["progress"] == "No figure since the baseline"


# --- Schools that have not signed the agreement --------------------------------------------


@pytest.fixture
def unsigned_target(partnership, school, headteacher, unsigned_school, unsigned_head, priority):
    """The school (signed) at 63% in 2024/25; Quiet Lane (not signed) at 71.35%, aiming for
    83.45% by 2027/28."""
    record(school, 2024, "63")
    record(unsigned_school, 2024, "71.35")
    set_target(
        unsigned_head,
        priority,
        unsigned_school,
        2024,
        "83.45",
        2027,
        statement="Quiet Lane's reading plan.",
    )


@pytest.mark.parametrize("who", ["lead", "headteacher", "champion"])
def test_a_school_that_has_not_signed_is_named_as_hidden_and_none_of_its_figures_appear(
    request, client, partnership, school, unsigned_school, priority, shared, unsigned_target, who
):
    html = get(client, request.getfixturevalue(who), impact_url(partnership, priority))

    assert (
        "Not shown, because these schools have not signed the data-sharing agreement in force: "
        "Quiet Lane Primary." in text_of(html)
    )
    for hidden in ("71.35", "83.45", "71.4", "67.2", "Quiet Lane's reading plan", "2027/28"):
        assert hidden not in text_of(html)
    rows, average, years = figures_table(section(html, KS2_NAME))
    assert list(rows) == [school.name]
    assert years == ["2024/25"]
    assert average == {"2024/25": "63% 1 school"}
    assert not [c for c in charts(html) if c.endswith(f"-s{unsigned_school.pk}")]


def test_a_school_that_has_not_signed_sees_its_own_figures(
    client, partnership, school, unsigned_school, unsigned_head, priority, shared, unsigned_target
):
    html = get(client, unsigned_head, impact_url(partnership, priority))

    assert "Not shown, because" not in html
    rows, average, years = figures_table(section(html, KS2_NAME))
    assert (years[0], years[-1]) == ("2024/25", "2027/28")
    assert rows["Quiet Lane Primary"] == {
        "2024/25": "71.35%",
        "Target": "83.45% by 2027/28",
        "Progress": "No figure since the baseline",
    }
    assert rows[school.name] == {"2024/25": "63%", "Target": "None yet"}
    assert average == {"2024/25": "67.2% 2 schools"}
    assert f"p{priority.pk}-m{measure().pk}-s{unsigned_school.pk}" in charts(html)


def test_the_priority_page_and_list_leave_out_a_school_that_has_not_signed(
    client, partnership, lead, priority, shared, unsigned_target
):
    detail = get(client, lead, reverse("priority_detail", args=[partnership.slug, priority.pk]))
    listing = get(client, lead, reverse("priority_list", args=[partnership.slug]))

    assert "Quiet Lane Primary." in text_of(detail)  # named in the note about unsigned schools
    for hidden in ("71.35", "83.45", "2027/28"):
        assert hidden not in detail
        assert hidden not in listing
    counts = list_counts(listing, "Writing at greater depth")
    assert not re.search(r"\d+ targets?\b(?! not set)", counts)


def test_every_year_from_the_first_figure_to_the_target_year_has_its_place(
    client, partnership, school, lead, priority, judged
):
    html = get(client, lead, impact_url(partnership, priority))

    _rows, _average, years = figures_table(section(html, KS2_NAME))
    assert years == ["2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]
    chart = charts(html)[f"p{priority.pk}-m{measure().pk}"]
    assert re.findall(r'<text x="[^"]+" y="[^"]+">(\d{4}/\d\d)</text>', chart) == years


def test_targets_not_set_are_counted_per_measure_and_said_so(
    client, partnership, school, lead, priority, shared
):
    record(school, 2024, "63")
    record(school, 2024, "18", code=ABSENCE)

    html = get(client, lead, impact_url(partnership, priority))

    counts = text_of(html.split('cairn-target-counts">')[1].split("</ul>")[0])
    assert "2 targets not set yet" in counts  # one school, two measures: two targets
    assert "school" not in counts
    assert list(figures_table(section(html, KS2_NAME))[0]) == [school.name]


# --- Queries -------------------------------------------------------------------------------


def grow(partnership, priorities, schools: int, first_year: int) -> None:
    """More schools that share their data, each with figures in more years and targets."""
    for index in range(schools):
        extra = make_member_school(partnership)
        head = UserFactory()
        grant(head, partnership, Role.HEADTEACHER, extra)
        agreement_sign(actor=head, partnership=partnership, school=extra)
        for year in range(first_year, 2026):
            record(extra, year, str(50 + index + year % 7), cohort=3 if year == 2023 else 30)
            record(extra, year, str(20 - index), code=ABSENCE)
        for priority in priorities:
            if priority.status == "active":
                set_target(head, priority, extra, 2024, "75", 2027)
                set_target(head, priority, extra, 2024, "10", 2027, code=ABSENCE)


@pytest.fixture
def priorities(partnership, school, headteacher, lead, priority, shared):
    """Two active priorities and a closed one, each with targets at the school."""
    second = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead,
            partnership=partnership,
            title="Attendance",
            rationale="Persistent absence is rising.",
            measures=[measure(ABSENCE), measure(KS2)],
        ),
    )
    third = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead,
            partnership=partnership,
            title="Reading",
            rationale="Reading lags.",
            measures=[measure(KS2)],
        ),
    )
    record(school, 2023, "58")
    record(school, 2024, "63")
    record(school, 2023, "18", code=ABSENCE)
    for each in (priority, second, third):
        set_target(headteacher, each, school, 2023, "70", 2026)
    set_target(headteacher, second, school, 2023, "15", 2026, code=ABSENCE)
    priority_close(actor=lead, priority=third, outcome="Reading rose.")
    for each in (priority, second, third):
        each.refresh_from_db()
    return [priority, second, third]


@pytest.mark.parametrize(
    "page",
    ["priority_impact", "priority_detail", "priority_list", "targets_export"],
)
def test_query_count_stays_the_same_as_schools_and_years_grow(
    client, partnership, lead, priorities, page
):
    priority = priorities[0]
    args = (
        [partnership.slug]
        if page in ("priority_list", "targets_export")
        else [
            partnership.slug,
            priority.pk,
        ]
    )
    url = reverse(page, args=args)
    client.force_login(lead)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        first = client.get(url)
    assert first.status_code == 200

    grow(partnership, priorities, schools=5, first_year=2019)

    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    before, after = first.content.decode("utf-8-sig"), response.content.decode("utf-8-sig")
    if page == "priority_list":  # the new schools are off track: counted, not named
        assert "Off track" in after
        assert "Off track" not in before
    else:
        assert after.count("Test Primary School") > before.count("Test Primary School")


def test_query_count_for_a_headteacher_stays_the_same_too(
    client, partnership, headteacher, priorities
):
    url = impact_url(partnership, priorities[0])
    client.force_login(headteacher)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)

    grow(partnership, priorities, schools=4, first_year=2020)

    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert html.count("Fewer than 6 pupils") >= 4  # their 2023/24 cohorts of 3


# --- Who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "headteacher", "champion"])
def test_members_see_the_impact(request, client, partnership, priority, judged, who):
    html = get(client, request.getfixturevalue(who), impact_url(partnership, priority))
    assert '<h1 class="govuk-heading-l">Writing at greater depth</h1>' in html


def test_an_outsider_gets_not_found(client, partnership, outsider, priority, judged):
    client.force_login(outsider)
    response = client.get(impact_url(partnership, priority))
    assert response.status_code == 404
    assert b"63%" not in response.content


def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(client, partnership, priority):
    response = client.get(impact_url(partnership, priority))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
