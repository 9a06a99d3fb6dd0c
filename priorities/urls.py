from django.urls import path

from .views import data, priorities

urlpatterns = [
    path("p/<slug:slug>/priorities/", priorities.priority_list, name="priority_list"),
    path("p/<slug:slug>/data/", data.data_scrutiny, name="data_scrutiny"),
    path("p/<slug:slug>/data/upload/", data.measurements_upload, name="measurements_upload"),
    path("p/<slug:slug>/data/enter/", data.measurements_enter, name="measurements_enter"),
    path("p/<slug:slug>/data/figures.csv", data.measurements_export, name="measurements_export"),
    path("p/<slug:slug>/priorities/propose/", priorities.priority_propose, name="priority_propose"),
    path("p/<slug:slug>/priorities/<int:pk>/", priorities.priority_detail, name="priority_detail"),
    path(
        "p/<slug:slug>/priorities/<int:pk>/activate/",
        priorities.priority_activate,
        name="priority_activate",
    ),
    path(
        "p/<slug:slug>/priorities/<int:pk>/close/", priorities.priority_close, name="priority_close"
    ),
]
