import pytest
from django.urls import reverse

from partnerships.models import Role
from tests.factories import PartnershipFactory, grant, make_member_school

pytestmark = pytest.mark.django_db


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_shows_the_partnership_and_role(client, headteacher, partnership, school):
    client.force_login(headteacher)
    html = client.get(reverse("dashboard")).content.decode()
    assert partnership.name in html
    assert "Headteacher" in html
    assert school.name in html


def test_dashboard_shows_nothing_of_other_partnerships(client, headteacher, outsider):
    client.force_login(headteacher)
    html = client.get(reverse("dashboard")).content.decode()
    other = outsider.role_assignments.get()
    assert other.partnership.name not in html
    assert other.school.name not in html


def test_revoked_roles_are_not_shown(client, headteacher):
    assignment = headteacher.role_assignments.get()
    assignment.revoked_at = assignment.granted_at
    assignment.save()
    client.force_login(headteacher)
    html = client.get(reverse("dashboard")).content.decode()
    assert assignment.partnership.name not in html
    assert "You do not hold a role in any partnership yet" in html


def test_dashboard_query_count_does_not_grow_with_roles(
    client, headteacher, django_assert_num_queries, django_assert_max_num_queries
):
    # One role of each kind first: a lead's page has its cycle and emails to count, and the
    # count is then the same however many more roles come.
    first_other = PartnershipFactory()
    grant(headteacher, first_other, Role.PEER_REVIEWER, make_member_school(first_other))
    grant(headteacher, first_other, Role.PARTNERSHIP_LEAD)
    client.force_login(headteacher)
    client.get(reverse("dashboard"))  # warm the session
    with django_assert_max_num_queries(15) as first:
        client.get(reverse("dashboard"))
    for _ in range(5):
        other = PartnershipFactory()
        grant(headteacher, other, Role.PEER_REVIEWER, make_member_school(other))
        grant(headteacher, other, Role.PARTNERSHIP_LEAD)
    with django_assert_num_queries(len(first.captured_queries)):
        html = client.get(reverse("dashboard")).content.decode()
    assert html.count("Peer reviewer") == 6


def test_navigation_links_straight_to_each_partnership_of_the_person(
    client, headteacher, partnership, outsider
):
    client.force_login(headteacher)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{partnership.get_absolute_url()}"' in html
    other = outsider.role_assignments.get().partnership
    assert other.get_absolute_url() not in html
