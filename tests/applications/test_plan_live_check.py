from datetime import date

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.checking import plan_result
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


def findings(check) -> list[tuple[str, str | None]]:
    return sorted((finding.rule, finding.activity) for finding in check.result.findings)


FH_INTERNSHIP = {"kind": "fh_internship", "country": "DE", "host_name": "Lab", "ects": None}


@pytest.mark.django_db
def test_live_check_of_an_unchanged_edit_names_the_overlap_as_the_saved_check(client, student):
    """Two activities starting the same day: the saved plan's overlap names the one listed
    later (the higher id); the live check of the first one, unchanged, must say the same."""
    first = add_activity(student, **FH_INTERNSHIP, start=date(2026, 7, 1), end=date(2026, 7, 31))
    add_activity(student, **FH_INTERNSHIP, start=date(2026, 7, 1), end=date(2026, 8, 15))
    plan = services.plan_for_student(student)
    saved = plan_result(plan, plan.activities.all())
    client.force_login(student)
    data = activity_post_data(**FH_INTERNSHIP, start="2026-07-01", end="2026-07-31")
    data = {name: value for name, value in data.items() if value != ""}
    response = client.post(reverse(LIVE), {**data, "activity_id": str(first.pk)})
    assert findings(response.context["check"]) == findings(saved)


SUMMER_STAY = {
    "kind": "summer_stay",
    "country": "CA",
    "host_name": "Lab",
    "summer_type": "lab_internship",
    "ects": None,
}


@pytest.mark.django_db
def test_live_check_of_a_validated_summer_stay_keeps_its_validations(client, student):
    stay = add_activity(student, **SUMMER_STAY, start=date(2026, 7, 1), end=date(2026, 8, 31))
    Activity.objects.filter(pk=stay.pk).update(approved_by_dfi=True, approved_by_dri=True)
    plan = services.plan_for_student(student)
    saved = plan_result(plan, plan.activities.all())
    client.force_login(student)
    unchanged = {
        **{name: value for name, value in SUMMER_STAY.items() if value},
        "start": "2026-07-01",
        "end": "2026-08-31",
    }
    live = client.post(reverse(LIVE), {**unchanged, "activity_id": str(stay.pk)}).context["check"]
    assert live.result.qualifying_days == saved.result.qualifying_days > 0
    assert findings(live) == findings(saved)
    assert "SUMMER_APPROVAL" not in [rule for rule, _activity in findings(live)]

    # Another stay (other dates) asks the DFI and the DRI again: the live check says so too,
    # as saving it would.
    moved = {**unchanged, "end": "2026-08-30", "activity_id": str(stay.pk)}
    live = client.post(reverse(LIVE), moved).context["check"]
    assert "SUMMER_APPROVAL" in [rule for rule, _activity in findings(live)]
    client.post(reverse("applications:activity_edit", args=[stay.pk]), unchanged)
    stay.refresh_from_db()
    assert stay.approved_by_dfi and stay.approved_by_dri


@pytest.mark.django_db
def test_live_check_findings_are_announced_politely_by_their_region(client, student):
    """The answer replaces the content of the page's aria-live="polite" region, which reads it
    out when the student pauses; a finding marked role="alert" inside it interrupted them at
    each keystroke that changed it. The plan page, where nothing is typed, keeps the roles."""
    add_activity(student, ects=25)
    client.force_login(student)
    live = client.post(reverse(LIVE), activity_post_data(ects=25), HTTP_HX_REQUEST="true")
    content = live.content.decode()
    assert 'data-rule="SEMESTER_ECTS"' in content
    assert 'role="alert"' not in content and 'role="status"' not in content
    plan_page = client.get(reverse("applications:plan")).content.decode()
    assert 'role="alert" data-rule="SEMESTER_ECTS"' in plan_page
