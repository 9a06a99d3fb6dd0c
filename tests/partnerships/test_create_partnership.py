import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from partnerships.models import Invitation, Partnership

pytestmark = pytest.mark.django_db


def test_site_administrator_starts_a_partnership_and_invites_its_lead(
    django_capture_on_commit_callbacks, capsys
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_partnership", "Riverdale Schools Partnership", lead="Lead@R.example")
    partnership = Partnership.objects.get(slug="riverdale-schools-partnership")
    invitation = Invitation.objects.get(partnership=partnership)
    assert invitation.email == "lead@r.example"
    assert invitation.role == "partnership_lead"
    assert invitation.invited_by is None
    assert re.search(r"/invitations/\S+/", mail.outbox[0].body)
    assert "invited lead@r.example" in capsys.readouterr().out.lower()


def test_an_existing_short_name_is_refused_and_nothing_is_created(partnership):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_partnership", "Another", lead="x@y.example", slug=partnership.slug)
    assert not Invitation.objects.exists()


def test_a_bad_email_creates_no_partnership():
    with pytest.raises(CommandError):
        call_command("create_partnership", "Bad Email Partnership", lead="not-an-email")
    assert not Partnership.objects.filter(name="Bad Email Partnership").exists()
