"""A draft learning agreement lists one host's courses: it is offered again, and copied, only
to an application that chooses the host it was written for (that of the choice the earlier
application was nominated to, else of its first choice), at whatever rank. Other kinds do not
depend on the host."""

import pytest

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState, DocumentKind
from apps.programmes.models import Agreement, Partner
from tests.applications.factories import (
    ChoiceFactory,
    DocumentFactory,
    draft_with_choice,
    login,
    messages_of,
)
from tests.applications.test_document_reuse import (
    assert_page_queries_flat,
    detail_url,
    earlier_application,
    offers_on_page,
    reuse,
    reuse_url,
)
from tests.factories import AgreementFactory, CallFactory, PartnerFactory

S = ApplicationState
LA = DocumentKind.LEARNING_AGREEMENT
pytestmark = pytest.mark.usefixtures("english", "media")
OTHER_HOST = "This document was written for a host this application does not choose: upload one "
OTHER_HOST += "written for its destinations."


@pytest.fixture
def application(student):
    return draft_with_choice(student, call=CallFactory(name="Exchanges 2027", academic_year=2027))


def choosing(application, *hosts, nominated_rank=None):
    """The application's choices become one a host, in rank order, all for its stay: a Partner
    through an agreement with it, or a name outside partnerships, as a submitted choice keeps
    it. `nominated_rank`: the choice the office nominated the student to."""
    activity = application.choices.get().activity
    application.choices.all().delete()
    choices = [
        ChoiceFactory(
            application=application,
            rank=rank,
            activity=activity,
            agreement=exchange_with(host) if isinstance(host, Partner) else None,
            host_name="" if isinstance(host, Partner) else host,
        )
        for rank, host in enumerate(hosts, start=1)
    ]
    if nominated_rank is not None:
        application.nominated_choice = choices[nominated_rank - 1]
        application.save(update_fields=["nominated_choice"])
    return application


def exchange_with(partner: Partner) -> Agreement:
    return Agreement.objects.filter(partner=partner).first() or AgreementFactory(partner=partner)


def earlier_agreement(student, *hosts, nominated_rank=None, name="Exchanges 2026", year=2026):
    """A draft learning agreement the student uploaded to an earlier application choosing
    `hosts`."""
    application = earlier_application(student, state=S.HOST_REFUSED, name=name, year=year)
    choosing(application, *hosts, nominated_rank=nominated_rank)
    return DocumentFactory(application=application, kind=LA, original_name=f"la {name}.pdf")


def offers(client, student, application) -> dict:
    return offers_on_page(login(client, student).get(detail_url(application)))


def test_offered_to_an_application_that_chooses_its_host_at_any_rank(client, student, application):
    milano = PartnerFactory(name="Politecnico di Milano")
    draft = earlier_agreement(student, milano, PartnerFactory())
    choosing(application, PartnerFactory(), milano)
    assert offers(client, student, application)[LA] == draft
    copy = reuse(student, application, draft)
    assert (copy.kind, copy.original_name) == (LA, draft.original_name)


def test_not_offered_nor_copied_for_another_host_while_the_cv_still_is(
    client, student, application
):
    """The earlier application's second choice is no host it was written for."""
    milano = PartnerFactory()
    draft = earlier_agreement(student, PartnerFactory(), milano)
    cv = DocumentFactory(application=draft.application, kind=DocumentKind.CV)
    choosing(application, milano)
    assert offers(client, student, application) == {DocumentKind.CV: cv}
    with pytest.raises(ServiceError) as refusal:
        reuse(student, application, draft)
    assert refusal.value.reasons == [OTHER_HOST]
    assert not application.documents.exists()


@pytest.mark.parametrize(("chosen", "offered"), [("nominated", True), ("first", False)])
def test_a_nomination_says_which_host_it_was_written_for(
    client, student, application, chosen, offered
):
    first, nominated = PartnerFactory(), PartnerFactory()
    draft = earlier_agreement(student, first, nominated, nominated_rank=2)
    choosing(application, nominated if chosen == "nominated" else first)
    assert offers(client, student, application).get(LA) == (draft if offered else None)


def test_the_latest_one_written_for_a_chosen_host_is_offered(client, student, application):
    milano, lyon = PartnerFactory(), PartnerFactory()
    for_milano = earlier_agreement(student, milano, name="Exchanges 2025", year=2025)
    earlier_agreement(student, lyon)  # uploaded later, for a host this application leaves out
    choosing(application, milano)
    assert offers(client, student, application)[LA] == for_milano


@pytest.mark.parametrize(("host", "offered"), [("TU Wien", True), ("ETH Zürich", False)])
def test_outside_partnerships_the_host_is_its_name(client, student, host, offered):
    """The earlier choice kept its host when submitted; the draft's reads its stay's."""
    draft = earlier_agreement(student, "TU Wien")
    application = draft_with_choice(student, call=CallFactory(academic_year=2027), host_name=host)
    application.choices.update(agreement=None)
    assert offers(client, student, application).get(LA) == (draft if offered else None)


def test_an_earlier_application_without_a_choice_was_written_for_no_host(
    client, student, application
):
    draft = earlier_agreement(student)
    assert not draft.application.choices.exists()
    assert LA not in offers(client, student, application)


def test_the_view_says_why_a_draft_for_another_host_is_refused(client, student, application):
    draft = earlier_agreement(student, PartnerFactory())
    response = login(client, student).post(reuse_url(application), {"document": draft.pk})
    assert messages_of(response) == [OTHER_HOST]
    assert not application.documents.exists()


def test_the_host_costs_no_query_however_many_earlier_applications(
    client, student, other_student, django_assert_max_num_queries
):
    def dossier_of(owner, earlier_count):
        partner = PartnerFactory()
        for year in range(2000, 2000 + earlier_count):
            earlier_agreement(owner, PartnerFactory(), partner, nominated_rank=2, year=year)
            earlier_agreement(owner, partner, name=f"Other {year}", year=year)
        return choosing(draft_with_choice(owner, call=CallFactory(academic_year=2027)), partner)

    def check(response):
        assert set(offers_on_page(response)) == {LA}

    assert_page_queries_flat(
        client, (student, other_student), dossier_of, check, django_assert_max_num_queries
    )


def test_other_kinds_do_not_depend_on_the_host(student, application):
    cv = DocumentFactory(
        application=earlier_agreement(student, PartnerFactory()).application,
        kind=DocumentKind.CV,
    )
    assert reuse(student, application, cv).kind == DocumentKind.CV
