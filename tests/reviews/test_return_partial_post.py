"""A return-page POST changes only the credits of the lines it sends."""

from decimal import Decimal

from django.urls import reverse

from tests.applications.factories import login, messages_of
from tests.reviews.advisor.builders import dossier_abroad, record_all


def return_url(application):
    return reverse("reviews:return_page", args=[application.pk])


def obtained(course_plan):
    return list(course_plan.lines.order_by("pk").values_list("ects_obtained", flat=True))


def test_a_line_left_out_of_the_post_keeps_its_credits(client, student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    record_all(course_plan, obtained=6)
    first = course_plan.lines.order_by("pk").first()
    response = login(client, student).post(return_url(application), {f"line_{first.pk}": "5"})
    assert messages_of(response) == ["The credits obtained are saved."]
    assert obtained(course_plan) == [Decimal(5), Decimal(6)]


def test_a_field_sent_empty_clears_its_credits(client, student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    record_all(course_plan, obtained=6)
    first, second = course_plan.lines.order_by("pk")
    login(client, student).post(
        return_url(application), {f"line_{first.pk}": "5", f"line_{second.pk}": ""}
    )
    assert obtained(course_plan) == [Decimal(5), None]
