"""Factories for test data. They build through the services, as the product does."""

import factory

from accounts.models import User
from accounts.services import user_ensure
from partnerships.models import Partnership, Role, RoleAssignment, School
from partnerships.services import membership_ensure, partnership_upsert, role_ensure, school_upsert

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@school{n}.example")
    name = factory.Faker("name", locale="en_GB")
    password = TEST_PASSWORD
    is_staff = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return user_ensure(**kwargs)[0]


class SchoolFactory(factory.Factory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: f"{100000 + n:06d}")
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    phase = "Primary"
    local_authority = "Testshire"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return school_upsert(**kwargs)[0]


class PartnershipFactory(factory.Factory):
    class Meta:
        model = Partnership

    slug = factory.Sequence(lambda n: f"test-partnership-{n}")
    name = factory.Sequence(lambda n: f"Test Partnership {n}")
    purpose = "So that every child reads well."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return partnership_upsert(**kwargs)


def make_member_school(partnership: Partnership, **school_kwargs) -> School:
    school = SchoolFactory(**school_kwargs)
    membership_ensure(partnership=partnership, school=school)
    return school


def grant(
    user: User, partnership: Partnership, role: Role, school: School | None = None
) -> RoleAssignment:
    return role_ensure(user=user, partnership=partnership, role=role, school=school)
