"""The priority pages: propose, agree, close, and the limit of three seen from the browser."""

import pytest
from django.urls import reverse

from priorities.models import Measure, Priority
from priorities.services import priority_activate, priority_propose

pytestmark = pytest.mark.django_db


def propose(actor, partnership, title):
    return priority_propose(actor=actor, partnership=partnership, title=title, rationale="Data.")


def test_headteacher_proposes_a_priority_through_the_form(client, headteacher, partnership):
    client.force_login(headteacher)
    measure = Measure.objects.get(code="ks2_rwm_expected")
    response = client.post(
        reverse("priority_propose", args=[partnership.slug]),
        {
            "title": "Disadvantaged pupils write as well as their classmates",
            "rationale": "The gap is 21 points across our schools.",
            "measures": [measure.pk],
            "start_date": "2026-09-01",
            "review_date": "2027-07-15",
        },
    )
    priority = Priority.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("priority_detail", args=[partnership.slug, priority.pk])
    assert priority.status == "proposed"
    assert list(priority.measures.all()) == [measure]


def test_a_bad_proposal_keeps_what_was_typed(client, headteacher, partnership):
    client.force_login(headteacher)
    response = client.post(
        reverse("priority_propose", args=[partnership.slug]),
        {"title": "", "rationale": "Our data says so.", "start_date": "2027-01-01",
         "review_date": "2026-01-01"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the priority" in html
    assert "The review date must be after the start date" in html
    assert "Our data says so." in html
    assert not Priority.objects.exists()


def test_lead_records_agreement_and_a_fourth_is_refused_on_the_page(client, lead, partnership):
    for title in ["Reading", "Attendance", "Writing"]:
        priority_activate(actor=lead, priority=propose(lead, partnership, title))
    fourth = propose(lead, partnership, "Maths")
    client.force_login(lead)
    response = client.post(
        reverse("priority_activate", args=[partnership.slug, fourth.pk]), follow=True
    )
    html = response.content.decode()
    assert "already has 3 active priorities" in html
    assert "“Reading”" in html
    assert Priority.objects.get(pk=fourth.pk).status == "proposed"


def test_lead_closes_a_priority_with_its_outcome(client, lead, partnership):
    priority = priority_activate(actor=lead, priority=propose(lead, partnership, "Reading"))
    client.force_login(lead)
    url = reverse("priority_close", args=[partnership.slug, priority.pk])
    assert b"Say what the priority achieved" in client.post(url, {"outcome": ""}).content
    client.post(url, {"outcome": "Reading at the expected standard rose from 64% to 73%."})
    priority.refresh_from_db()
    assert priority.status == "closed"
    assert priority.outcome.startswith("Reading at the expected standard")


def test_headteacher_cannot_activate_or_close(client, headteacher, lead, partnership):
    priority = propose(lead, partnership, "Reading")
    client.force_login(headteacher)
    assert (
        client.post(reverse("priority_activate", args=[partnership.slug, priority.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("priority_close", args=[partnership.slug, priority.pk])).status_code
        == 404
    )
    assert Priority.objects.get(pk=priority.pk).status == "proposed"


def test_priority_list_query_count_does_not_grow(
    client, lead, partnership, django_assert_num_queries
):
    propose(lead, partnership, "One")
    client.force_login(lead)
    url = reverse("priority_list", args=[partnership.slug])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(6):
        priority = propose(lead, partnership, f"More {index}")
        priority.measures.set(Measure.objects.all()[:3])
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert "More 5" in html
