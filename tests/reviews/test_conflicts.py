"""Declared conflicts of interest: anyone declares their own, withdraws their own; the lead,
who assigns review teams, sees everyone's."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from partnerships.policy import NotPermitted
from reviews.models import ConflictDeclaration
from reviews.services.team import conflict_declare, conflict_withdraw, team_assign
from tests.factories import PartnershipFactory, make_member_school

pytestmark = pytest.mark.django_db


def declare(world, actor, school, reason="former_employer", note=""):
    return conflict_declare(
        actor=actor, partnership=world.partnership, school=school, reason=reason, note=note
    )


# --- The services -----------------------------------------------------------------------------


def test_a_member_declares_a_conflict_with_another_school(team_world):
    w = team_world
    declaration = declare(w, w.champion, w.beech, "relative", note="  My sister teaches there. ")
    assert (declaration.user, declaration.school, declaration.reason) == (
        w.champion,
        w.beech,
        "relative",
    )
    assert declaration.note == "My sister teaches there."
    event = AuditEvent.objects.get(verb="conflict.declared")
    assert event.actor == w.champion
    assert event.details == {"school": w.beech.name, "reason": "relative"}


def test_a_second_declaration_for_the_same_school_is_refused_clearly(team_world):
    w = team_world
    declare(w, w.head_b, w.host)
    with pytest.raises(ValidationError) as raised:
        declare(w, w.head_b, w.host, "same_trust")
    assert raised.value.message_dict["school"] == [
        f"You have already declared a conflict of interest with {w.host.name}. Withdraw it "
        "first if you want to give a different reason."
    ]
    assert ConflictDeclaration.objects.count() == 1


def test_nobody_declares_a_conflict_with_their_own_school(team_world):
    w = team_world
    with pytest.raises(ValidationError) as raised:
        declare(w, w.head_b, w.beech)
    assert "You work at Beech Primary School" in raised.value.message_dict["school"][0]
    assert not ConflictDeclaration.objects.exists()


def test_a_school_outside_the_partnership_is_refused(team_world):
    w = team_world
    elsewhere = make_member_school(PartnershipFactory())
    with pytest.raises(ValidationError) as raised:
        declare(w, w.head_b, elsewhere)
    assert "school" in raised.value.message_dict


def test_an_unknown_reason_is_refused(team_world):
    w = team_world
    with pytest.raises(ValidationError) as raised:
        declare(w, w.head_b, w.host, reason="grudge")
    assert "reason" in raised.value.message_dict


def test_someone_outside_the_partnership_cannot_declare(team_world, outsider):
    w = team_world
    with pytest.raises(NotPermitted):
        declare(w, outsider, w.host)


def test_the_owner_withdraws_their_declaration(team_world):
    w = team_world
    declaration = declare(w, w.head_b, w.host)
    conflict_withdraw(actor=w.head_b, declaration=declaration)
    assert not ConflictDeclaration.objects.exists()
    assert AuditEvent.objects.get(verb="conflict.withdrawn").details["school"] == w.host.name
    # Once withdrawn, the person can be put on the school's team again.
    team_assign(actor=w.lead, review=w.review, lead_user=w.head_b, reviewer_users=[w.peer_c])


@pytest.mark.parametrize("who", ["lead", "host_head", "head_c"])
def test_nobody_else_withdraws_a_declaration(team_world, who):
    w = team_world
    declaration = declare(w, w.head_b, w.host)
    with pytest.raises(NotPermitted):
        conflict_withdraw(actor=getattr(w, who), declaration=declaration)
    assert ConflictDeclaration.objects.filter(pk=declaration.pk).exists()


# --- The page ---------------------------------------------------------------------------------


def url(world):
    return reverse("conflict_list", args=[world.partnership.slug])


def test_the_page_shows_only_ones_own_declarations(client, team_world):
    w = team_world
    declare(w, w.head_b, w.host, note="Taught there until 2023.")
    declare(w, w.head_c, w.host, "same_trust", note="Both in Oak Trust.")
    client.force_login(w.head_b)
    html = client.get(url(w)).content.decode()
    assert "Taught there until 2023." in html
    assert "Both in Oak Trust." not in html
    assert "Everyone&#x27;s declared conflicts" not in html
    assert "Everyone's declared conflicts" not in html


def test_the_lead_sees_everyones_declarations(client, team_world):
    w = team_world
    declare(w, w.head_b, w.host, note="Taught there until 2023.")
    declare(w, w.head_c, w.host, "same_trust", note="Both in Oak Trust.")
    client.force_login(w.lead)
    html = client.get(url(w)).content.decode()
    assert "Taught there until 2023." in html
    assert "Both in Oak Trust." in html
    assert "Bea Beech" in html
    assert "Cat Cedar" in html


def test_the_school_list_leaves_out_ones_own_school(client, team_world):
    w = team_world
    client.force_login(w.head_b)
    form = client.get(url(w)).context["form"]
    assert set(form.fields["school"].queryset) == {w.host, w.cedar}


def test_declaring_through_the_page(client, team_world):
    w = team_world
    client.force_login(w.head_b)
    response = client.post(
        url(w), {"school": w.host.pk, "reason": "former_employer", "note": "Deputy there."}
    )
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.user, declaration.school, declaration.note) == (
        w.head_b,
        w.host,
        "Deputy there.",
    )
    assert "is recorded" in client.get(url(w)).content.decode()


def test_declaring_warns_someone_already_on_the_schools_team(client, team_world):
    w = team_world
    team_assign(actor=w.lead, review=w.review, lead_user=w.head_b, reviewer_users=[w.peer_c])
    client.force_login(w.peer_c)
    response = client.post(url(w), {"school": w.host.pk, "reason": "relative"}, follow=True)
    assert "You are on the team for" in response.content.decode()


def test_a_missing_reason_keeps_what_was_typed(client, team_world):
    w = team_world
    client.force_login(w.head_b)
    response = client.post(url(w), {"school": w.host.pk, "note": "Governor there until 2024."})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Choose the reason for the conflict of interest") == 2  # summary + field
    assert "<title>Error:" in html
    assert "Governor there until 2024." in html
    assert f'<option value="{w.host.pk}" selected>' in html
    assert not ConflictDeclaration.objects.exists()


def test_a_duplicate_declaration_is_refused_on_the_page_keeping_what_was_typed(client, team_world):
    w = team_world
    declare(w, w.head_b, w.host)
    client.force_login(w.head_b)
    response = client.post(
        url(w), {"school": w.host.pk, "reason": "relative", "note": "My cousin works there."}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have already declared a conflict of interest with" in html
    assert "My cousin works there." in html
    assert re.search(r'<input type="radio" name="reason" value="relative"[^>]*checked', html)
    assert ConflictDeclaration.objects.count() == 1


def test_withdrawing_through_the_page(client, team_world):
    w = team_world
    declaration = declare(w, w.head_b, w.host)
    client.force_login(w.head_b)
    response = client.post(reverse("conflict_withdraw", args=[w.partnership.slug, declaration.pk]))
    assert response.status_code == 302
    assert not ConflictDeclaration.objects.exists()


@pytest.mark.parametrize("who", ["lead", "head_c"])
def test_someone_elses_declaration_cannot_be_withdrawn(client, team_world, who):
    w = team_world
    declaration = declare(w, w.head_b, w.host)
    client.force_login(getattr(w, who))
    response = client.post(reverse("conflict_withdraw", args=[w.partnership.slug, declaration.pk]))
    assert response.status_code == 404
    assert ConflictDeclaration.objects.filter(pk=declaration.pk).exists()


def test_withdraw_answers_only_to_post(client, team_world):
    w = team_world
    declaration = declare(w, w.head_b, w.host)
    client.force_login(w.head_b)
    url_ = reverse("conflict_withdraw", args=[w.partnership.slug, declaration.pk])
    assert client.get(url_).status_code == 405


def test_the_page_is_the_partnerships_members_only(client, team_world, outsider):
    w = team_world
    client.force_login(outsider)
    assert client.get(url(w)).status_code == 404
    assert client.post(url(w), {"school": w.host.pk, "reason": "relative"}).status_code == 404
    assert not ConflictDeclaration.objects.exists()
