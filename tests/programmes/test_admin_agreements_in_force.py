"""The admin's list of agreements filters by the academic years they are in force, and extends
those renewed by a year: before next year's call, the DRI looked through every agreement's
first and last years for those that end, and opened each renewed one to change it."""

import re
from collections import defaultdict
from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from apps.programmes.models import Agreement
from tests.factories import AgreementFactory, CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreements():
    return {
        "open-ended": AgreementFactory(first_year=2024, last_year=None),
        "ends 2027": AgreementFactory(first_year=2024, last_year=2027),
        "ended 2025": AgreementFactory(first_year=2022, last_year=2025),
        "starts 2028": AgreementFactory(first_year=2028, last_year=None),
    }


def listed(client, value):
    response = client.get(reverse("admin:programmes_agreement_changelist"), {"in_force": value})
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027", {"open-ended", "ends 2027"}),
        ("not-2027", {"ended 2025", "starts 2028"}),
        ("2028", {"open-ended", "starts 2028"}),
        ("not-2028", {"ends 2027", "ended 2025"}),
    ],
)
def test_agreements_in_force_or_not_in_a_year(client, dri, agreements, value, expected):
    client.force_login(dri)

    assert listed(client, value) == {agreements[name] for name in expected}


@pytest.mark.parametrize("value", ["27", "not-", "not-abc", "２０２７", "x" * 300])
def test_a_value_the_menu_never_offers_lists_every_agreement(client, dri, agreements, value):
    client.force_login(dri)

    assert listed(client, value) == set(agreements.values())


def test_the_menu_offers_the_years_of_the_calls_and_this_year_and_the_next(
    client, dri, agreements, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2026, 11, 28))
    CallFactory(academic_year=2030)
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(reverse("admin:programmes_agreement_changelist")).content.decode()

    assert "in force in 2026–2027" in page
    assert "not in force in 2027–2028" in page
    assert "?in_force=not-2030" in page
    assert "?in_force=2029" not in page


CHANGELIST = reverse("admin:programmes_agreement_changelist")
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def ask_to_extend(client, *agreements):
    """The action chosen in the list: its confirmation page."""
    return client.post(
        CHANGELIST, {"action": "extend_one_year", "_selected_action": [a.pk for a in agreements]}
    )


def confirmation(page) -> dict[str, list[str]]:
    """What the confirmation page's form sends."""
    data = defaultdict(list)
    for name, value in HIDDEN.findall(page.content.decode()):
        data[name].append(value)
    return data


def extend(client, *agreements):
    page = ask_to_extend(client, *agreements)
    if page.status_code != 200:
        return page
    return client.post(CHANGELIST, confirmation(page), follow=True)


def test_agreements_renewed_are_extended_by_a_year_and_open_ended_ones_left(
    client, dri, agreements
):
    """The DRI opened each renewed agreement to change its last year."""
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = extend(
        client, agreements["ends 2027"], agreements["ended 2025"], agreements["open-ended"]
    )

    for agreement in agreements.values():
        agreement.refresh_from_db()
    assert agreements["ends 2027"].last_year == 2028
    assert agreements["ended 2025"].last_year == 2026
    assert agreements["open-ended"].last_year is None
    page = response.content.decode()
    assert "2 agreements extended by one academic year." in page
    assert "1 agreement is open-ended: left as it is." in page
    entry = LogEntry.objects.get(object_id=str(agreements["ends 2027"].pk))
    assert (entry.user, entry.action_flag) == (dri, CHANGE)


def test_a_student_cannot_extend_agreements(client, student, agreements):
    client.force_login(student)

    extend(client, agreements["ends 2027"])

    agreements["ends 2027"].refresh_from_db()
    assert agreements["ends 2027"].last_year == 2027


def test_an_agreement_the_model_refuses_now_is_named_not_a_server_error(client, dri, agreements):
    broken = agreements["ends 2027"]
    Agreement.objects.filter(pk=broken.pk).update(first_year=24)  # before years were checked
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = extend(client, broken, agreements["ended 2025"])

    assert response.status_code == 200
    page = response.content.decode()
    assert f"{broken} is not extended: Write the year with its four digits" in page
    assert "1 agreement extended by one academic year." in page
    broken.refresh_from_db()
    assert broken.last_year == 2027


def test_the_list_shows_each_agreements_years_in_one_column(client, dri, agreements):
    """The last year was a column of its own past the list's right edge on a laptop."""
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(reverse("admin:programmes_agreement_changelist")).content.decode()

    assert "2024–2025 … 2027–2028" in page
    assert "from 2024–2025" in page
    assert "column-last_year" not in page


def test_the_action_first_shows_each_last_year_now_and_after_and_changes_nothing(
    client, dri, agreements
):
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = ask_to_extend(client, agreements["ends 2027"], agreements["open-ended"])

    assert page.status_code == 200
    content = page.content.decode()
    assert (
        f"<tr><td>{agreements['ends 2027']}</td><td>2027–2028</td><td>2028–2029</td></tr>"
        in content
    )
    assert (
        f"<tr><td>{agreements['open-ended']}</td><td>open-ended</td>"
        "<td>open-ended: left as it is</td></tr>" in content
    )
    assert confirmation(page)[f"last_year_seen_{agreements['ends 2027'].pk}"] == ["2027"]
    assert confirmation(page)[f"last_year_seen_{agreements['open-ended'].pk}"] == [""]
    agreements["ends 2027"].refresh_from_db()
    assert agreements["ends 2027"].last_year == 2027
    assert not LogEntry.objects.exists()


def test_a_confirmation_sent_twice_extends_by_one_year_and_says_so(client, dri, agreements):
    """A double submit added two years."""
    ends = agreements["ends 2027"]
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    confirm = confirmation(ask_to_extend(client, ends))

    client.post(CHANGELIST, confirm, follow=True)
    again = client.post(CHANGELIST, confirm, follow=True)

    ends.refresh_from_db()
    assert ends.last_year == 2028
    assert LogEntry.objects.filter(object_id=str(ends.pk)).count() == 1
    page = again.content.decode()
    assert (
        f"{ends} is not extended: its academic years changed since the confirmation page "
        "showed them (now 2024–2025 … 2028–2029). Select it again to extend it."
    ) in page
    assert "extended by one academic year." not in page


def test_an_agreement_changed_after_the_page_is_left_and_the_others_extended(
    client, dri, agreements
):
    ends, ended, open_ended = (
        agreements["ends 2027"],
        agreements["ended 2025"],
        agreements["open-ended"],
    )
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    confirm = confirmation(ask_to_extend(client, ends, ended, open_ended))
    Agreement.objects.filter(pk=ends.pk).update(last_year=2030)  # someone else's change
    Agreement.objects.filter(pk=open_ended.pk).update(last_year=2026)

    page = client.post(CHANGELIST, confirm, follow=True).content.decode()

    assert [
        agreement.last_year
        for agreement in Agreement.objects.filter(
            pk__in=[ends.pk, ended.pk, open_ended.pk]
        ).order_by("pk")
    ] == [2026, 2030, 2026]
    assert f"{ends} is not extended: its academic years changed" in page
    assert f"{open_ended} is not extended: its academic years changed" in page
    assert "1 agreement extended by one academic year." in page
    assert "open-ended: left as" not in page


@pytest.mark.parametrize("seen", [None, "", "twenty", "２０２７", "20270"])
def test_a_confirmation_without_the_year_shown_extends_nothing(client, dri, agreements, seen):
    ends = agreements["ends 2027"]
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    confirm = confirmation(ask_to_extend(client, ends))
    if seen is None:
        del confirm[f"last_year_seen_{ends.pk}"]
    else:
        confirm[f"last_year_seen_{ends.pk}"] = [seen]

    response = client.post(CHANGELIST, confirm, follow=True)

    assert response.status_code == 200
    ends.refresh_from_db()
    assert ends.last_year == 2027
    assert f"{ends} is not extended" in response.content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_the_confirmation_page_reads_as_much_for_thirty_agreements_as_for_two(
    client, dri, django_assert_num_queries, count
):
    selected = AgreementFactory.create_batch(count, first_year=2024, last_year=2027)
    client.force_login(dri)

    # The session and user, the list's (its filters' choices, its counts), the agreements
    # with their partners, the permissions, the unread notifications: none per agreement.
    with django_assert_num_queries(13):
        page = ask_to_extend(client, *selected)

    assert page.status_code == 200
    assert len(page.context["rows"]) == count
