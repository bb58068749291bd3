"""A nomination from the dossier page takes a seat: refused when the agreement has none left
for the academic year, counted as the seat allocation counts them."""

import pytest

from apps.applications.errors import ServiceError
from apps.applications.models import Application, Transition
from apps.applications.workflow import TransitionRefused
from apps.reviews.services.allocation import allocation_confirm, seat_counts
from apps.reviews.services.decisions import application_nominate
from tests.applications.factories import messages_of
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import S, holding_seat, versions, waiting
from tests.reviews.dri.builders import decision_url, post_as, seen, state_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def call():
    return CallFactory(academic_year=2027, name="Round 2")


def nominate(dri, application: Application) -> Application:
    return application_nominate(
        actor=dri, application=application, choice=application.choices.get()
    )


def test_the_last_seat_is_given(call, dri):
    agreement = AgreementFactory(seats_per_year=2)
    holding_seat(CallFactory(academic_year=2027), agreement)
    application = nominate(dri, waiting(call, [agreement]))
    assert application.state == S.NOMINATED
    assert seat_counts(call, [agreement.pk])[agreement.pk].available == 0


@pytest.mark.parametrize("state", [S.NOMINATED, S.ACCEPTED, S.IN_MOBILITY, S.COMPLETED])
def test_a_full_agreement_is_refused(call, dri, state):
    agreement = AgreementFactory(partner__name="Alpha", seats_per_year=1)
    holding_seat(CallFactory(academic_year=2027, name="Round 1"), agreement, state=state)
    application = waiting(call, [agreement])
    with pytest.raises(ServiceError) as refused:
        nominate(dri, application)
    assert refused.value.reasons == [
        f"{agreement} has no seat left in 2027–2028: its 1 seat is taken."
    ]
    assert state_of(application) == S.SUBMITTED
    assert not Transition.objects.filter(application=application).exists()


def test_several_seats_all_taken(call, dri):
    agreement = AgreementFactory(seats_per_year=2)
    holding_seat(call, agreement)
    holding_seat(call, agreement, state=S.ACCEPTED)
    application = waiting(call, [agreement])
    with pytest.raises(ServiceError) as refused:
        nominate(dri, application)
    assert refused.value.reasons == [
        f"{agreement} has no seat left in 2027–2028: all its 2 seats are taken."
    ]
    assert state_of(application) == S.SUBMITTED


def test_an_agreement_without_seats_is_refused(call, dri):
    agreement = AgreementFactory(seats_per_year=0)
    application = waiting(call, [agreement])
    with pytest.raises(ServiceError) as refused:
        nominate(dri, application)
    assert refused.value.reasons == [f"{agreement} has no seat in 2027–2028."]
    assert state_of(application) == S.SUBMITTED


def test_another_choice_with_a_seat_is_given(call, dri):
    full = AgreementFactory(seats_per_year=0)
    free = AgreementFactory(seats_per_year=1)
    application = waiting(call, [full, free])
    application = application_nominate(
        actor=dri, application=application, choice=application.choices.get(rank=2)
    )
    assert (application.state, application.nominated_choice.agreement) == (S.NOMINATED, free)


def test_seats_of_other_years_and_freed_seats_do_not_count(call, dri):
    agreement = AgreementFactory(seats_per_year=1)
    holding_seat(CallFactory(academic_year=2026), agreement, state=S.IN_MOBILITY)
    holding_seat(call, agreement, state=S.HOST_REFUSED)
    application = nominate(dri, waiting(call, [agreement]))
    assert application.state == S.NOMINATED


def test_a_destination_outside_partnerships_has_no_seat_limit(call, dri):
    applications = [waiting(call, [None]) for _index in range(3)]
    for application in applications:
        nominate(dri, application)
    assert {state_of(application) for application in applications} == {S.NOMINATED}


def test_a_refused_dossier_says_so_before_the_seats(call, dri):
    agreement = AgreementFactory(seats_per_year=0)
    application = waiting(call, [agreement], state=S.REFUSED)
    with pytest.raises(TransitionRefused):
        nominate(dri, application)


def test_a_manual_nomination_takes_a_seat_the_allocation_then_lacks(call, dri):
    agreement = AgreementFactory(seats_per_year=1)
    first = waiting(call, [agreement], score="18")
    second = waiting(call, [agreement], score="12")
    decisions = {first.pk: first.choices.get().pk, second.pk: None}  # the page as shown
    shown = versions(decisions)
    nominate(dri, waiting(CallFactory(academic_year=2027), [agreement]))
    with pytest.raises(ServiceError) as refused:
        allocation_confirm(actor=dri, call=call, decisions=decisions, seen=shown)
    assert f"{agreement}: more students than seats left (1 for 0)." in refused.value.reasons
    assert state_of(first) == S.SUBMITTED


def test_the_dossier_page_reports_the_refusal(client, call, dri):
    agreement = AgreementFactory(seats_per_year=1)
    holding_seat(call, agreement)
    application = waiting(call, [agreement])
    data = seen(application, "nominate", choice=application.choices.get().pk, comment="")
    data["nominate-comment"] = "Welcome to the exchange"
    response = post_as(client, dri, decision_url("nominate", application), data)
    # The page again, with the refusal and the form as the reviewer filled it in.
    assert response.status_code == 400
    assert messages_of(response) == [
        f"{agreement} has no seat left in 2027–2028: its 1 seat is taken."
    ]
    assert response.context["decisions"]["nominate"]["comment"].value() == "Welcome to the exchange"
    assert state_of(application) == S.SUBMITTED


@pytest.mark.parametrize(("first_year", "last_year"), [(2024, 2026), (2028, None)])
def test_an_agreement_not_in_force_that_year_has_no_seat(call, dri, first_year, last_year):
    """The catalogue only offers agreements in force; the office cannot nominate to one
    that has ended, or not begun, either."""
    agreement = AgreementFactory(seats_per_year=4, first_year=first_year, last_year=last_year)
    application = waiting(call, [agreement])
    assert seat_counts(call, [agreement.pk])[agreement.pk].available == 0
    with pytest.raises(ServiceError) as refused:
        nominate(dri, application)
    assert refused.value.reasons == [
        f"{agreement} is not in force in 2027–2028 ({agreement.years_display})."
    ]
    assert state_of(application) == S.SUBMITTED


def test_an_agreement_in_force_until_the_call_s_year_still_has_its_seats(call, dri):
    agreement = AgreementFactory(seats_per_year=1, first_year=2027, last_year=2027)
    assert nominate(dri, waiting(call, [agreement])).state == S.NOMINATED
