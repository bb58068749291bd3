"""From a filtered, sorted page of the queue to a dossier, a decision on it, and back: the
officer returns to the queue as they left it, not to the first page of everything."""

import re
from html import unescape

import pytest
from django.urls import reverse

from apps.applications.models import ApplicationState
from tests.applications.factories import login
from tests.reviews.dri.builders import decision_url, seen, submitted

pytestmark = pytest.mark.django_db

QUEUE = reverse("reviews:queue")
FILTERS = {"state": "submitted", "sort": "-submitted", "q": "Léa Dupont", "page": "1"}


def dossier_link(page: str, application) -> str:
    path = reverse("reviews:dossier", args=[application.pk])
    return unescape(re.search(rf'href="({re.escape(path)}[^"]*)"', page).group(1))


def back_link(page: str) -> str:
    found = re.search(r'<a href="([^"]*)">Back to the applications</a>', page)
    return unescape(found.group(1))


def test_the_dossier_leads_back_to_the_queue_as_it_was(client, dri, student):
    application = submitted(student)
    student.first_name, student.last_name = "Léa", "Dupont"
    student.save()
    queue = login(client, dri).get(QUEUE, FILTERS).content.decode()

    dossier = client.get(dossier_link(queue, application)).content.decode()

    back = back_link(dossier)
    assert client.get(back).context["page"].object_list == [application]
    assert client.get(back).context["filter"].form.cleaned_data["sort"] == "-submitted"
    assert "q=L%C3%A9a+Dupont" in back and "state=submitted" in back


def test_a_decision_comes_back_to_the_dossier_with_the_way_back(client, dri, student):
    application = submitted(student)
    queue = login(client, dri).get(QUEUE, {"state": "submitted"}).content.decode()
    dossier_path = dossier_link(queue, application)
    dossier = client.get(dossier_path).content.decode()
    take = decision_url("take", application)
    action = unescape(re.search(rf'action="({re.escape(take)}[^"]*)"', dossier).group(1))

    response = client.post(action, seen(application, "take"))

    assert response.status_code == 302 and response.url == dossier_path
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_REVIEW
    assert back_link(client.get(response.url).content.decode()) == f"{QUEUE}?state=submitted"


def test_only_the_queues_own_parameters_travel(client, dri, student):
    application = submitted(student)
    path = reverse("reviews:dossier", args=[application.pk])
    back = "state=submitted&next=https://evil.example&evil=1"
    page = login(client, dri).get(path, {"back": back}).content.decode()
    assert back_link(page) == f"{QUEUE}?state=submitted"
    # Nothing to go back to: the queue as it opens.
    assert back_link(client.get(path).content.decode()) == QUEUE
