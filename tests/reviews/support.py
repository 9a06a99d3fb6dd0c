"""Helpers of the review tests: the report's workflow as the product describes it, written
out here rather than read from the code, so a test fails if the code drifts from it."""

from reviews.models import ReportStatus

S = ReportStatus
STATES = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.QUALITY_ASSURED, S.SIGNED_OFF]

SOURCES = {
    "submit": {S.DRAFT, S.RETURNED},
    "return": {S.SUBMITTED},
    "quality_assure": {S.SUBMITTED},
    "sign_off": {S.QUALITY_ASSURED},
    "host_return": {S.QUALITY_ASSURED},
    "reopen": {S.SIGNED_OFF},
}

WHO = {
    "submit": {"lead reviewer"},
    "return": {"partnership lead"},
    "quality_assure": {"partnership lead"},
    "sign_off": {"host headteacher"},
    "host_return": {"host headteacher"},
    "reopen": {"partnership lead", "host headteacher"},
}
