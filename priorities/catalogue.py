"""The measures every partnership can use, shipped with Cairn.

``priorities/migrations/0002_common_measures.py`` holds its own frozen copy of the list as it
was then: adding or changing a measure here needs a new data migration too.
"""

from .models import Measure

COMMON_MEASURES = [
    # code, name, unit, direction, phase, source, min, max
    ("ks2_rwm_expected", "KS2 reading, writing and maths: % meeting the expected standard",
     "percentage", "higher", "KS2", "published", 0, 100),
    ("ks2_rwm_higher", "KS2 reading, writing and maths: % at the higher standard",
     "percentage", "higher", "KS2", "published", 0, 100),
    ("ks2_reading_scaled", "KS2 reading: average scaled score",
     "score", "higher", "KS2", "published", 80, 120),
    ("ks2_maths_scaled", "KS2 maths: average scaled score",
     "score", "higher", "KS2", "published", 80, 120),
    ("ks2_rwm_disadvantaged_gap",
     "KS2 reading, writing and maths: gap between disadvantaged pupils and others",
     "percentage_points", "lower", "KS2", "published", -100, 100),
    ("phonics_expected", "Year 1 phonics screening check: % meeting the expected standard",
     "percentage", "higher", "KS1", "self_reported", 0, 100),
    ("ks4_attainment8", "KS4 Attainment 8 score",
     "score", "higher", "KS4", "published", 0, 90),
    ("ks4_em_grade5", "KS4 English and maths: % at grade 5 or above",
     "percentage", "higher", "KS4", "published", 0, 100),
    ("overall_absence", "Overall absence: % of sessions missed",
     "percentage", "lower", "All phases", "published", 0, 100),
    ("persistent_absence", "Persistent absence: % of pupils missing 10% or more of sessions",
     "percentage", "lower", "All phases", "published", 0, 100),
]  # fmt: skip


def ensure_common_measures() -> None:
    """Create or refresh the common measures wherever the catalogue may have been emptied:
    seed_demo, and tests that run after a transactional test has flushed the database."""
    for code, name, unit, direction, phase, source, low, high in COMMON_MEASURES:
        Measure.objects.update_or_create(
            code=code,
            partnership=None,
            defaults={
                "name": name,
                "unit": unit,
                "direction": direction,
                "phase": phase,
                "source": source,
                "min_value": low,
                "max_value": high,
            },
        )
