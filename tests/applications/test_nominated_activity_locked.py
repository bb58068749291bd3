"""Once an application past the draft stage names an activity, what and where the stay is
(kind, partner, host, country) no longer changes; its dates and credits follow the usual rules."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import Activity, ActivityKind, ApplicationState
from tests.applications.factories import complete_application, login, messages_of
from tests.applications.plan_helpers import activity_post_data, add_activity
from tests.factories import PartnerFactory
from tests.reviews.dri.builders import in_state, submitted

S = ApplicationState
pytestmark = pytest.mark.django_db
FROZEN = (
    "Your application to {call} is {state} and names this activity: its kind, host "
    "institution and country can no longer change."
)


@pytest.fixture(autouse=True)
def in_english():
    """The services speak the active language (French by default): read them in English."""
    with translation.override("en"):
        yield


def fields_of(activity: Activity, **changes) -> dict:
    return {**{name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}, **changes}


def named_by(student, state: str):
    application = submitted(student)
    return in_state(application, state, nominated_choice=application.choices.get())


def stored(activity: Activity) -> Activity:
    return Activity.objects.get(pk=activity.pk)


CHANGES = {
    "kind": {"kind": ActivityKind.ENGINEERING_INTERNSHIP},
    "host": {"host_name": "Another University"},
    "country": {"country": "JP"},
    "partner": "partner",
}


def change(name: str) -> dict:
    if CHANGES[name] == "partner":
        return {"partner": PartnerFactory(country="DE")}
    return CHANGES[name]


@pytest.mark.parametrize("name", CHANGES)
@pytest.mark.parametrize(
    "state",
    [S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.NOMINATED, S.ACCEPTED, S.IN_MOBILITY],
)
def test_the_destination_of_a_named_activity_is_refused(student, state, name):
    application = named_by(student, state)
    activity = application.choices.get().activity
    before = stored(activity)
    with pytest.raises(ServiceError) as refused:
        services.activity_update(
            actor=student, activity=activity, fields=fields_of(activity, **change(name))
        )
    assert refused.value.reasons == [
        FROZEN.format(call=application.call, state=application.get_state_display().lower())
    ]
    after = stored(activity)
    assert (after.kind, after.partner_id, after.host_name, after.country) == (
        before.kind,
        before.partner_id,
        before.host_name,
        before.country,
    )


def test_the_probe_nominated_study_stay_cannot_become_an_internship(student):
    application = named_by(student, S.NOMINATED)
    activity = application.choices.get().activity
    with pytest.raises(ServiceError):
        services.activity_update(
            actor=student,
            activity=activity,
            fields=fields_of(activity, kind=ActivityKind.ENGINEERING_INTERNSHIP),
        )
    application.refresh_from_db()
    assert application.nominated_choice.activity.kind == ActivityKind.EXCHANGE_SEMESTER


def test_credits_and_dates_still_change(student):
    application = named_by(student, S.NOMINATED)
    activity = application.choices.get().activity
    end = activity.end + timedelta(days=1)
    services.activity_update(
        actor=student, activity=activity, fields=fields_of(activity, ects=31, end=end)
    )
    after = stored(activity)
    assert (after.ects, after.end) == (31, end)


@pytest.mark.parametrize("state", [S.DRAFT, S.WITHDRAWN])
def test_a_draft_or_withdrawn_application_does_not_hold_it(student, state):
    application = complete_application(student)
    in_state(application, state)
    activity = application.choices.get().activity
    services.activity_update(
        actor=student, activity=activity, fields=fields_of(activity, host_name="Elsewhere")
    )
    assert stored(activity).host_name == "Elsewhere"


def test_the_edit_page_says_why_and_saves_nothing(client, student):
    application = named_by(student, S.NOMINATED)
    activity = application.choices.get().activity
    data = activity_post_data(
        start=activity.start,
        end=activity.end,
        host_name=activity.host_name,
        country=activity.country,
        kind="engineering_internship",
        ects="",
    )
    response = login(client, student).post(
        reverse("applications:activity_edit", args=[activity.pk]), data
    )
    assert response.status_code == 400
    message = FROZEN.format(call=application.call, state="nominated")
    assert response.context["form"].non_field_errors() == [message]
    assert message in response.content.decode()
    assert stored(activity).kind == ActivityKind.EXCHANGE_SEMESTER


def test_the_edit_page_still_saves_the_credits(client, student):
    application = named_by(student, S.SUBMITTED)
    activity = application.choices.get().activity
    data = activity_post_data(
        start=activity.start,
        end=activity.end,
        host_name=activity.host_name,
        country=activity.country,
        ects=31,
    )
    response = login(client, student).post(
        reverse("applications:activity_edit", args=[activity.pk]), data
    )
    assert response.status_code == 302
    assert stored(activity).ects == 31


def test_the_edit_page_compares_with_the_stored_stay(client, student):
    """The edit form writes into the activity before the service sees it: the service compares
    with the row as stored, which also makes a changed validated stay ask for validation again
    when it is changed through the page."""
    stay = add_activity(
        student,
        kind="summer_stay",
        summer_type="lab_internship",
        ects=None,
        host_name="Lab",
        start=date(2027, 7, 1),
        end=date(2027, 8, 15),
    )
    Activity.objects.filter(pk=stay.pk).update(approved_by_dfi=True, approved_by_dri=True)
    data = activity_post_data(
        kind="summer_stay",
        summer_type="lab_internship",
        ects="",
        host_name="Lab",
        start="2027-07-01",
        end="2027-08-15",
        country="JP",
    )
    response = login(client, student).post(
        reverse("applications:activity_edit", args=[stay.pk]), data
    )
    assert response.status_code == 302
    after = stored(stay)
    assert after.country == "JP"
    assert not after.approved_by_dfi and not after.approved_by_dri


OVER = (
    "Your mobility of {call} is over ({state}): this activity is its record and can no longer "
    "change."
)


@pytest.mark.parametrize("state", [S.RETURNED, S.COMPLETED])
def test_a_mobility_that_is_over_no_longer_changes_at_all(student, state):
    """Its dates and credits are those the learning agreement and the recognition stand on."""
    application = named_by(student, state)
    activity = application.choices.get().activity
    before = stored(activity)
    with pytest.raises(ServiceError) as refused:
        services.activity_update(
            actor=student,
            activity=activity,
            fields=fields_of(activity, start=date(2027, 9, 1), end=date(2027, 9, 10), ects=40),
        )
    assert refused.value.reasons == [
        OVER.format(call=application.call, state=application.get_state_display().lower())
    ]
    after = stored(activity)
    assert (after.start, after.end, after.ects) == (before.start, before.end, before.ects)


def test_the_edit_page_of_a_mobility_that_is_over_sends_back_to_the_plan(client, student):
    application = named_by(student, S.COMPLETED)
    activity = application.choices.get().activity
    login(client, student)
    url = reverse("applications:activity_edit", args=[activity.pk])
    for response in (client.get(url), client.post(url, activity_post_data(ects=40))):
        assert response.url == reverse("applications:plan")
        # The GET's message is still waiting when the POST comes: each says the same.
        assert set(messages_of(response)) == {OVER.format(call=application.call, state="completed")}
    assert stored(activity).ects != 40


def test_an_activity_only_chosen_second_by_a_completed_application_still_changes(student):
    """What is over is the mobility the student was nominated to, not their other choices."""
    application = named_by(student, S.COMPLETED)
    other = add_activity(student, start=date(2029, 9, 1), end=date(2030, 1, 31))
    application.choices.create(rank=2, activity=other)
    services.activity_update(actor=student, activity=other, fields=fields_of(other, ects=31))
    assert stored(other).ects == 31


def test_a_named_stay_cannot_move_to_another_academic_year(student):
    """Its seat (or its place in the review) is counted in the call's academic year."""
    application = named_by(student, S.NOMINATED)
    activity = application.choices.get().activity
    year = application.call.academic_year
    with pytest.raises(ServiceError) as refused:
        services.activity_update(
            actor=student,
            activity=activity,
            fields=fields_of(activity, start=date(year + 1, 9, 1), end=date(year + 2, 1, 31)),
        )
    assert refused.value.reasons == [
        f"Your application to {application.call} is nominated and names this activity: it "
        f"must start in {year}–{year + 1}, the call's academic year."
    ]
    # Within the year, the dates still move.
    services.activity_update(
        actor=student,
        activity=activity,
        fields=fields_of(activity, start=date(year, 9, 15), end=date(year + 1, 2, 15)),
    )
    assert stored(activity).start == date(year, 9, 15)
