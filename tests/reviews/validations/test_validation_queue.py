"""The DFI and DRI queue of requested validations, filtered by the body still to decide."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from apps.reviews.services.validations import activity_request_validation, activity_validate
from tests.applications.factories import login
from tests.factories import StudentProfileFactory
from tests.reviews.advisor.builders import requested, summer_stay

QUEUE_URL = reverse("reviews:validation_queue")
QUEUE_MAX_QUERIES = 11


def listed(response):
    return [state.activity for state in response.context["rows"]]


@pytest.fixture
def world(student, dfi, dri):
    """Three requests: one awaiting both bodies, one validated by the DFI only, one by both;
    and an activity never requested."""
    awaiting_both = requested(summer_stay(student))
    dfi_done = requested(
        summer_stay(
            student,
            start=awaiting_both.start.replace(year=2029),
            end=awaiting_both.end.replace(year=2029),
        )
    )
    activity_validate(actor=dfi, activity=dfi_done, approved=True, comment="")
    both_done = requested(
        summer_stay(
            student,
            start=awaiting_both.start.replace(year=2030),
            end=awaiting_both.end.replace(year=2030),
        )
    )
    activity_validate(actor=dfi, activity=both_done, approved=True, comment="")
    activity_validate(actor=dri, activity=both_done, approved=True, comment="")
    summer_stay(
        student,
        start=awaiting_both.start.replace(year=2031),
        end=awaiting_both.end.replace(year=2031),
    )
    return awaiting_both, dfi_done, both_done


def test_dfi_lands_on_what_awaits_the_dfi(client, dfi, world):
    awaiting_both, _dfi_done, _both_done = world
    response = login(client, dfi).get(QUEUE_URL)
    assert response.status_code == 200
    assert response.context["awaiting"] == "DFI"
    assert listed(response) == [awaiting_both]
    assert reverse("reviews:validation_detail", args=[awaiting_both.pk]) in (
        response.content.decode()
    )


def test_dri_lands_on_what_awaits_the_dri(client, dri, world):
    awaiting_both, dfi_done, _both_done = world
    assert listed(login(client, dri).get(QUEUE_URL)) == [awaiting_both, dfi_done]


def test_all_requests_with_each_bodys_decision(client, dfi, world):
    response = login(client, dfi).get(QUEUE_URL, {"awaiting": ""})
    assert listed(response) == list(world)
    decisions = [
        [decision.approved if decision else None for _body, _label, decision in state.bodies]
        for state in response.context["rows"]
    ]
    assert decisions == [[None, None], [True, None], [True, True]]


def test_administrator_sees_every_request_first_and_filters_by_body(client, admin_user, world):
    awaiting_both, dfi_done, _both_done = world
    login(client, admin_user)
    assert listed(client.get(QUEUE_URL)) == list(world)
    assert listed(client.get(QUEUE_URL, {"awaiting": "DRI"})) == [awaiting_both, dfi_done]


def test_a_refusal_leaves_the_refusing_bodys_queue_only(client, dfi, world):
    awaiting_both, dfi_done, _both_done = world
    activity_validate(actor=dfi, activity=awaiting_both, approved=False, comment="Too short.")
    login(client, dfi)
    assert listed(client.get(QUEUE_URL)) == []
    assert listed(client.get(QUEUE_URL, {"awaiting": "DRI"})) == [awaiting_both, dfi_done]


def test_asking_again_puts_it_back_in_the_queue(client, student, dfi, dri, world):
    awaiting_both, _dfi_done, _both_done = world
    activity_validate(actor=dfi, activity=awaiting_both, approved=False, comment="Too short.")
    activity_validate(actor=dri, activity=awaiting_both, approved=True, comment="")
    login(client, dfi)
    assert listed(client.get(QUEUE_URL)) == []
    activity_request_validation(actor=student, activity=awaiting_both)
    assert listed(client.get(QUEUE_URL)) == [awaiting_both]
    assert awaiting_both not in listed(client.get(QUEUE_URL, {"awaiting": "DRI"}))


def test_an_unknown_filter_shows_everything(client, dfi, world):
    assert listed(login(client, dfi).get(QUEUE_URL, {"awaiting": "XYZ"})) == list(world)


def test_queue_is_paginated_in_flat_queries(
    client, dfi, dri, settings, django_assert_max_num_queries
):
    settings.CATALOGUE_PAGE_SIZE = 20
    for index in range(30):
        activity = requested(summer_stay(StudentProfileFactory().user))
        if index % 2:
            activity_validate(actor=dri, activity=activity, approved=True, comment="")
    login(client, dfi)
    with django_assert_max_num_queries(QUEUE_MAX_QUERIES):
        response = client.get(QUEUE_URL)
    assert len(response.context["rows"]) == 20
    second = client.get(QUEUE_URL, {"awaiting": "DFI", "page": 2})
    assert len(second.context["rows"]) == 10
    first_of_all = client.get(QUEUE_URL, {"awaiting": ""})
    assert "?awaiting=&amp;page=2" in first_of_all.content.decode()


@pytest.mark.parametrize("who", ["student", "advisor"])
def test_students_and_advisors_are_forbidden(client, request, who):
    assert login(client, request.getfixturevalue(who)).get(QUEUE_URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(QUEUE_URL).url.startswith(reverse("login"))


def test_search_finds_a_students_requests_by_name_email_or_number(client, dfi, world):
    other = StudentProfileFactory(
        user__first_name="Élodie",
        user__last_name="Marchand",
        user__email="e.marchand@example.org",
        student_number="22999001",
    )
    hers = requested(summer_stay(other.user))
    login(client, dfi)
    for search in ("elodie", "MARCHAND", "e.marchand@", "22999001", "élodie march"):
        response = client.get(QUEUE_URL, {"awaiting": "", "q": search})
        assert listed(response) == [hers], search
    response = client.get(QUEUE_URL, {"awaiting": "", "q": "nobody-of-that-name"})
    assert listed(response) == []
    assert 'value="nobody-of-that-name"' in response.content.decode()


def test_search_keeps_the_body_filter_and_the_pages(client, dfi, settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    for _index in range(3):
        requested(summer_stay(StudentProfileFactory(user__last_name="Marchand").user))
    requested(summer_stay(StudentProfileFactory(user__last_name="Other").user))
    response = login(client, dfi).get(QUEUE_URL, {"awaiting": "DFI", "q": "marchand"})
    assert response.context["page"].paginator.count == 3
    assert "?awaiting=DFI&amp;q=marchand&amp;page=2" in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_search_box_is_wide_enough_for_its_placeholder(client, dfi, language):
    login(client, dfi)
    client.cookies["django_language"] = language
    content = client.get(QUEUE_URL).content.decode()
    search = re.search(r'<input type="search"[^>]*>', content).group(0)
    placeholder = html.unescape(re.search(r'placeholder="([^"]*)"', search).group(1))
    with translation.override(language):
        assert placeholder == str(translation.gettext("Name, e-mail or student number"))
    assert int(re.search(r'size="(\d+)"', search).group(1)) > len(placeholder)
