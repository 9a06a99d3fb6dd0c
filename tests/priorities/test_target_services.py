"""Stretch targets: set by the school's headteacher or the lead, from a recorded baseline, the
measure's way, and never from a figure the person setting it may not see."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.models import User
from core.conflicts import EditConflict
from core.models import AuditEvent
from partnerships.models import Role
from partnerships.policy import NotPermitted
from partnerships.services import agreement_publish, agreement_sign, membership_end
from priorities.models import MAX_TARGET_YEARS, SchoolTarget
from priorities.services import (
    measurement_record,
    priority_close,
    priority_propose,
    target_set,
)
from tests.factories import UserFactory, grant, make_member_school
from tests.priorities.support import measure

pytestmark = pytest.mark.django_db

BASELINE_YEAR = 2023  # 2023/24
TARGET_YEAR = 2026  # 2026/27
STATEMENT = "Our writing moderation with the other schools lifts our teachers' judgements."


def target_events(verb=None):
    events = AuditEvent.objects.filter(verb__startswith="target.")
    return events.filter(verb=verb) if verb else events


def codes(error: ValidationError, field: str) -> list[str]:
    return [problem.code for problem in error.error_dict[field]]


def all_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.fixture
def baseline(headteacher, partnership, school):
    """The school's 2023/24 KS2 figure (65%, 30 pupils) and persistent absence (18%), entered
    by its own headteacher."""
    measurement_record(
        actor=headteacher,
        partnership=partnership,
        school=school,
        measure=measure("persistent_absence"),
        academic_year=BASELINE_YEAR,
        value="18",
    )
    return measurement_record(
        actor=headteacher,
        partnership=partnership,
        school=school,
        measure=measure("ks2_rwm_expected"),
        academic_year=BASELINE_YEAR,
        value="65",
        cohort_size=30,
    )


@pytest.fixture
def other_school(partnership):
    return make_member_school(partnership, name="Other Primary")


@pytest.fixture
def other_head(partnership, other_school):
    user = UserFactory(name="Otto Head")
    grant(user, partnership, Role.HEADTEACHER, other_school)
    return user


@pytest.fixture
def peer_reviewer(partnership, school):
    user = UserFactory(name="Pia Reviewer")
    grant(user, partnership, Role.PEER_REVIEWER, school)
    return user


def set_target(actor, priority, school, **kwargs):
    kwargs.setdefault("measure", measure())
    kwargs.setdefault("baseline_year", BASELINE_YEAR)
    kwargs.setdefault("target_value", "72")
    kwargs.setdefault("target_year", TARGET_YEAR)
    kwargs.setdefault("statement", STATEMENT)
    return target_set(actor=actor, priority=priority, school=school, **kwargs)


# --- Setting and changing ------------------------------------------------------------------


def test_headteacher_sets_their_schools_target_from_the_recorded_baseline(
    partnership, school, headteacher, priority, baseline
):
    target = set_target(headteacher, priority, school, statement=f"  {STATEMENT}  ")

    stored = SchoolTarget.objects.get()
    assert stored.pk == target.pk
    assert (stored.priority, stored.school, stored.measure) == (priority, school, measure())
    assert stored.baseline_id == baseline.pk
    assert stored.target_value == Decimal("72.00")
    assert stored.target_year == TARGET_YEAR
    assert stored.statement == STATEMENT
    assert (stored.is_floor, stored.floor_reason) == (False, "")
    assert stored.version == 1
    assert stored.set_by == headteacher
    assert stored.updated_by == headteacher

    [event] = target_events()
    assert event.verb == "target.set"
    assert event.actor == headteacher
    assert event.partnership == partnership
    assert event.target_id == str(stored.pk)
    assert event.details["urn"] == school.urn
    assert event.details["measure"] == "ks2_rwm_expected"
    assert event.details["baseline_year"] == "2023/24"
    assert event.details["target_year"] == "2026/27"
    assert Decimal(event.details["target_value"]) == Decimal("72")
    assert event.details["floor"] is False


def test_setting_the_target_again_changes_the_one_row_and_its_version(
    partnership, school, headteacher, lead, priority, baseline, shared
):
    first = set_target(headteacher, priority, school)

    changed = set_target(
        lead, priority, school, target_value="75.5", target_year=2027, expected_version=1
    )

    assert changed.pk == first.pk
    assert SchoolTarget.objects.count() == 1
    stored = SchoolTarget.objects.get()
    assert stored.version == 2
    assert stored.target_value == Decimal("75.50")
    assert stored.target_year == 2027
    assert stored.set_by == headteacher  # who first set it stays on record
    assert stored.updated_by == lead
    assert list(target_events().order_by("pk").values_list("verb", "actor")) == [
        ("target.set", headteacher.pk),
        ("target.changed", lead.pk),
    ]


# --- Who may set a target ------------------------------------------------------------------


def test_lead_sets_any_sharing_schools_target(
    partnership, school, other_school, other_head, lead, priority, baseline, shared
):
    agreement_sign(actor=other_head, partnership=partnership, school=other_school)
    other_baseline = measurement_record(
        actor=lead,
        partnership=partnership,
        school=other_school,
        measure=measure(),
        academic_year=BASELINE_YEAR,
        value="50",
    )

    mine = set_target(lead, priority, school)
    theirs = set_target(lead, priority, other_school, target_value="58")

    assert mine.baseline == baseline
    assert theirs.baseline == other_baseline
    assert set(SchoolTarget.objects.values_list("school", "target_value", "set_by")) == {
        (school.pk, Decimal("72.00"), lead.pk),
        (other_school.pk, Decimal("58.00"), lead.pk),
    }


@pytest.mark.parametrize("who", ["champion", "peer_reviewer", "outsider", "other_head"])
def test_only_the_schools_headteacher_or_the_lead_may_set_its_target(
    request, school, priority, baseline, shared, who
):
    actor = request.getfixturevalue(who)

    with pytest.raises(NotPermitted):
        set_target(actor, priority, school)

    assert issubclass(NotPermitted, Http404)
    assert not SchoolTarget.objects.exists()
    assert not target_events().exists()


def test_headteacher_of_another_school_sets_their_own_but_not_this_one(
    partnership, school, other_school, other_head, lead, priority, baseline
):
    measurement_record(
        actor=other_head,
        partnership=partnership,
        school=other_school,
        measure=measure(),
        academic_year=BASELINE_YEAR,
        value="50",
    )
    with pytest.raises(NotPermitted):
        set_target(other_head, priority, school)

    own = set_target(other_head, priority, other_school, target_value="55")

    assert list(SchoolTarget.objects.values_list("pk", "school")) == [(own.pk, other_school.pk)]


def test_a_school_that_has_left_the_partnership_gets_no_target(
    partnership, school, headteacher, lead, priority, baseline, shared
):
    membership_end(actor=lead, partnership=partnership, school=school)
    headteacher = User.objects.get(pk=headteacher.pk)  # as on their next request

    for actor in (lead, headteacher):
        with pytest.raises(NotPermitted):
            set_target(actor, priority, school)

    assert not SchoolTarget.objects.exists()


def test_a_school_of_another_partnership_gets_no_target_from_this_priority(
    lead, priority, outsider
):
    outside_school = outsider.role_assignments.get().school

    with pytest.raises(NotPermitted):
        set_target(lead, priority, outside_school)
    with pytest.raises(NotPermitted):
        set_target(outsider, priority, outside_school)

    assert not SchoolTarget.objects.exists()


# --- The priority and its measures ---------------------------------------------------------


def test_a_proposed_priority_takes_no_targets(partnership, school, headteacher, lead, baseline):
    proposed = priority_propose(
        actor=lead,
        partnership=partnership,
        title="Maths fluency",
        rationale="Times tables.",
        measures=[measure()],
    )

    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, proposed, school)

    assert refusal.value.code == "priority_not_active"
    assert "“Maths fluency”" in refusal.value.messages[0]
    assert "proposed" in refusal.value.messages[0]
    assert not SchoolTarget.objects.exists()


def test_a_closed_priority_takes_no_new_targets_nor_changes(
    school, headteacher, lead, priority, baseline
):
    set_target(headteacher, priority, school)
    priority_close(actor=lead, priority=priority, outcome="Writing rose across the schools.")

    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, priority, school, target_value="80", expected_version=1)

    assert refusal.value.code == "priority_not_active"
    assert "closed" in refusal.value.messages[0]
    stored = SchoolTarget.objects.get()
    assert (stored.target_value, stored.version) == (Decimal("72.00"), 1)
    assert list(target_events().values_list("verb", flat=True)) == ["target.set"]


def test_a_measure_not_linked_to_the_priority_is_refused(
    partnership, school, headteacher, priority, baseline
):
    unlinked = measure("ks2_rwm_higher")
    measurement_record(
        actor=headteacher,
        partnership=partnership,
        school=school,
        measure=unlinked,
        academic_year=BASELINE_YEAR,
        value="20",
    )

    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, priority, school, measure=unlinked, target_value="25")

    assert codes(refusal.value, "measure") == ["measure_not_linked"]
    assert unlinked.name in refusal.value.message_dict["measure"][0]
    assert not SchoolTarget.objects.exists()


# --- The measure's direction, and floor targets --------------------------------------------


@pytest.mark.parametrize("value", ["65", "64.99", "50"])
def test_higher_is_better_target_at_or_below_the_baseline_is_refused(
    school, headteacher, priority, baseline, value
):
    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, priority, school, target_value=value)

    assert codes(refusal.value, "target_value") == ["against_direction"]
    [message] = refusal.value.message_dict["target_value"]
    assert "Higher is better" in message
    assert "baseline of 65 in 2023/24" in message
    assert not SchoolTarget.objects.exists()
    assert not target_events().exists()


@pytest.mark.parametrize("value", ["18", "18.01", "25"])
def test_lower_is_better_target_at_or_above_the_baseline_is_refused(
    school, headteacher, priority, baseline, value
):
    with pytest.raises(ValidationError) as refusal:
        set_target(
            headteacher, priority, school, measure=measure("persistent_absence"), target_value=value
        )

    assert codes(refusal.value, "target_value") == ["against_direction"]
    [message] = refusal.value.message_dict["target_value"]
    assert "Lower is better" in message
    assert "baseline of 18 in 2023/24" in message
    assert not SchoolTarget.objects.exists()


def test_lower_is_better_target_below_the_baseline_is_a_stretch(
    school, headteacher, priority, baseline
):
    target = set_target(
        headteacher, priority, school, measure=measure("persistent_absence"), target_value="15"
    )
    assert SchoolTarget.objects.get(pk=target.pk).target_value == Decimal("15.00")


@pytest.mark.parametrize(
    ("code", "value"),
    [("ks2_rwm_expected", "65"), ("ks2_rwm_expected", "60"), ("persistent_absence", "18")],
)
def test_a_level_to_hold_is_accepted_as_a_floor_target_with_its_reason(
    school, headteacher, priority, baseline, code, value
):
    set_target(
        headteacher,
        priority,
        school,
        measure=measure(code),
        target_value=value,
        is_floor=True,
        floor_reason="  A much weaker cohort: holding steady is the aim.  ",
    )

    stored = SchoolTarget.objects.get()
    assert stored.is_floor is True
    assert stored.floor_reason == "A much weaker cohort: holding steady is the aim."
    assert stored.target_value == Decimal(value)
    assert target_events("target.set").get().details["floor"] is True


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_floor_target_must_say_why(school, headteacher, priority, baseline, reason):
    with pytest.raises(ValidationError) as refusal:
        set_target(
            headteacher, priority, school, target_value="60", is_floor=True, floor_reason=reason
        )

    assert list(refusal.value.error_dict) == ["floor_reason"]
    assert codes(refusal.value, "floor_reason") == ["required"]
    assert not SchoolTarget.objects.exists()


def test_a_stretch_target_keeps_no_floor_reason(school, headteacher, priority, baseline):
    set_target(
        headteacher, priority, school, target_value="60", is_floor=True, floor_reason="Hold."
    )

    set_target(
        headteacher,
        priority,
        school,
        target_value="70",
        is_floor=False,
        floor_reason="Left over in the form.",
        expected_version=1,
    )

    stored = SchoolTarget.objects.get()
    assert (stored.is_floor, stored.floor_reason, stored.version) == (False, "", 2)
    assert stored.target_value == Decimal("70.00")


# --- The baseline, the years and the value -------------------------------------------------


def test_a_baseline_year_with_no_figure_is_refused(school, headteacher, priority, baseline):
    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, priority, school, baseline_year=2022, target_year=2025)

    assert codes(refusal.value, "baseline_year") == ["no_baseline"]
    [message] = refusal.value.message_dict["baseline_year"]
    assert school.name in message
    assert "2022/23" in message
    assert not SchoolTarget.objects.exists()


def test_a_missing_baseline_year_is_refused(school, headteacher, priority, baseline):
    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, priority, school, baseline_year=None)

    assert codes(refusal.value, "baseline_year") == ["required"]
    assert not SchoolTarget.objects.exists()


@pytest.mark.parametrize(
    "target_year",
    [BASELINE_YEAR - 1, BASELINE_YEAR, BASELINE_YEAR + MAX_TARGET_YEARS + 1],
)
def test_a_target_year_not_after_the_baseline_or_too_far_on_is_refused(
    school, headteacher, priority, baseline, target_year
):
    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, priority, school, target_year=target_year)

    assert codes(refusal.value, "target_year") == ["target_year_out_of_reach"]
    [message] = refusal.value.message_dict["target_year"]
    assert "2023/24" in message
    assert f"{MAX_TARGET_YEARS} years" in message
    assert not SchoolTarget.objects.exists()


@pytest.mark.parametrize("target_year", [BASELINE_YEAR + 1, BASELINE_YEAR + MAX_TARGET_YEARS])
def test_target_years_from_the_next_year_to_the_limit_are_accepted(
    school, headteacher, priority, baseline, target_year
):
    set_target(headteacher, priority, school, target_year=target_year)
    assert SchoolTarget.objects.get().target_year == target_year


def test_a_missing_target_year_is_refused(school, headteacher, priority, baseline):
    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, priority, school, target_year=None)

    assert codes(refusal.value, "target_year") == ["required"]


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("seventy", "not_a_number", "is not a number"),
        ("72%", "not_a_number", "is not a number"),
        ("", "required", "Enter the value"),
        ("100.5", "out_of_range", "between 0 and 100: 100.5 is not possible"),
        ("-1", "out_of_range", "between 0 and 100: -1 is not possible"),
        ("70.125", "too_precise", "more than 2 decimal places"),
    ],
)
def test_a_target_value_that_cannot_be_a_value_of_the_measure_is_refused(
    school, headteacher, priority, baseline, value, code, words
):
    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, priority, school, target_value=value)

    assert codes(refusal.value, "target_value") == [code]
    assert words in refusal.value.message_dict["target_value"][0]
    assert not SchoolTarget.objects.exists()


@pytest.mark.parametrize("statement", ["", "   ", None])
def test_the_statement_is_required(school, headteacher, priority, baseline, statement):
    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, priority, school, statement=statement)

    assert list(refusal.value.error_dict) == ["statement"]
    assert codes(refusal.value, "statement") == ["required"]
    assert not SchoolTarget.objects.exists()


def test_every_problem_is_reported_at_once(school, headteacher, priority, baseline):
    with pytest.raises(ValidationError) as refusal:
        set_target(
            headteacher,
            priority,
            school,
            baseline_year=2022,  # no figure
            target_value="lots",
            target_year=2022 + MAX_TARGET_YEARS + 1,
            statement=" ",
            is_floor=True,
            floor_reason="",
        )

    found = {field: codes(refusal.value, field) for field in refusal.value.error_dict}
    assert found == {
        "baseline_year": ["no_baseline"],
        "target_value": ["not_a_number"],
        "target_year": ["target_year_out_of_reach"],
        "statement": ["required"],
        "floor_reason": ["required"],
    }
    assert not SchoolTarget.objects.exists()


def test_a_target_against_the_direction_and_other_problems_are_reported_together(
    school, headteacher, priority, baseline
):
    with pytest.raises(ValidationError) as refusal:
        set_target(headteacher, priority, school, target_value="60", target_year=2040, statement="")

    found = {field: codes(refusal.value, field) for field in refusal.value.error_dict}
    assert found == {
        "target_value": ["against_direction"],
        "target_year": ["target_year_out_of_reach"],
        "statement": ["required"],
    }


# --- Data sharing and small cohorts --------------------------------------------------------


@pytest.fixture
def unsigned_school(partnership, lead):
    """A member school that has not signed the agreement, with a 2023/24 figure of 40%
    entered by its own headteacher."""
    unsigned = make_member_school(partnership, name="Unsigned Primary")
    head = UserFactory(name="Una Unsigned")
    grant(head, partnership, Role.HEADTEACHER, unsigned)
    measurement_record(
        actor=head,
        partnership=partnership,
        school=unsigned,
        measure=measure(),
        academic_year=BASELINE_YEAR,
        value="40",
        cohort_size=30,
    )
    return unsigned


@pytest.fixture
def unsigned_head(partnership, unsigned_school):
    user = UserFactory(name="Una Head")
    grant(user, partnership, Role.HEADTEACHER, unsigned_school)
    return user


def test_lead_may_not_set_a_target_for_a_school_that_has_not_signed(
    lead, priority, agreement, unsigned_school, unsigned_head
):
    with pytest.raises(ValidationError) as refusal:
        set_target(lead, priority, unsigned_school, target_value="50")

    assert refusal.value.code == "data_not_shared"
    assert "Unsigned Primary" in refusal.value.messages[0]
    assert not SchoolTarget.objects.exists()
    assert not target_events().exists()

    target = set_target(unsigned_head, priority, unsigned_school, target_value="50")

    assert target.set_by == unsigned_head
    assert SchoolTarget.objects.get().school == unsigned_school


def test_lead_may_not_set_targets_before_any_agreement_is_published(
    lead, priority, unsigned_school
):
    with pytest.raises(ValidationError) as refusal:
        set_target(lead, priority, unsigned_school, target_value="50")

    assert refusal.value.code == "data_not_shared"
    assert not SchoolTarget.objects.exists()


def test_a_signature_of_an_earlier_version_does_not_share_the_data(
    partnership, school, lead, priority, baseline, shared
):
    agreement_publish(actor=lead, partnership=partnership, text="We share our figures, and more.")

    with pytest.raises(ValidationError) as refusal:
        set_target(lead, priority, school)

    assert refusal.value.code == "data_not_shared"
    assert not SchoolTarget.objects.exists()


@pytest.fixture
def small_cohort_baseline(partnership, school, lead, shared):
    """The school shares its data, but its 2023/24 figure is from 4 pupils."""
    return measurement_record(
        actor=lead,
        partnership=partnership,
        school=school,
        measure=measure(),
        academic_year=BASELINE_YEAR,
        value="43.75",
        cohort_size=4,
    )


@pytest.mark.parametrize("value", ["60", "40"])  # above and below the hidden figure
def test_lead_may_not_set_a_target_from_a_small_cohorts_figure_nor_learn_it(
    school, lead, priority, small_cohort_baseline, value
):
    with pytest.raises(ValidationError) as refusal:
        set_target(lead, priority, school, target_value=value)

    assert list(refusal.value.error_dict) == ["baseline_year"]
    assert codes(refusal.value, "baseline_year") == ["baseline_suppressed"]
    message = all_messages(refusal.value)
    assert "fewer than 6 pupils" in message
    assert "43.75" not in message
    assert "43.8" not in message
    assert not SchoolTarget.objects.exists()
    assert not target_events().exists()


def test_a_stale_save_by_the_lead_does_not_hand_back_a_target_it_may_not_see(
    school, headteacher, lead, priority, small_cohort_baseline
):
    set_target(headteacher, priority, school, target_value="60")
    set_target(headteacher, priority, school, target_value="62", expected_version=1)

    with pytest.raises(ValidationError) as refusal:
        set_target(lead, priority, school, target_value="70", expected_version=1)

    assert refusal.value.code == "baseline_suppressed"
    assert "43.75" not in all_messages(refusal.value)
    assert SchoolTarget.objects.get().target_value == Decimal("62")


def test_a_stale_save_by_the_lead_for_an_unsigned_school_is_refused_as_unshared(
    lead, priority, agreement, unsigned_school, unsigned_head
):
    set_target(unsigned_head, priority, unsigned_school, target_value="50")
    set_target(unsigned_head, priority, unsigned_school, target_value="52", expected_version=1)

    with pytest.raises(ValidationError) as refusal:
        set_target(lead, priority, unsigned_school, target_value="70", expected_version=1)

    assert refusal.value.code == "data_not_shared"


def test_a_second_person_setting_the_same_new_target_is_told_it_now_exists(
    school, headteacher, lead, priority, baseline, shared
):
    set_target(headteacher, priority, school, target_value="70", expected_version=0)

    with pytest.raises(EditConflict) as conflict:
        set_target(lead, priority, school, target_value="75", expected_version=0)

    assert conflict.value.current.target_value == Decimal("70")


def test_headteacher_sets_a_target_from_their_schools_small_cohort_figure(
    school, headteacher, priority, small_cohort_baseline
):
    target = set_target(headteacher, priority, school, target_value="60")

    stored = SchoolTarget.objects.get(pk=target.pk)
    assert stored.baseline == small_cohort_baseline
    assert stored.baseline.cohort_size == 4
    assert stored.set_by == headteacher


def test_a_cohort_at_the_threshold_is_no_bar_to_the_lead(
    partnership, school, lead, priority, shared
):
    measurement_record(
        actor=lead,
        partnership=partnership,
        school=school,
        measure=measure(),
        academic_year=BASELINE_YEAR,
        value="43.75",
        cohort_size=6,
    )

    target = set_target(lead, priority, school, target_value="50")

    assert SchoolTarget.objects.get(pk=target.pk).set_by == lead


# --- Two people editing at once ------------------------------------------------------------


def test_a_stale_save_is_refused_with_the_saved_target_and_overwrites_nothing(
    school, headteacher, lead, priority, baseline, shared
):
    opened = set_target(headteacher, priority, school)
    assert opened.version == 1
    # Both open version 1; the lead saves first.
    set_target(
        lead,
        priority,
        school,
        target_value="74",
        statement="Shared moderation.",
        expected_version=opened.version,
    )

    with pytest.raises(EditConflict) as conflict:
        set_target(
            headteacher,
            priority,
            school,
            target_value="80",
            target_year=2027,
            statement="Headteacher's wording.",
            expected_version=opened.version,
        )

    current = conflict.value.current
    assert current.pk == opened.pk
    assert current.version == 2
    assert current.target_value == Decimal("74.00")
    assert current.statement == "Shared moderation."
    stored = SchoolTarget.objects.get()
    assert (stored.version, stored.target_value, stored.target_year, stored.statement) == (
        2,
        Decimal("74.00"),
        TARGET_YEAR,
        "Shared moderation.",
    )
    assert stored.updated_by == lead
    assert list(target_events().order_by("pk").values_list("verb", flat=True)) == [
        "target.set",
        "target.changed",
    ]


def test_saving_at_the_version_opened_succeeds(school, headteacher, priority, baseline):
    set_target(headteacher, priority, school)
    set_target(headteacher, priority, school, target_value="73", expected_version=1)
    changed = set_target(headteacher, priority, school, target_value="74", expected_version=2)

    assert changed.version == 3
    assert SchoolTarget.objects.get().target_value == Decimal("74.00")
