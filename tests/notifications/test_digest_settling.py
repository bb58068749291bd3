"""The advisor's digest of the course plans waiting for them asks for the decision on each plan
it lists, and is done once every one is: decided, replaced by the student's next version, or
left out of the advisor's queue by a nomination. Settled in the transaction of the last of
them, in two UPDATEs that only the settling of a course plan's review pays."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.models import CoursePlan
from apps.notifications.events import awaits_review, awaits_submission
from apps.notifications.models import AwaitedItem, DeliveryStatus, Notification
from apps.notifications.outbox import settle
from apps.notifications.reminders import remind_advisors
from apps.reviews.services.course_plans import course_line_decide
from apps.reviews.services.decisions import application_nominate
from tests.applications.factories import login
from tests.notifications.test_course_plan_reminders import advisee_of, waiting_since
from tests.notifications.test_settling import two_stays_before_the_advisor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def interval(settings, tmp_path):
    settings.COURSE_PLAN_REMINDER_DAYS = 7
    settings.MEDIA_ROOT = tmp_path


def digests(**filters):
    return Notification.objects.filter(event="course_plans_waiting", **filters).order_by("pk")


def decide_all(course_plan: CoursePlan, advisor) -> None:
    for line in course_plan.lines.order_by("pk"):
        course_line_decide(actor=advisor, line=line, approve=True, comment="")


def test_the_digest_is_done_once_every_plan_it_listed_is_decided(advisor, student):
    first = waiting_since(student, 10)
    second = waiting_since(advisee_of(advisor), 9)
    remind_advisors(timezone.localdate())
    digest = digests().get()
    assert digest.awaits == ""
    assert sorted(digest.awaited_items.values_list("token", flat=True)) == sorted(
        [awaits_review(first.pk), awaits_review(second.pk)]
    )

    decide_all(first, advisor)
    digest.refresh_from_db()
    assert (digest.settled_at, digest.read_at, digest.status) == (
        None,
        None,
        DeliveryStatus.PENDING,
    )

    decide_all(second, advisor)
    digest.refresh_from_db()
    assert digest.settled_at is not None and digest.read_at is not None
    # A reminder of what is done is never sent.
    assert digest.status == DeliveryStatus.SKIPPED


def test_a_plan_replaced_by_the_students_next_version_is_done_for_the_digest(advisor, student):
    course_plan = waiting_since(student, 10)
    remind_advisors(timezone.localdate())
    services.course_plan_replace_lines(
        actor=student,
        activity=course_plan.activity,
        lines=[
            {
                "code": "NEW1",
                "title": "New course",
                "ects": 6,
                "semester": "Fall",
                "home_requirement": "Electives",
            }
        ],
    )
    assert digests().get().settled_at is not None


def test_a_plan_a_nomination_leaves_out_is_done_for_the_digest(advisor, student, dri):
    application, nominated_stay, left_out = two_stays_before_the_advisor(student)
    long_ago = timezone.now() - timedelta(days=10)
    CoursePlan.objects.filter(pk__in=[nominated_stay.pk, left_out.pk]).update(sent_at=long_ago)
    today = timezone.localdate()
    remind_advisors(today)
    # A later digest lists the plan of the stay the nomination leaves out, alone.
    CoursePlan.objects.filter(pk=nominated_stay.pk).update(sent_at=timezone.now() + timedelta(7))
    remind_advisors(today + timedelta(days=7))
    both, alone = digests()
    assert both.awaited_items.count() == 2 and alone.awaited_items.count() == 1

    application_nominate(actor=dri, application=application, choice=application.choices.get(rank=1))

    # The nominated stay's plan still waits for the first.
    assert [row.settled_at is not None for row in digests()] == [False, True]
    decide_all(nominated_stay, advisor)
    assert [row.settled_at is not None for row in digests()] == [True, True]


def test_another_advisors_digest_is_left_alone(advisor, other_advisor, student):
    mine = waiting_since(student, 10)
    theirs = waiting_since(advisee_of(other_advisor), 10)
    remind_advisors(timezone.localdate())
    decide_all(mine, advisor)
    assert digests(recipient=advisor).get().settled_at is not None
    assert digests(recipient=other_advisor).get().settled_at is None
    assert AwaitedItem.objects.get(token=awaits_review(theirs.pk)).settled_at is None


def test_the_list_shows_the_digest_done_and_the_bell_no_longer_counts_it(client, advisor, student):
    course_plan = waiting_since(student, 10)
    remind_advisors(timezone.localdate())
    decide_all(course_plan, advisor)
    content = login(client, advisor).get(reverse("notifications:list")).content.decode()
    assert "Reminder: 1 course plan is waiting for your decision" in content
    assert "data-unread=" not in content  # nothing new
    assert content.count(">Done</span>") == 1


def test_only_the_settling_of_a_review_looks_for_digests(django_assert_num_queries, student):
    with django_assert_num_queries(1):
        settle([awaits_submission(1, student.pk)])
    # The notices, then the digests' items: none done, no third UPDATE.
    with django_assert_num_queries(2):
        settle([awaits_review(1)])


def test_a_digest_deleted_in_one_statement_leaves_its_plans_to_settle_as_before(
    advisor, student, django_assert_num_queries
):
    """Notifications are deleted in one statement (an anonymisation, the admin): their items
    stay behind, unread, and the plans they named settle as before."""
    course_plan = waiting_since(student, 10)
    remind_advisors(timezone.localdate())
    with django_assert_num_queries(1):
        digests().delete()
    # The items marked done; no digest left to settle.
    assert settle([awaits_review(course_plan.pk)]) == 0
    assert AwaitedItem.objects.get().settled_at is not None
