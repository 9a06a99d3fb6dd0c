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
    return {
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
