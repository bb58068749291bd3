from datetime import date

import pytest
from django.urls import reverse

from apps.applications.models import Activity, Application, ApplicationState, Choice
from tests.applications.factories import CoursePlanFactory, login, messages_of
from tests.applications.plan_helpers import activity_post_data, add_activity
from tests.factories import CallFactory, PartnerFactory


@pytest.mark.django_db
def test_owner_sees_plan_with_findings_next_to_activity(client, student):
    activity = add_activity(student, ects=20)
    client.force_login(student)
    response = client.get(reverse("applications:plan"))
    assert response.status_code == 200
    findings = response.context["check"].by_activity[activity.engine_id]
    assert [finding.rule for finding in findings] == [
        "NON_PARTNER_COSTS",
        "SEMESTER_ECTS",
        "SEMESTER_INTERNSHIP",
    ]
    content = response.content.decode()
    assert 'data-rule="SEMESTER_ECTS"' in content
    assert "<svg" in content


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("applications:plan"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi"])
def test_staff_have_no_plan_editor(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("applications:plan")).status_code == 403
    assert (
        client.post(reverse("applications:activity_add"), activity_post_data()).status_code == 403
    )


@pytest.mark.django_db
def test_add_activity_saves_and_shows_findings(client, student):
    client.force_login(student)
    response = client.post(reverse("applications:activity_add"), activity_post_data(ects=29))
    assert response.status_code == 302
    activity = Activity.objects.get(plan__student=student)
    assert activity.ects == 29
    page = client.get(reverse("applications:plan"))
    assert "SEMESTER_ECTS" in [
        f.rule for f in page.context["check"].by_activity[activity.engine_id]
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": "2027-08-01"}, "end"),
        ({"start": "2027-02-30"}, "start"),
        ({"ects": "-3"}, "ects"),
        ({"ects": ""}, "ects"),
        ({"host_name": ""}, "host_name"),
        ({"country": ""}, "country"),
        ({"kind": "exchange_year", "ects": "60", "ects_project": "70"}, "ects_project"),
        ({"kind": "summer_stay", "summer_type": ""}, "summer_type"),
    ],
)
def test_bad_input_shows_form_error_and_saves_nothing(client, student, changes, field):
    client.force_login(student)
    response = client.post(
        reverse("applications:activity_add"), {**activity_post_data(), **changes}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Activity.objects.filter(plan__student=student).exists()


@pytest.mark.django_db
def test_final_project_credits_above_the_planned_credits_are_said_in_the_fields_words(
    client, student
):
    """The engine's own words named its field: "70 is more than ects (60)"."""
    login(client, student)
    data = {**activity_post_data(), "kind": "exchange_year", "ects": "60", "ects_project": "70"}
    response = client.post(reverse("applications:activity_add"), data)
    assert response.context["form"].errors["ects_project"] == [
        "The credits of the final project, thesis or internship (70) are part of the planned "
        "ECTS credits (60): they cannot be more."
    ]


@pytest.mark.django_db
def test_what_another_kind_s_hidden_fields_still_hold_is_left_out(client, student):
    """A student chose a year, typed 400 final-project credits and a double degree's
    internship day in 1999, then chose a semester: those fields were hidden, and the form was
    refused for them beside fields the student could not see."""
    login(client, student)
    data = {
        **activity_post_data(),
        "ects_project": "400",
        "internship_start": "1999-10-01",
        "summer_type": "unknown",
    }
    response = client.post(reverse("applications:activity_add"), data)
    assert response.status_code == 302
    saved = Activity.objects.get(plan__student=student)
    assert (saved.ects_project, saved.internship_start, saved.summer_type) == (None, None, "")


@pytest.mark.django_db
def test_an_internship_takes_no_country_from_a_hidden_partner(client, student):
    """The partner menu is hidden for an internship: the partner a student had chosen for a
    study stay no longer gives the internship its country, which the student did not see."""
    login(client, student)
    data = {
        **activity_post_data(),
        "kind": "engineering_internship",
        "partner": str(PartnerFactory(country="JP").pk),
        "country": "",
        "ects": "",
    }
    response = client.post(reverse("applications:activity_add"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["country"] == ["Choose the country of the host."]


@pytest.mark.django_db
def test_a_field_the_kind_carries_is_still_checked(client, student):
    login(client, student)
    data = {**activity_post_data(), "kind": "exchange_year", "ects": "60", "ects_project": "400"}
    response = client.post(reverse("applications:activity_add"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["ects_project"] == [
        "Ensure this value is less than or equal to 300."
    ]


@pytest.mark.django_db
def test_bad_edit_keeps_saved_activity(client, student):
    activity = add_activity(student)
    client.force_login(student)
    response = client.post(
        reverse("applications:activity_edit", args=[activity.pk]),
        activity_post_data(end="2020-01-01"),
    )
    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.end == date(2028, 1, 31)


@pytest.mark.django_db
def test_edit_saves(client, student):
    activity = add_activity(student)
    client.force_login(student)
    response = client.post(
        reverse("applications:activity_edit", args=[activity.pk]), activity_post_data(ects=31)
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.ects == 31


@pytest.mark.django_db
def test_another_students_activity_is_404(client, student, other_student):
    activity = add_activity(student)
    client.force_login(other_student)
    for name in ("activity_edit", "activity_delete"):
        assert client.get(reverse(f"applications:{name}", args=[activity.pk])).status_code == 404
        assert client.post(reverse(f"applications:{name}", args=[activity.pk])).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.django_db
def test_delete_asks_for_confirmation_then_removes(client, student):
    activity = add_activity(student)
    client.force_login(student)
    confirm = client.get(reverse("applications:activity_delete", args=[activity.pk]))
    assert confirm.status_code == 200
    assert Activity.objects.filter(pk=activity.pk).exists()
    client.post(reverse("applications:activity_delete", args=[activity.pk]))
    assert not Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_activitys_dates_are_written_as_its_readers_write_them(client, student, language):
    """Day first in both languages: the English page wrote "09/01/2026" for 1 September, the
    digits swapping when a student switched from French."""
    activity = add_activity(student, start=date(2026, 9, 1), end=date(2027, 1, 31))
    client.force_login(student)
    confirm = client.get(
        reverse("applications:activity_delete", args=[activity.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert "(01/09/2026 → 31/01/2027)" in confirm.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_editors_date_inputs_send_and_show_iso_dates_in_both_languages(
    client, student, language
):
    """The editor's dates are HTML date inputs: the browser writes them as its reader does and
    sends ISO 8601, which the form reads in either language (not as month-first in English)."""
    activity = add_activity(student)
    client.force_login(student)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    url = reverse("applications:activity_edit", args=[activity.pk])
    form = client.get(url).content.decode()
    assert 'type="date" name="start" value="2027-09-01"' in form
    response = client.post(url, activity_post_data(start="2027-09-06", end="2028-01-12"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.start, activity.end) == (date(2027, 9, 6), date(2028, 1, 12))


@pytest.mark.django_db
def test_student_facts_change_the_findings(client, student):
    activity = add_activity(student)
    client.force_login(student)
    client.post(reverse("applications:plan_facts"), {"engineering_internship_validated": "on"})
    page = client.get(reverse("applications:plan"))
    rules = [finding.rule for finding in page.context["check"].by_activity[activity.engine_id]]
    assert "SEMESTER_INTERNSHIP" not in rules


@pytest.mark.django_db
def test_plan_page_query_count_is_flat(client, student, django_assert_max_num_queries):
    for month in range(20):
        start = date(2030 + month // 12, month % 12 + 1, 1)
        add_activity(student, kind="fh_internship", start=start, end=start, ects=None)
    client.force_login(student)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("applications:plan"))
    assert len(response.context["activities"]) == 20


def _delete_page(client, activity):
    return client.get(reverse("applications:activity_delete", args=[activity.pk]))


@pytest.mark.django_db
def test_delete_page_names_what_the_removal_takes_from_drafts_and_withdrawn_applications(
    client, student
):
    activity = add_activity(student)
    draft = Application.objects.create(student=student, call=CallFactory(name="Draft call"))
    withdrawn = Application.objects.create(
        student=student, call=CallFactory(name="Gone call"), state=ApplicationState.WITHDRAWN
    )
    for application in (draft, withdrawn):
        Choice.objects.create(application=application, rank=1, activity=activity)
    CoursePlanFactory(activity=activity, version=1)
    CoursePlanFactory(activity=activity, version=2)
    page = _delete_page(login(client, student), activity).content.decode()
    assert "that destination will be removed from them, for good" in page
    assert f"{draft}</a> (draft)" in page
    assert f"{withdrawn}</a> (withdrawn)" in page
    assert "Its course plan, 2 versions with the study advisor's decisions" in page
    assert "draft applications" not in page  # the old count called them all drafts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "advice"),
    [
        (ApplicationState.SUBMITTED, "Withdraw that application first"),
        (ApplicationState.COMPLETED, "can no longer be withdrawn, so it stays in your plan"),
        (ApplicationState.IN_MOBILITY, "can no longer be withdrawn, so it stays in your plan"),
    ],
)
def test_delete_page_gives_advice_the_state_allows(client, student, state, advice):
    activity = add_activity(student)
    application = Application.objects.create(student=student, call=CallFactory(), state=state)
    Choice.objects.create(application=application, rank=1, activity=activity)
    page = _delete_page(login(client, student), activity).content.decode()
    assert advice in page
    other = {
        "Withdraw that application first": "stays in your plan",
        "can no longer be withdrawn, so it stays in your plan": "Withdraw that application",
    }[advice]
    assert other not in page
    assert 'type="submit">Remove' not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ects": "301"}, "ects"),
        ({"ects": "9223372036854775807"}, "ects"),
        ({"start": "0001-01-01"}, "start"),
        ({"end": "9999-12-31"}, "end"),
    ],
)
def test_absurd_figures_are_refused_and_nothing_is_saved(client, student, english, changes, field):
    login(client, student)
    response = client.post(reverse("applications:activity_add"), activity_post_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Activity.objects.filter(plan__student=student).exists()


def test_add_clicked_twice_adds_the_activity_once(client, student):
    """The second click lands on the plan with a word, not on a second copy of the stay
    whose overlap the student would have to remove by hand."""
    login(client, student)
    first = client.post(reverse("applications:activity_add"), activity_post_data())
    second = client.post(reverse("applications:activity_add"), activity_post_data())
    assert first.status_code == second.status_code == 302
    assert Activity.objects.filter(plan__student=student).count() == 1
    assert messages_of(second)[-1] == "This activity is already in your plan."
    other = client.post(reverse("applications:activity_add"), activity_post_data(ects=31))
    assert other.status_code == 302
    assert Activity.objects.filter(plan__student=student).count() == 2


@pytest.mark.parametrize("host_name", ["", "TU Berlin"])
def test_an_end_before_the_start_is_said_in_words_beside_the_last_day(client, student, host_name):
    """With another field also wrong, the dates used to reach the database's check, whose
    name ("activity_dates_ordered") the student read at the top of the form."""
    login(client, student)
    response = client.post(
        reverse("applications:activity_add"),
        activity_post_data(start="2027-09-01", end="2027-06-01", host_name=host_name),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["end"] == ["1 June 2027 is before the start, 1 September 2027"]
    assert not form.non_field_errors()
    assert "activity_dates_ordered" not in response.content.decode()
    assert not Activity.objects.filter(plan__student=student).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ects": "500"}, "ects"),
        ({"host_name": "x" * 256}, "host_name"),
        ({"kind": "summer_stay", "summer_type": "cruise"}, "summer_type"),
        (
            {
                "kind": "double_degree",
                "internship_start": "2028-01-04",
                "internship_end": "2028-02-30",
                "internship_country": "DE",
            },
            "internship_end",
        ),
    ],
)
def test_a_refused_value_is_not_also_said_to_be_missing(client, student, changes, field):
    """500 ECTS were said to be too many, and then asked for as if none had been given."""
    login(client, student)
    response = client.post(reverse("applications:activity_add"), activity_post_data(**changes))
    assert response.status_code == 400
    assert len(response.context["form"].errors[field]) == 1
    assert not Activity.objects.filter(plan__student=student).exists()
