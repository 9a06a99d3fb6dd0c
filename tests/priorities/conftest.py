"""Shared fixtures of the priorities tests: the data-sharing agreement, a school that signed
it and one that has not, and an active priority on two measures."""

import pytest

from partnerships.models import Role
from partnerships.services import agreement_publish, agreement_sign
from priorities.services import priority_activate, priority_propose
from tests.factories import UserFactory, grant, make_member_school
from tests.priorities.support import ABSENCE, KS2, measure


@pytest.fixture
def agreement(lead, partnership):
    return agreement_publish(actor=lead, partnership=partnership, text="We share our figures.")


@pytest.fixture
def shared(agreement, partnership, school, headteacher):
    """The school has signed the agreement in force: other members may see its figures."""
    return agreement_sign(actor=headteacher, partnership=partnership, school=school)


@pytest.fixture
def priority(lead, partnership):
    """An active priority on KS2 reading, writing and maths and on persistent absence."""
    proposed = priority_propose(
        actor=lead,
        partnership=partnership,
        title="Writing at greater depth",
        rationale="Four of our schools are below the national average.",
        measures=[measure(KS2), measure(ABSENCE)],
    )
    return priority_activate(actor=lead, priority=proposed)


@pytest.fixture
def unsigned_school(partnership):
    """A member school that has not signed the agreement in force."""
    return make_member_school(partnership, name="Quiet Lane Primary")


@pytest.fixture
def unsigned_head(partnership, unsigned_school):
    user = UserFactory(name="Quinn Quiet")
    grant(user, partnership, Role.HEADTEACHER, unsigned_school)
    return user
