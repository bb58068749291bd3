"""A student refused last time applies again and takes their CV from the earlier application
in one click, on a phone: the offer wraps inside the documents table and is accessible."""

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.applications.models import Application, ApplicationState, Document, DocumentKind
from tests.applications.factories import ApplicationFactory, ChoiceFactory
from tests.e2e.conftest import PHONE
from tests.e2e.journeys import exchange_agreement, log_in, submitted_application
from tests.factories import CallFactory

STUDENT = "student@demo.mobility.example"
LONG_NAME = "Curriculum_vitae_en_anglais_avec_experiences_et_stages_a_l_etranger_2026.pdf"


@pytest.fixture
def second_try(transactional_db):
    """The demo student's application, refused, with every document; a new draft to a second
    call, for the same stay, with none yet."""
    seed_demo()
    refused = submitted_application(STUDENT, ["Politecnico di Milano"])
    Application.objects.filter(pk=refused.pk).update(state=ApplicationState.REFUSED)
    refused.documents.filter(kind=DocumentKind.CV).update(original_name=LONG_NAME)
    draft = ApplicationFactory(
        student=refused.student,
        call=CallFactory(name="Second round", academic_year=refused.call.academic_year),
    )
    ChoiceFactory(
        application=draft,
        rank=1,
        activity=refused.choices.get().activity,
        agreement=exchange_agreement("Politecnico di Milano"),
    )
    return draft


def test_the_cv_of_the_refused_application_is_used_again_in_one_click(second_try, phone, shot):
    log_in(phone, STUDENT)
    phone.goto(f"/applications/{second_try.pk}/#documents")
    phone.wait_for_load_state()
    shot(phone, "offers")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    documents = phone.locator("#documents .table-responsive")
    assert documents.evaluate("box => box.scrollWidth <= box.clientWidth")
    offer = phone.get_by_role("button", name=re.compile(r"^Use the one from .* — CV$"))
    expect(offer).to_contain_text(LONG_NAME)
    offer.click()
    expect(
        phone.get_by_text(f"CV added from another of your applications: {LONG_NAME}.")
    ).to_be_visible()
    shot(phone, "copied")
    expect(phone.locator("#documents").get_by_role("link", name=LONG_NAME)).to_be_visible()
    expect(phone.get_by_role("button", name=re.compile(r"— CV$"))).to_have_count(0)
    assert second_try.documents.get().kind == DocumentKind.CV
    assert Document.objects.filter(original_name=LONG_NAME).count() == 2


def test_every_document_of_the_refused_application_is_used_again_at_once(second_try, phone, shot):
    """Same host as last time: the draft learning agreement is offered with the rest."""
    log_in(phone, STUDENT)
    phone.goto(f"/applications/{second_try.pk}/#documents")
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    button = phone.get_by_role("button", name="Reuse all 4")
    expect(button).to_have_accessible_description(
        "4 missing documents can be taken from your other applications: the latest of each kind."
    )
    shot(phone, "offers")
    button.click()
    expect(phone.get_by_text("4 documents added from your other applications:")).to_be_visible()
    shot(phone, "copied")
    expect(phone.get_by_role("button", name=re.compile(r"^Reuse all"))).to_have_count(0)
    assert sorted(second_try.documents.values_list("kind", flat=True)) == sorted(
        [
            DocumentKind.CV,
            DocumentKind.LANGUAGE_CERTIFICATE,
            DocumentKind.LEARNING_AGREEMENT,
            DocumentKind.TRANSCRIPT,
        ]
    )
