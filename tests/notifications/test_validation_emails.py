"""What the student reads of a body's decision on a summer stay or an internship abroad: the
stay counts only once the DFI and the DRI both validated it, so the first validation says what
is still awaited, and the second that nothing is."""

import pytest

from apps.notifications.models import Notification
from apps.notifications.rendering import render_message
from apps.reviews.services.validations import activity_validate
from tests.reviews.advisor.builders import requested, summer_stay


def last_message(student):
    notification = (
        Notification.objects.filter(recipient=student, event="activity_validated")
        .order_by("-pk")
        .first()
    )
    return render_message(notification, "en")


@pytest.mark.django_db
def test_the_first_validation_says_the_other_body_has_yet_to_validate(student, dfi, dri):
    stay = requested(summer_stay(student))
    activity_validate(actor=dfi, activity=stay, approved=True, comment="")
    message = last_message(student)
    for body in (message.text, message.html):
        assert "It is validated; it still needs the validation of the DRI." in body
        assert "both" not in body

    activity_validate(actor=dri, activity=stay, approved=True, comment="")
    message = last_message(student)
    for body in (message.text, message.html):
        assert "It is now validated by both the DFI and the DRI." in body
        assert "still needs" not in body


@pytest.mark.django_db
def test_a_refusal_says_only_that_it_is_not_validated(student, dfi):
    stay = requested(summer_stay(student))
    activity_validate(actor=dfi, activity=stay, approved=False, comment="No host letter.")
    message = last_message(student)
    assert "It is not validated." in message.text
    assert "still needs" not in message.text and "both" not in message.text


@pytest.mark.django_db
def test_the_link_leads_to_the_stay_on_the_plan(client, student, dfi):
    stay = requested(summer_stay(student))
    activity_validate(actor=dfi, activity=stay, approved=True, comment="")
    notification = Notification.objects.get(recipient=student, event="activity_validated")
    assert notification.link == f"/plan/#activity-{stay.pk}"
    assert f"/plan/#activity-{stay.pk}" in last_message(student).text
    client.force_login(student)
    opened = client.post(f"/notifications/{notification.pk}/open/")
    assert opened.url == f"/plan/#activity-{stay.pk}"


@pytest.mark.django_db
def test_the_subject_says_whether_the_stay_is_validated(student, dfi, dri):
    """The subject said "DFI decision on your summer stay": the student had to open the
    message to learn which."""
    stay = requested(summer_stay(student))
    activity_validate(actor=dfi, activity=stay, approved=True, comment="")
    assert last_message(student).subject == "The DFI validated your summer stay (between 2A and 3A)"
    activity_validate(actor=dri, activity=stay, approved=False, comment="No host letter.")
    assert (
        last_message(student).subject
        == "The DRI did not validate your summer stay (between 2A and 3A)"
    )
