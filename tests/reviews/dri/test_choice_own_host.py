"""A choice outside partnerships keeps the host and country it was submitted with. Two choices
can share one stay (its own host, and a partner's agreement); a nomination to the partner moves
the stay there, and the other choice used to lose its host in the queue, the CSV, the country
filter and the figures, and showed the partner's country on the dossier."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from apps.applications import services
from apps.applications.models import Activity, Application, ApplicationState, Choice
from apps.reviews.selectors_queue import counts_by_country
from apps.reviews.services.decisions import application_nominate
from tests.applications.factories import complete_application, login
from tests.factories import CallFactory
from tests.reviews.dri.test_queue_export import exported

S = ApplicationState
HOST = "University of Toronto"

pytestmark = pytest.mark.django_db


@pytest.fixture
def nominated_to_the_partner(student, dri):
    """Choice 1: a partner's agreement for the stay; choice 2: the stay's own host in Canada.
    Nominated to the partner, whose country is not Canada."""
    application = complete_application(student, host_name=HOST, country="CA")
    first = application.choices.select_related("agreement__partner").get()
    assert first.agreement.partner.country != "CA"
    Choice.objects.create(application=application, rank=2, activity=first.activity)
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    application = application_nominate(actor=dri, application=application, choice=first)
    activity = Activity.objects.get(pk=first.activity_id)
    assert (activity.partner, activity.host_name) == (first.agreement.partner, "")
    return application


def test_the_choice_keeps_its_host(nominated_to_the_partner):
    outside = nominated_to_the_partner.choices.get(rank=2)
    assert (outside.destination, outside.own_host_country.code) == (HOST, "CA")


def test_the_queue_and_its_export_name_it(client, dri, nominated_to_the_partner):
    client = login(client, dri)
    page = client.get(reverse("reviews:queue")).content.decode()
    assert HOST in page
    [line] = exported(client.get(reverse("reviews:queue_export")))[1:]
    partner = nominated_to_the_partner.choices.get(rank=1).agreement.partner
    assert line[6] == f"1: {partner.name}; 2: {HOST}"
    with override("en"):
        assert line[7] == f"1: {partner.country.name}; 2: Canada"


def test_the_country_filter_and_the_figures_count_its_country(
    client, dri, nominated_to_the_partner
):
    queue = login(client, dri).get(reverse("reviews:queue"), {"country": "CA"})
    assert list(queue.context["page"].object_list) == [nominated_to_the_partner]
    year = nominated_to_the_partner.call.academic_year
    assert "CA" in {row.key for row in counts_by_country(year)}


def test_the_dossier_shows_its_country(client, dri, nominated_to_the_partner):
    page = login(client, dri).get(reverse("reviews:dossier", args=[nominated_to_the_partner.pk]))
    assert "(Canada)" in page.content.decode()


def test_a_draft_choice_follows_its_stay(student):
    """Before submission the student may still rename the host: the choice reads the stay."""
    application = complete_application(student, host_name=HOST, country="CA")
    activity = application.choices.get().activity
    outside = Choice.objects.create(application=application, rank=2, activity=activity)
    Activity.objects.filter(pk=activity.pk).update(host_name="McGill University")
    outside = Choice.objects.get(pk=outside.pk)
    assert (outside.host_name, outside.destination) == ("", "McGill University")


def test_a_resubmission_keeps_the_host_while_the_stay_names_a_partner(
    student, nominated_to_the_partner
):
    """Another application names the stay's own host too, and the office asked for changes:
    submitted again while a nomination keeps the stay at the partner, its choice still names
    the host it was first submitted with (the stay names no host of its own then)."""
    call = CallFactory(academic_year=nominated_to_the_partner.call.academic_year)
    other = complete_application(student, call=call)
    stay = nominated_to_the_partner.choices.get(rank=2).activity
    other.choices.update(activity=stay, agreement=None, host_name=HOST, host_country="CA")
    Application.objects.filter(pk=other.pk).update(
        state=S.CHANGES_REQUESTED, submitted_at=timezone.now()
    )
    other.refresh_from_db()

    services.application_submit(actor=student, application=other)

    outside = other.choices.get()
    assert (outside.destination, outside.own_host_country.code) == (HOST, "CA")
