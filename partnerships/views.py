"""Pages about partnerships and the people in them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def dashboard(request):
    return render(
        request,
        "partnerships/dashboard.html",
        {"groups": selectors.roles_by_partnership(request.user)},
    )
