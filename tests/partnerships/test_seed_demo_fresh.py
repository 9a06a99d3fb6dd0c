"""Seeding the demo into an empty database: what only a first seed shows.

The other seed tests share one seed per module (``seeded_demo``); these seed for themselves.
"""

import io
import json

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from demo import content as demo
from reviews.models import PeerReview, ReportStatus


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_without_debug_demo_accounts_get_no_password(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = False
    accounts = json.loads(seed("--json"))
    assert all(a["password"] is None for a in accounts)
    assert not any(u.has_usable_password() for u in User.objects.all())
    assert demo.DEMO_PASSWORD not in seed()


@pytest.mark.django_db(transaction=True)
def test_seeding_the_reviews_sends_no_email(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mail.outbox = []
    seed()
    assert PeerReview.objects.filter(status=ReportStatus.SIGNED_OFF).exists()
    # Only the demo's pending invitation goes out, as before the reviews existed.
    assert [message.to for message in mail.outbox] == [["l.osei@oakfield.example"]]
