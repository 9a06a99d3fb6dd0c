"""Partnership pages cost a fixed number of queries, however big the partnership grows.

Each page is measured on a small partnership that already has one of everything (a member
and a former member, a signed agreement, an open and an expired invitation, people at a
school, events in the log), so every branch of the page runs. Then the partnership grows:
more schools, each with a headteacher, a champion and a peer reviewer, invitations,
signatures, more people at school A and more than a page of events. The same page, for the
same person, must cost exactly the same number of queries.
"""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from partnerships import services
from partnerships.invitations import invitation_create
from partnerships.models import Role
from tests.factories import SchoolFactory, UserFactory, make_member_school

pytestmark = pytest.mark.django_db

GROWTH = 8  # schools added; with their events the log runs past its first page of 50


def invite(settings, *, actor, partnership, email, role, school, expired=False):
    """Invite through the service; an expired invitation is one made with a zero-day link."""
    valid_days = settings.CAIRN_INVITATION_VALID_DAYS
    if expired:
        settings.CAIRN_INVITATION_VALID_DAYS = 0
    try:
        return invitation_create(
            actor=actor, partnership=partnership, email=email, role=role, school=school
        )
    finally:
        settings.CAIRN_INVITATION_VALID_DAYS = valid_days


@pytest.fixture
def small_world(settings, partnership, school, lead, headteacher, champion):
    """One of everything, so that every branch of every page already runs."""
    services.agreement_publish(actor=lead, partnership=partnership, text="Version one.")
    services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    former = make_member_school(partnership)
    services.membership_end(actor=lead, partnership=partnership, school=former)
    invite(
        settings,
        actor=lead,
        partnership=partnership,
        email="open@example.org",
        role=Role.PEER_REVIEWER,
        school=school,
    )
    invite(
        settings,
        actor=lead,
        partnership=partnership,
        email="expired@example.org",
        role=Role.PEER_REVIEWER,
        school=school,
        expired=True,
    )
    return partnership


def grow(settings, partnership, school, lead, headteacher):
    """Add schools with people, invitations and signatures; people at school A; events."""
    for n in range(GROWTH):
        new_school = SchoolFactory()
        services.membership_add(actor=lead, partnership=partnership, school=new_school)
        head = UserFactory()
        for user, role in (
            (head, Role.HEADTEACHER),
            (UserFactory(), Role.IMPROVEMENT_CHAMPION),
            (UserFactory(), Role.PEER_REVIEWER),
        ):
            services.role_grant(
                actor=lead, user=user, partnership=partnership, role=role, school=new_school
            )
        services.agreement_sign(actor=head, partnership=partnership, school=new_school)
        invite(
            settings,
            actor=lead,
            partnership=partnership,
            email=f"champion{n}@example.org",
            role=Role.IMPROVEMENT_CHAMPION,
            school=new_school,
        )
        invite(
            settings,
            actor=lead,
            partnership=partnership,
            email=f"late{n}@example.org",
            role=Role.PEER_REVIEWER,
            school=new_school,
            expired=True,
        )
        # More people, and expired invitations, at school A: the headteacher's own school.
        services.role_grant(
            actor=headteacher,
            user=UserFactory(),
            partnership=partnership,
            role=Role.PEER_REVIEWER,
            school=school,
        )
        invite(
            settings,
            actor=headteacher,
            partnership=partnership,
            email=f"reviewer{n}@example.org",
            role=Role.PEER_REVIEWER,
            school=school,
            expired=True,
        )
    left = make_member_school(partnership)
    services.membership_end(actor=lead, partnership=partnership, school=left)
    assert AuditEvent.objects.filter(partnership=partnership).count() > 50


def queries_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in context.captured_queries]


def shape(sql: str) -> str:
    """The query with its values taken out, so that one query per row shows as a repeat."""
    return re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", sql)


def brief(sql: str) -> str:
    """SELECT ... FROM onwards: which table, and why."""
    start = sql.find(" FROM ")
    return ("SELECT ..." + sql[start:] if sql.startswith("SELECT") and start > 0 else sql)[:240]


def assert_same_number_of_queries(url, before: list[str], after: list[str]) -> None:
    if len(after) == len(before):
        return
    grown = Counter(map(shape, after)) - Counter(map(shape, before))
    repeated = "\n".join(f"  +{n}: {brief(sql)}" for sql, n in grown.most_common(3))
    raise AssertionError(
        f"{url} ran {len(before)} queries on the small partnership and {len(after)} once it "
        f"grew: a query per row (N+1). The queries that multiplied:\n{repeated}"
    )


# Each page, with who may open it.
PAGES = {
    "dashboard": ("champion", "headteacher", "lead"),
    "partnership_detail": ("champion", "headteacher", "lead"),
    "people": ("champion", "headteacher", "lead"),
    "school_detail": ("champion", "headteacher", "lead"),
    "agreement": ("champion", "headteacher", "lead"),
    "invitation_list": ("headteacher", "lead"),
    "audit_log": ("lead",),
}


def url_of(name, partnership, school) -> str:
    if name == "dashboard":
        return reverse(name)
    if name == "school_detail":
        return reverse(name, args=[partnership.slug, school.urn])
    return reverse(name, args=[partnership.slug])


@pytest.mark.parametrize(
    ("name", "viewer"),
    [
        pytest.param(name, viewer, id=f"{name}-{viewer}")
        for name, viewers in PAGES.items()
        for viewer in viewers
    ],
)
def test_page_query_count_does_not_grow_with_the_partnership(
    request,
    client,
    settings,
    small_world,
    school,
    lead,
    headteacher,
    name,
    viewer,
):
    client.force_login(request.getfixturevalue(viewer))
    url = url_of(name, small_world, school)
    client.get(url)  # the first request of a session does one-off work (session, usersessions)
    small = queries_of(client, url)
    grow(settings, small_world, school, lead, headteacher)
    assert_same_number_of_queries(url, small, queries_of(client, url))


def test_the_grown_pages_show_what_was_added(
    client, settings, small_world, school, lead, headteacher
):
    """The counts above compare pages that really list the added rows."""
    grow(settings, small_world, school, lead, headteacher)
    client.force_login(lead)
    people = client.get(reverse("people", args=[small_world.slug]))
    assert len(people.context["assignments"]) == 3 + GROWTH * 4
    invitations = client.get(reverse("invitation_list", args=[small_world.slug]))
    assert len(invitations.context["invitations"]) == 2 + GROWTH * 3
    detail = client.get(reverse("partnership_detail", args=[small_world.slug]))
    assert len(detail.context["memberships"]) == 1 + GROWTH
    assert len(detail.context["former_memberships"]) == 2
    agreement = client.get(reverse("agreement", args=[small_world.slug]))
    assert len(agreement.context["signatures"]) == 1 + GROWTH
    log = client.get(reverse("audit_log", args=[small_world.slug]))
    assert log.context["page"].has_next()
    school_page = client.get(reverse("school_detail", args=[small_world.slug, school.urn]))
    assert len(school_page.context["people"]) == 2 + GROWTH
    dashboard = client.get(reverse("dashboard"))
    assert len(dashboard.context["attention"]) == 1 + GROWTH
    client.force_login(headteacher)
    dashboard = client.get(reverse("dashboard"))
    assert len(dashboard.context["attention"]) == GROWTH
