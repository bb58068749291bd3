"""A draft its student withdrew before ever submitting it never reached the office: it is not
in the queue, its counts, its country menu, its CSV export nor the dashboard's figures (it
used to be listed and counted as a withdrawn application). One withdrawn after submission is."""

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import ApplicationState
from tests.applications.factories import complete_application, login
from tests.factories import StudentProfileFactory
from tests.reviews.dri.builders import submitted
from tests.reviews.dri.test_queue_export import exported

S = ApplicationState
QUEUE = reverse("reviews:queue")


@pytest.fixture
def withdrawn_draft(student):
    application = complete_application(student, country="CA")
    services.application_withdraw(actor=student, application=application)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN and application.restartable
    return application


@pytest.fixture
def withdrawn_after_submission(withdrawn_draft):
    student = StudentProfileFactory().user
    application = submitted(student, call=withdrawn_draft.call, country="CA")
    services.application_withdraw(actor=student, application=application)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN and not application.restartable
    return application


def test_the_queue_lists_and_counts_only_what_was_submitted(
    client, dri, withdrawn_draft, withdrawn_after_submission
):
    response = login(client, dri).get(QUEUE)
    assert list(response.context["page"].object_list) == [withdrawn_after_submission]
    assert response.context["page"].paginator.count == 1
    counts = {row.key: row.count for row in response.context["state_counts"]}
    assert counts[S.WITHDRAWN] == 1


def test_the_export_leaves_it_out(client, dri, withdrawn_draft, withdrawn_after_submission):
    lines = exported(login(client, dri).get(reverse("reviews:queue_export")))[1:]
    number = withdrawn_after_submission.student.student_profile.student_number
    assert [line[0] for line in lines] == [number]


def test_the_dashboard_does_not_count_it(client, dri, withdrawn_draft, withdrawn_after_submission):
    response = login(client, dri).get(reverse("reviews:reporting"))
    assert response.context["total"] == 1
    sections = {section.filter_name: section.rows for section in response.context["sections"]}
    assert [(row.key, row.count) for row in sections["state"]] == [(S.WITHDRAWN, 1)]
    assert sum(row.count for row in sections["country"]) == 1


def test_alone_it_names_no_country_and_counts_nothing(client, dri, withdrawn_draft):
    response = login(client, dri).get(QUEUE)
    assert response.context["page"].paginator.count == 0
    assert "CA" not in dict(response.context["filter"].form.fields["country"].choices)
    dashboard = client.get(reverse("reviews:reporting"))
    assert dashboard.context["total"] == 0
    assert all(not section.rows for section in dashboard.context["sections"])
