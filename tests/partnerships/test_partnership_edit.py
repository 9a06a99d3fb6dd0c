"""Changing the partnership's details, including its logo."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(partnership, **extra):
    partnership.refresh_from_db()
    return {
        "version": partnership.version,
        "name": partnership.name,
        "purpose": partnership.purpose,
        "values": "We visit to learn, not to judge.",
        "public_summary": "",
        **extra,
    }


def test_lead_uploads_then_clears_the_logo(client, lead, partnership, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(lead)
    url = reverse("partnership_edit", args=[partnership.slug])
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    assert client.post(url, form_data(partnership, logo=logo)).status_code == 302
    assert Partnership.objects.get(pk=partnership.pk).logo

    response = client.post(url, form_data(partnership, **{"logo-clear": "on"}))

    assert response.status_code == 302
    assert not Partnership.objects.get(pk=partnership.pk).logo


def test_a_file_that_is_not_an_image_is_refused_and_the_text_is_kept(client, lead, partnership):
    client.force_login(lead)
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(
        reverse("partnership_edit", args=[partnership.slug]),
        form_data(partnership, logo=fake),
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"We visit to learn, not to judge." in response.content
    assert not Partnership.objects.get(pk=partnership.pk).logo


def test_two_leads_editing_at_once_never_overwrite_each_other_silently(client, lead, partnership):
    from partnerships.services import partnership_update

    client.force_login(lead)
    url = reverse("partnership_edit", args=[partnership.slug])
    opened_at = form_data(partnership)  # the first lead opens the form
    partnership_update(  # meanwhile the second lead saves
        actor=lead,
        partnership=partnership,
        expected_version=opened_at["version"],
        purpose="Every child a confident writer.",
    )

    response = client.post(url, {**opened_at, "purpose": "Every child a fluent reader."})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved changes while you were editing" in html
    assert "Every child a confident writer." in html  # theirs, shown
    assert "Every child a fluent reader." in html  # yours, kept in the form
    assert Partnership.objects.get(pk=partnership.pk).purpose == "Every child a confident writer."

    # Saving again, having seen theirs, replaces it knowingly.
    resubmit = {**opened_at, "purpose": "Every child a fluent reader."}
    resubmit["version"] = Partnership.objects.get(pk=partnership.pk).version
    assert client.post(url, resubmit).status_code == 302
    assert Partnership.objects.get(pk=partnership.pk).purpose == "Every child a fluent reader."


def test_a_new_agreement_version_is_not_lost_to_a_second_lead_publishing(client, lead, partnership):
    from partnerships.models import AgreementVersion
    from partnerships.services import agreement_publish

    client.force_login(lead)
    url = reverse("agreement_publish", args=[partnership.slug])
    agreement_publish(actor=lead, partnership=partnership, text="Version one.")
    # A lead opens the form at version 1; another lead publishes version 2 meanwhile.
    agreement_publish(actor=lead, partnership=partnership, text="Version two.", based_on=1)

    response = client.post(url, {"based_on": 1, "text": "My version, from one."})

    assert response.status_code == 200
    assert b"Version two." in response.content
    assert b"My version, from one." in response.content
    assert AgreementVersion.objects.filter(partnership=partnership).count() == 2


def test_the_edit_form_offers_to_remove_an_uploaded_logo_without_a_dead_link(
    client, lead, partnership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(lead)
    url = reverse("partnership_edit", args=[partnership.slug])
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    client.post(url, form_data(partnership, logo=logo))
    html = client.get(url).content.decode()
    assert "A file is uploaded." in html
    assert "Remove it" in html
    assert "/media/" not in html
