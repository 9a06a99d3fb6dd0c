"""Evidence files: what is accepted, what is refused and why, where it is stored, who may
download it.

A file is accepted only when its extension and its content agree on one of the allowed types,
and it is no bigger than ``CAIRN_EVIDENCE_MAX_BYTES``. When a file is refused nothing is
stored: no Evidence row, no file on disk.
"""

import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from reviews.models import Evidence, ReportStatus
from reviews.services import findings

pytestmark = pytest.mark.django_db


# --- Files, as the programs that make them would --------------------------------------------


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


OFFICE = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def office(kind: str) -> bytes:
    part, content_type = OFFICE[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{part}" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{content_type}"/>'
        "</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part, "<xml/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    # The browser's content type is whatever the uploader says: it is never trusted.
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


@pytest.fixture
def finding(reviewer, review):
    return findings.finding_create(
        actor=reviewer,
        review=review,
        kind="strength",
        judgement="Pupils redraft their writing after feedback.",
    )


def add(actor, finding, file):
    return findings.evidence_add(
        actor=actor,
        finding=finding,
        kind="document",
        description="The Year 5 feedback policy.",
        upload=file,
    )


# --- Accepted -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Feedback policy.pdf", pdf(), "application/pdf"),
        ("book-photo.PNG", png(), "image/png"),
        ("lesson.jpeg", jpeg(), "image/jpeg"),
        (
            "notes.docx",
            office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "data.xlsx",
            office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "slides.pptx",
            office("pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("pupil voice.txt", "Pupils said “we fix it”.\n".encode(), "text/plain; charset=utf-8"),
        ("figures.csv", b"\xef\xbb\xbfyear,value\n2024,64\n", "text/csv; charset=utf-8"),
    ],
)
def test_an_allowed_file_is_stored_under_a_name_of_cairns(
    reviewer, finding, media, name, content, content_type
):
    evidence = add(reviewer, finding, upload(name, content, "application/octet-stream"))
    evidence.refresh_from_db()
    assert evidence.file_name == name
    assert evidence.file_type == content_type
    assert evidence.file_size == len(content)
    assert len(evidence.token) >= 32
    assert evidence.file.name == (
        f"evidence/{finding.review.cycle_id}/{finding.pk}/{evidence.token}"
    )
    assert name not in evidence.file.name
    assert (media / evidence.file.name).read_bytes() == content
    assert AuditEvent.objects.filter(verb="evidence.added").count() == 1


def test_two_files_with_the_same_name_do_not_collide(reviewer, finding, media):
    first = add(reviewer, finding, upload("notes.pdf", pdf()))
    second = add(reviewer, finding, upload("notes.pdf", pdf() + b"% another\n"))
    assert first.file.name != second.file.name
    assert len(stored_files(media)) == 2


def test_the_uploaded_name_is_cleaned_for_display(reviewer, finding):
    evidence = add(reviewer, finding, upload("..\\..\\secret/Year 5\x07 notes\u202e.pdf", pdf()))
    assert evidence.file_name == "Year 5 notes.pdf"


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("C:\\Users\\head\\Desktop\\report.pdf", "report.pdf"),
        ("/etc/passwd.pdf", "passwd.pdf"),
        ("line\nbreak.pdf", "line break.pdf"),
        (".pdf", "evidence.pdf"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
)
def test_display_names(uploaded, shown):
    assert findings.display_name(uploaded) == shown


# --- Refused, and nothing stored -----------------------------------------------------------


REFUSALS = [
    pytest.param(
        "tool.exe",
        b"MZ\x90\x00\x03\x00\x00\x00",
        "The selected file must be a PDF, JPEG, PNG, Word (.docx), Excel (.xlsx), PowerPoint "
        "(.pptx), text (.txt) or CSV file.",
        id="exe",
    ),
    pytest.param(
        "page.html",
        b"<html><script>alert(1)</script></html>",
        "The selected file must be a PDF",
        id="html",
    ),
    pytest.param("no-extension", pdf(), "The selected file must be a PDF", id="no extension"),
    pytest.param(
        "report.pdf.exe", b"MZ\x90\x00", "The selected file must be a PDF", id="double extension"
    ),
    pytest.param(
        "report.pdf",
        b"<html><script>alert(1)</script></html>",
        "This file's name says .pdf but its content is not a PDF.",
        id="html renamed pdf",
    ),
    pytest.param(
        "report.pdf",
        plain_zip(),
        "This file's name says .pdf but its content is not a PDF.",
        id="zip renamed pdf",
    ),
    pytest.param(
        "report.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00",
        "This file's name says .pdf but its content is not a PDF.",
        id="exe renamed pdf",
    ),
    pytest.param(
        "photo.docx",
        png(),
        "This file's name says .docx but its content is not a Word document.",
        id="png renamed docx",
    ),
    pytest.param(
        "sheet.docx",
        office("xlsx"),
        "This file's name says .docx but its content is not a Word document.",
        id="xlsx renamed docx",
    ),
    pytest.param(
        "notes.docx",
        plain_zip(),
        "This file's name says .docx but its content is not a Word document.",
        id="zip renamed docx",
    ),
    pytest.param(
        "photo.png",
        jpeg(),
        "This file's name says .png but its content is not a PNG image.",
        id="jpeg renamed png",
    ),
    pytest.param(
        "photo.jpg",
        pdf(),
        "This file's name says .jpg but its content is not a JPEG image.",
        id="pdf renamed jpg",
    ),
    pytest.param(
        "notes.txt",
        b"text\x00with a NUL",
        "This file's name says .txt but its content is not plain text.",
        id="binary renamed txt",
    ),
    pytest.param(
        "figures.csv",
        "café,1\n".encode("latin-1"),
        "This file's name says .csv but its content is not plain text.",
        id="not utf-8 csv",
    ),
    pytest.param("empty.pdf", b"", "The selected file is empty.", id="empty"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSALS)
def test_a_refused_file_stores_nothing(reviewer, finding, media, name, content, message):
    with pytest.raises(ValidationError) as refusal:
        add(reviewer, finding, upload(name, content))
    assert refusal.value.message_dict["file"][0].startswith(message)
    assert not Evidence.objects.exists()
    assert stored_files(media) == []
    assert not AuditEvent.objects.filter(verb="evidence.added").exists()


def test_a_file_over_the_limit_is_refused_with_its_size(reviewer, finding, media, settings):
    settings.CAIRN_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refusal:
        add(reviewer, finding, upload("big.pdf", pdf() + b"%" * 2000))
    assert refusal.value.message_dict["file"] == ["The file is 2 KB: files can be up to 1 KB."]
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_file_at_the_limit_is_accepted(reviewer, finding, settings):
    settings.CAIRN_EVIDENCE_MAX_BYTES = 1024
    content = pdf() + b"%" * (1024 - len(pdf()))
    assert add(reviewer, finding, upload("exact.pdf", content)).file_size == 1024


class _Large:
    """An upload whose size alone is read: the size is checked before the content."""

    name = "video.pdf"

    def __init__(self, size):
        self.size = size


def test_the_size_message_reads_as_people_expect(settings):
    settings.CAIRN_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError) as refusal:
        findings.check_upload(_Large(int(14.2 * 1024 * 1024)))
    assert refusal.value.message_dict["file"] == ["The file is 14.2 MB: files can be up to 10 MB."]
    # Just over the limit never reads as "10 MB: files can be up to 10 MB".
    with pytest.raises(ValidationError) as refusal:
        findings.check_upload(_Large(10 * 1024 * 1024 + 1))
    assert refusal.value.message_dict["file"] == ["The file is 10.1 MB: files can be up to 10 MB."]


@pytest.mark.parametrize(
    ("size", "rounding", "shown"),
    [
        (1, "nearest", "1 byte"),
        (850, "nearest", "850 bytes"),
        (4608, "nearest", "4.5 KB"),
        (10 * 1024 * 1024, "down", "10 MB"),
        (1_000_000, "down", "976.5 KB"),
        (1_000_001, "up", "976.6 KB"),
    ],
)
def test_sizes_read_as_people_expect(size, rounding, shown):
    assert findings.human_size(size, rounding=rounding) == shown


def test_the_default_limit_is_10_mb():
    from config.settings import base

    assert base.CAIRN_EVIDENCE_MAX_BYTES == 10 * 1024 * 1024


def test_a_refused_file_does_not_refuse_quietly_alongside_other_problems(reviewer, finding):
    with pytest.raises(ValidationError) as refusal:
        findings.evidence_add(
            actor=reviewer,
            finding=finding,
            kind="document",
            description="",
            upload=upload("report.pdf", b"<html></html>"),
        )
    assert set(refusal.value.message_dict) == {"description", "file"}


# --- Removal and deletion take the file with them -----------------------------------------


def test_removing_evidence_deletes_its_file(
    reviewer, finding, media, django_capture_on_commit_callbacks
):
    evidence = add(reviewer, finding, upload("notes.pdf", pdf()))
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        findings.evidence_remove(actor=reviewer, evidence=evidence)
    assert stored_files(media) == []


def test_deleting_a_draft_finding_deletes_its_files(
    reviewer, finding, media, django_capture_on_commit_callbacks
):
    add(reviewer, finding, upload("one.pdf", pdf()))
    add(reviewer, finding, upload("two.png", png()))
    with django_capture_on_commit_callbacks(execute=True):
        findings.finding_delete(actor=reviewer, finding=finding)
    assert stored_files(media) == []


# --- Uploading through the page ------------------------------------------------------------


def detail_url(finding):
    review = finding.review
    return reverse("finding_detail", args=[review.cycle.partnership.slug, review.pk, finding.pk])


def test_the_evidence_form_takes_a_file(client, reviewer, finding, media):
    client.force_login(reviewer)
    page = client.get(detail_url(finding)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "up to 10 MB" in page
    response = client.post(
        detail_url(finding),
        {
            "kind": "lesson_visit",
            "description": "Year 5 lesson: pupils edited in green pen.",
            "file": upload("lesson notes.pdf", pdf()),
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file_name == "lesson notes.pdf"
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<html></html>", "This file&#x27;s name says .pdf but its content is"),
        ("tool.exe", b"MZ\x90\x00", "The selected file must be a PDF"),
        ("empty.pdf", b"", "The selected file is empty."),
    ],
)
def test_the_evidence_form_shows_why_a_file_is_refused_and_keeps_the_text(
    client, reviewer, finding, media, name, content, message
):
    client.force_login(reviewer)
    response = client.post(
        detail_url(finding),
        {
            "kind": "pupil_voice",
            "description": "Six pupils explained how they use feedback.",
            "file": upload(name, content),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page
    assert message in page
    assert "govuk-error-summary" in page
    assert 'href="#evidence-file"' in page
    assert "Six pupils explained how they use feedback." in page
    assert re.search(r'value="pupil_voice"[^>]*checked', page)
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_the_size_limit_is_stated_and_enforced_on_the_page(
    client, reviewer, finding, media, settings
):
    settings.CAIRN_EVIDENCE_MAX_BYTES = 2048
    client.force_login(reviewer)
    assert "up to 2 KB" in client.get(detail_url(finding)).content.decode()
    response = client.post(
        detail_url(finding),
        {"kind": "data", "description": "Figures.", "file": upload("big.pdf", pdf() * 200)},
    )
    assert "files can be up to 2 KB" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


# --- Downloading ---------------------------------------------------------------------------


@pytest.fixture
def evidence(reviewer, finding):
    return add(reviewer, finding, upload("Feedback policy.pdf", pdf()))


def download_url(evidence):
    finding = evidence.finding
    review = finding.review
    return reverse(
        "evidence_download",
        args=[review.cycle.partnership.slug, review.pk, finding.pk, evidence.pk],
    )


@pytest.mark.parametrize("who", ["reviewer", "champion", "headteacher", "lead"])
def test_members_of_the_partnership_download_evidence_as_an_attachment(
    client, request, evidence, who
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(download_url(evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Feedback policy.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf()


def test_a_text_file_downloads_as_text_never_as_a_page(client, reviewer, finding):
    evidence = add(reviewer, finding, upload("notes.txt", b"<script>alert(1)</script>"))
    client.force_login(reviewer)
    response = client.get(download_url(evidence))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_outsider_cannot_download_evidence(client, outsider, evidence):
    client.force_login(outsider)
    assert client.get(download_url(evidence)).status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client, evidence):
    response = client.get(download_url(evidence))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_evidence_is_not_reachable_through_another_finding(client, reviewer, review, evidence):
    other = findings.finding_create(
        actor=reviewer, review=review, kind="strength", judgement="Another."
    )
    client.force_login(reviewer)
    url = reverse(
        "evidence_download",
        args=[review.cycle.partnership.slug, review.pk, other.pk, evidence.pk],
    )
    assert client.get(url).status_code == 404


def test_evidence_without_a_file_has_nothing_to_download(client, reviewer, finding):
    evidence = findings.evidence_add(
        actor=reviewer, finding=finding, kind="conversation", description="With the head."
    )
    client.force_login(reviewer)
    assert client.get(download_url(evidence)).status_code == 404


def test_a_file_missing_from_storage_is_not_found(client, reviewer, evidence, media):
    (media / evidence.file.name).unlink()
    client.force_login(reviewer)
    assert client.get(download_url(evidence)).status_code == 404


def test_evidence_stays_downloadable_once_the_report_is_signed_off(client, headteacher, evidence):
    review = evidence.finding.review
    type(review).objects.filter(pk=review.pk).update(
        status=ReportStatus.SIGNED_OFF, signed_off_at="2026-05-01T12:00:00Z"
    )
    client.force_login(headteacher)
    assert client.get(download_url(evidence)).status_code == 200
