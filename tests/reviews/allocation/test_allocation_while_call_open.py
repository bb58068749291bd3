"""Allocating the seats of a call still open: the page says so, and until when. Students may
still submit: their applications are not in the proposal, and will find the seats it gives
taken once staff confirm it. Nothing said the call was open; the index showed its closing day
only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.applications.factories import login
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import detail_url, waiting

pytestmark = pytest.mark.django_db

WARNING = "This call is still open"


def page_text(client, call) -> str:
    return " ".join(client.get(detail_url(call)).content.decode().split())


def test_the_page_says_the_call_is_still_open(client, dri):
    call = CallFactory(academic_year=2027, closes_on=timezone.localdate() + timedelta(days=20))
    waiting(call, [AgreementFactory(partner__name="Alpha", seats_per_year=1)], score="18")
    login(client, dri)

    text = page_text(client, call)

    assert WARNING in text
    assert "applications submitted from now on" in text


def test_nothing_is_said_once_it_has_closed(client, dri):
    today = timezone.localdate()
    call = CallFactory(
        academic_year=2027, opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)
    )
    waiting(call, [AgreementFactory(partner__name="Alpha", seats_per_year=1)], score="18")
    login(client, dri)

    assert WARNING not in page_text(client, call)
