from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Measurement tools: the national-size dataset (``seed_scale``) and ``make bench``.

    Installed by the local and test settings only; production does without it.
    """

    name = "benchmarks"
    verbose_name = "Benchmarks"
