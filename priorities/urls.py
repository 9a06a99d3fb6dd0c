from django.urls import path

from . import views

urlpatterns = [
    path("p/<slug:slug>/priorities/", views.priority_list, name="priority_list"),
    path("p/<slug:slug>/data/", views.data_scrutiny, name="data_scrutiny"),
    path("p/<slug:slug>/data/upload/", views.measurements_upload, name="measurements_upload"),
    path("p/<slug:slug>/data/enter/", views.measurements_enter, name="measurements_enter"),
    path("p/<slug:slug>/data/figures.csv", views.measurements_export, name="measurements_export"),
    path("p/<slug:slug>/priorities/propose/", views.priority_propose, name="priority_propose"),
    path("p/<slug:slug>/priorities/<int:pk>/", views.priority_detail, name="priority_detail"),
    path(
        "p/<slug:slug>/priorities/<int:pk>/activate/",
        views.priority_activate,
        name="priority_activate",
    ),
    path("p/<slug:slug>/priorities/<int:pk>/close/", views.priority_close, name="priority_close"),
]
