"""Fixtures for review tests: a cycle with a review of ``school`` (the host), an active shared
priority as its focus, and a review team from two other member schools.

The team is written as rows directly: assigning it is a service of its own, tested elsewhere.
"""

import pytest

from partnerships.models import Role
from priorities.services import priority_activate, priority_propose
from reviews.models import PeerReview, ReviewTeamMember
from reviews.services.cycles import cycle_create
from tests.factories import UserFactory, grant, make_member_school


@pytest.fixture
def active_priority(partnership, lead):
    return priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead, partnership=partnership, title="Writing", rationale="The data."
        ),
    )


@pytest.fixture
def cycle(partnership, school, lead):
    return cycle_create(actor=lead, partnership=partnership, academic_year=2025)


@pytest.fixture
def review(cycle, school, active_priority) -> PeerReview:
    """The review of ``school`` (the host), its enquiry on the active priority."""
    found = PeerReview.objects.get(cycle=cycle, host_school=school)
    found.priority = active_priority
    found.save(update_fields=["priority"])
    return found


@pytest.fixture
def school_b(partnership):
    return make_member_school(partnership, name="Beech Primary School")


@pytest.fixture
def school_c(partnership):
    return make_member_school(partnership, name="Cedar Primary School")


@pytest.fixture
def lead_reviewer(partnership, school_b, review):
    """School B's headteacher, the review's lead reviewer."""
    user = UserFactory(name="Lee Reviewer")
    grant(user, partnership, Role.HEADTEACHER, school_b)
    ReviewTeamMember.objects.create(review=review, user=user, school=school_b, is_lead=True)
    return user


@pytest.fixture
def reviewer(partnership, school_c, review):
    """School C's headteacher, a reviewer on the review's team."""
    user = UserFactory(name="Rae Reviewer")
    grant(user, partnership, Role.HEADTEACHER, school_c)
    ReviewTeamMember.objects.create(review=review, user=user, school=school_c)
    return user


# --- Review teams (tests/reviews/test_team*.py, test_conflicts*.py) ----------------------


class TeamWorld:
    """A partnership of three schools for review-team tests: the host (``school``, with the
    ``headteacher`` and ``champion`` fixtures), Beech and Cedar, each with a headteacher and a
    peer reviewer; the lead; and the 2026/27 cycle with a review of each school."""

    def __init__(self, partnership, school, lead, headteacher, champion):
        self.partnership = partnership
        self.host = school
        self.lead = lead
        self.host_head = headteacher
        self.champion = champion
        self.beech = make_member_school(partnership, name="Beech Primary School")
        self.cedar = make_member_school(partnership, name="Cedar Primary School")
        self.head_b = self.person("Bea Beech", Role.HEADTEACHER, self.beech)
        self.peer_b = self.person("Ben Beech", Role.PEER_REVIEWER, self.beech)
        self.head_c = self.person("Cat Cedar", Role.HEADTEACHER, self.cedar)
        self.peer_c = self.person("Cal Cedar", Role.PEER_REVIEWER, self.cedar)
        self.cycle = cycle_create(actor=lead, partnership=partnership, academic_year=2026)
        self.review = PeerReview.objects.get(cycle=self.cycle, host_school=school)
        self.review_b = PeerReview.objects.get(cycle=self.cycle, host_school=self.beech)
        self.review_c = PeerReview.objects.get(cycle=self.cycle, host_school=self.cedar)

    def person(self, name, role, school):
        user = UserFactory(name=name)
        grant(user, self.partnership, role, school)
        return user


@pytest.fixture
def team_world(partnership, school, lead, headteacher, champion) -> TeamWorld:
    return TeamWorld(partnership, school, lead, headteacher, champion)


# --- Safeguarding concerns (tests/reviews/test_safeguarding*.py) ---------------------------


@pytest.fixture
def contact_person(partnership, school_b):
    """A peer reviewer at Beech, not on the review's team: made the partnership's designated
    safeguarding contact by ``safeguarding_contact``."""
    user = UserFactory(name="Sam Safeguard")
    grant(user, partnership, Role.PEER_REVIEWER, school_b)
    return user


@pytest.fixture
def safeguarding_contact(partnership, lead, contact_person):
    """``contact_person``, set by the lead as the partnership's designated safeguarding contact."""
    from partnerships.services import partnership_update

    partnership_update(actor=lead, partnership=partnership, safeguarding_contact=contact_person)
    partnership.refresh_from_db()
    return contact_person


@pytest.fixture
def other_head(partnership):
    """The headteacher of a fourth member school, Damson, who is not on the review's team."""
    user = UserFactory(name="Dee Damson")
    damson = make_member_school(partnership, name="Damson School")
    grant(user, partnership, Role.HEADTEACHER, damson)
    return user


@pytest.fixture
def people(lead_reviewer, reviewer, headteacher, champion, lead, other_head, outsider):
    return {
        "lead reviewer": lead_reviewer,
        "reviewer": reviewer,
        "host headteacher": headteacher,
        "host champion": champion,
        "partnership lead": lead,
        "other headteacher": other_head,
        "outsider": outsider,
    }
