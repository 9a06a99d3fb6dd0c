from django.urls import path

from . import views

urlpatterns = [
    path("p/<slug:slug>/", views.partnership_detail, name="partnership_detail"),
    path("p/<slug:slug>/edit/", views.partnership_edit, name="partnership_edit"),
    path("p/<slug:slug>/schools/add/", views.school_add, name="school_add"),
    path("p/<slug:slug>/schools/<str:urn>/", views.school_detail, name="school_detail"),
    path("p/<slug:slug>/schools/<str:urn>/leave/", views.school_leave, name="school_leave"),
    path(
        "p/<slug:slug>/membership-requests/<int:pk>/withdraw/",
        views.membership_request_withdraw,
        name="membership_request_withdraw",
    ),
    path(
        "membership-requests/<int:pk>/",
        views.membership_request_detail,
        name="membership_request_detail",
    ),
    path("p/<slug:slug>/people/", views.people, name="people"),
    path("p/<slug:slug>/people/<int:pk>/remove/", views.role_revoke, name="role_revoke"),
    path("p/<slug:slug>/invitations/", views.invitation_list, name="invitation_list"),
    path(
        "p/<slug:slug>/invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "p/<slug:slug>/invitations/<int:pk>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    # The link in every invitation email: its address never changes.
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("p/<slug:slug>/agreement/", views.agreement, name="agreement"),
    path("p/<slug:slug>/agreement/new/", views.agreement_publish, name="agreement_publish"),
    path("p/<slug:slug>/log/", views.audit_log, name="audit_log"),
    path("p/<slug:slug>/emails/", views.email_failures, name="email_failures"),
    path("p/<slug:slug>/emails/<int:pk>/retry/", views.email_retry, name="email_retry"),
]
