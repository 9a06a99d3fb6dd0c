"""seed_scale: the national-size dataset, tried at a tiny size.

The same seed makes the same data; the counts scale with the schools; the published snapshots
have the shape the publishing service freezes; the pages read the data without an error.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from benchmarks.scale import seed_scale
from partnerships.models import Membership, Partnership, Role, RoleAssignment, School
from priorities.models import Measurement, Priority, SchoolTarget
from reviews.models import (
    Finding,
    PartnershipReview,
    PeerReview,
    PublishedVersion,
    ReportStatus,
    ReviewCycle,
)
from reviews.snapshot import build_content
from tests.support import rolled_back

SCHOOLS = 60
YEAR = 2026


def fingerprint() -> dict:
    """What the seed decides, without the database's own keys."""
    return {
        "schools": list(School.objects.order_by("urn").values_list("urn", "name", "phase")),
        "members": sorted(
            Membership.objects.values_list("partnership__slug", "school__urn")
        ),
        "figures": list(
            Measurement.objects.order_by("school__urn", "measure__code", "academic_year")
            .values_list("school__urn", "measure__code", "academic_year", "value", "cohort_size")
        ),
        "reviews": sorted(
            PeerReview.objects.values_list(
                "cycle__partnership__slug", "cycle__academic_year", "host_school__urn", "status",
                "priority__title", "visit_start",
            ),
            key=str,
        ),
    }  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_blocker):
    with rolled_back(django_db_blocker):
        with transaction.atomic():
            seed_scale(schools=SCHOOLS, seed=7, year=YEAR)
            first = fingerprint()
            transaction.set_rollback(True)
        counts = seed_scale(schools=SCHOOLS, seed=7, year=YEAR)
        yield {"first": first, "second": fingerprint(), "counts": counts}


def test_the_same_seed_makes_the_same_data(world):
    assert world["first"] == world["second"]
    assert world["first"]["figures"]


def test_counts_scale_with_the_schools(world, db):
    assert School.objects.count() == SCHOOLS
    partnerships = Partnership.objects.count()
    assert partnerships == round(5000 * SCHOOLS / 24000)
    sizes = [p.memberships.count() for p in Partnership.objects.all()]
    assert min(sizes) >= 3
    assert max(sizes) <= 10
    assert Measurement.objects.count() == SCHOOLS * 6 * 4
    assert Priority.objects.filter(status="active").count() == 3 * partnerships
    # One cycle a year: four complete and published, this year's part-way.
    assert ReviewCycle.objects.count() == 5 * partnerships
    assert PublishedVersion.objects.count() == 4 * partnerships
    assert PartnershipReview.objects.filter(status="published").count() == 4 * partnerships
    complete = PeerReview.objects.filter(cycle__academic_year__lt=YEAR)
    assert complete.count() == complete.filter(status=ReportStatus.SIGNED_OFF).count() > 0
    assert Finding.objects.count() == 3 * complete.count()
    assert SchoolTarget.objects.count() == 6 * Membership.objects.count()
    assert world["counts"]["schools"] == SCHOOLS


def test_every_school_has_its_headteacher(world, db):
    for membership in Membership.objects.all():
        assert RoleAssignment.objects.filter(
            partnership=membership.partnership, school=membership.school, role=Role.HEADTEACHER
        ).exists()


def test_published_snapshots_have_the_shape_publishing_freezes(world, db):
    draft = PartnershipReview.objects.order_by("pk").first()
    version = PublishedVersion.objects.get(review=draft)
    built = build_content(draft)

    def shape(value):
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items() if key != "counts"}
        if isinstance(value, list):
            return [shape(value[0])] if value and isinstance(value[0], dict | list) else "list"
        return type(value).__name__ if value is not None else "none"

    assert shape(version.content).keys() == shape(built).keys()
    assert shape(version.content["priorities"]) == shape(built["priorities"])
    assert shape(version.content["school_summaries"]) == shape(built["school_summaries"])
    assert [s["urn"] for s in version.content["schools"]] == [s["urn"] for s in built["schools"]]


def test_the_pages_read_the_data(world, db):
    partnership = Partnership.objects.order_by("pk").first()
    lead = RoleAssignment.objects.get(partnership=partnership, role=Role.PARTNERSHIP_LEAD).user
    review = PeerReview.objects.filter(
        cycle__partnership=partnership, cycle__academic_year=YEAR - 1
    ).first()
    client = Client()
    client.force_login(lead)
    slug = partnership.slug
    for url in (
        "/dashboard/",
        f"/p/{slug}/",
        f"/p/{slug}/data/",
        f"/p/{slug}/priorities/{partnership.priorities.first().pk}/impact/",
        f"/p/{slug}/reviews/cycles/{YEAR}/",
        f"/p/{slug}/reviews/{review.pk}/",
        f"/p/{slug}/reviews/{review.pk}/findings/",
        f"/p/{slug}/reviews/{review.pk}/report/",
        f"/partnerships/{slug}/",
        f"/partnerships/{slug}/reviews/{YEAR - 1}-{YEAR % 100:02d}/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_command_refuses_a_database_with_schools_in_it(world, db):
    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_scale", "--schools", "20")
