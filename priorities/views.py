"""Pages about a partnership's shared priorities.

The partnership is fetched through the access policy, so a non-member gets 404; proposing,
activating and closing ask the policy too, and their services hold the rules.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from partnerships import policy

from . import selectors, services
from .forms import CloseForm, MeasurementsUploadForm, PriorityForm
from .measurements_csv import (
    MeasurementFileError,
    import_measurements_csv,
    parse_academic_year,
)
from .models import MAX_ACTIVE_PRIORITIES, Priority


def _priority(request, slug, pk) -> Priority:
    partnership = policy.visible_partnership(request.user, slug)
    return get_object_or_404(selectors.priorities_of(partnership), pk=pk)


@login_required
def priority_list(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    groups = selectors.priorities_by_status(partnership)
    return render(
        request,
        "priorities/priority_list.html",
        {
            "partnership": partnership,
            "active": groups["active"],
            "proposed": groups["proposed"],
            "closed": groups["closed"],
            "max_active": MAX_ACTIVE_PRIORITIES,
            "may_propose": policy.may_propose_priority(request.user, partnership),
            "may_decide": policy.may_decide_priority(request.user, partnership),
        },
    )


@login_required
def priority_propose(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_propose_priority(request.user, partnership))
    form = PriorityForm(request.POST or None, measures=selectors.measures_for(partnership))
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_propose(
                actor=request.user,
                partnership=partnership,
                title=form.cleaned_data["title"],
                rationale=form.cleaned_data["rationale"],
                measures=list(form.cleaned_data["measures"]),
                start_date=form.cleaned_data["start_date"],
                review_date=form.cleaned_data["review_date"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is proposed. The partnership lead records when it is agreed.")
                % {"title": priority.title},
            )
            return redirect("priority_detail", slug=partnership.slug, pk=priority.pk)
    return render(
        request, "priorities/priority_propose.html", {"partnership": partnership, "form": form}
    )


@login_required
def priority_detail(request, slug, pk):
    priority = _priority(request, slug, pk)
    partnership = priority.partnership
    return render(
        request,
        "priorities/priority_detail.html",
        {
            "partnership": partnership,
            "priority": priority,
            "transitions": selectors.transitions_of(priority),
            "may_decide": policy.may_decide_priority(request.user, partnership),
        },
    )


@login_required
@require_POST
def priority_activate(request, slug, pk):
    priority = _priority(request, slug, pk)
    policy.require(policy.may_decide_priority(request.user, priority.partnership))
    try:
        services.priority_activate(actor=request.user, priority=priority)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("“%(title)s” is now one of the partnership's active priorities.")
            % {"title": priority.title},
        )
    return redirect("priority_detail", slug=slug, pk=pk)


@login_required
def priority_close(request, slug, pk):
    priority = _priority(request, slug, pk)
    partnership = priority.partnership
    policy.require(policy.may_decide_priority(request.user, partnership))
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_close(
                actor=request.user, priority=priority, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is closed.") % {"title": priority.title})
            return redirect("priority_detail", slug=slug, pk=pk)
    return render(
        request,
        "priorities/priority_close.html",
        {"partnership": partnership, "priority": priority, "form": form},
    )


@login_required
def data_scrutiny(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    return render(
        request,
        "priorities/data_scrutiny.html",
        {
            "partnership": partnership,
            "may_record": services.may_record_measurements(request.user, partnership),
            "may_export": policy.may_manage_partnership(request.user, partnership),
            **selectors.scrutiny(partnership, request.user),
        },
    )


@login_required
def measurements_upload(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(services.may_record_measurements(request.user, partnership))
    form = MeasurementsUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_measurements_csv(
                actor=request.user,
                partnership=partnership,
                stream_or_path=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except MeasurementFileError as error:
            form.add_error("file", error)
    return render(
        request,
        "priorities/measurements_upload.html",
        {
            "partnership": partnership,
            "form": form,
            "report": report,
            "measures": selectors.measures_for(partnership),
        },
    )


@login_required
def measurements_enter(request, slug):
    """One measure, one year, every school the person enters figures for, in one table."""
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(services.may_record_measurements(request.user, partnership))
    measures = selectors.measures_for(partnership)
    measure = measures.filter(code=request.GET.get("measure", "")).first()
    year_text = request.GET.get("year", "")
    year, year_error = None, None
    if year_text:
        try:
            year = parse_academic_year(year_text)
        except ValidationError as error:
            year_error = error.messages[0]
    context = {
        "partnership": partnership,
        "measures": measures,
        "measure": measure,
        "year_text": year_text,
        "year_error": year_error,
    }
    if measure is None or year is None:
        return render(request, "priorities/measurements_choose.html", context)

    schools = selectors.schools_user_records_for(request.user, partnership)
    existing = selectors.measurements_for_year(schools, measure, year)
    rows = [
        {
            "school": school,
            "value": request.POST.get(
                f"value-{school.pk}", _plain(existing.get(school.pk), "value")
            ),
            "cohort_size": request.POST.get(
                f"cohort-{school.pk}", _plain(existing.get(school.pk), "cohort_size")
            ),
            "note": request.POST.get(f"note-{school.pk}", _plain(existing.get(school.pk), "note")),
            "errors": [],
        }
        for school in schools
    ]
    if request.method == "POST":
        try:
            services.measurements_record_year(
                actor=request.user,
                partnership=partnership,
                academic_year=year,
                rows=[
                    {"school": r["school"], "measure": measure, "value": r["value"],
                     "cohort_size": r["cohort_size"], "note": r["note"]}
                    for r in rows
                ],
            )  # fmt: skip
        except ValidationError as error:
            for index, problems in getattr(error, "error_dict", {}).items():
                rows[index]["errors"] = [m for p in problems for m in p.messages]
            if not hasattr(error, "error_dict"):
                context["form_error"] = error.messages[0]
        else:
            messages.success(
                request,
                _("Figures for %(measure)s, %(year)s are saved.")
                % {"measure": measure.name, "year": year_text},
            )
            return redirect("data_scrutiny", slug=partnership.slug)
    context.update({"rows": rows, "has_errors": any(r["errors"] for r in rows), "year": year})
    return render(request, "priorities/measurements_enter.html", context)


def _plain(measurement, field: str) -> str:
    """A stored figure as it goes back into a form field."""
    if measurement is None:
        return ""
    value = getattr(measurement, field)
    if value is None:
        return ""
    if field == "value":
        return services.plain_number(value)
    return str(value)


@login_required
def measurements_export(request, slug):
    """The partnership's figures as CSV, for a lead: shared schools only, no small cohorts."""
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_manage_partnership(request.user, partnership))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-figures.csv"'
    response.write("\ufeff")  # so that spreadsheets open it as UTF-8
    writer = csv.writer(response)
    writer.writerow(["URN", "school", "measure code", "measure", "academic year", "value",
                     "cohort size"])  # fmt: skip
    for m in selectors.measurements_for_export(partnership):
        writer.writerow(
            [m.school.urn, m.school.name, m.measure.code, m.measure.name,
             m.academic_year_label, services.plain_number(m.value), m.cohort_size or ""]
        )  # fmt: skip
    return response
