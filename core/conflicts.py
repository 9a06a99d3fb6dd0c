"""Optimistic locking for shared drafts: a stale save is refused, nobody is overwritten silently.

An editable record carries a ``version`` number. The form sends back the version it was
opened at; the service compares it under a row lock, refuses with ``EditConflict`` if
someone saved in between, and the page then shows both versions with the user's own text
still in the form.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.richtext import as_typed


class EditConflict(Exception):
    message = _(
        "Someone else saved changes while you were editing. Compare their version with "
        "yours below: your text is still in the form. Save again to replace theirs."
    )

    def __init__(self, *, current):
        super().__init__(str(self.message))
        self.current = current


def differences(
    current,
    proposed: dict,
    fields: list[str],
    *,
    labels: dict | None = None,
    shown: Callable[[Any], Any] | None = None,
) -> list[dict]:
    """Each field whose saved value differs from what the user is about to save. Rich text is
    compared and shown as typed (its ``<field>_source``), as the form holds it.

    A row is labelled by ``labels[name]`` where given (the form's label), else by the model
    field's name; ``shown`` turns a value into what people read (a date written out, a
    figure without trailing zeros) once the two are compared.
    """
    rows = []
    for name in fields:
        saved = as_typed(current, name)
        if saved != proposed.get(name):
            rows.append(
                {
                    "label": (labels or {}).get(name) or current._meta.get_field(name).verbose_name,
                    "theirs": shown(saved) if shown else saved,
                    "yours": shown(proposed.get(name)) if shown else proposed.get(name),
                }
            )
    return rows


def conflict_for_page(
    form, error: EditConflict, rows: list[dict], *, field: str = "version", saved=None
) -> dict:
    """What an edit page shows when someone saved first; the form keeps the user's text.

    The form's hidden ``field`` is moved on to the saved version's number (``saved``, by
    default ``error.current.version``), so saving again replaces theirs knowingly.
    """
    form.data = form.data.copy()
    form.data[field] = error.current.version if saved is None else saved
    return {"message": error.message, "rows": rows}
