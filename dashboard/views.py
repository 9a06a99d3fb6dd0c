"""The signed-in person's dashboard: their roles in each partnership, and what needs them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from partnerships.selectors import roles_by_partnership

from .attention import attention_for


@login_required
def dashboard(request):
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "groups": roles_by_partnership(request.user),
            "attention": attention_for(request.user),
        },
    )
