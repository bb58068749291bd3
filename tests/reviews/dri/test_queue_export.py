"""CSV export of the filtered queue: every filtered row, across pages, nothing else."""

import csv
import io

import pytest
from django.urls import reverse

from apps.applications.models import Activity, ActivityKind, ApplicationState, Choice
from apps.programmes.models import Partner
from tests.applications.factories import login
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.dri.builders import bulk_applications, in_state, submitted

S = ApplicationState
EXPORT = reverse("reviews:queue_export")
# Session, user, the applications and their choices (fewer than EXPORT_CHUNK_SIZE of them).
EXPORT_QUERIES = 4
HEADER = [
    "Student number",
    "Name",
    "E-mail",
    "Call",
    "State",
    "Submitted at",
    "Choices (rank: destination)",
    "Destination countries (rank: country)",
    "Programmes (rank: programme)",
    "Nominated to",
    "Rule errors when submitted",
    "Ranking score",
]


def exported(response, delimiter: str = ",") -> list[list[str]]:
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the mark
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def test_export_has_exactly_the_filtered_rows_of_every_page(client, dri):
    call = CallFactory()
    applications = bulk_applications(120, call=call)
    bulk_applications(30)  # another call
    response = login(client, dri).get(EXPORT, {"call": call.pk, "state": S.SUBMITTED})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="applications-')
    header, *lines = exported(response)
    assert header == HEADER
    expected = {
        a.student.student_profile.student_number for a in applications if a.state == S.SUBMITTED
    }
    assert len(lines) == len(expected) > 0
    assert {line[0] for line in lines} == expected


def test_export_columns(client, dri, student):
    application = submitted(student)
    choice = application.choices.select_related("agreement__partner").get()
    Partner.objects.filter(pk=choice.agreement.partner_id).update(country="DE")
    in_state(application, S.NOMINATED, nominated_choice=choice, ranking_score="14.500")
    [line] = exported(login(client, dri).get(EXPORT))[1:]
    profile = student.student_profile
    assert line[:5] == [
        profile.student_number,
        student.get_full_name(),
        student.email,
        str(application.call),
        "Nominated",
    ]
    assert line[5].startswith(f"{application.submitted_at:%Y-}")
    assert line[6:] == [
        f"1: {choice.agreement.partner.name}",
        "1: Germany",
        "1: One semester of exchange",
        choice.agreement.partner.name,
        "no",
        "14.500",
    ]


def test_in_french_the_file_is_as_french_spreadsheets_read_it(client, dri, student):
    application = submitted(student)
    Partner.objects.filter(pk=application.choices.get().agreement.partner_id).update(country="DE")
    in_state(application, S.UNDER_REVIEW, ranking_score="14.500")
    response = login(client, dri).get(EXPORT, HTTP_ACCEPT_LANGUAGE="fr")
    header, line = exported(response, delimiter=";")
    assert header[0] == "Numéro d'étudiant"
    assert line[-1] == "14,500"
    # As the header names it, "rang : destination": French puts a space before the colon.
    choice = application.choices.select_related("agreement__partner").get()
    assert line[6] == f"1\u00a0: {choice.agreement.partner.name}"
    # Countries and programmes as the French pages name them.
    assert line[7:9] == ["1\u00a0: Allemagne", "1\u00a0: Échange d'un semestre"]


def test_a_cell_a_spreadsheet_would_run_is_exported_as_text(client, dri, student):
    student.first_name, student.last_name = "=HYPERLINK(1)", ""
    student.save()
    submitted(student)
    [line] = exported(login(client, dri).get(EXPORT))[1:]
    assert line[1] == "'=HYPERLINK(1)"


def test_each_choice_has_its_country_and_programme_in_rank_order(client, dri, student):
    """Two choices of two stays: a partner's semester in Germany, a master in Japan."""
    application = submitted(student)
    first = application.choices.select_related("agreement__partner").get()
    Partner.objects.filter(pk=first.agreement.partner_id).update(country="DE")
    master = Activity.objects.create(
        plan=first.activity.plan,
        kind=ActivityKind.MASTER,
        start=first.activity.start,
        end=first.activity.end,
        country="JP",
        ects=60,
    )
    tokyo = AgreementFactory(partner__country="JP", partner__name="Tokyo Tech")
    Choice.objects.create(application=application, rank=2, activity=master, agreement=tokyo)
    [line] = exported(login(client, dri).get(EXPORT))[1:]
    assert line[6:9] == [
        f"1: {first.agreement.partner.name}; 2: Tokyo Tech",
        "1: Germany; 2: Japan",
        "1: One semester of exchange; 2: Master abroad",
    ]


def test_a_kind_no_longer_listed_is_written_as_its_code(client, dri, student):
    """An activity of a kind since taken out of the list does not break the export."""
    application = submitted(student)
    Activity.objects.filter(pk=application.choices.get().activity_id).update(kind="erasmus_old")
    [line] = exported(login(client, dri).get(EXPORT))[1:]
    assert line[8] == "1: erasmus_old"


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_export_runs_the_same_queries_for_ten_or_four_hundred_applications(
    client, dri, django_assert_num_queries
):
    """The countries and programmes come with the choices' names: no query per line. Session
    and user, the applications, their choices (one query per EXPORT_CHUNK_SIZE applications);
    the filter's menus come from the cache once a first export has read them."""
    call = CallFactory()
    country = bulk_applications(10, call=call)[0].choices.first().agreement.partner.country.code
    client = login(client, dri)
    b"".join(client.get(EXPORT).streaming_content)  # reads the menus
    for params in ({"call": call.pk}, {}, {"country": country, "kind": "exchange_semester"}):
        with django_assert_num_queries(EXPORT_QUERIES):
            lines = exported(client.get(EXPORT, params))
        assert len(lines) > 1
    bulk_applications(390)
    b"".join(client.get(EXPORT).streaming_content)  # the menus changed: read them again
    with django_assert_num_queries(EXPORT_QUERIES):
        lines = exported(client.get(EXPORT))
    assert len(lines) == 401
    assert all(line[7] and line[8] for line in lines[1:])


def test_dfi_exports_too(client, dfi, student):
    submitted(student)
    assert len(exported(login(client, dfi).get(EXPORT))) == 2


@pytest.mark.parametrize("persona", ["student", "advisor"])
def test_students_and_advisors_are_refused(client, request, persona):
    assert login(client, request.getfixturevalue(persona)).get(EXPORT).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(EXPORT).url.startswith(reverse("login"))


def test_a_refused_filter_sends_back_to_the_queue_which_says_why(client, dri):
    """A file has no room for "Select a valid choice": it held every application instead."""
    params = {"state": "nonsense", "country": "DE"}
    response = login(client, dri).get(reverse("reviews:queue_export"), params)
    assert response.status_code == 302
    assert response.url == f"{reverse('reviews:queue')}?state=nonsense&country=DE"
    page = client.get(response.url)
    assert page.context["filter"].form.errors["state"]
