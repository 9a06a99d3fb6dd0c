from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "Priorities"

    def ready(self):
        from core import freshness

        from .models import Priority, PriorityTransition, SchoolTarget

        # Each row of these belongs to one partnership's priorities (core/freshness.py).
        freshness.belong_to_a_partnership(Priority, PriorityTransition, SchoolTarget)
