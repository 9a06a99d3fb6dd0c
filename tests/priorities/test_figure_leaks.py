"""A figure someone may not see is on no page and in no export they can reach.

One partnership with a school that has not signed the data-sharing agreement in force
(Underhill, whose 2024/25 KS2 figure is 81.7) and a signed school with a small cohort
(Smallbrook, whose 2024/25 disadvantaged gap, from five pupils, is 37.3). Both values appear
nowhere else. The walk requests every URL pattern of Cairn, filled with real objects of the
partnership (each school's pages for each school, the year table for each measure), plus both
CSV exports, as every kind of person:

- the lead, another school's headteacher and champion, an outsider, a signed-out visitor
  find neither value anywhere (not in a table, a chart, an average, a form or a file);
- each school's own headteacher finds their own figure, and never the other school's.
"""

import dataclasses
import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import OutgoingEmail
from partnerships import services as partnership_services
from partnerships.invitations import invitation_create
from partnerships.models import Role
from priorities import selectors
from priorities.models import Measure
from priorities.services import (
    measurement_record,
    priority_activate,
    priority_propose,
    target_set,
)
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.partnerships.test_access_matrix import (
    World,
    fill,
    make_membership_requests,
    make_review_objects,
)
from tests.reviews.test_safeguarding_leaks import content_of, walked_routes

pytestmark = pytest.mark.django_db

KS2 = "ks2_rwm_expected"
GAP = "ks2_rwm_disadvantaged_gap"
YEAR = 2024

UNSIGNED_VALUE = "81.7"  # Underhill's: it has not signed the agreement in force
SMALL_COHORT_VALUE = "37.3"  # Smallbrook's: a cohort of five


def found(value: str, text: str) -> bool:
    """``value`` written as a figure (81.7, 81.70), not inside another number."""
    return re.search(rf"(?<![\d.]){re.escape(value)}0*(?!\d)", text) is not None


def measure(code: str) -> Measure:
    return Measure.objects.get(code=code, partnership=None)


@pytest.fixture
def leak_world(partnership, school, lead, headteacher, champion, outsider):
    smallbrook = make_member_school(partnership, name="Smallbrook Primary School")
    small_head = UserFactory(name="Sol Smallbrook")
    small_head_role = grant(small_head, partnership, Role.HEADTEACHER, smallbrook)
    underhill = make_member_school(partnership, name="Underhill Primary School")
    under_head = UserFactory(name="Uma Underhill")
    grant(under_head, partnership, Role.HEADTEACHER, underhill)

    agreement = partnership_services.agreement_publish(
        actor=lead, partnership=partnership, text="We share our data for peer review."
    )
    for head, member in ((headteacher, school), (small_head, smallbrook)):
        partnership_services.agreement_sign(actor=head, partnership=partnership, school=member)

    def figure(actor, member, code, value, cohort, year=YEAR):
        measurement_record(
            actor=actor,
            partnership=partnership,
            school=member,
            measure=measure(code),
            academic_year=year,
            value=value,
            cohort_size=cohort,
        )

    # Every school's own staff enter its figures.
    figure(headteacher, school, KS2, "60", 30, 2023)
    figure(headteacher, school, KS2, "64", 30)
    figure(headteacher, school, GAP, "12", 20)
    figure(small_head, smallbrook, KS2, "58", 28, 2023)
    figure(small_head, smallbrook, KS2, "62", 28)
    figure(small_head, smallbrook, GAP, SMALL_COHORT_VALUE, 5)
    figure(under_head, underhill, KS2, "70", 30, 2023)
    figure(under_head, underhill, KS2, UNSIGNED_VALUE, 30)

    reading = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead,
            partnership=partnership,
            title="Reading and the gap",
            rationale="The data.",
            measures=[measure(KS2), measure(GAP)],
        ),
    )
    # Each school's head sets targets from its figures, the hidden ones included.
    for head, member, code, value in (
        (headteacher, school, KS2, "70"),
        (small_head, smallbrook, GAP, "30"),
        (under_head, underhill, KS2, "85"),
    ):
        target_set(
            actor=head,
            priority=reading,
            school=member,
            measure=measure(code),
            baseline_year=YEAR,
            target_value=value,
            target_year=YEAR + 2,
            statement="With the partnership.",
        )
    proposed = priority_propose(
        actor=headteacher, partnership=partnership, title="Writing", rationale="The data."
    )
    invitation = invitation_create(
        actor=lead,
        email="new.champion@example.org",
        partnership=partnership,
        role=Role.IMPROVEMENT_CHAMPION,
        school=school,
    )
    other = PartnershipFactory()
    outsider = grant(
        UserFactory(name="Olive Outsider"), other, Role.HEADTEACHER, make_member_school(other)
    ).user
    world = World(
        partnership=partnership,
        school_a=school,
        school_b=smallbrook,
        lead=lead,
        headteacher=headteacher,
        champion=champion,
        colleague=champion.role_assignments.get(),
        head_b=small_head_role,
        invitation=invitation,
        agreement=agreement,
        priority=proposed,
        active_priority=reading,
        review=make_review_objects(partnership, school, smallbrook, lead, champion, small_head),
        requests=make_membership_requests(partnership, school, lead),
        school_c=underhill,
        head_c=under_head,
        outsider=outsider,
        failed_email=OutgoingEmail.objects.create(
            subject="Reminder", recipients="head@example.org", partnership=partnership,
            status=OutgoingEmail.Status.FAILED,
        ),
    )  # fmt: skip
    people = {
        "partnership lead": lead,
        "signed school's headteacher": headteacher,
        "signed school's champion": champion,
        "Smallbrook's headteacher": small_head,
        "Underhill's headteacher": under_head,
        "outsider": outsider,
        "anonymous": None,
    }
    return world, people, (smallbrook, underhill)


def paths(world: World, schools) -> set[str]:
    """Every page, filled for each member school, and the pages that take a query string."""
    result = set()
    for member in (world.school_a, *schools):
        filled = dataclasses.replace(world, school_a=member)
        for route, name, _module in walked_routes():
            result.add(fill(route, name, filled))
    slug, pk = world.partnership.slug, world.active_priority.pk
    enter = reverse("measurements_enter", args=[slug])
    for code in (KS2, GAP):
        for year in ("2023/24", "2024/25"):
            result.add(f"{enter}?measure={code}&year={year}")
        for member in schools:
            result.add(reverse("target_edit", args=[slug, pk, member.urn, code]))
    return result


def walk(person, all_paths) -> dict[str, tuple[int, str]]:
    client = Client(raise_request_exception=False)
    if person is not None:
        client.force_login(person)
    return {path: client.get(path) for path in sorted(all_paths)}


def test_hidden_figures_are_on_no_page_and_in_no_export_of_anyone_who_may_not_see_them(
    leak_world,
):
    world, people, (smallbrook, underhill) = leak_world
    all_paths = paths(world, (smallbrook, underhill))
    assert reverse("measurements_export", args=[world.partnership.slug]) in all_paths
    assert reverse("targets_export", args=[world.partnership.slug]) in all_paths

    may_see = {
        SMALL_COHORT_VALUE: {"Smallbrook's headteacher"},
        UNSIGNED_VALUE: {"Underhill's headteacher"},
    }
    leaks, failures, seen_by = [], [], {value: set() for value in may_see}
    for person, user in people.items():
        for path, response in walk(user, all_paths).items():
            if response.status_code >= 500:
                failures.append(f"{path} failed with {response.status_code} for {person}")
                continue
            page = content_of(response)
            for value, readers in may_see.items():
                if found(value, page):
                    if person in readers:
                        seen_by[value].add(person)
                    else:
                        leaks.append(f"{person} reads {value} on {path}")
    assert not leaks, "\n".join(leaks)
    assert not failures, "\n".join(failures)
    # The school's own staff still see their own figures.
    assert seen_by == may_see


def test_averages_leave_out_the_figures_the_viewer_may_not_see(leak_world):
    world, people, _schools = leak_world
    ks2 = {
        person: next(
            s
            for s in selectors.scrutiny(world.partnership, people[person])["sections"]
            if s["measure"].code == KS2
        )
        for person in ("partnership lead", "Underhill's headteacher")
    }
    # 64 and 62; Underhill's own head counts its 81.7 too.
    assert (ks2["partnership lead"]["count"], ks2["partnership lead"]["average"]) == (2, 63)
    assert ks2["Underhill's headteacher"]["count"] == 3
