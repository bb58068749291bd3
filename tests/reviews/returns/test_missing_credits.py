"""missing_credits: planned minus obtained ECTS per line and in total."""

from decimal import Decimal

from apps.applications.models import CourseLine
from apps.reviews.selectors_advisor import missing_credits
from tests.reviews.advisor.builders import sent_course_plan


def test_missing_per_line_and_in_total(student):
    course_plan = sent_course_plan(student, lines=3)
    first, second, third = course_plan.lines.order_by("pk")
    for line, obtained in ((first, 6), (second, Decimal("2.5")), (third, 9)):
        line.ects_obtained = obtained
        line.save()
    credits = missing_credits(course_plan)
    assert [row.missing for row in credits.lines] == [0, Decimal("3.5"), 0]
    # a surplus on one course does not make up for another
    assert (credits.planned, credits.obtained, credits.missing) == (
        18,
        Decimal("17.5"),
        Decimal("3.5"),
    )
    assert credits.complete and credits.recorded


def test_lines_not_entered_yet_are_counted_apart(student):
    course_plan = sent_course_plan(student, lines=2)
    CourseLine.objects.filter(pk=course_plan.lines.order_by("pk").first().pk).update(
        ects_obtained=0
    )
    credits = missing_credits(course_plan)
    assert [row.missing for row in credits.lines] == [6, None]
    assert (credits.missing, credits.lines_not_entered, credits.complete) == (6, 1, False)
    assert credits.recorded


def test_nothing_recorded(student):
    credits = missing_credits(sent_course_plan(student, lines=2))
    assert (credits.obtained, credits.missing, credits.recorded) == (0, 0, False)


def test_one_query_and_none_when_prefetched(student, django_assert_num_queries):
    course_plan = sent_course_plan(student, lines=30)
    with django_assert_num_queries(1):
        missing_credits(course_plan)
    prefetched = course_plan.__class__.objects.prefetch_related("lines").get(pk=course_plan.pk)
    with django_assert_num_queries(0):
        assert len(missing_credits(prefetched).lines) == 30
