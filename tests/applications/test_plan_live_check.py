import pytest
from django.urls import reverse

from apps.applications.models import Activity
from tests.applications.plan_helpers import activity_post_data, add_activity

LIVE = "applications:plan_live_check"


@pytest.mark.django_db
def test_live_check_shows_the_error_then_its_fix_without_saving(client, student):
    client.force_login(student)
    wrong = client.post(reverse(LIVE), activity_post_data(ects=25), HTTP_HX_REQUEST="true")
    assert wrong.status_code == 200
    assert 'data-rule="SEMESTER_ECTS"' in wrong.content.decode()
    fixed = client.post(reverse(LIVE), activity_post_data(ects=30), HTTP_HX_REQUEST="true")
    assert 'data-rule="SEMESTER_ECTS"' not in fixed.content.decode()
    assert not Activity.objects.filter(plan__student=student).exists()


@pytest.mark.django_db
def test_live_check_of_an_edit_replaces_the_saved_activity(client, student):
    activity = add_activity(student, ects=10)
    client.force_login(student)
    data = {**activity_post_data(ects=30), "activity_id": str(activity.pk)}
    response = client.post(reverse(LIVE), data)
    check = response.context["check"]
    assert response.context["draft_id"] == activity.engine_id
    assert "SEMESTER_ECTS" not in [f.rule for f in check.by_activity.get(activity.engine_id, [])]
    activity.refresh_from_db()
    assert activity.ects == 10


@pytest.mark.django_db
def test_live_check_sees_the_rest_of_the_plan(client, student):
    add_activity(student)
    client.force_login(student)
    overlapping = activity_post_data(kind="master", ects=60, end="2028-10-31")
    response = client.post(reverse(LIVE), overlapping)
    rules = [f.rule for f in response.context["check"].by_activity.get("new", [])]
    assert "OVERLAP" in rules


@pytest.mark.django_db
def test_live_check_on_incomplete_form_lists_what_is_missing(client, student):
    client.force_login(student)
    response = client.post(reverse(LIVE), activity_post_data(start=""))
    assert response.status_code == 200
    assert response.context["check"] is None
    assert "start" in response.context["form"].errors


@pytest.mark.django_db
def test_live_check_cannot_peek_at_another_students_activity(client, student, other_student):
    activity = add_activity(student)
    client.force_login(other_student)
    data = {**activity_post_data(), "activity_id": str(activity.pk)}
    assert client.post(reverse(LIVE), data).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "named"),
    [
        ("en", "overlaps activity “One semester of exchange — KTH”"),
        ("fr", "chevauche l'activité « "),
    ],
)
def test_an_overlap_names_the_other_activity_as_the_student_knows_it(
    client, student, language, named
):
    saved = add_activity(student, host_name="KTH")
    client.force_login(student)
    overlapping = activity_post_data(kind="master", ects=60, end="2028-10-31")
    response = client.post(reverse(LIVE), overlapping, HTTP_ACCEPT_LANGUAGE=language)
    [overlap] = [f for f in response.context["check"].by_activity["new"] if f.rule == "OVERLAP"]
    assert named in overlap.message
    assert f" {saved.pk} (" not in overlap.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "takes place in Argentina, not in the host country Germany."),
        ("fr", "dans le pays « Argentine » et non dans le pays d'accueil « Allemagne »."),
    ],
)
def test_countries_in_findings_are_named_not_coded(student, language, said):
    from datetime import date

    from apps.applications.checking import plan_result
    from apps.applications.models import MobilityPlan

    add_activity(
        student,
        kind="double_degree",
        start=date(2027, 9, 1),
        end=date(2029, 2, 28),
        ects=120,
        internship_start=date(2028, 9, 1),
        internship_end=date(2029, 2, 28),
        internship_country="AR",
    )
    plan = MobilityPlan.objects.get(student=student)
    check = plan_result(plan, plan.activities.select_related("partner"), language)
    [message] = [
        f.message
        for fs in check.by_activity.values()
        for f in fs
        if f.rule == "DD_INTERNSHIP_COUNTRY"
    ]
    assert said in message
