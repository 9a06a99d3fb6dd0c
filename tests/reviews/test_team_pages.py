"""The team pages: a review's team (everyone sees it, the lead assigns it) and the cycle's
suggested teams (the lead's)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Role
from reviews.models import PeerReview, ReportStatus, ReviewTeamMember
from reviews.services.cycles import cycle_create
from reviews.services.team import conflict_declare, team_assign
from tests.factories import UserFactory, grant, make_member_school

pytestmark = pytest.mark.django_db


def team_url(world, review=None):
    return reverse("review_team", args=[world.partnership.slug, (review or world.review).pk])


def suggest_url(world):
    return reverse("cycle_team_suggest", args=[world.partnership.slug, 2026])


def team(review) -> dict[str, bool]:
    return {m.user.name: m.is_lead for m in ReviewTeamMember.objects.filter(review=review)}


def checked(html: str, name: str) -> set[str]:
    """The values of the checked inputs called ``name``."""
    return set(re.findall(rf'<input type="\w+" name="{name}" value="(\d+)"[^>]*checked', html))


# --- A review's team --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["champion", "host_head", "head_b"])
def test_every_member_sees_the_team_but_only_the_lead_gets_the_form(client, team_world, who):
    w = team_world
    team_assign(actor=w.lead, review=w.review, lead_user=w.head_b, reviewer_users=[w.peer_c])
    client.force_login(getattr(w, who))
    response = client.get(team_url(w))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bea Beech" in html
    assert "Beech Primary School" in html
    assert "Lead reviewer" in html
    assert "Cal Cedar" in html
    assert "Cedar Primary School" in html
    assert response.context["form"] is None
    assert "Save the team" not in html


def test_the_lead_chooses_from_people_of_other_schools_labelled_with_their_school(
    client, team_world
):
    w = team_world
    client.force_login(w.lead)
    form = client.get(team_url(w)).context["form"]
    leads = dict(form.fields["lead_user"].choices)
    reviewers = dict(form.fields["reviewer_users"].choices)
    assert leads == {
        w.head_b.pk: "Bea Beech, Beech Primary School",
        w.head_c.pk: "Cat Cedar, Cedar Primary School",
    }
    assert set(reviewers) == {w.head_b.pk, w.peer_b.pk, w.head_c.pk, w.peer_c.pk}
    assert w.host_head.pk not in reviewers, "nobody from the host school is offered"


def test_people_with_a_declared_conflict_are_not_offered_and_the_lead_is_told(client, team_world):
    w = team_world
    conflict_declare(actor=w.head_c, partnership=w.partnership, school=w.host, reason="relative")
    client.force_login(w.lead)
    response = client.get(team_url(w))
    assert w.head_c.pk not in dict(response.context["form"].fields["reviewer_users"].choices)
    assert "1 person has declared a conflict of interest with this school" in (
        response.content.decode()
    )


def test_the_lead_assigns_the_team(client, team_world):
    w = team_world
    client.force_login(w.lead)
    response = client.post(
        team_url(w), {"lead_user": w.head_b.pk, "reviewer_users": [w.peer_c.pk, w.head_c.pk]}
    )
    assert response.status_code == 302
    assert team(w.review) == {"Bea Beech": True, "Cal Cedar": False, "Cat Cedar": False}
    page = client.get(team_url(w))
    assert "is saved" in page.content.decode()
    assert page.context["form"]["lead_user"].value() == w.head_b.pk


def test_a_blocked_team_shows_each_problem_and_keeps_the_choices(client, team_world):
    w = team_world
    client.force_login(w.lead)
    chosen = [w.peer_b.pk, w.head_c.pk, w.peer_c.pk, w.head_b.pk]
    response = client.post(team_url(w), {"lead_user": w.head_b.pk, "reviewer_users": chosen})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert "Bea Beech is the lead reviewer, so cannot also be one of the reviewers." in html
    assert checked(html, "lead_user") == {str(w.head_b.pk)}
    assert checked(html, "reviewer_users") == {str(pk) for pk in chosen}
    assert team(w.review) == {}


def test_a_conflict_declared_while_the_page_was_open_is_named(client, team_world):
    w = team_world
    client.force_login(w.lead)
    client.get(team_url(w))
    conflict_declare(actor=w.head_c, partnership=w.partnership, school=w.host, reason="relative")
    response = client.post(team_url(w), {"lead_user": w.head_b.pk, "reviewer_users": [w.head_c.pk]})
    assert "Cat Cedar has declared a conflict of interest with" in response.content.decode()
    assert team(w.review) == {}


def test_a_repeat_from_last_cycle_asks_the_lead_to_confirm(client, team_world):
    w = team_world
    last_year = cycle_create(actor=w.lead, partnership=w.partnership, academic_year=2025)
    team_assign(
        actor=w.lead,
        review=PeerReview.objects.get(cycle=last_year, host_school=w.host),
        lead_user=w.head_b,
        reviewer_users=[w.head_c],
    )
    client.force_login(w.lead)
    form = client.get(team_url(w)).context["form"]
    assert dict(form.fields["lead_user"].choices)[w.head_b.pk] == (
        "Bea Beech, Beech Primary School (reviewed this school last cycle)"
    )
    data = {"lead_user": w.head_b.pk, "reviewer_users": [w.peer_c.pk]}
    response = client.post(team_url(w), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Bea Beech reviewed {w.host.name} last cycle." in html
    assert "I have considered this; assign the team anyway" in html
    assert "<title>Error:" in html
    assert checked(html, "reviewer_users") == {str(w.peer_c.pk)}
    assert team(w.review) == {}

    response = client.post(team_url(w), {**data, "acknowledge_warnings": "on"})
    assert response.status_code == 302
    assert team(w.review) == {"Bea Beech": True, "Cal Cedar": False}


def test_the_lead_is_shown_a_conflict_declared_after_the_team_was_set(client, team_world):
    w = team_world
    team_assign(actor=w.lead, review=w.review, lead_user=w.head_b, reviewer_users=[w.peer_c])
    conflict_declare(actor=w.peer_c, partnership=w.partnership, school=w.host, reason="relative")
    client.force_login(w.lead)
    html = client.get(team_url(w)).content.decode()
    assert "This team needs changing" in html
    assert "Cal Cedar has declared a conflict of interest with" in html


@pytest.mark.parametrize("who", ["champion", "host_head", "head_b"])
def test_only_the_lead_may_post(client, team_world, who):
    w = team_world
    client.force_login(getattr(w, who))
    response = client.post(team_url(w), {"lead_user": w.head_b.pk, "reviewer_users": [w.peer_c.pk]})
    assert response.status_code == 404
    assert team(w.review) == {}


def test_a_signed_off_reviews_team_is_shown_without_a_form(client, team_world):
    w = team_world
    team_assign(actor=w.lead, review=w.review, lead_user=w.head_b, reviewer_users=[w.peer_c])
    PeerReview.objects.filter(pk=w.review.pk).update(
        status=ReportStatus.SIGNED_OFF, signed_off_at=timezone.now()
    )
    client.force_login(w.lead)
    response = client.get(team_url(w))
    assert response.context["form"] is None
    assert "the team cannot change" in response.content.decode()
    response = client.post(team_url(w), {"lead_user": w.head_c.pk, "reviewer_users": [w.peer_b.pk]})
    assert response.status_code == 302
    assert team(w.review) == {"Bea Beech": True, "Cal Cedar": False}


# --- Suggested teams for the cycle ------------------------------------------------------------


@pytest.mark.parametrize("who", ["champion", "host_head", "head_b"])
def test_the_suggestion_page_is_the_leads(client, team_world, who):
    w = team_world
    client.force_login(getattr(w, who))
    assert client.get(suggest_url(w)).status_code == 404
    assert (
        client.post(suggest_url(w), {"action": "suggest", "reviewers_per_team": "1"}).status_code
        == 404
    )


def test_the_page_lists_every_reviews_current_team(client, team_world):
    w = team_world
    team_assign(actor=w.lead, review=w.review_b, lead_user=w.head_c, reviewer_users=[w.host_head])
    client.force_login(w.lead)
    html = client.get(suggest_url(w)).content.decode()
    for school in (w.host, w.beech, w.cedar):
        assert school.name in html
    assert "Cat Cedar, Cedar Primary School" in html
    assert html.count("No team yet") == 2
    assert "Suggest teams" in html


def suggest(client, world, per_team=1):
    return client.post(suggest_url(world), {"action": "suggest", "reviewers_per_team": per_team})


def test_suggesting_shows_the_proposal_and_changes_nothing(client, team_world):
    w = team_world
    client.force_login(w.lead)
    response = suggest(client, w)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Suggested teams" in html
    assert "Accept these teams" in html
    assert "can be edited afterwards on its review" in html
    assert len(re.findall(r'<input type="hidden" name="teams"', html)) == 3
    assert not ReviewTeamMember.objects.exists()


def test_the_page_says_the_places_are_even_when_they_are(client, team_world):
    """(When they are not, the note saying so is among the notes for the lead: see
    tests/reviews/test_allocation.py for when that happens.)"""
    w = team_world
    client.force_login(w.lead)
    response = suggest(client, w)
    html = response.content.decode()
    assert response.context["spread"].even
    assert "The places are spread evenly: counting the teams already set" in html
    assert "not spread evenly" not in html


def test_accepting_the_proposal_assigns_the_teams(client, team_world):
    w = team_world
    client.force_login(w.lead)
    proposal = suggest(client, w, per_team=2).context["accept_form"]["teams"].value()
    response = client.post(
        suggest_url(w), {"action": "accept", "teams": proposal, "reviewers_per_team": "2"}
    )
    assert response.status_code == 302
    for review in (w.review, w.review_b, w.review_c):
        assert len(team(review)) == 3
        assert list(team(review).values()).count(True) == 1
    assert (
        "The suggested teams are assigned to 3 reviews"
        in client.get(suggest_url(w)).content.decode()
    )


def test_accepting_keeps_a_team_the_lead_set(client, team_world):
    w = team_world
    client.force_login(w.lead)
    proposal = suggest(client, w).context["accept_form"]["teams"].value()
    team_assign(actor=w.lead, review=w.review, lead_user=w.head_c, reviewer_users=[w.peer_b])
    response = client.post(
        suggest_url(w), {"action": "accept", "teams": proposal, "reviewers_per_team": "1"}
    )
    assert response.status_code == 302
    assert team(w.review) == {"Cat Cedar": True, "Ben Beech": False}
    assert team(w.review_b)
    assert team(w.review_c)
    assert "1 review kept the team it already had" in client.get(suggest_url(w)).content.decode()


def test_a_tampered_proposal_is_refused_and_nothing_is_written(client, team_world):
    w = team_world
    client.force_login(w.lead)
    tampered = [
        f"{w.host.pk}:{w.host_head.pk}:{w.head_b.pk}",
        f"{w.beech.pk}:{w.head_c.pk}:{w.host_head.pk}",
        f"{w.cedar.pk}:{w.head_b.pk}:{w.host_head.pk}",
    ]
    response = client.post(
        suggest_url(w), {"action": "accept", "teams": tampered, "reviewers_per_team": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert "works at" in html
    assert "the school under review" in html
    assert not ReviewTeamMember.objects.exists()


def test_an_unreadable_proposal_is_refused(client, team_world):
    w = team_world
    client.force_login(w.lead)
    response = client.post(
        suggest_url(w), {"action": "accept", "teams": ["nonsense"], "reviewers_per_team": "1"}
    )
    assert "The suggestion could not be read" in response.content.decode()
    assert not ReviewTeamMember.objects.exists()


def test_a_suggestion_with_repeats_needs_the_lead_to_confirm(client, partnership, lead):
    heads = []
    schools = [make_member_school(partnership, name=f"School {i}") for i in range(3)]
    for i, school in enumerate(schools):
        head = UserFactory(name=f"Head {i}")
        grant(head, partnership, Role.HEADTEACHER, school)
        heads.append(head)
    last = cycle_create(actor=lead, partnership=partnership, academic_year=2025)
    for i, school in enumerate(schools):
        team_assign(
            actor=lead,
            review=PeerReview.objects.get(cycle=last, host_school=school),
            lead_user=heads[(i + 1) % 3],
            reviewer_users=[heads[(i + 2) % 3]],
        )
    cycle_create(actor=lead, partnership=partnership, academic_year=2026)
    url = reverse("cycle_team_suggest", args=[partnership.slug, 2026])
    client.force_login(lead)
    response = client.post(url, {"action": "suggest", "reviewers_per_team": "1"})
    html = response.content.decode()
    assert "reviewed School 0 last cycle" in html
    proposal = response.context["accept_form"]["teams"].value()
    response = client.post(url, {"action": "accept", "teams": proposal, "reviewers_per_team": "1"})
    assert response.status_code == 200
    assert "Confirm you have considered the warnings" in response.content.decode()
    assert not ReviewTeamMember.objects.filter(review__cycle__academic_year=2026).exists()
    response = client.post(
        url,
        {
            "action": "accept",
            "teams": proposal,
            "reviewers_per_team": "1",
            "acknowledge_warnings": "on",
        },
    )
    assert response.status_code == 302
    assert ReviewTeamMember.objects.filter(review__cycle__academic_year=2026).count() == 6


def test_the_suggestion_pages_queries_do_not_grow_with_the_partnership(client, partnership, lead):
    def add_school(i):
        school = make_member_school(partnership, name=f"School {i:02d}")
        grant(UserFactory(), partnership, Role.HEADTEACHER, school)
        for _ in range(i % 3):
            grant(UserFactory(), partnership, Role.PEER_REVIEWER, school)
        return school

    def queries(year) -> tuple[int, int]:
        """(queries to suggest teams, queries to show the page once they are accepted)"""
        cycle = cycle_create(actor=lead, partnership=partnership, academic_year=year)
        url = reverse("cycle_team_suggest", args=[partnership.slug, year])
        client.get(url)  # the session's first request does more
        with CaptureQueriesContext(connection) as suggested:
            response = client.post(url, {"action": "suggest", "reviewers_per_team": "1"})
        assert len(response.context["rows"]) == cycle.reviews.count()
        proposal = response.context["accept_form"]["teams"].value()
        accepted = client.post(
            url, {"action": "accept", "teams": proposal, "reviewers_per_team": 1}
        )
        assert accepted.status_code == 302
        with CaptureQueriesContext(connection) as page:
            assert client.get(url).status_code == 200
        assert ReviewTeamMember.objects.filter(review__cycle=cycle).count() == 2 * len(proposal)
        return len(suggested.captured_queries), len(page.captured_queries)

    for i in range(3):
        add_school(i)
    client.force_login(lead)
    small = queries(2025)
    for i in range(3, 10):
        add_school(i)
    large = queries(2026)  # three times the schools, and last cycle's teams to avoid
    assert large == small


def test_the_team_pages_queries_do_not_grow_with_the_partnership(client, team_world):
    w = team_world
    team_assign(actor=w.lead, review=w.review, lead_user=w.head_b, reviewer_users=[w.peer_c])
    client.force_login(w.lead)
    client.get(team_url(w))  # the session's first request does more

    def queries() -> int:
        with CaptureQueriesContext(connection) as page:
            assert client.get(team_url(w)).status_code == 200
        return len(page.captured_queries)

    small = queries()
    for i in range(8):
        school = make_member_school(w.partnership, name=f"Extra {i}")
        head = w.person(f"Extra Head {i}", Role.HEADTEACHER, school)
        w.person(f"Extra Peer {i}", Role.PEER_REVIEWER, school)
        conflict_declare(actor=head, partnership=w.partnership, school=w.host, reason="relative")
    assert queries() == small
