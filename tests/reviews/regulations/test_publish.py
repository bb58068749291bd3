"""The DRI publishes a new regulation version from the portal: no code change, no deploy."""

import pytest
from django.urls import reverse

from apps.applications.checking import plan_result
from apps.applications.models import (
    ApplicationState,
    MobilityPlan,
    PlanRecheck,
    PlanRecheckStatus,
)
from apps.applications.selectors import required_course_ects
from apps.applications.services import plan_for_student
from apps.rules import VERSIONS
from apps.rules.models import PublishedRegulation
from apps.rules.published import current_regulations
from apps.rules.versions import PARAMETERS
from tests.applications.factories import draft_with_choice, login, messages_of
from tests.applications.plan_helpers import add_activity
from tests.factories import StudentProfileFactory
from tests.scale.recheck_helpers import active_run

pytestmark = pytest.mark.django_db

PUBLISH = reverse("reviews:regulation_publish")
REGULATIONS = reverse("reviews:regulations")


def form_data(
    name="2025", note="Semesters need 27 ECTS from 2025.", based_on="2024", **figures
) -> dict:
    base = {parameter: getattr(VERSIONS["2024"], parameter) for parameter in PARAMETERS}
    return {
        "name": name,
        "note": note,
        "based_on": based_on,
        **base,
        "semester_minimum_ects": 27,
        **figures,
    }


def publish(client, **data):
    """The form, then the confirmation, as the DRI clicks through them."""
    return client.post(PUBLISH, {**form_data(**data), "confirmed": "yes"})


def semester_errors(student) -> list[str]:
    plan = MobilityPlan.objects.get(student=student)
    check = plan_result(plan, plan.activities.all(), lang="en")
    return [finding.rule for finding in check.result.findings if finding.severity == "error"]


def test_the_form_starts_from_the_current_figures_and_suggests_the_next_year(client, dri):
    response = login(client, dri).get(PUBLISH)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["name"] == "2025"
    assert form.initial["semester_minimum_ects"] == 30
    assert "Exchange semester: minimum ECTS" in response.content.decode()


def test_the_confirmation_names_the_changes_and_the_plans_that_move(client, dri, student):
    add_activity(student, ects=28)  # no application: moves
    keeper = StudentProfileFactory().user
    application = draft_with_choice(keeper)
    application.state = ApplicationState.SUBMITTED
    application.save()
    response = login(client, dri).post(PUBLISH, form_data())
    assert response.status_code == 200
    assert response.context["changes"] == [("Exchange semester: minimum ECTS", 30, 27)]
    impact = response.context["impact"]
    assert (impact.moving, impact.keeping) == (1, 1)
    assert not PublishedRegulation.objects.exists()  # nothing until confirmed
    content = response.content.decode()
    assert 'name="confirmed" value="yes"' in content and 'type="hidden"' in content


def test_publishing_moves_unsubmitted_plans_and_checks_every_plan_again(
    client, dri, student, django_capture_on_commit_callbacks
):
    add_activity(student, ects=28)
    assert "SEMESTER_ECTS" in semester_errors(student)
    keeper = StudentProfileFactory().user
    kept = draft_with_choice(keeper, ects=28)
    kept.state = ApplicationState.UNDER_REVIEW
    kept.save()
    withdrawn = StudentProfileFactory().user
    gone = draft_with_choice(withdrawn, ects=28)
    gone.state = ApplicationState.WITHDRAWN
    gone.save()
    MobilityPlan.objects.update(checked_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = publish(login(client, dri))

    assert response.status_code == 302 and response.url == reverse("reviews:operations")
    published = PublishedRegulation.objects.get()
    assert (published.name, published.published_by, published.plans_moved) == ("2025", dri, 2)
    assert published.figures["semester_minimum_ects"] == 27
    regulations = dict(MobilityPlan.objects.values_list("student", "regulation"))
    assert regulations == {student.pk: "2025", withdrawn.pk: "2025", keeper.pk: "2024"}
    assert "SEMESTER_ECTS" not in semester_errors(student)  # 28 ECTS are now enough
    assert "SEMESTER_ECTS" in semester_errors(keeper)  # submitted under 2024: judged by it
    recheck = PlanRecheck.objects.get()
    assert (recheck.status, recheck.started_by, recheck.checked) == (
        PlanRecheckStatus.DONE,
        dri,
        3,
    )
    assert not MobilityPlan.objects.filter(checked_at__isnull=True).exists()
    (message,) = messages_of(response)
    assert "Version 2025 is published" in message and "2 plans moved" in message


def test_the_new_version_is_the_current_one_everywhere(client, dri, student, english):
    publish(login(client, dri))
    assert current_regulations().current == "2025"
    newcomer = StudentProfileFactory().user
    assert plan_for_student(newcomer).regulation == "2025"  # a new plan follows it
    activity = add_activity(student)
    assert required_course_ects(activity) == 27  # the course plan's target too
    programmes = client.get(reverse("programmes:programmes"))
    assert programmes.context["figures"]["semester_ects"] == 27
    page = client.get(REGULATIONS)
    columns = page.context["columns"]
    assert [(column.version.name, column.current, column.plans) for column in columns] == [
        ("2025", True, 2),
        ("2024", False, 0),
    ]
    assert "Semesters need 27 ECTS from 2025." in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"name": "2024"}, "name", "already exists"),
        ({"name": "20 25"}, "name", "1 to 16 letters"),
        ({"name": ""}, "name", "required"),
        ({"note": " "}, "note", "required"),
        ({"semester_minimum_ects": 0}, "semester_minimum_ects", "greater than or equal to 1"),
        ({"fise_minimum_weeks": 500}, "fise_minimum_weeks", "less than or equal to 104"),
        ({"master_minimum_months": 25}, "master_maximum_months", "cannot be below"),
        ({"year_project_ects": 90}, "year_minimum_ects", "cannot be below"),
        ({"summer_maximum_months": "three"}, "summer_maximum_months", "whole number"),
    ],
)
def test_wrong_input_is_shown_on_the_form_and_nothing_is_published(client, dri, data, field, words):
    response = publish(login(client, dri), **data)
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors[field])
    assert response.context["form"].data["note"] == form_data(**data)["note"]  # kept as typed
    assert not PublishedRegulation.objects.exists()


def test_back_to_the_figures_keeps_what_was_typed(client, dri):
    response = login(client, dri).post(PUBLISH, {**form_data(), "edit": "1"})
    assert response.status_code == 200
    assert response.context["form"]["semester_minimum_ects"].value() == "27"
    assert not PublishedRegulation.objects.exists()


def test_refused_while_a_recheck_runs(client, dri, student):
    add_activity(student, ects=28)
    active_run(dri)
    response = publish(login(client, dri))
    assert response.status_code == 400
    assert "already running" in " ".join(response.context["form"].non_field_errors())
    assert not PublishedRegulation.objects.exists()
    assert MobilityPlan.objects.get(student=student).regulation == "2024"


def test_a_published_version_cannot_take_a_published_name(client, dri):
    publish(login(client, dri))
    response = publish(client, note="Again.", based_on="2025")
    assert response.status_code == 400
    assert PublishedRegulation.objects.count() == 1


@pytest.mark.parametrize("persona", ["student", "advisor", "dfi"])
def test_only_the_dri_and_admins_publish(client, request, persona):
    user = request.getfixturevalue(persona)
    assert publish(login(client, user)).status_code == 403
    assert not PublishedRegulation.objects.exists()


def test_the_dfi_reads_the_versions(client, dfi):
    response = login(client, dfi).get(REGULATIONS)
    assert response.status_code == 200
    assert PUBLISH not in response.content.decode()


def test_french_labels(client, dri):
    client.force_login(dri)
    content = client.get(PUBLISH, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Semestre d&#x27;échange : ECTS minimum" in content


def test_publish_sent_twice_publishes_once_and_says_so(client, dri, student):
    """A double click on Publish: the second request, held until the first committed, found
    its own version current and answered 'Version 2025 was published meanwhile: compare your
    figures with it' (409), a confirmation to do again of what was done."""
    add_activity(student, ects=28)
    login(client, dri)
    first = publish(client)
    second = publish(client)
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("reviews:operations")
    assert "is published" in messages_of(second)[-1]
    assert PublishedRegulation.objects.count() == 1
    assert PlanRecheck.objects.count() == 1
    # Another name, or other figures, from the old comparison is still compared again.
    assert publish(client, name="2026").status_code == 409
    assert PublishedRegulation.objects.count() == 1
