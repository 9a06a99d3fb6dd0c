"""Writes about schools, partnerships, membership and roles.

Each service is keyword-only, runs in one transaction and leaves nothing half-written.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import Membership, Partnership, Role, RoleAssignment, School


@transaction.atomic
def school_upsert(*, urn: str, name: str, **details) -> tuple[School, bool]:
    """Create the school with this URN, or bring its details up to date.

    Returns (school, created).
    """
    school = School.objects.filter(urn=urn).first()
    created = school is None
    school = school or School(urn=urn)
    school.name = name
    for field, value in details.items():
        setattr(school, field, value)
    school.full_clean(validate_unique=created)
    school.save()
    return school, created


@transaction.atomic
def partnership_upsert(*, slug: str, name: str, **details) -> Partnership:
    partnership = Partnership.objects.filter(slug=slug).first() or Partnership(slug=slug)
    partnership.name = name
    for field, value in details.items():
        setattr(partnership, field, value)
    partnership.full_clean()
    partnership.save()
    return partnership


@transaction.atomic
def membership_ensure(
    *, partnership: Partnership, school: School, joined_on: datetime.date | None = None
) -> Membership:
    """Make the school a current member of the partnership (no change if it already is)."""
    current = Membership.objects.filter(
        partnership=partnership, school=school, left_on__isnull=True
    ).first()
    if current:
        return current
    return Membership.objects.create(
        partnership=partnership,
        school=school,
        joined_on=joined_on or timezone.localdate(),
    )


@transaction.atomic
def role_ensure(
    *,
    user: User,
    partnership: Partnership,
    role: Role,
    school: School | None = None,
    granted_by: User | None = None,
) -> RoleAssignment:
    """Give the user this role (no change if they already hold it)."""
    current = RoleAssignment.objects.filter(
        user=user, partnership=partnership, school=school, role=role, revoked_at__isnull=True
    ).first()
    if current:
        return current
    assignment = RoleAssignment(
        user=user, partnership=partnership, school=school, role=role, granted_by=granted_by
    )
    assignment.full_clean()
    assignment.save()
    return assignment
