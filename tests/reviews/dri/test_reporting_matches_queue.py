"""Every figure of the staff dashboard is the number of applications the queue, and its CSV
export, show once filtered the way the figure's link filters them: over a year holding the
cases that could set them apart."""

import re
from html import unescape

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import ActivityKind, ApplicationState
from tests.applications.factories import (
    ActivityFactory,
    ApplicationFactory,
    ChoiceFactory,
    login,
    plan_for,
)
from tests.factories import AgreementFactory, CallFactory, PartnerFactory, StudentProfileFactory
from tests.reviews.dri.builders import in_state, nominated, submitted
from tests.reviews.dri.test_queue_export import exported

S = ApplicationState
QUEUE = reverse("reviews:queue")
# A row of a dashboard table: its link to the queue, and its figure.
ROW = re.compile(rf'<a href="{QUEUE}\?([^"]+)">[^<]*</a></th>\s*<td class="text-end">(\d+)</td>')


def choose(application, *, rank, partner_country=None, host_country="", **activity_fields):
    agreement = (
        AgreementFactory(partner=PartnerFactory(country=partner_country))
        if partner_country
        else None
    )
    activity = ActivityFactory(plan=plan_for(application.student), **activity_fields)
    return ChoiceFactory(
        application=application,
        rank=rank,
        activity=activity,
        agreement=agreement,
        host_country=host_country,
    )


def withdrawn_as_an_internship():
    """Submitted, withdrawn, and its stay since turned into an engineering internship (a
    withdrawn application no longer holds what its stays are)."""
    student = StudentProfileFactory().user
    application = submitted(student)
    services.application_withdraw(actor=student, application=application)
    activity = application.choices.get().activity
    fields = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    fields["kind"] = ActivityKind.ENGINEERING_INTERNSHIP
    services.activity_update(actor=student, activity=activity, fields=fields)
    return application


@pytest.fixture
def varied_year(db):
    semester, master = ActivityKind.EXCHANGE_SEMESTER, ActivityKind.MASTER
    call, other_call = CallFactory(academic_year=2027), CallFactory(academic_year=2027)
    two_countries = in_state(ApplicationFactory(call=call), S.SUBMITTED)
    choose(two_countries, rank=1, partner_country="JP", country="JP", kind=semester)
    choose(two_countries, rank=2, country="BR", kind=master)
    # The same student, in another call of the year.
    second = in_state(ApplicationFactory(call=other_call, student=two_countries.student), S.REFUSED)
    choose(second, rank=1, partner_country="JP", country="DE", kind=semester)
    # Outside partnerships, the host's country as submitted, the stay's own since moved.
    own_host = in_state(ApplicationFactory(call=call), S.UNDER_REVIEW)
    choose(own_host, rank=1, country="US", host_country="CA")
    in_state(ApplicationFactory(call=call), S.SUBMITTED)  # no choice at all
    draft = ApplicationFactory(call=call)
    choose(draft, rank=1, country="IT")
    past = in_state(ApplicationFactory(call=CallFactory(academic_year=2026)), S.COMPLETED)
    choose(past, rank=1, partner_country="IT", country="IT")
    nominated(StudentProfileFactory().user)
    withdrawn_as_an_internship()


def test_every_figure_is_what_its_link_shows(client, dri, varied_year):
    login(client, dri)
    years = client.get(reverse("reviews:reporting")).context["years"]
    assert len(years) >= 2
    checked = 0
    for year in years:
        response = client.get(reverse("reviews:reporting"), {"year": year})
        content = response.content.decode()
        everything = client.get(QUEUE, {"year": year})
        assert everything.context["page"].paginator.count == response.context["total"]
        rows = ROW.findall(content)
        assert len(rows) == sum(len(section.rows) for section in response.context["sections"])
        for query, figure in rows:
            params = dict(pair.split("=") for pair in unescape(query).split("&"))
            queue = client.get(QUEUE, params)
            assert not queue.context["filter"].errors, query
            assert queue.context["page"].paginator.count == int(figure), query
            assert len(exported(client.get(reverse("reviews:queue_export"), params))) == (
                int(figure) + 1
            ), query
            checked += 1
    assert checked > 10
