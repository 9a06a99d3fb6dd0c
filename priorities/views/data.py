"""Pages about each school's figures: the data scrutiny table, entry, CSV import and export.

Who sees a figure is the access policy's and suppression's answer (selectors.scrutiny); who
records one is the services'.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.spreadsheets import safe_cell
from partnerships import policy

from .. import selectors, services
from ..forms import MeasurementsUploadForm
from ..measurements_csv import (
    MeasurementFileError,
    import_measurements_csv,
    parse_academic_year,
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
def figure_history(request, slug, urn):
    """Every change to the school's figures (who, through which partnership, from what to
    what), whichever partnership it came through: for the school's own staff only."""
    partnership = policy.visible_partnership(request.user, slug)
    school = get_object_or_404(policy.member_schools(partnership), urn=urn)
    policy.require(policy.may_view_figure_history(request.user, partnership, school))
    page = Paginator(selectors.figure_history(school), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "priorities/figure_history.html",
        {"partnership": partnership, "school": school, "page": page},
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
    year, year_error, measure_error = None, None, None
    if year_text.strip():
        try:
            year = parse_academic_year(year_text)
        except ValidationError as error:
            year_error = error.messages[0]
    elif "year" in request.GET:  # the form was sent without a year
        year_error = _("Enter the academic year, for example 2024/25")
    if measure is None and "measure" in request.GET:
        measure_error = _("Select a measure")
    context = {
        "partnership": partnership,
        "measures": measures,
        "measure": measure,
        "year_text": year_text,
        "year_error": year_error,
        "measure_error": measure_error,
    }
    if measure is None or year is None:
        return render(request, "priorities/measurements_choose.html", context)

    schools = selectors.schools_user_records_for(request.user, partnership)
    if policy.is_lead(request.user, partnership):
        # Figures belong to the school: its own staff enter them until it has signed.
        context["not_shared"] = list(
            policy.member_schools(partnership)
            .exclude(pk__in=[school.pk for school in schools])
            .order_by("name")
        )
    existing = selectors.figures_for_entry(request.user, partnership, schools, measure, year)
    rows = []
    for school in schools:
        figure = existing.get(school.pk)
        if figure is not None and figure.hidden:
            # The school holds a figure this person may not see: shown as held, never
            # pre-filled, and nothing posted for it is read.
            rows.append({"school": school, "held": True, "errors": []})
            continue
        rows.append(
            {
                "school": school,
                "held": False,
                "value": request.POST.get(f"value-{school.pk}", _plain(figure, "value")),
                "cohort_size": request.POST.get(
                    f"cohort-{school.pk}", _plain(figure, "cohort_size")
                ),
                "note": request.POST.get(f"note-{school.pk}", _plain(figure, "note")),
                "errors": [],
            }
        )
    editable = [row for row in rows if not row["held"]]
    if request.method == "POST":
        try:
            services.measurements_record_year(
                actor=request.user,
                partnership=partnership,
                academic_year=year,
                rows=[
                    {"school": r["school"], "measure": measure, "value": r["value"],
                     "cohort_size": r["cohort_size"], "note": r["note"]}
                    for r in editable
                ],
            )  # fmt: skip
        except ValidationError as error:
            for index, problems in getattr(error, "error_dict", {}).items():
                editable[index]["errors"] = [m for p in problems for m in p.messages]
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


def _plain(figure, field: str) -> str:
    """A stored figure as it goes back into a form field."""
    if figure is None:
        return ""
    value = getattr(figure, field)
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
    for f in selectors.figures_for_export(partnership):
        writer.writerow(
            [f.school.urn, safe_cell(f.school.name), f.measure.code, safe_cell(f.measure.name),
             f.year_label, services.plain_number(f.value), f.cohort_size or ""]
        )  # fmt: skip
    return response
