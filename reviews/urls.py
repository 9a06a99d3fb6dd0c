"""Every review page: each module of ``reviews.views`` declares its own ``urlpatterns``."""

from .views import (
    cycles,
    findings,
    notifications,
    public,
    publication,
    report,
    review,
    safeguarding,
    team,
    workshop,
)

urlpatterns = [
    *cycles.urlpatterns,
    *review.urlpatterns,
    *team.urlpatterns,
    *findings.urlpatterns,
    *report.urlpatterns,
    *safeguarding.urlpatterns,
    *workshop.urlpatterns,
    *publication.urlpatterns,
    *notifications.urlpatterns,
    *public.urlpatterns,
]
