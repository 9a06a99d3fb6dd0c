"""Pages about the measures a partnership uses: Cairn's common measures and its own.

Every member reads the list; only a lead adds a measure, and ``services.measure_create``
holds the rules (a code already in use, a range that is empty).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import save_form
from partnerships import policy

from .. import selectors, services
from ..forms import MeasureForm


def _by_phase(measures) -> list[dict]:
    """The measures in groups of one key stage or phase each, those without one last.

    "KS2" and "ks2" are one group, headed as the first measure of it spells it.
    """
    groups: dict[str, dict] = {}
    for measure in measures:
        group = groups.setdefault(measure.phase.casefold(), {"phase": measure.phase, "rows": []})
        group["rows"].append(
            {
                "measure": measure,
                "lowest": services.plain_number(measure.min_value),
                "highest": services.plain_number(measure.max_value),
            }
        )
    return [groups[key] for key in sorted(groups, key=lambda key: (key == "", key))]


@login_required
def measure_list(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    return render(
        request,
        "priorities/measure_list.html",
        {
            "partnership": partnership,
            "groups": _by_phase(selectors.measures_for(partnership)),
            "may_add": policy.is_lead(request.user, partnership),
            "may_record": services.may_record_measurements(request.user, partnership),
        },
    )


@login_required
def measure_add(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.is_lead(request.user, partnership))
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = save_form(
            request,
            form,
            lambda: services.measure_create(
                actor=request.user,
                partnership=partnership,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                unit=form.cleaned_data["unit"],
                direction=form.cleaned_data["direction"],
                phase=form.cleaned_data["phase"],
                source=form.cleaned_data["source"],
                min_value=form.cleaned_data["min_value"],
                max_value=form.cleaned_data["max_value"],
            ),
            success=lambda measure: (
                _("“%(name)s” is added. Figures for it can be entered with the code %(code)s.")
                % {"name": measure.name, "code": measure.code}
            ),
            to=reverse("measure_list", args=[partnership.slug]),
        )
        if done:
            return done
    return render(
        request, "priorities/measure_add.html", {"partnership": partnership, "form": form}
    )
