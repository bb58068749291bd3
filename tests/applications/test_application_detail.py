import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.applications import services
from apps.applications.models import ApplicationState
from tests.applications.factories import (
    ActivityFactory,
    ApplicationFactory,
    ChoiceFactory,
    CourseLineFactory,
    CoursePlanFactory,
    DocumentFactory,
    complete_application,
    draft_with_choice,
    login,
    plan_for,
)
from tests.factories import CallFactory

DETAIL_MAX_QUERIES = 12


def detail_url(application):
    return reverse("applications:application_detail", args=[application.pk])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_owner_sees_what_is_missing_and_the_actions(client, student):
    application = draft_with_choice(student)
    DocumentFactory(application=application, kind="cv", original_name="cv-2026.pdf")
    activity = application.choices.get().activity
    response = login(client, student).get(detail_url(application))
    assert response.status_code == 200
    context = response.context
    assert context["missing"] == [
        "Missing document: Latest transcript of records.",
        "Missing document: Language certificate.",
        "Missing document: Draft learning agreement.",
    ]
    assert [(row.kind, row.document is not None) for row in context["documents"]] == [
        ("cv", True),
        ("transcript", False),
        ("language_certificate", False),
        ("learning_agreement", False),
    ]
    assert context["upload_form"]["kind"].value() == "transcript"  # the first one missing
    content = response.content.decode()
    for url in (
        reverse("applications:application_submit", args=[application.pk]),
        reverse("applications:application_withdraw", args=[application.pk]),
        reverse("applications:application_edit", args=[application.pk]),
        reverse("applications:document_upload", args=[application.pk]),
        reverse("applications:course_plan_edit", args=[activity.pk]),
        reverse("applications:document_download", args=[application.documents.get().pk]),
    ):
        assert url in content
    assert 'enctype="multipart/form-data"' in content


def test_fae_minimum_is_still_to_complete_not_a_blocker(client, student):
    application = complete_application(student, country="FR")
    response = login(client, student).get(detail_url(application))
    assert response.context["missing"] == []
    assert [f.rule for f in response.context["still_to_complete"]] == ["FAE_MINIMUM"]
    assert 'data-rule="FAE_MINIMUM"' in response.content.decode()


def test_course_plan_totals_per_chosen_study_activity(client, student):
    application = draft_with_choice(student)
    activity = application.choices.get().activity
    CourseLineFactory(course_plan=CoursePlanFactory(activity=activity), ects=12)
    response = login(client, student).get(detail_url(application))
    [total] = response.context["course_totals"]
    assert (total.activity, total.total, total.required) == (activity, 12, 30)
    assert "12 of 30 ECTS" in response.content.decode()


def test_the_ewp_export_is_offered_once_the_student_is_nominated_to_the_stay(client, student):
    """An EWP mobility starts with a nomination: before it the button only led to a refusal."""
    application = draft_with_choice(student)
    choice = application.choices.get()
    CourseLineFactory(course_plan=CoursePlanFactory(activity=choice.activity), ects=12)
    ewp = reverse("reviews:learning_agreement_ewp", args=[application.pk, choice.activity.pk])
    login(client, student)
    assert ewp not in client.get(detail_url(application)).content.decode()
    type(application).objects.filter(pk=application.pk).update(
        state=ApplicationState.NOMINATED, nominated_choice=choice
    )
    assert ewp in client.get(detail_url(application)).content.decode()


def test_submitted_application_shows_its_frozen_findings_and_history(client, student):
    application = complete_application(student)
    services.application_submit(actor=student, application=application)
    host = application.choices.get().activity.host_name
    response = login(client, student).get(detail_url(application))
    snapshot = response.context["snapshot"]
    assert snapshot["compliant"] is True
    assert [(f["rule"], f["host"]) for f in snapshot["findings"]] == [("NON_PARTNER_COSTS", host)]
    content = response.content.decode()
    assert 'data-rule="NON_PARTNER_COSTS"' in content
    assert str(student) in content  # the history's "who"
    assert reverse("applications:application_submit", args=[application.pk]) not in content
    assert reverse("applications:document_upload", args=[application.pk]) not in content


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi", "admin_user"])
def test_advisor_and_staff_see_but_get_no_change_buttons(client, request, persona, student):
    application = draft_with_choice(student)
    response = login(client, request.getfixturevalue(persona)).get(detail_url(application))
    assert response.status_code == 200
    content = response.content.decode()
    assert student.email in content
    assert reverse("applications:application_submit", args=[application.pk]) not in content
    assert reverse("applications:document_upload", args=[application.pk]) not in content
    assert reverse("applications:application_edit", args=[application.pk]) not in content


@pytest.mark.parametrize("persona", ["other_student", "other_advisor"])
def test_others_get_404(client, request, persona, student):
    application = draft_with_choice(student)
    response = login(client, request.getfixturevalue(persona)).get(detail_url(application))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, student):
    application = draft_with_choice(student)
    assert client.get(detail_url(application)).url.startswith(reverse("login"))


def dossier_with(student, activity_count: int):
    """Three applications; the draft shown chooses three of `activity_count` activities, each
    with a course plan, and carries every document."""
    plan = plan_for(student)
    activities = ActivityFactory.create_batch(activity_count, plan=plan)
    application = complete_application(student)
    for rank, activity in enumerate(activities[:2], start=2):
        ChoiceFactory(application=application, rank=rank, activity=activity)
        CourseLineFactory.create_batch(3, course_plan=CoursePlanFactory(activity=activity))
    for state in (ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN):
        ApplicationFactory(student=student, call=CallFactory(), state=state)
    return application


def detail_queries(client, application) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(application))
    assert response.status_code == 200
    return len(queries)


def test_detail_query_count_does_not_grow_with_rows(
    client, student, other_student, django_assert_max_num_queries
):
    login(client, student)
    few = detail_queries(client, dossier_with(student, 2))
    many_application = dossier_with(other_student, 20)
    login(client, other_student)
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        many = detail_queries(client, many_application)
    assert many == few


@pytest.mark.parametrize("persona", ["advisor", "dri"])
def test_a_course_plan_the_student_has_not_sent_is_not_shown_to_others(
    client, request, student, persona
):
    """Its total and its learning agreement link stay the student's: the link gave others
    a 404 and the total told them of a draft."""
    application = draft_with_choice(student)
    activity = application.choices.get().activity
    CourseLineFactory(course_plan=CoursePlanFactory(activity=activity, status="draft"), ects=12)
    pdf = reverse("reviews:learning_agreement_pdf", args=[application.pk, activity.pk])
    own = login(client, student).get(detail_url(application))
    assert own.context["course_totals"][0].total == 12 and pdf in own.content.decode()
    other = login(client, request.getfixturevalue(persona)).get(detail_url(application))
    assert other.context["course_totals"][0].total == 0
    assert pdf not in other.content.decode()


def test_the_advisor_opens_the_review_of_the_course_plan_from_the_application(
    client, advisor, dri, student
):
    """The application listed the course plan's total with no way to the advisor's review of
    it: the advisor gets a link to the latest version sent; the office, who does not review
    course plans, none; a draft the student has not sent, none."""
    application = draft_with_choice(student)
    activity = application.choices.get().activity
    sent = CoursePlanFactory(activity=activity, status="pending")
    CourseLineFactory(course_plan=sent, ects=12)
    draft = CoursePlanFactory(activity=activity, version=2, status="draft")
    review = reverse("reviews:advisor_course_plan", args=[sent.pk])
    page = login(client, advisor).get(detail_url(application)).content.decode()
    assert review in page
    assert reverse("reviews:advisor_course_plan", args=[draft.pk]) not in page
    assert review not in login(client, dri).get(detail_url(application)).content.decode()


def test_what_is_missing_writes_every_date_day_first_in_english(client, student):
    """The list read "The call closed on Feb. 6, 2026." and "(09/01/2027 → 01/31/2028)" above
    the rules engine's "from 1 September 2027": one way of writing a date now, day first."""
    from datetime import date

    call = CallFactory(academic_year=2027, opens_on=date(2026, 1, 5), closes_on=date(2026, 2, 6))
    application = complete_application(
        student, call=call, start=date(2027, 9, 1), end=date(2028, 1, 31), host_name="TU Berlin"
    )
    ActivityFactory(
        plan=plan_for(student),
        start=date(2027, 12, 1),
        end=date(2028, 4, 30),
        host_name="KTH",
        country="SE",
    )
    missing = login(client, student).get(detail_url(application)).context["missing"]
    assert "The call closed on 6 February 2026." in missing
    assert (
        "One semester of exchange — KTH (01/12/2027 → 30/04/2028): This activity (from 1 December "
        "2027 to 30 April 2028) overlaps activity “One semester of exchange — TU Berlin” (from 1 "
        "September 2027 to 31 January 2028)."
    ) in missing
