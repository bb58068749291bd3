"""The subject of an undo names the step undone: it read 'Your application to …: submitted',
as a new submission would, in the student's inbox."""

import pytest

from apps.notifications.rendering import render_message
from apps.reviews.services.undo import application_undo
from tests.reviews.dri.builders import submitted
from tests.reviews.dri.test_decisions_undo import departed, nominate, returned, seen_now, told

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("build", "step"),
    [
        (lambda dri, student: nominate(dri, submitted(student)), "nomination undone"),
        (departed, "departure undone"),
        (returned, "return undone"),
    ],
)
def test_the_subject_names_the_step_undone(dri, student, build, step):
    application = build(dri, student)
    application_undo(actor=dri, application=seen_now(application), reason="Wrong dossier.")
    notice = told(student, application.history.last())
    message = render_message(notice, "en")
    assert message.subject == f"Your application to {application.call}: {step}"
    assert notice.subjects["en"] == message.subject


def test_an_ordinary_decision_keeps_its_state_in_the_subject(dri, student):
    application = nominate(dri, submitted(student))
    message = render_message(told(student, application.history.last()), "en")
    assert message.subject == f"Your application to {application.call}: nominated"
