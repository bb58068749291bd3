"""Confirming an allocation nominates every placed student in one transaction, or nobody."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from apps.applications import services as student_services
from apps.applications.errors import ServiceError
from apps.applications.models import Application, Transition
from apps.applications.workflow import as_seen, last_transition_id
from apps.reviews.services.allocation import allocation_confirm, allocation_proposal
from apps.reviews.services.decisions import (
    application_nominate,
    application_record_host_decision,
    application_set_ranking_score,
    application_take_for_review,
)
from tests.applications.factories import PDF_BYTES
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import S, holding_seat, versions, waiting

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(academic_year=2027)


@pytest.fixture
def world(call):
    """Three students for the one seat at Alpha, then the one at Beta."""
    alpha = AgreementFactory(partner__name="Alpha", seats_per_year=1)
    beta = AgreementFactory(partner__name="Beta", seats_per_year=1)
    best = waiting(call, [alpha, beta], score="18")
    middle = waiting(call, [alpha, beta], score="15")
    last = waiting(call, [alpha, beta], score="12")
    return {"alpha": alpha, "beta": beta, "best": best, "middle": middle, "last": last}


def allocation_comment(language: str, rank: int, destination: str) -> str:
    with translation.override(language):
        return gettext("Seat allocation, choice %(rank)s: %(destination)s") % {
            "rank": rank,
            "destination": destination,
        }


def proposed_decisions(call) -> dict[int, int | None]:
    allocation = allocation_proposal(call).allocation
    return {
        outcome.applicant_id: outcome.choice.choice_id if outcome.choice else None
        for outcome in allocation.outcomes
    }


def confirm(actor, call, decisions, seen=None) -> list[Application]:
    """Confirm `decisions` from a page that showed `seen` of their applications (by default,
    the applications as they stand now: nothing changed since)."""
    seen = versions(decisions) if seen is None else seen
    return allocation_confirm(actor=actor, call=call, decisions=decisions, seen=seen)


def choice(application: Application, rank: int):
    return application.choices.get(rank=rank)


def states(*applications: Application) -> list[str]:
    return [Application.objects.get(pk=application.pk).state for application in applications]


def test_confirm_nominates_every_placed_student_to_their_allocated_choice(call, world, dri):
    nominated = confirm(dri, call, proposed_decisions(call))
    assert [application.pk for application in nominated] == sorted(
        [world["best"].pk, world["middle"].pk]
    )
    best, middle, last = (
        Application.objects.get(pk=world[name].pk) for name in ("best", "middle", "last")
    )
    assert (best.state, best.nominated_choice) == (S.NOMINATED, choice(best, 1))
    assert (middle.state, middle.nominated_choice) == (S.NOMINATED, choice(middle, 2))
    assert (last.state, last.nominated_choice) == (S.SUBMITTED, None)
    transition = Transition.objects.get(application=middle)
    assert (transition.actor, transition.from_state, transition.to_state) == (
        dri,
        S.SUBMITTED,
        S.NOMINATED,
    )
    # Students read French unless they chose English (the default preferred language).
    assert transition.comment == allocation_comment("fr", 2, "Beta")
    assert transition.comment != allocation_comment("en", 2, "Beta")


def test_staff_adjustments_are_what_gets_nominated(call, world, dri):
    decisions = {
        world["best"].pk: choice(world["best"], 2).pk,
        world["middle"].pk: None,
        world["last"].pk: choice(world["last"], 1).pk,
    }
    confirm(dri, call, decisions)
    assert states(world["best"], world["middle"], world["last"]) == [
        S.NOMINATED,
        S.SUBMITTED,
        S.NOMINATED,
    ]
    assert Application.objects.get(pk=world["last"].pk).nominated_choice == choice(world["last"], 1)


def test_one_refused_nomination_nominates_nobody(call, world, dri):
    decisions = proposed_decisions(call)
    seen = versions(decisions)
    middle = world["middle"]
    elsewhere = waiting(CallFactory(academic_year=2027), [None], student=middle.student)
    application_nominate(actor=dri, application=elsewhere, choice=elsewhere.choices.get())
    with pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions, seen)
    assert refused.value.reasons == [
        "Nobody was nominated.",
        f"{middle.student}: This student is already nominated for this academic year: their "
        f"application to {elsewhere.call} is nominated.",
    ]
    assert states(world["best"], middle, world["last"]) == [S.SUBMITTED, S.SUBMITTED, S.SUBMITTED]
    assert list(Transition.objects.filter(to_state=S.NOMINATED)) == [
        Transition.objects.get(application=elsewhere)
    ]


def test_a_refused_students_name_and_reason_follow_french_typography(call, world, dri):
    decisions = proposed_decisions(call)
    seen = versions(decisions)
    middle = world["middle"]
    elsewhere = waiting(CallFactory(academic_year=2027), [None], student=middle.student)
    application_nominate(actor=dri, application=elsewhere, choice=elsewhere.choices.get())
    with translation.override("fr"), pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions, seen)
    assert refused.value.reasons[1].startswith(f"{middle.student}\u00a0: ")


def test_an_adjustment_that_over_allocates_is_refused(call, world, dri):
    decisions = {
        world["best"].pk: choice(world["best"], 1).pk,
        world["middle"].pk: choice(world["middle"], 1).pk,
        world["last"].pk: None,
    }
    with pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions)
    assert refused.value.reasons == [
        "Nobody was nominated.",
        f"{world['alpha']}: more students than seats left (2 for 1).",
    ]
    assert states(world["best"], world["middle"]) == [S.SUBMITTED, S.SUBMITTED]


def test_a_seat_taken_since_the_page_was_shown_is_not_given_twice(call, world, dri):
    decisions = proposed_decisions(call)
    seen = versions(decisions)
    elsewhere = waiting(CallFactory(academic_year=2027), [world["beta"]])
    application_nominate(actor=dri, application=elsewhere, choice=elsewhere.choices.get())
    with pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions, seen)
    assert f"{world['beta']}: more students than seats left (1 for 0)." in refused.value.reasons
    assert states(world["best"], world["middle"]) == [S.SUBMITTED, S.SUBMITTED]


def test_an_application_submitted_since_the_page_was_shown_refuses_the_confirmation(
    call, world, dri
):
    decisions = proposed_decisions(call)
    seen = versions(decisions)
    newcomer = waiting(call, [world["alpha"]], score="20")
    with pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions, seen)
    assert refused.value.reasons[1] == (
        "Since the page was shown, this application entered the allocation: "
        f"{newcomer.student}. Review the new proposal."
    )
    assert not Transition.objects.exists()


def test_two_applications_submitted_since_the_page_was_shown_are_named_in_the_plural(
    call, world, dri
):
    """One newcomer was "these applications", which French could not make agree."""
    decisions = proposed_decisions(call)
    seen = versions(decisions)
    first = waiting(call, [world["alpha"]], score="20")
    second = waiting(call, [world["alpha"]], score="18")
    with pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions, seen)
    assert refused.value.reasons[1] == (
        "Since the page was shown, these applications entered the allocation: "
        f"{first.student}, {second.student}. Review the new proposal."
    )


def test_a_destination_of_another_application_is_refused(call, world, dri):
    decisions = proposed_decisions(call)
    decisions[world["last"].pk] = choice(world["best"], 2).pk
    with pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions)
    assert refused.value.reasons[1] == (
        f"This destination is not a choice of its application: {world['last'].pk}."
    )
    assert not Transition.objects.exists()


def test_seats_held_by_earlier_nominations_count_on_confirmation(call, dri):
    agreement = AgreementFactory(seats_per_year=1)
    holding_seat(CallFactory(academic_year=2027), agreement, state=S.ACCEPTED)
    application = waiting(call, [agreement])
    with pytest.raises(ServiceError):
        confirm(dri, call, {application.pk: application.choices.get().pk})
    assert states(application) == [S.SUBMITTED]


def test_nobody_placed_nominates_nobody(call, dri):
    agreement = AgreementFactory(seats_per_year=0)
    application = waiting(call, [agreement])
    assert confirm(dri, call, {application.pk: None}) == []
    assert states(application) == [S.SUBMITTED]


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_only_the_dri_confirms(request, call, world, persona):
    with pytest.raises(ServiceError) as refused:
        confirm(request.getfixturevalue(persona), call, proposed_decisions(call))
    assert refused.value.reasons == ["Only the international relations office allocates seats."]
    assert not Transition.objects.exists()


def test_an_administrator_confirms(call, world, admin_user):
    confirm(admin_user, call, proposed_decisions(call))
    assert states(world["best"]) == [S.NOMINATED]


def test_students_outside_partnerships_are_all_nominated(call, dri):
    applications = [waiting(call, [None]) for _index in range(3)]
    decisions = {application.pk: application.choices.get().pk for application in applications}
    assert len(confirm(dri, call, decisions)) == 3
    host = applications[0].choices.get().activity.host_name
    transition = Transition.objects.get(application=applications[0])
    assert transition.comment == allocation_comment("fr", 1, host)


def test_the_history_comment_is_in_the_students_language(call, world, dri):
    middle = world["middle"].student
    middle.language = "en"
    middle.save()
    with translation.override("fr"):  # the officer works in French
        confirm(dri, call, proposed_decisions(call))
    comments = dict(Transition.objects.values_list("application__student", "comment"))
    assert comments[middle.pk] == "Seat allocation, choice 2: Beta"
    assert comments[world["best"].student.pk] == allocation_comment("fr", 1, "Alpha")


def test_a_student_who_left_the_allocation_since_the_page_was_shown_refuses_it(call, world, dri):
    """The page placed `middle` at Beta. Meanwhile the office nominated them from their dossier
    to Alpha, and Alpha refused them: the allocation never ranked that dossier, and the
    dossier's Nominate button, sent from the page as it was, would be refused as stale."""
    middle = world["middle"]
    decisions = {
        world["best"].pk: choice(world["best"], 1).pk,
        middle.pk: choice(middle, 2).pk,
        world["last"].pk: None,
    }
    shown = versions(decisions)
    seen = as_seen(middle, state=middle.state, transition_id=last_transition_id(middle))
    application_nominate(actor=dri, application=middle, choice=choice(middle, 1))
    letter = SimpleUploadedFile("letter.pdf", PDF_BYTES, content_type="application/pdf")
    application_record_host_decision(
        actor=dri, application=Application.objects.get(pk=middle.pk), accepted=False, letter=letter
    )
    with pytest.raises(ServiceError):  # the dossier's button, from the page as it was
        application_nominate(actor=dri, application=seen, choice=choice(middle, 2))
    history = Transition.objects.count()

    with pytest.raises(ServiceError) as refusal:
        confirm(dri, call, decisions, shown)

    assert any("changed since" in reason for reason in refusal.value.reasons)
    assert states(world["best"], middle) == [S.SUBMITTED, S.HOST_REFUSED]
    assert Transition.objects.count() == history


# --- what the page showed ----------------------------------------------------------------


def test_a_withdrawal_since_the_page_was_shown_names_the_student(call, world, dri):
    decisions = proposed_decisions(call)
    seen = versions(decisions)
    middle = world["middle"]
    student_services.application_withdraw(actor=middle.student, application=middle)
    with pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions, seen)
    assert refused.value.reasons == [
        "Nobody was nominated.",
        f"This application changed since the page was shown: {middle.student}. "
        "Review the new proposal.",
    ]
    assert states(world["best"], middle) == [S.SUBMITTED, S.WITHDRAWN]
    assert not Transition.objects.filter(to_state=S.NOMINATED).exists()


def test_a_score_changed_since_the_page_was_shown_refuses_it(call, world, dri):
    """The score orders the proposal the officer decided on."""
    decisions = proposed_decisions(call)
    seen = versions(decisions)
    application_set_ranking_score(actor=dri, application=world["last"], score=Decimal("19"))
    with pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions, seen)
    assert refused.value.reasons[1].startswith(
        f"This application changed since the page was shown: {world['last'].student}. "
    )
    assert not Transition.objects.exists()


def test_the_same_score_written_again_is_no_change(call, world, dri):
    decisions = proposed_decisions(call)
    seen = versions(decisions)
    Application.objects.filter(pk=world["best"].pk).update(ranking_score=Decimal("18.00"))
    assert len(confirm(dri, call, decisions, seen)) == 2


def test_changes_of_several_applications_name_every_student(call, world, dri):
    decisions = proposed_decisions(call)
    seen = versions(decisions)
    for name in ("middle", "last"):  # `last` is left unplaced: the ranking changed all the same
        application_take_for_review(actor=dri, application=world[name])
    with pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions, seen)
    assert refused.value.reasons == [
        "Nobody was nominated.",
        "These applications changed since the page was shown: "
        f"{world['middle'].student}, {world['last'].student}. Review the new proposal.",
    ]
    assert not Transition.objects.filter(to_state=S.NOMINATED).exists()


def test_an_application_the_page_did_not_show_counts_as_changed(call, world, dri):
    decisions = proposed_decisions(call)
    seen = versions(decisions)
    del seen[world["best"].pk]
    with pytest.raises(ServiceError) as refused:
        confirm(dri, call, decisions, seen)
    assert refused.value.reasons[1].startswith(
        f"This application changed since the page was shown: {world['best'].student}. "
    )
    assert not Transition.objects.exists()
