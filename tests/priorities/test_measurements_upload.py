"""Uploading a CSV of figures through the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from priorities.forms import CSV_MAX_BYTES
from priorities.models import Measurement
from tests.priorities.support import share_data

pytestmark = pytest.mark.django_db

HEADER = "URN,measure code,academic year,value,cohort size\n"


def upload(client, partnership, content: bytes, name="figures.csv", **extra):
    return client.post(
        reverse("measurements_upload", args=[partnership.slug]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **extra},
    )


def test_good_rows_are_saved_and_bad_ones_reported_with_their_line(
    client, lead, partnership, school
):
    share_data(partnership, school)
    client.force_login(lead)
    content = (
        HEADER
        + f"{school.urn},ks2_rwm_expected,2024/25,64,30\n"
        + f"{school.urn},ks2_rwm_expected,2024-25,65,30\n"
        + f"{school.urn},overall_absence,2024/25,104,30\n"
    ).encode()
    response = upload(client, partnership, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 created" in html
    assert "Rows that were not saved" in html
    assert '<td class="govuk-table__cell">3</td>' in html
    assert Measurement.objects.count() == 1


def test_a_dry_run_saves_nothing(client, lead, partnership, school):
    client.force_login(lead)
    content = (HEADER + f"{school.urn},ks2_rwm_expected,2024/25,64,30\n").encode()
    html = upload(client, partnership, content, dry_run="on").content.decode()
    assert "nothing was saved" in html
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("figures.csv", b"x" * (CSV_MAX_BYTES + 1), "2 MB or smaller"),
        ("figures.xlsx", b"URN,measure code\n", "must be a CSV file"),
        ("figures.csv", b"PK\x03\x04\x00\x00binary spreadsheet", "save the spreadsheet as CSV"),
        ("figures.csv", b"name;value\nx;1\n", "column"),
    ],
    ids=["too big", "wrong extension", "spreadsheet renamed", "not our columns"],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_message(
    client, lead, partnership, name, content, message
):
    client.force_login(lead)
    response = upload(client, partnership, content, name=name)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    assert not Measurement.objects.exists()


def test_a_peer_reviewer_or_outsider_cannot_open_the_upload(client, outsider, partnership):
    client.force_login(outsider)
    assert client.get(reverse("measurements_upload", args=[partnership.slug])).status_code == 404
