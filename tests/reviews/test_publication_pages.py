"""The staff pages of the partnership review, as the lead and a host headteacher use them."""

import re

import pytest
from django.urls import reverse

from reviews.models import PartnershipReview, PublishedVersion, SummaryStatus
from reviews.services import publication
from tests.reviews.publication_world import module_world, publishable

__all__ = ["module_world"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return module_world


def url(world, name, *extra):
    return reverse(name, args=[world.partnership.slug, world.cycle.academic_year, *extra])


def test_the_lead_drafts_writes_asks_for_approval_and_publishes_through_the_pages(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.lead)
    assert (
        "Start the partnership review"
        in client.get(url(world, "publication_detail")).content.decode()
    )
    assert client.post(url(world, "publication_draft")).status_code == 302
    review = PartnershipReview.objects.get(cycle=world.cycle)

    response = client.post(
        url(world, "publication_compose"),
        {
            "purpose": "So that **every** child writes well.",
            "values": "We are open.",
            "introduction": "This year we worked on writing.",
            "next_steps": "We keep going.",
            "version": review.version,
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.purpose == "<p>So that <strong>every</strong> child writes well.</p>"

    narrative = review.priority_narratives.get()
    client.post(
        url(world, "publication_priority_edit", narrative.pk),
        {"where_we_are": "On track.", "narrative": "We shared feedback.", "version": 1},
    )
    for school in (world.ash, world.beech):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url(world, "publication_school_submit", school.urn))
    page = client.get(url(world, "publication_publish")).content.decode()
    assert "headteacher has not approved its summary" in page
    assert "Publish the review</button>" not in page

    for school, name in ((world.ash, "ash"), (world.beech, "beech")):
        client.force_login(world.heads[name])
        summary = review.school_summaries.get(school=school)
        approve = url(world, "publication_school_approve", school.urn)
        assert "What the review found" in client.get(approve).content.decode()
        response = client.post(approve, {"decision": "approve", "version": summary.version})
        assert response.status_code == 302
    assert set(review.school_summaries.values_list("status", flat=True)) == {"approved"}

    client.force_login(world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world, "publication_publish"))
    assert response.status_code == 302
    version = PublishedVersion.objects.get()
    assert version.pdf_status == "ready"
    detail = client.get(url(world, "publication_detail")).content.decode()
    assert "Published" in detail
    assert version.get_absolute_url() in detail


def test_returning_a_summary_needs_comments(world, client):
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)
    summary = review.school_summaries.get(school=world.ash)
    publication.school_summary_submit(actor=world.lead, summary=summary)
    client.force_login(world.heads["ash"])

    response = client.post(
        url(world, "publication_school_approve", world.ash.urn),
        {"decision": "return", "comment": "", "version": summary.version},
    )

    assert response.status_code == 200
    assert "Say what should change" in response.content.decode()
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.AWAITING_APPROVAL


def _review_body(html: str) -> str:
    start = html.index('<section class="cairn-glance"')
    end = html.index("</dl>", html.index('id="glossary"'))
    return re.sub(r"\s+", " ", html[start:end])


def test_the_preview_shows_exactly_what_the_public_will_read(world, client):
    review = publishable(world)
    client.force_login(world.heads["cedar"])  # a member who is not the lead may preview
    preview = client.get(url(world, "publication_preview")).content.decode()
    version = publication.partnership_review_publish(actor=world.lead, review=review)

    public = client.get(version.get_absolute_url()).content.decode()

    assert _review_body(preview) == _review_body(public)


def test_a_correction_and_a_withdrawal_ask_for_their_reason(world, client):
    review = publishable(world)
    publication.partnership_review_publish(actor=world.lead, review=review)
    client.force_login(world.lead)

    for name, field in (("publication_correct", "note"), ("publication_withdraw", "reason")):
        response = client.post(url(world, name), {field: ""})
        assert response.status_code == 200
        assert "govuk-error-summary" in response.content.decode()
    assert PublishedVersion.objects.count() == 1

    client.post(url(world, "publication_correct"), {"note": "We fixed a figure."})
    client.post(url(world, "publication_withdraw"), {"reason": "A school asked us to."})
    assert sorted(PublishedVersion.objects.values_list("number", "withdrawn_reason")) == [
        (1, "A school asked us to."),
        (2, "A school asked us to."),
    ]


def test_a_failed_pdf_shows_to_the_lead_who_can_try_again(world, client, monkeypatch):
    version = publication.partnership_review_publish(actor=world.lead, review=publishable(world))
    from reviews import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda version, **kwargs: 1 / 0)
    for _attempt in range(publication.PDF_MAX_ATTEMPTS):
        with pytest.raises(ZeroDivisionError):
            publication.published_pdf_render(version_id=version.pk)
    client.force_login(world.lead)

    detail = client.get(url(world, "publication_detail")).content.decode()

    assert "Could not be made" in detail
    assert "Tried 3 times." in detail
    client.post(url(world, "publication_pdf_retry", version.number))
    version.refresh_from_db()
    assert version.pdf_status == "pending"
