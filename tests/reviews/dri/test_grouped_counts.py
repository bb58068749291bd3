"""Counts of applications written as each reader writes a large number: "1 001" in French
(Django's French format groups by a no-break space), "1,001" in English. The years beside them
stay "2027–2028": the grouping is chosen figure by figure (mobility_portal/numbers.py), not by
USE_THOUSAND_SEPARATOR, which would also write "2 027"."""

import pytest
from django.urls import reverse

from apps.applications.models import Application, ApplicationState
from mobility_portal.caching import everything_changed
from tests.factories import CallFactory
from tests.reviews.dri.builders import bulk_applications

pytestmark = pytest.mark.django_db

# A thousand and one applications, every one submitted, to the call of 2027–2028.
COUNT = 1001
WRITTEN = {"fr": "1\xa0001", "en": "1,001"}


@pytest.fixture
def thousand_and_one(db):
    call = CallFactory(academic_year=2027)
    bulk_applications(COUNT, call=call)
    Application.objects.update(state=ApplicationState.SUBMITTED)
    everything_changed()
    return call


def page(client, user, url, language, **params):
    """The page at `url` as `user` (anonymous when None) reads it in `language`."""
    if user is not None:
        client.force_login(user)
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "1\xa0001 candidatures pour 2027–2028 (brouillons non comptés)."),
        ("en", "1,001 applications for 2027–2028 (drafts not counted)."),
    ],
)
def test_the_reporting_pages_counts_are_grouped_and_its_years_are_not(
    client, dri, thousand_and_one, language, sentence
):
    content = page(client, dri, reverse("reviews:reporting"), language, year=2027)
    assert sentence in content
    written = WRITTEN[language]
    assert f'<td class="text-end">{written}</td>' in content  # the table beside each chart
    assert f"{written}</text>" in content  # the chart's figure
    assert f'<span class="reporting-bar-value">{written}</span>' in content  # on a phone
    assert "1001" not in content
    assert '<option value="2027" selected>2027–2028</option>' in content


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "1\xa0001 candidatures correspondent à ces filtres"),
        ("en", "1,001 applications match these filters"),
    ],
)
def test_the_queues_counts_are_grouped(client, dri, thousand_and_one, language, sentence):
    content = page(client, dri, reverse("reviews:queue"), language)
    assert sentence in content
    assert f'<span class="badge text-bg-light">{WRITTEN[language]}</span>' in content


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_allocation_index_groups_the_applications_to_allocate(
    client, dri, thousand_and_one, language
):
    content = page(client, dri, reverse("reviews:allocation_index"), language)
    assert f'<td class="text-end">{WRITTEN[language]}</td>' in content


# --- seats: the staff home, the allocation's seats and its reasons, a partner's page ----------

SEATS = {"fr": "1\xa0500", "en": "1,500"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_staff_home_groups_the_seats_per_year(client, dri, language):
    from tests.factories import AgreementFactory

    AgreementFactory(kind="exchange", seats_per_year=1500)
    content = page(client, dri, reverse("home"), language)
    assert f'<td class="text-end">{SEATS[language]}</td>' in content


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("fr", "attribué : place 1 sur 1\xa0500"),
        ("en", "allocated: seat 1 of 1,500"),
    ],
)
def test_the_allocation_groups_the_seats_in_its_table_and_its_reasons(
    client, dri, language, reason
):
    from tests.factories import AgreementFactory
    from tests.reviews.allocation.builders import detail_url, waiting

    call = CallFactory(academic_year=2027)
    waiting(call, [AgreementFactory(seats_per_year=1500)])
    content = page(client, dri, detail_url(call), language)
    assert f'<td class="text-end">{SEATS[language]}</td>' in content  # per year, for the call
    assert {"fr": "1\xa0499", "en": "1,499"}[language] in content  # left
    assert reason in content


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_partners_page_groups_its_seats(client, language):
    from tests.factories import AgreementFactory

    agreement = AgreementFactory(seats_per_year=1500)
    content = page(client, None, agreement.partner.get_absolute_url(), language)
    assert f'<td class="text-end">{SEATS[language]}</td>' in content


# --- plans: the operations page, its progress, the regulations -------------------------------


@pytest.fixture
def big_run(dri):
    from apps.applications.models import PlanRecheck, PlanRecheckStatus

    return PlanRecheck.objects.create(
        started_by=dri,
        status=PlanRecheckStatus.RUNNING,
        total=12000,
        checked=4500,
        compliant=4000,
        invalid=0,
        newly_failing=1200,
    )


@pytest.mark.parametrize(
    ("language", "progress", "row"),
    [
        ("fr", "Plans vérifiés : 4\xa0500 sur 12\xa0000", "4\xa0500 / 12\xa0000"),
        ("en", "4,500 of 12,000 plans checked", "4,500 / 12,000"),
    ],
)
def test_the_operations_page_groups_the_plans_of_a_re_check(
    client, dri, big_run, language, progress, row
):
    content = page(client, dri, reverse("reviews:operations"), language)
    assert progress in content
    assert row in content
    newly_failing = {"fr": "1\xa0200", "en": "1,200"}[language]
    assert f'<td class="text-end">{newly_failing}</td>' in content


def test_the_e_mails_handed_over_again_are_counted_grouped(client, dri, monkeypatch):
    """In English only until the French catalogue has the message's new msgid (%(count)s)."""
    from tests.applications.factories import login, messages_of

    monkeypatch.setattr("apps.reviews.views.operations.services_send_again", lambda actor: 1278)
    response = login(client, dri).post(reverse("reviews:operations_send_again"))
    assert messages_of(response) == ["1,278 e-mails handed over again for delivery."]


def test_the_plans_moved_by_a_publication_are_counted_grouped(client, dri, monkeypatch):
    """In English only until the French catalogue has the message's new msgid (%(count)s)."""
    from types import SimpleNamespace

    from tests.applications.factories import login, messages_of
    from tests.reviews.regulations.test_publish import PUBLISH, form_data

    monkeypatch.setattr(
        "apps.reviews.views.regulations.services_publish",
        lambda **kwargs: SimpleNamespace(name="2025", plans_moved=1278),
    )
    response = login(client, dri).post(PUBLISH, {**form_data(), "confirmed": "yes"})
    (message,) = messages_of(response)
    assert "Version 2025 is published" in message and "1,278 plans moved" in message
