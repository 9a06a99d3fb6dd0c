"""Template helpers for the two-factor authentication pages."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def in_groups(key: str, size: int = 4) -> list[str]:
    """A setup key in groups of four characters, as people copy it into an app by hand (the
    apps ignore the spaces), and as a narrow screen can wrap it between groups."""
    key = "".join(str(key).split())
    return [key[start : start + size] for start in range(0, len(key), size)]


@register.simple_tag
def two_factor_required() -> bool:
    """Whether Cairn asks everyone to set up two-factor authentication (production)."""
    return bool(settings.CAIRN_REQUIRE_MFA)
