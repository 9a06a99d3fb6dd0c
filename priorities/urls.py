from django.urls import path

from .views import data, measures, priorities, targets

urlpatterns = [
    path("p/<slug:slug>/priorities/", priorities.priority_list, name="priority_list"),
    path("p/<slug:slug>/data/", data.data_scrutiny, name="data_scrutiny"),
    path("p/<slug:slug>/data/upload/", data.measurements_upload, name="measurements_upload"),
    path("p/<slug:slug>/data/enter/", data.measurements_enter, name="measurements_enter"),
    path("p/<slug:slug>/data/figures.csv", data.measurements_export, name="measurements_export"),
    path("p/<slug:slug>/schools/<str:urn>/figures/", data.figure_history, name="figure_history"),
    path("p/<slug:slug>/measures/", measures.measure_list, name="measure_list"),
    path("p/<slug:slug>/measures/add/", measures.measure_add, name="measure_add"),
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
    path(
        "p/<slug:slug>/priorities/<int:pk>/impact/",
        targets.priority_impact,
        name="priority_impact",
    ),
    path(
        "p/<slug:slug>/priorities/<int:pk>/targets/<str:urn>/<slug:code>/",
        targets.target_edit,
        name="target_edit",
    ),
    path("p/<slug:slug>/priorities/targets.csv", targets.targets_export, name="targets_export"),
]
