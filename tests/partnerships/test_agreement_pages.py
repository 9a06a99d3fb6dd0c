"""Signing the data-sharing agreement through its page."""

import pytest
from django.urls import reverse

from partnerships.models import AgreementSignature
from partnerships.services import agreement_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_one(lead, partnership):
    return agreement_publish(actor=lead, partnership=partnership, text="Version one.")


def sign(client, partnership, school, version):
    return client.post(
        reverse("agreement", args=[partnership.slug]),
        {"school": school.pk, "version": version.pk},
        follow=True,
    )


def test_headteacher_signs_the_version_they_read(
    client, headteacher, partnership, school, version_one
):
    client.force_login(headteacher)
    assert b'name="version"' in client.get(reverse("agreement", args=[partnership.slug])).content
    response = sign(client, partnership, school, version_one)
    assert b"You signed version 1" in response.content
    assert AgreementSignature.objects.get().version == version_one


def test_a_version_published_while_reading_is_not_signed_unseen(
    client, lead, headteacher, partnership, school, version_one
):
    client.force_login(headteacher)
    agreement_publish(actor=lead, partnership=partnership, text="Version two, stricter.")
    response = sign(client, partnership, school, version_one)
    assert b"Version 2 of the agreement was published while you were reading" in response.content
    assert not AgreementSignature.objects.exists()


def test_signing_twice_explains_instead_of_answering_not_found(
    client, headteacher, partnership, school, version_one
):
    client.force_login(headteacher)
    sign(client, partnership, school, version_one)
    response = sign(client, partnership, school, version_one)
    assert response.status_code == 200
    assert b"has already signed version 1" in response.content
    assert AgreementSignature.objects.count() == 1


def test_a_champion_cannot_sign(client, champion, partnership, school, version_one):
    client.force_login(champion)
    response = client.post(
        reverse("agreement", args=[partnership.slug]),
        {"school": school.pk, "version": version_one.pk},
    )
    assert response.status_code == 404
    assert not AgreementSignature.objects.exists()
