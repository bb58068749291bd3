"""Credits typed on a return page opened before the advisor approved a new version of the
course plan (a change of courses during the mobility) belong to lines the page no longer
edits: they are refused, with the reason, rather than dropped under "saved"."""

from django.urls import reverse

from apps.applications import services
from apps.applications.models import ApplicationState
from tests.applications.factories import login, messages_of
from tests.reviews.advisor.builders import approve_all, dossier_abroad


def return_url(application):
    return reverse("reviews:return_page", args=[application.pk])


def test_credits_typed_for_the_version_approved_before_are_not_reported_saved(
    client, student, advisor
):
    application, first = dossier_abroad(student, advisor, state=ApplicationState.IN_MOBILITY)
    seen_lines = list(first.lines.order_by("pk"))
    changed = [{name: getattr(line, name) for name in services.LINE_CONTENT} for line in seen_lines]
    changed[1]["title"] = "Another course taken abroad"
    second = services.course_plan_replace_lines(
        actor=student, activity=first.activity, lines=changed
    )
    login(client, student).get(return_url(application))  # the page shows the first version
    approve_all(second, advisor)

    response = client.post(return_url(application), {f"line_{line.pk}": "6" for line in seen_lines})

    assert response.url == return_url(application)
    assert messages_of(response) == [
        "Your approved course plan changed since you opened this page: nothing was saved. "
        "Enter the credits obtained for its courses below."
    ]
    assert list(second.lines.values_list("ects_obtained", flat=True)) == [None, None]
    assert list(first.lines.values_list("ects_obtained", flat=True)) == [None, None]
    page = client.get(return_url(application))
    assert [line for line, _field in page.context["ects_form"].rows()] == list(
        second.lines.order_by("pk")
    )


def test_credits_of_the_version_shown_are_saved(client, student, advisor):
    application, course_plan = dossier_abroad(student, advisor, state=ApplicationState.IN_MOBILITY)
    lines = list(course_plan.lines.order_by("pk"))
    response = login(client, student).post(
        return_url(application), {f"line_{line.pk}": "6" for line in lines}
    )
    assert messages_of(response) == ["The credits obtained are saved."]
    assert {line.ects_obtained for line in course_plan.lines.all()} == {6}
