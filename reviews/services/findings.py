"""Writes about findings: the judgements of a review, the evidence behind them and challenges.

A finding is recorded as a draft by a member of the review team or the host school's
improvement champion, and submitted by its author once it has evidence behind it ("what
leads you to think that?"). Other reviewers challenge it in a thread that someone other than
the challenger must answer. All of this changes only while the review's report is a draft or
returned (``reports.EDITABLE``): once submitted, the findings are what the report says.

Evidence files are checked on their content, not their name: a file is accepted only when its
extension and its first bytes agree on one of the allowed types. It is stored under a random
name of Cairn's; the name it was uploaded with is kept for display only.
"""

import math
import os
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from accounts.models import User
from core import audit, richtext
from core.conflicts import EditConflict
from core.notify import notify
from priorities.models import Priority

from .. import policy
from ..models import (
    Challenge,
    ChallengeReply,
    Evidence,
    Finding,
    FindingKind,
    PeerReview,
)
from .reports import EDITABLE

# What a finding's edit page compares when two people change it at once.
CONFLICT_FIELDS = ["kind", "judgement", "priority"]

NO_EVIDENCE = _lazy(
    "What leads you to think that? Add the evidence behind this finding before you submit it."
)


# --- Shared checks ------------------------------------------------------------------------


def _locked_review(review: PeerReview) -> PeerReview:
    """The review, locked so that its report cannot be submitted while a finding changes."""
    return (
        PeerReview.objects.select_for_update(of=("self",))
        .select_related("cycle__partnership", "host_school")
        .get(pk=review.pk)
    )


def _locked_finding(finding: Finding) -> tuple[PeerReview, Finding]:
    """The finding's review, then the finding, each locked (always in that order)."""
    review = _locked_review(finding.review)
    locked = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("author", "priority")
        .filter(pk=finding.pk)
        .first()
    )
    policy.require(locked is not None)  # deleted meanwhile: gone, as for anyone
    locked.review = review
    return review, locked


def require_editable(review: PeerReview) -> None:
    """Refuse any change to the findings of a report that is no longer a draft or returned."""
    if review.status not in EDITABLE:
        raise ValidationError(
            _(
                "The report is %(status)s, so its findings cannot change now. They can change "
                "again if the report is returned or reopened."
            ),
            params={"status": review.get_status_display().lower()},
            code="locked",
        )


def allowed_priorities(review: PeerReview, current: Priority | None = None):
    """The priorities a finding of ``review`` may be linked to: the partnership's active ones,
    the review's own focus, and the one it is already linked to."""
    extra = [pk for pk in (review.priority_id, getattr(current, "pk", None)) if pk]
    return Priority.objects.filter(
        Q(partnership_id=review.cycle.partnership_id)
        & (Q(status=Priority.Status.ACTIVE) | Q(pk__in=extra))
    ).order_by("order", "proposed_at", "pk")


def _clean_finding_input(review, kind, judgement, priority, current_priority=None) -> dict:
    errors: dict[str, list[ValidationError]] = {}
    if kind not in FindingKind.values:
        errors["kind"] = [
            ValidationError(
                _("Say whether this is a strength or an area to develop."), code="required"
            )
        ]
    source, html = richtext.typed(judgement)
    if not richtext.plain_text(html):
        errors["judgement"] = [
            ValidationError(
                _("Write the finding: what you judge, in a sentence or two."), code="required"
            )
        ]
    if (
        priority is not None
        and not allowed_priorities(review, current_priority).filter(pk=priority.pk).exists()
    ):
        errors["priority"] = [
            ValidationError(
                _("Choose one of the partnership's active priorities."), code="invalid_priority"
            )
        ]
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "judgement": html, "judgement_source": source, "priority": priority}


# --- Findings -----------------------------------------------------------------------------


@transaction.atomic
def finding_create(
    *, actor: User, review: PeerReview, kind: str, judgement: str, priority: Priority | None = None
) -> Finding:
    """Record a draft finding on the review; linked to the review's own priority unless
    another of the partnership's active priorities is given."""
    review = _locked_review(review)
    policy.require(policy.may_record_findings(actor, review))
    require_editable(review)
    if priority is None:
        priority = review.priority
    data = _clean_finding_input(review, kind, judgement, priority)
    now = timezone.now()
    finding = Finding.objects.create(
        review=review, author=actor, status=Finding.Status.DRAFT, created_at=now, updated_at=now,
        **data,
    )  # fmt: skip
    audit.record(
        actor=actor,
        verb="finding.recorded",
        target=finding,
        partnership=review.cycle.partnership,
        details={"kind": finding.kind},
    )
    return finding


@transaction.atomic
def finding_update(
    *,
    actor: User,
    finding: Finding,
    kind: str,
    judgement: str,
    priority: Priority | None,
    expected_version: int | None = None,
) -> Finding:
    """Change a finding's kind, judgement or priority: its author's, while the report is
    editable. ``EditConflict`` (carrying the saved finding) if it changed since
    ``expected_version``."""
    review, finding = _locked_finding(finding)
    policy.require(policy.may_edit_finding(actor, finding))
    require_editable(review)
    if expected_version is not None and finding.version != expected_version:
        raise EditConflict(current=finding)
    data = _clean_finding_input(review, kind, judgement, priority, finding.priority)
    # "judgement" stands for both the HTML and what was typed.
    changed = list(
        dict.fromkeys(
            name.removesuffix(richtext.SOURCE_SUFFIX)
            for name, value in data.items()
            if getattr(finding, name) != value
        )
    )
    if not changed:
        return finding
    for name, value in data.items():
        setattr(finding, name, value)
    finding.version += 1
    finding.updated_at = timezone.now()
    finding.save(update_fields=[*data, "version", "updated_at"])
    audit.record(
        actor=actor,
        verb="finding.changed",
        target=finding,
        partnership=review.cycle.partnership,
        details={"changed": changed},
    )
    return finding


@transaction.atomic
def finding_submit(*, actor: User, finding: Finding) -> Finding:
    """Submit a draft finding: its author's, and only with evidence behind it."""
    review, finding = _locked_finding(finding)
    policy.require(policy.may_edit_finding(actor, finding))
    require_editable(review)
    if finding.status != Finding.Status.DRAFT:
        raise ValidationError(_("This finding is already submitted."), code="already_submitted")
    if not finding.evidence.exists():
        raise ValidationError(str(NO_EVIDENCE), code="no_evidence")
    finding.status = Finding.Status.SUBMITTED
    finding.submitted_at = timezone.now()
    finding.save(update_fields=["status", "submitted_at"])
    audit.record(
        actor=actor, verb="finding.submitted", target=finding, partnership=review.cycle.partnership
    )
    return finding


@transaction.atomic
def finding_delete(*, actor: User, finding: Finding) -> None:
    """Delete a draft finding, with its evidence and their files: its author's."""
    review, finding = _locked_finding(finding)
    policy.require(policy.may_edit_finding(actor, finding))
    require_editable(review)
    if finding.status != Finding.Status.DRAFT:
        raise ValidationError(
            _("Only a draft finding can be deleted. This one is submitted: change it instead."),
            code="submitted",
        )
    files = [name for name in finding.evidence.values_list("file", flat=True) if name]
    description = str(finding)
    audit.record(
        actor=actor,
        verb="finding.deleted",
        target=finding,
        partnership=review.cycle.partnership,
        details={"kind": finding.kind, "finding": description},
    )
    finding.delete()
    for name in files:
        _delete_file_on_commit(name)


def _delete_file_on_commit(name: str) -> None:
    transaction.on_commit(lambda: default_storage.delete(name))


# --- Evidence files -----------------------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    extensions: tuple[str, ...]
    content_type: str
    # How the refusal names what the content should have been: "a PDF".
    description: str
    # How a page names the type beside the file: "PDF".
    label: str


FILE_TYPES = (
    FileType((".pdf",), "application/pdf", _lazy("a PDF"), "PDF"),
    FileType((".jpg", ".jpeg"), "image/jpeg", _lazy("a JPEG image"), "JPEG"),
    FileType((".png",), "image/png", _lazy("a PNG image"), "PNG"),
    FileType(
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _lazy("a Word document"),
        _lazy("Word document"),
    ),
    FileType(
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _lazy("an Excel spreadsheet"),
        _lazy("Excel spreadsheet"),
    ),
    FileType(
        (".pptx",),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _lazy("a PowerPoint presentation"),
        _lazy("PowerPoint presentation"),
    ),
    FileType((".txt",), "text/plain; charset=utf-8", _lazy("plain text"), _lazy("text")),
    FileType((".csv",), "text/csv; charset=utf-8", _lazy("plain text"), "CSV"),
)
TYPE_BY_EXTENSION = {ext: kind for kind in FILE_TYPES for ext in kind.extensions}
_LABEL_BY_CONTENT_TYPE = {kind.content_type: kind.label for kind in FILE_TYPES}


def file_label(evidence: Evidence) -> str:
    """How a page describes an evidence file beside its name: "PDF, 1.2 MB"."""
    label = _LABEL_BY_CONTENT_TYPE.get(evidence.file_type, _("file"))
    return f"{label}, {human_size(evidence.file_size or 0)}"


ALLOWED_TYPES_TEXT = _lazy(
    "PDF, JPEG, PNG, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), text (.txt) or CSV"
)

# Office Open XML: the folder of the main part and its content type in [Content_Types].xml.
# A macro-enabled document declares a different content type, so it is refused too.
_OFFICE_PARTS = {
    ".docx": ("word/", b"wordprocessingml.document.main+xml"),
    ".xlsx": ("xl/", b"spreadsheetml.sheet.main+xml"),
    ".pptx": ("ppt/", b"presentationml.presentation.main+xml"),
}
_CONTENT_TYPES_MAX_BYTES = 256 * 1024


def max_upload_bytes() -> int:
    return settings.CAIRN_EVIDENCE_MAX_BYTES


def human_size(size: int, *, rounding: str = "nearest") -> str:
    """A size as people read it: "850 bytes", "4.5 KB", "14.2 MB" (one decimal, "10 MB"
    rather than "10.0 MB"). A file over a limit is rounded "up" and the limit "down", so
    that the one never reads as equal to the other."""
    if size < 1024:
        return ngettext("%(n)s byte", "%(n)s bytes", size) % {"n": size}
    units = ((_("KB"), 1024), (_("MB"), 1024**2), (_("GB"), 1024**3))
    unit, scale = next(((u, s) for u, s in units if size < s * 1024), units[-1])
    tenths = size * 10 / scale
    round_tenths = {"up": math.ceil, "down": math.floor}.get(rounding, round)
    value = round_tenths(tenths) / 10
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def display_name(name: str) -> str:
    """The uploaded name, safe to show and to offer back as a download name: no folders,
    no control or direction-changing characters, at most 255 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"}
    )
    name = " ".join(name.split()).rstrip(" .")
    dot = name.rfind(".")
    has_extension = dot >= 0 and len(name) - dot <= 16
    stem, ext = (name[:dot], name[dot:]) if has_extension else (name, "")
    stem = stem.strip(" .") or "evidence"
    if len(stem) + len(ext) > 255:
        stem = stem[: 255 - len(ext)]
    return stem + ext


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    data = upload.read(size)
    upload.seek(0)
    return data


def _is_office_document(upload, extension: str) -> bool:
    folder, main_type = _OFFICE_PARTS[extension]
    if _head(upload, 4) != b"PK\x03\x04":
        return False
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return False
            if not any(name.startswith(folder) for name in names):
                return False
            # Read a bounded amount only: the archive may be crafted to expand enormously.
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(_CONTENT_TYPES_MAX_BYTES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
        return False
    finally:
        upload.seek(0)
    return main_type in content_types


def _is_plain_text(upload) -> bool:
    data = _read_all(upload)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _content_matches(upload, extension: str) -> bool:
    if extension == ".pdf":
        return _head(upload, 5) == b"%PDF-"
    if extension in (".jpg", ".jpeg"):
        return _head(upload, 3) == b"\xff\xd8\xff"
    if extension == ".png":
        return _head(upload, 8) == b"\x89PNG\r\n\x1a\n"
    if extension in _OFFICE_PARTS:
        return _is_office_document(upload, extension)
    if extension in (".txt", ".csv"):
        return _is_plain_text(upload)
    return False


def check_upload(upload) -> FileType:
    """The type of an uploaded evidence file, or a ValidationError (keyed "file") saying,
    in words a teacher understands, why it cannot be accepted."""

    def refuse(message: str, code: str, **params):
        raise ValidationError({"file": [ValidationError(message, code=code, params=params)]})

    size = upload.size or 0
    if size == 0:
        refuse(_("The selected file is empty."), "empty")
    limit = max_upload_bytes()
    if size > limit:
        refuse(
            _("The file is %(size)s: files can be up to %(limit)s."),
            "too_large",
            size=human_size(size, rounding="up"),
            limit=human_size(limit, rounding="down"),
        )
    extension = os.path.splitext(display_name(upload.name))[1].lower()
    file_type = TYPE_BY_EXTENSION.get(extension)
    if file_type is None:
        refuse(
            _("The selected file must be a %(types)s file."),
            "file_type",
            types=str(ALLOWED_TYPES_TEXT),
        )
    if not _content_matches(upload, extension):
        refuse(
            _("This file's name says %(extension)s but its content is not %(kind)s."),
            "misleading_extension",
            extension=extension,
            kind=str(file_type.description),
        )
    upload.seek(0)
    return file_type


# --- Evidence -----------------------------------------------------------------------------


def evidence_add(
    *, actor: User, finding: Finding, kind: str, description: str, upload=None
) -> Evidence:
    """Add a piece of evidence, with an optional file, to a finding of an editable report.

    Refusals are one ValidationError keyed by field ("kind", "description", "file"); when
    anything is refused nothing is stored, neither a row nor a file.
    """
    stored_name = ""
    try:
        with transaction.atomic():
            review, finding = _locked_finding(finding)
            policy.require(policy.may_record_findings(actor, review))
            require_editable(review)
            errors: dict[str, list[ValidationError]] = {}
            if kind not in Evidence.Kind.values:
                errors["kind"] = [
                    ValidationError(_("Choose the type of evidence."), code="required")
                ]
            description = (description or "").strip()
            if not description:
                errors["description"] = [
                    ValidationError(
                        _("Describe the evidence: what you saw, heard or read."), code="required"
                    )
                ]
            file_type = None
            if upload is not None:
                try:
                    file_type = check_upload(upload)
                except ValidationError as error:
                    errors.update(error.error_dict)
            if errors:
                raise ValidationError(errors)

            evidence = Evidence(finding=finding, kind=kind, description=description, added_by=actor)
            if upload is not None:
                evidence.token = secrets.token_urlsafe(24)
                evidence.file_name = display_name(upload.name)
                evidence.file_type = file_type.content_type
                evidence.file_size = upload.size
                # The storage name is built from the token alone (``evidence_upload_to``).
                evidence.file.save(evidence.token, upload, save=False)
                stored_name = evidence.file.name
            evidence.save()
            audit.record(
                actor=actor,
                verb="evidence.added",
                target=finding,
                partnership=review.cycle.partnership,
                details={
                    "evidence": evidence.pk,
                    "kind": evidence.kind,
                    "file": evidence.file_name,
                    "size": evidence.file_size,
                },
            )
            return evidence
    except BaseException:
        if stored_name:
            default_storage.delete(stored_name)
        raise


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    """Remove a piece of evidence (and its file): whoever added it, or the finding's author.
    A submitted finding keeps at least one."""
    review, finding = _locked_finding(evidence.finding)
    evidence = Evidence.objects.select_for_update().filter(pk=evidence.pk, finding=finding).first()
    policy.require(evidence is not None)  # removed meanwhile (a second click)
    evidence.finding = finding
    policy.require(policy.may_remove_evidence(actor, evidence))
    require_editable(review)
    if finding.status == Finding.Status.SUBMITTED and finding.evidence.count() <= 1:
        raise ValidationError(
            _(
                "A submitted finding needs evidence behind it: add another piece before you "
                "remove this one."
            ),
            code="last_evidence",
        )
    name = evidence.file.name
    audit.record(
        actor=actor,
        verb="evidence.removed",
        target=finding,
        partnership=review.cycle.partnership,
        details={"evidence": evidence.pk, "kind": evidence.kind, "file": evidence.file_name},
    )
    evidence.delete()
    if name:
        _delete_file_on_commit(name)


# --- Challenges ---------------------------------------------------------------------------


def _finding_url(review: PeerReview, finding: Finding) -> str:
    path = reverse("finding_detail", args=[review.cycle.partnership.slug, review.pk, finding.pk])
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def challenge_raise(*, actor: User, finding: Finding, text: str) -> Challenge:
    """Challenge another reviewer's finding ("what leads you to think that?"); its author is
    emailed. The report cannot be submitted until someone other than the challenger answers."""
    review, finding = _locked_finding(finding)
    policy.require(policy.may_challenge(actor, finding))
    require_editable(review)
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {"text": _("Write your challenge: what would you ask the author of this finding?")},
            code="required",
        )
    challenge = Challenge.objects.create(finding=finding, raised_by=actor, text=text)
    audit.record(
        actor=actor,
        verb="finding.challenged",
        target=finding,
        partnership=review.cycle.partnership,
        details={"challenge": challenge.pk},
    )
    notify(
        [finding.author] if finding.author_id and finding.author_id != actor.pk else [],
        subject=_("Your finding on %(school)s's review has been challenged")
        % {"school": review.host_school.name},
        template="finding_challenged",
        partnership=review.cycle.partnership,
        context={
            "review": review,
            "finding": finding,
            "actor": actor,
            "url": _finding_url(review, finding),
        },
    )
    return challenge


@transaction.atomic
def challenge_reply(*, actor: User, challenge: Challenge, text: str) -> ChallengeReply:
    """Reply in a challenge's thread. A reply by anyone but the challenger (normally the
    finding's author) answers the challenge; the challenger's own replies continue the thread."""
    review, finding = _locked_finding(challenge.finding)
    challenge = (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("raised_by")
        .get(pk=challenge.pk, finding=finding)
    )
    challenge.finding = finding
    policy.require(policy.may_reply_to_challenge(actor, challenge))
    require_editable(review)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your reply.")}, code="required")
    reply = ChallengeReply.objects.create(challenge=challenge, author=actor, text=text)
    answers = actor.pk != challenge.raised_by_id
    if answers and challenge.answered_at is None:
        challenge.answered_at = reply.at
        challenge.save(update_fields=["answered_at"])
    audit.record(
        actor=actor,
        verb="challenge.answered" if answers else "challenge.replied",
        target=finding,
        partnership=review.cycle.partnership,
        details={"challenge": challenge.pk, "reply": reply.pk},
    )
    # The other side of the thread: the challenger hears from anyone else, the finding's
    # author hears from everyone but themselves.
    recipients = [challenge.raised_by, finding.author] if answers else [finding.author]
    notify(
        [user for user in recipients if user is not None and user.pk != actor.pk],
        subject=_("A reply about a finding on %(school)s's review")
        % {"school": review.host_school.name},
        template="finding_challenge_reply",
        partnership=review.cycle.partnership,
        context={
            "review": review,
            "finding": finding,
            "challenge": challenge,
            "actor": actor,
            "answers": answers,
            "url": _finding_url(review, finding),
        },
    )
    return reply
