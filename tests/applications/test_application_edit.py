import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from apps.applications import services
from apps.applications.models import ActivityKind, ApplicationState, Choice
from apps.programmes.models import AgreementKind
from tests.applications.factories import (
    ApplicationFactory,
    ChoiceFactory,
    login,
    messages_of,
    semester_for,
)
from tests.factories import AgreementFactory


def edit_url(application):
    return reverse("applications:application_edit", args=[application.pk])


def value(activity, agreement=None):
    return f"{activity.pk}:{agreement.pk if agreement else 'outside'}"


def post_data(motivation="Robots.", *choices):
    data = {"motivation": motivation, "choice_1": "", "choice_2": "", "choice_3": ""}
    data.update({f"choice_{rank}": choice for rank, choice in enumerate(choices, start=1)})
    return data


@pytest.fixture
def world(student):
    """A draft (call year 2027), a semester and a master in the plan, and agreements."""
    application = ApplicationFactory(student=student, motivation="")
    return {
        "application": application,
        "semester": semester_for(student, host_name="Free University", start=date(2027, 9, 1)),
        "master": semester_for(
            student, kind=ActivityKind.MASTER, ects=90, host_name="ETH", start=date(2028, 2, 1)
        ),
        "kth": AgreementFactory(partner__name="KTH", kind=AgreementKind.EXCHANGE),
        "kth_master": AgreementFactory(partner__name="KTH", kind=AgreementKind.MASTER),
        "expired": AgreementFactory(
            partner__name="Old Partner", kind=AgreementKind.EXCHANGE, last_year=2025
        ),
    }


def test_form_groups_destinations_by_study_activity(client, student, world):
    response = login(client, student).get(edit_url(world["application"]))
    assert response.status_code == 200
    form = response.context["form"]
    assert [name for name in form.fields if name.startswith("choice_")] == [
        "choice_1",
        "choice_2",
        "choice_3",
    ]
    assert set(form.options) == {
        value(world["semester"], world["kth"]),
        value(world["semester"]),
        value(world["master"], world["kth_master"]),
        value(world["master"]),
    }
    groups = [options for _label, options in form.fields["choice_1"].choices[1:]]
    assert [len(options) for options in groups] == [2, 2]  # one group per study activity
    content = response.content.decode()
    assert "<optgroup" in content
    assert "Outside partnerships: Free University" in content
    assert 'for="id_choice_1"' in content


def test_double_degree_has_no_outside_option(client, student, world):
    degree = semester_for(
        student, kind=ActivityKind.DOUBLE_DEGREE, ects=120, host_name="TU", start=date(2028, 6, 1)
    )
    form = login(client, student).get(edit_url(world["application"])).context["form"]
    assert value(degree) not in form.options


def test_owner_saves_ranked_choices_and_motivation(client, student, world):
    application = world["application"]
    response = login(client, student).post(
        edit_url(application),
        post_data("Robots.", "", value(world["semester"], world["kth"]), value(world["master"])),
    )
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert messages_of(response) == ["Your application is saved."]
    choices = list(application.choices.order_by("rank"))
    assert [(c.rank, c.activity, c.agreement) for c in choices] == [
        (1, world["semester"], world["kth"]),
        (2, world["master"], None),
    ]
    application.refresh_from_db()
    assert application.motivation == "Robots."


def test_repeated_choice_is_refused_and_nothing_is_lost(client, student, world):
    application = world["application"]
    ChoiceFactory(application=application, rank=1, activity=world["semester"], agreement=None)
    same = value(world["semester"], world["kth"])
    response = login(client, student).post(
        edit_url(application), post_data("My new motivation", same, same)
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Choice 2 repeats an earlier choice."]
    content = response.content.decode()
    assert "My new motivation" in content
    assert "Choice 2 repeats an earlier choice." in content
    assert [(c.activity, c.agreement) for c in application.choices.all()] == [
        (world["semester"], None)
    ]
    application.refresh_from_db()
    assert application.motivation == ""


def test_destination_outside_the_menu_is_a_form_error(client, student, other_student, world):
    stranger_activity = semester_for(other_student)
    response = login(client, student).post(
        edit_url(world["application"]),
        post_data("Robots.", value(stranger_activity, world["kth"])),
    )
    assert response.status_code == 400
    assert "choice_1" in response.context["form"].errors
    assert not Choice.objects.exists()


def test_expired_agreement_is_not_offered(client, student, world):
    response = login(client, student).post(
        edit_url(world["application"]),
        post_data("Robots.", value(world["semester"], world["expired"])),
    )
    assert response.status_code == 400
    assert not Choice.objects.exists()


def test_submitted_application_is_no_longer_edited(client, student, world):
    application = world["application"]
    application.state = ApplicationState.SUBMITTED
    application.save()
    response = login(client, student).get(edit_url(application))
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert messages_of(response) == ["This application is submitted: it can no longer be changed."]
    response = client.post(edit_url(application), post_data("Changed", value(world["semester"])))
    assert response.status_code == 302
    assert not Choice.objects.exists()


def test_another_student_gets_404(client, other_student, world):
    assert login(client, other_student).get(edit_url(world["application"])).status_code == 404


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi"])
def test_who_may_see_may_not_change(client, request, persona, world):
    application = world["application"]
    response = login(client, request.getfixturevalue(persona)).post(
        edit_url(application), post_data("Hacked")
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.motivation == ""


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(edit_url(world["application"]))
    assert response.url.startswith(reverse("login"))


def test_a_stay_of_another_academic_year_is_not_offered_nor_accepted(client, student, world):
    """Seats are counted per academic year: a stay starting in 2028–2029 is applied for in a
    call of that year, not in this 2027–2028 one."""
    later = semester_for(student, host_name="Later University", start=date(2028, 9, 1))
    login(client, student)
    form = client.get(edit_url(world["application"])).context["form"]
    assert value(later, world["kth"]) not in form.options
    with translation.override("en"):
        refused = services.choice_problems(
            [services.ChoiceInput(later, world["kth"])],
            student.mobility_plan,
            world["application"].call,
        )
    assert refused == [
        "Choice 1: this stay starts in 2028–2029, and the call is for 2027–2028. Apply for it "
        "through a call of its own academic year."
    ]


def test_a_chosen_stay_moved_to_another_year_blocks_the_submission(student):
    from django.utils import timezone

    from tests.applications.factories import complete_application

    application = complete_application(student)
    activity = application.choices.get().activity
    type(activity).objects.filter(pk=activity.pk).update(
        start=date(application.call.academic_year + 1, 9, 1),
        end=date(application.call.academic_year + 2, 1, 31),
    )
    with translation.override("en"):
        problems = services.submission_readiness(application, timezone.localdate()).problems
    assert any(problem.startswith("Choice 1: this stay starts in") for problem in problems)


def test_a_motivation_of_a_whole_book_is_refused_and_the_old_one_kept(client, student, world):
    application = world["application"]
    application.motivation = "Robots."
    application.save()
    response = login(client, student).post(edit_url(application), post_data("x" * 10_001))
    assert response.status_code == 400
    assert response.context["form"].errors["motivation"] == [
        "The text is 1 character too long: 10,001 for at most 10,000. Shorten it; nothing was "
        "saved."
    ]
    # The whole text comes back, for the student to shorten: none of it is cut.
    assert "x" * 10_001 in response.content.decode()
    application.refresh_from_db()
    assert application.motivation == "Robots."


def test_the_motivation_is_counted_not_cut(client, student, world):
    """No maxlength for the browser to cut a pasted text with: the page counts the characters
    (char-counter.js), in the page's language."""
    html = login(client, student).get(edit_url(world["application"])).content.decode()
    textarea = re.search(r'<textarea[^>]*name="motivation"[^>]*>', html).group(0)
    assert "maxlength" not in textarea
    assert 'data-char-limit="10000"' in textarea
    assert 'data-char-count="{count} / {limit} characters"' in textarea
    assert 'data-char-over="{count} / {limit} characters: {excess} too many"' in textarea
    assert "js/char-counter.js" in html


def test_line_breaks_count_once_as_the_counter_counts_them(client, student, world):
    """The browser sends a line break as two characters: 10,000 characters on the page, with
    their line breaks, are 10,000 for the server too."""
    application = world["application"]
    text = "\r\n".join(["é" * 99] * 100) + "x"  # 9,901 letters and 99 line breaks
    assert len(text) == 10_099
    response = login(client, student).post(edit_url(application), post_data(text))
    assert response.status_code == 302
    application.refresh_from_db()
    assert len(application.motivation) == 10_000
    assert "\r" not in application.motivation


def test_a_plan_with_stays_of_other_years_only_is_told_the_year_of_the_call(client, student):
    """A student whose only semester is in another academic year is not told that the plan
    has no study stay at all: the call's year is what is missing."""
    application = ApplicationFactory(student=student)
    semester_for(student, host_name="Earlier University", start=date(2026, 9, 1))
    response = login(client, student).get(edit_url(application))
    assert response.context["form"].options == {}
    assert (
        "Your plan has no study stay in 2027–2028, the academic year of this call, to apply "
        "for yet." in response.content.decode()
    )
