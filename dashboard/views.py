"""The signed-in person's dashboard: what they need to do and by when, their school's review and
the reviews they are on, a lead's cycle at a glance, and their roles in each partnership.

Its query count is fixed: it does not grow with the person's roles, reviews or actions. Asked
again while nothing it shows has changed, it is served from the cache (``core.private_cache``).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.private_cache import depends_on, private_page
from partnerships.selectors import emails_not_delivered_counts, roles_by_partnership
from reviews.steps import review_work_for

from .attention import attention_for


@never_cache
@login_required
@private_page
def dashboard(request):
    today = timezone.localdate()
    work = review_work_for(request.user, today)
    failed = emails_not_delivered_counts(request.user)
    groups = roles_by_partnership(request.user)
    # Everything on the page belongs to the partnerships the person has a role in.
    depends_on(request, partnerships=[group["partnership"].pk for group in groups])
    glances = [
        {"glance": glance, "emails_not_delivered": failed.get(glance.partnership.pk, 0)}
        for glance in work.glances
    ]
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "groups": groups,
            "attention": attention_for(request.user, work.steps, today),
            "concerns": work.concerns,
            "own_school": work.own_school,
            "team_places": work.team_places,
            "glances": glances,
            "today": today,
        },
    )
