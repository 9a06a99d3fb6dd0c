"""The project's URLs: each app's pages, allauth under /accounts/, the admin, health checks."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from core import views as core_views

# The admin signs people in through allauth, so it gets the same login, verification and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Cairn site administration"
admin.site.site_title = "Cairn admin"

urlpatterns = [
    path("", include("core.urls")),
    path("", include("partnerships.urls")),
    path("", include("priorities.urls")),
    path("", include("reviews.urls")),
    path("", include("dashboard.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler404 = core_views.page_not_found
handler403 = core_views.permission_denied
handler500 = core_views.server_error
# Not a Django hook: allauth's rate limiting looks for it (allauth.core.internal.ratelimit).
handler429 = core_views.too_many_requests
