"""Reads about partnerships, schools and roles, scoped to what the asking user may see."""

from django.db.models import QuerySet

from accounts.models import User

from .models import RoleAssignment


def current_roles_for(user: User) -> QuerySet[RoleAssignment]:
    """The roles the user holds now, with their partnership and school, in display order."""
    if not user.is_authenticated:
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("partnership", "school")
        .order_by("partnership__name", "school__name", "role")
    )


def roles_by_partnership(user: User) -> list[dict]:
    """The user's current roles grouped by partnership, for the dashboard."""
    groups: dict[int, dict] = {}
    for assignment in current_roles_for(user):
        group = groups.setdefault(
            assignment.partnership_id, {"partnership": assignment.partnership, "roles": []}
        )
        group["roles"].append(assignment)
    return list(groups.values())
