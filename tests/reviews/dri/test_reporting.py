"""The staff reporting dashboard: one academic year by state, country and programme."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.applications.models import ActivityKind, Application, ApplicationState
from tests.applications.factories import ActivityFactory, ApplicationFactory, ChoiceFactory, login
from tests.factories import AgreementFactory, CallFactory, PartnerFactory
from tests.reviews.dri.builders import bulk_applications, in_state

S = ApplicationState
REPORTING = reverse("reviews:reporting")
# Session, user, notifications bell, the years, and one query per breakdown (state, country,
# programme): 7 whatever the rows. Until the applications change, the years and breakdowns
# come from the shared cache: 3.
REPORTING_MAX_QUERIES = 7
REPORTING_CACHED_QUERIES = 3


def application(call, state=S.SUBMITTED, choices=()):
    """An application to `call` in `state`; each choice a (partner country or None for the
    activity's own host, activity country, activity kind)."""
    created = in_state(ApplicationFactory(call=call), state)
    for rank, (partner_country, country, kind) in enumerate(choices, start=1):
        agreement = (
            AgreementFactory(partner=PartnerFactory(country=partner_country))
            if partner_country
            else None
        )
        ChoiceFactory(
            application=created,
            rank=rank,
            agreement=agreement,
            activity=ActivityFactory(country=country, kind=kind),
        )
    return created


def section(response, name):
    return next(s for s in response.context["sections"] if s.filter_name == name)


def figures(response, name):
    return {row.key: row.count for row in section(response, name).rows}


@pytest.fixture
def year_2027(db):
    call = CallFactory(academic_year=2027)
    semester, master = ActivityKind.EXCHANGE_SEMESTER, ActivityKind.MASTER
    application(call, S.SUBMITTED, [("JP", "JP", semester), ("CA", "CA", master)])
    application(call, S.SUBMITTED, [("JP", "JP", semester)])
    application(call, S.NOMINATED, [(None, "BR", master)])
    ApplicationFactory(call=call)  # a draft: not counted
    return call


def test_counts_of_the_chosen_year(client, dri, year_2027):
    application(CallFactory(academic_year=2026), S.REFUSED, [("JP", "JP", "exchange_year")])
    response = login(client, dri).get(REPORTING, {"year": 2027})
    assert response.status_code == 200
    assert response.context["year"] == 2027
    assert response.context["total"] == 3
    assert figures(response, "state") == {S.SUBMITTED: 2, S.NOMINATED: 1}
    assert figures(response, "country") == {"JP": 2, "CA": 1, "BR": 1}
    assert figures(response, "kind") == {"exchange_semester": 2, "master": 2}
    assert [row.key for row in section(response, "country").rows] == ["JP", "BR", "CA"]
    assert "3 applications for 2027–2028 (drafts not counted)." in response.content.decode()


def test_the_latest_year_is_the_default(client, dri, year_2027):
    application(CallFactory(academic_year=2026), S.REFUSED)
    for params in ({}, {"year": "1999"}, {"year": "not a year"}):
        response = login(client, dri).get(REPORTING, params)
        assert response.context["year"] == 2027
        assert response.context["years"] == [2027, 2026]


@pytest.mark.parametrize("requested", ["1999", "not a year", " 2026x"])
def test_a_year_with_no_call_is_said_before_the_latest_years_counts(
    client, dri, year_2027, requested
):
    content = login(client, dri).get(REPORTING, {"year": requested}).content.decode()
    assert (
        f"No call for applications for the academic year “{requested.strip()}”: the counts "
        "below are those of 2027–2028."
    ) in content


@pytest.mark.parametrize("params", [{}, {"year": "2027"}, {"year": ""}, {"year": "02027"}])
def test_a_year_asked_and_found_or_none_asked_says_nothing_of_the_kind(
    client, dri, year_2027, params
):
    assert "No call for applications for the academic year" not in (
        login(client, dri).get(REPORTING, params).content.decode()
    )


def test_every_row_links_to_the_queue_filtered_the_same_way(client, dri, year_2027):
    response = login(client, dri).get(REPORTING, {"year": 2027})
    content = response.content.decode()
    queue = reverse("reviews:queue")
    for link in (
        "year=2027&amp;state=nominated",
        "year=2027&amp;country=JP",
        "year=2027&amp;kind=master",
    ):
        assert f'href="{queue}?{link}"' in content
    assert f'href="{reverse("reviews:queue_export")}?year=2027"' in content
    # The queue, filtered so, shows as many applications as the row counts.
    queue_page = client.get(queue, {"year": 2027, "country": "JP"})
    assert queue_page.context["page"].paginator.count == 2


def test_charts_are_accessible_images_with_the_same_figures(client, dri, year_2027):
    response = login(client, dri).get(REPORTING, {"year": 2027})
    content = response.content.decode()
    assert content.count('role="img"') == 3
    assert '<title id="chart-country-title">By destination country</title>' in content
    assert "Japan: 2. Brazil: 1. Canada: 1." in content
    assert content.count("<table") == 3


def test_chart_coordinates_keep_their_decimal_point_in_french(client, dri, year_2027):
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    content = client.get(REPORTING, {"year": 2027}).content.decode()
    start = content.index('class="reporting-chart"')
    chart = content[start : content.index("</svg>", start)]
    assert 'width="392.0"' in chart


def test_the_phone_s_bars_are_hidden_from_screen_readers_and_keep_their_decimal_point(
    client, dri, year_2027
):
    """On a phone the bars are HTML, each a share of the column (tests/e2e); the drawing
    stays the one image screen readers are given."""
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    content = client.get(REPORTING, {"year": 2027}).content.decode()
    assert content.count('<div class="reporting-bars" aria-hidden="true">') == 3
    start = content.index('class="reporting-bars"', content.index('id="report-country-title"'))
    bars = content[start : content.index("<table", start)]
    assert "width: calc((100% - 3rem) * 1.0)" in bars  # Japon, 2
    assert "width: calc((100% - 3rem) * 0.5)" in bars  # Brésil and Canada, 1


def test_no_call_yet(client, dri):
    response = login(client, dri).get(REPORTING)
    assert response.status_code == 200
    assert "No call for applications yet" in response.content.decode()


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_queries_do_not_grow_with_applications(client, dri, django_assert_max_num_queries):
    call = CallFactory(academic_year=2027)
    bulk_applications(20, call=call)
    login(client, dri).get(REPORTING)
    with CaptureQueriesContext(connection) as few:
        client.get(REPORTING)
    bulk_applications(1000, call=call)
    with django_assert_max_num_queries(REPORTING_MAX_QUERIES):
        response = client.get(REPORTING)
    assert response.context["total"] == 1020
    assert len(few.captured_queries) == REPORTING_CACHED_QUERIES


def test_the_kept_charts_follow_a_new_submission(client, dri, year_2027):
    """Counts and charts are kept between visits, and computed again once an application moves."""
    login(client, dri).get(REPORTING)
    draft = Application.objects.get(call=year_2027, state=S.DRAFT)
    ChoiceFactory(application=draft, agreement=AgreementFactory(partner__country="NZ"))
    draft.state = S.SUBMITTED
    draft.save()
    response = client.get(REPORTING)
    assert response.context["total"] == 4
    assert (
        f'href="{reverse("reviews:queue")}?year=2027&amp;country=NZ"' in response.content.decode()
    )


def test_dfi_sees_the_dashboard(client, dfi, year_2027):
    assert login(client, dfi).get(REPORTING).status_code == 200


@pytest.mark.parametrize("persona", ["student", "advisor"])
def test_students_and_advisors_are_refused(client, request, persona):
    assert login(client, request.getfixturevalue(persona)).get(REPORTING).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(REPORTING).url.startswith(reverse("login"))
