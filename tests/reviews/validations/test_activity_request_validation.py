"""The student asks the DFI and the DRI to validate a summer stay or an internship abroad."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from apps.applications.errors import ServiceError
from apps.applications.models import ActivityKind, ValidationBody
from apps.notifications.models import Notification
from apps.reviews.services.validations import activity_request_validation, activity_validate
from tests.applications.factories import login, messages_of, semester_for
from tests.reviews.advisor.builders import requested, summer_stay

PLAN_URL = reverse("applications:plan")


def request_url(activity):
    return reverse("reviews:validation_request", args=[activity.pk])


@pytest.mark.parametrize(
    "kind",
    [
        ActivityKind.SUMMER_STAY,
        ActivityKind.FH_INTERNSHIP,
        ActivityKind.ENGINEERING_INTERNSHIP,
        ActivityKind.FREE_INTERNSHIP,
    ],
)
def test_request_is_recorded_and_reaches_the_validators(student, dfi, dri, kind):
    activity = summer_stay(student, kind=kind)
    activity_request_validation(actor=student, activity=activity)
    activity.refresh_from_db()
    assert activity.validation_requested_at is not None
    notified = set(
        Notification.objects.filter(event="validation_requested").values_list(
            "recipient", flat=True
        )
    )
    assert {dfi.pk, dri.pk} <= notified


def test_study_stays_and_stays_in_france_are_not_validated(student):
    for activity in (semester_for(student), summer_stay(student, country="FR")):
        with pytest.raises(ServiceError, match="Only summer stays and internships abroad"):
            activity_request_validation(actor=student, activity=activity)
        activity.refresh_from_db()
        assert activity.validation_requested_at is None


def test_only_the_student_asks(student, other_student, dfi):
    activity = summer_stay(student)
    for actor in (other_student, dfi):
        with pytest.raises(ServiceError, match="Only the student"):
            activity_request_validation(actor=actor, activity=activity)


def test_a_pending_request_is_not_sent_twice(student, dfi):
    activity = requested(summer_stay(student))
    activity_validate(actor=dfi, activity=activity, approved=True, comment="")
    with pytest.raises(ServiceError, match="still awaiting the decision of.*DRI"):
        activity_request_validation(actor=student, activity=activity)


def test_asking_again_after_a_refusal(student, dfi, dri):
    activity = requested(summer_stay(student))
    first_request = activity.validation_requested_at
    activity_validate(actor=dfi, activity=activity, approved=True, comment="")
    activity_validate(actor=dri, activity=activity, approved=False, comment="No host letter.")
    activity_request_validation(actor=student, activity=activity)
    activity.refresh_from_db()
    assert activity.validation_requested_at > first_request


def test_asking_again_reaches_only_the_body_still_to_decide(student, dfi, dri):
    """The DFI validated, the DRI refused: the request asks nothing of the DFI again."""
    activity = requested(summer_stay(student))
    activity_validate(actor=dfi, activity=activity, approved=True, comment="")
    activity_validate(actor=dri, activity=activity, approved=False, comment="Which lab?")
    activity_request_validation(actor=student, activity=activity)
    recipients = Notification.objects.filter(event="validation_requested").values_list(
        "recipient", flat=True
    )
    assert set(recipients) == {dri.pk}


def test_a_validated_activity_needs_no_request(student, dfi, dri):
    activity = requested(summer_stay(student))
    activity_validate(actor=dfi, activity=activity, approved=True, comment="")
    activity_validate(actor=dri, activity=activity, approved=True, comment="")
    with pytest.raises(ServiceError, match="already validated"):
        activity_request_validation(actor=student, activity=activity)


def test_plan_page_offers_the_request_for_activities_abroad_only(client, student):
    abroad = summer_stay(student)
    at_home = summer_stay(
        student,
        country="FR",
        start=abroad.start.replace(year=2029),
        end=abroad.end.replace(year=2029),
    )
    semester = semester_for(student)
    content = login(client, student).get(PLAN_URL).content.decode()
    assert f'action="{request_url(abroad)}"' in content
    assert request_url(at_home) not in content
    assert request_url(semester) not in content


def test_requesting_from_the_plan_page(client, student):
    activity = summer_stay(student)
    response = login(client, student).post(request_url(activity))
    assert response.url == f"{PLAN_URL}#activity-{activity.pk}"
    assert messages_of(response) == ["Validation requested: the DFI and the DRI will decide on it."]
    activity.refresh_from_db()
    assert activity.validation_requested_at is not None
    content = client.get(PLAN_URL).content.decode()
    assert "Validation requested" in content
    assert f'href="{request_url(activity)}"' in content


def test_a_refused_request_is_explained(client, student):
    activity = summer_stay(student, country="FR")
    response = login(client, student).post(request_url(activity))
    assert messages_of(response) == [
        "Only summer stays and internships abroad are validated by the DFI and the DRI."
    ]


def test_details_page_shows_each_bodys_decision(client, student, dfi, dri):
    activity = requested(summer_stay(student))
    activity_validate(actor=dfi, activity=activity, approved=True, comment="")
    activity_validate(actor=dri, activity=activity, approved=False, comment="Dates unclear.")
    response = login(client, student).get(request_url(activity))
    assert response.status_code == 200
    state = response.context["state"]
    assert [(body, decision.approved) for body, _label, decision in state.bodies] == [
        ("DFI", True),
        ("DRI", False),
    ]
    assert state.can_request
    content = response.content.decode()
    assert "Dates unclear." in content
    assert "Ask again for the validation" in content


def test_details_page_of_an_activity_not_validated_sends_back_to_the_plan(client, student):
    response = login(client, student).get(request_url(semester_for(student)))
    assert response.url == PLAN_URL


def test_another_student_finds_nothing(client, student, other_student):
    activity = summer_stay(student)
    login(client, other_student)
    assert client.get(request_url(activity)).status_code == 404
    assert client.post(request_url(activity)).status_code == 404
    activity.refresh_from_db()
    assert activity.validation_requested_at is None


@pytest.mark.parametrize("who", ["dfi", "advisor"])
def test_staff_and_advisors_are_forbidden(client, request, student, who):
    activity = summer_stay(student)
    login(client, request.getfixturevalue(who))
    assert client.post(request_url(activity)).status_code == 403
    activity.refresh_from_db()
    assert activity.validation_requested_at is None


def test_anonymous_is_sent_to_login(client, student):
    assert client.post(request_url(summer_stay(student))).url.startswith(reverse("login"))


def test_a_pending_request_gives_its_date_as_the_readers_language_writes_it(student, dfi):
    """The date was the date's own text, 2026-11-28, in French and English alike."""
    activity = requested(summer_stay(student))
    activity_validate(actor=dfi, activity=activity, approved=True, comment="")
    asked = timezone.localdate(activity.validation_requested_at)
    with translation.override("fr"):
        with pytest.raises(ServiceError) as refused:
            activity_request_validation(actor=student, activity=activity)
        french = date_format(asked, "DATE_FORMAT")
    assert asked.isoformat() not in str(refused.value)
    assert french in str(refused.value)
    with pytest.raises(ServiceError) as refused:
        activity_request_validation(actor=student, activity=activity)
    assert date_format(asked, "DATE_FORMAT") in str(refused.value)


def test_a_request_awaiting_both_bodies_names_them_as_a_sentence_does(student):
    activity = requested(summer_stay(student))
    with translation.override("fr"), pytest.raises(ServiceError) as refused:
        activity_request_validation(actor=student, activity=activity)
    with translation.override("fr"):
        dfi, dri = (str(body.label) for body in ValidationBody)
    assert f"{dfi} et {dri}." in str(refused.value)
