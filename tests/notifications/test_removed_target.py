"""A notification whose target was removed since (a course plan, a stay to validate: the
student deleted the activity) opened a 404. It now leads to the list of notifications, which
says the item no longer exists."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications.models import Activity
from apps.notifications import events
from apps.notifications.models import Notification
from apps.notifications.targets import OBJECT_PAGES, target_gone
from tests.applications.factories import login, messages_of
from tests.reviews.advisor.builders import sent_course_plan

pytestmark = pytest.mark.django_db

GONE = "What this notification is about no longer exists."


def open_(client, notification):
    return client.post(reverse("notifications:open", args=[notification.pk]), follow=True)


def test_the_advisor_s_course_plan_notification_after_the_stay_is_removed(client, advisor, student):
    course_plan = sent_course_plan(student)
    events.announce_course_plan_sent(course_plan)
    notification = Notification.objects.get(recipient=advisor)
    Activity.objects.filter(pk=course_plan.activity_id).delete()  # its course plans go too
    login(client, advisor)
    response = open_(client, notification)
    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    assert messages_of(response) == [GONE]
    assert GONE in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_student_s_decision_notification_after_the_stay_is_removed(client, student):
    course_plan = sent_course_plan(student)
    events.announce_course_plan_decided(course_plan)
    notification = Notification.objects.get(recipient=student)
    Activity.objects.filter(pk=course_plan.activity_id).delete()
    response = open_(login(client, student), notification)
    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    assert messages_of(response) == [GONE]


def test_a_validation_request_after_the_stay_is_removed(client, student, dfi):
    course_plan = sent_course_plan(student)
    activity = course_plan.activity
    activity.validation_requested_at = timezone.now()
    activity.save(update_fields=["validation_requested_at"])
    events.announce_validation_requested(activity)
    notification = Notification.objects.get(recipient=dfi)
    activity.delete()
    response = open_(login(client, dfi), notification)
    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    assert messages_of(response) == [GONE]


def test_a_target_still_there_is_opened_as_before(client, advisor, student):
    course_plan = sent_course_plan(student)
    events.announce_course_plan_sent(course_plan)
    notification = Notification.objects.get(recipient=advisor)
    response = login(client, advisor).post(reverse("notifications:open", args=[notification.pk]))
    assert response.url == reverse("reviews:advisor_course_plan", args=[course_plan.pk])
    assert messages_of(response) == []


@pytest.mark.parametrize("page", sorted(OBJECT_PAGES))
def test_each_page_named_exists_and_takes_a_pk(page):
    """A page renamed or moved would silently leave its removed targets to a 404."""
    assert target_gone(reverse(page, kwargs={"pk": 987654})) is True


def test_pages_of_no_object_and_foreign_links_are_never_gone():
    assert target_gone(reverse("applications:plan") + "#activity-3") is False
    assert target_gone("/no/such/page/") is False
