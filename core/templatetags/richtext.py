"""Show stored rich text: ``{% load richtext %}{{ report.summary|rich }}``.

The stored HTML was sanitised when it was saved; ``rich`` sanitises it again on the way out, so
a value that reached the database some other way still cannot carry markup beyond the subset.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from core import richtext

register = template.Library()


@register.filter
def rich(value) -> SafeString:
    """Sanitised HTML for the page, marked safe."""
    if value is None:
        return SafeString("")
    return mark_safe(richtext.sanitise(str(value)))  # noqa: S308 - sanitised to the subset


@register.filter
def rich_plain(value) -> str:
    """The visible text alone (autoescaped as usual), for snippets and plain-text email."""
    if value is None:
        return ""
    return richtext.plain_text(str(value))
