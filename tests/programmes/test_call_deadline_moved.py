"""The office moves a call's closing date (in the admin): the students whose draft waits to be
submitted hear of the new date, in the portal and by e-mail, in their language, once per
change; the change is recorded (who, when, from which date to which). Nobody hears of a save
that leaves the date where it was."""

import calendar
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from apps.applications.models import Application, ApplicationState
from apps.notifications.events import CALL_DEADLINE_MOVED
from apps.notifications.models import Notification
from apps.programmes.models import CallDeadlineChange
from apps.programmes.services import call_save
from mobility_portal import dates
from tests.applications.factories import login, messages_of
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def long_date(day, language: str = "en") -> str:
    with translation.override(language):
        return dates.long_date(day)


def drafting(call, *, email: str, language: str = "fr", state=ApplicationState.DRAFT):
    student = UserFactory(role="student", email=email, language=language)
    Application.objects.create(student=student, call=call, state=state)
    return student


def told() -> list[str]:
    return sorted(
        Notification.objects.filter(event=CALL_DEADLINE_MOVED.name).values_list("email", flat=True)
    )


def move(call, *, days: int, actor):
    """The call's closing date set `days` from today, saved as the admin saves it."""
    call.closes_on = TODAY() + timedelta(days=days)
    return call_save(call=call, actor=actor)


@pytest.fixture
def call():
    return CallFactory(
        name="Exchange 2027",
        opens_on=TODAY() - timedelta(days=30),
        closes_on=TODAY() + timedelta(days=20),
    )


def test_moved_earlier_the_students_with_a_draft_are_told_and_the_move_recorded(call, dri):
    drafting(call, email="draft@example.org")
    drafting(call, email="submitted@example.org", state=ApplicationState.SUBMITTED)
    drafting(call, email="changes@example.org", state=ApplicationState.CHANGES_REQUESTED)
    drafting(call, email="withdrawn@example.org", state=ApplicationState.WITHDRAWN)
    drafting(CallFactory(), email="elsewhere@example.org")
    closed = drafting(call, email="closed@example.org")
    closed.is_active = False
    closed.save()
    before = call.closes_on

    change = move(call, days=5, actor=dri)

    assert told() == ["draft@example.org"]
    assert CallDeadlineChange.objects.get() == change
    assert (change.call, change.actor, change.from_date, change.to_date) == (
        call,
        dri,
        before,
        TODAY() + timedelta(days=5),
    )
    assert change.students_told == 1
    notification = Notification.objects.get()
    assert notification.link == reverse("applications:application_list")
    assert notification.context == {"call_deadline_change": change.pk}


def test_a_save_that_leaves_the_date_records_and_sends_nothing(call, dri):
    drafting(call, email="draft@example.org")
    call.name = "Exchange 2027 (all partners)"
    assert call_save(call=call, actor=dri) is None
    call.refresh_from_db()
    assert call.name == "Exchange 2027 (all partners)"
    assert told() == []
    assert not CallDeadlineChange.objects.exists()


def test_each_change_is_told_once_however_often_the_call_is_saved_after_it(call, dri):
    drafting(call, email="draft@example.org")
    move(call, days=5, actor=dri)
    assert call_save(call=call, actor=dri) is None
    assert call_save(call=call, actor=dri) is None
    assert len(told()) == 1
    move(call, days=3, actor=dri)  # a second change is news again
    assert len(told()) == 2
    assert CallDeadlineChange.objects.count() == 2


def test_a_new_call_records_and_sends_nothing(dri):
    call = CallFactory.build()
    assert call_save(call=call, actor=dri) is None
    assert call.pk is not None
    assert not CallDeadlineChange.objects.exists()


def test_moved_later_the_students_are_told_they_have_more_time(call, dri):
    drafting(call, email="draft@example.org", language="en")
    change = move(call, days=40, actor=dri)
    assert told() == ["draft@example.org"]
    later = long_date(change.to_date)
    assert Notification.objects.get().subject == f"The call {call} now closes later, on {later}"


def test_a_call_closed_before_and_after_the_move_tells_nobody_but_is_recorded(dri):
    call = CallFactory(opens_on=TODAY() - timedelta(days=60), closes_on=TODAY() - timedelta(days=5))
    drafting(call, email="draft@example.org")
    change = move(call, days=-10, actor=dri)
    assert told() == []
    assert change.students_told == 0
    assert CallDeadlineChange.objects.count() == 1


def test_a_closed_call_opened_again_tells_its_students(dri):
    call = CallFactory(opens_on=TODAY() - timedelta(days=60), closes_on=TODAY() - timedelta(days=5))
    drafting(call, email="draft@example.org")
    move(call, days=10, actor=dri)
    assert told() == ["draft@example.org"]


def test_the_notifications_are_handed_over_only_once_the_change_commits(
    call, dri, mailoutbox, django_capture_on_commit_callbacks
):
    drafting(call, email="draft@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        move(call, days=5, actor=dri)
    assert told() == ["draft@example.org"]  # written with the change, in its transaction
    assert mailoutbox == []  # not sent before the commit
    for callback in callbacks:
        callback()
    assert [mail.to for mail in mailoutbox] == [["draft@example.org"]]


def test_a_change_rolled_back_leaves_no_notification(call, dri):
    drafting(call, email="draft@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        move(call, days=5, actor=dri)
        raise RuntimeError("the admin's save failed after the call was saved")
    assert told() == []
    assert not CallDeadlineChange.objects.exists()


def sent(mailoutbox, django_capture_on_commit_callbacks, call, dri, *, days: int):
    with django_capture_on_commit_callbacks(execute=True):
        move(call, days=days, actor=dri)
    return {mail.to[0]: mail for mail in mailoutbox}


def test_the_english_email_says_earlier_and_by_when(
    call, dri, mailoutbox, django_capture_on_commit_callbacks
):
    drafting(call, email="en@example.org", language="en")
    before = long_date(call.closes_on)
    mails = sent(mailoutbox, django_capture_on_commit_callbacks, call, dri, days=5)
    mail = mails["en@example.org"]
    closes = long_date(TODAY() + timedelta(days=5))
    assert mail.subject == f"The call {call} now closes earlier, on {closes}"
    assert (
        f"The international relations office moved the closing date of {call} from {before} "
        f"to {closes}. Your application to this call is waiting for you to submit it: submit it "
        f"by {closes} at the latest. Once the call has closed, your application can no longer "
        "be submitted." in mail.body
    )
    assert "Complete your application" in mail.body
    assert reverse("applications:application_list") in mail.body
    html = mail.alternatives[0][0]
    assert '<html lang="en">' in html
    assert f"submit it by {closes} at the latest" in html


def test_the_english_email_writes_its_dates_day_first(
    call, dri, mailoutbox, django_capture_on_commit_callbacks
):
    """ "Nov. 28, 2026" was Django's English: the e-mail writes "28 November 2026", as the
    portal's pages and the rules engine's findings do."""
    drafting(call, email="en@example.org", language="en")
    mails = sent(mailoutbox, django_capture_on_commit_callbacks, call, dri, days=5)
    day = TODAY() + timedelta(days=5)
    written = f"{day.day} {calendar.month_name[day.month]} {day.year}"
    mail = mails["en@example.org"]
    assert mail.subject.endswith(f", on {written}")
    assert f"submit it by {written} at the latest" in mail.body
    assert f"submit it by {written} at the latest" in mail.alternatives[0][0]


def test_the_french_email_is_in_french(call, dri, mailoutbox, django_capture_on_commit_callbacks):
    """The French sentences come with the catalogue; the dates and the page already read in
    French."""
    drafting(call, email="fr@example.org", language="fr")
    mails = sent(mailoutbox, django_capture_on_commit_callbacks, call, dri, days=5)
    mail = mails["fr@example.org"]
    day = TODAY() + timedelta(days=5)
    closes = long_date(day, "fr")
    assert closes in mail.subject and str(call) in mail.subject
    assert closes in mail.body
    assert '<html lang="fr">' in mail.alternatives[0][0]
    assert Notification.objects.get().language == "fr"


def test_moved_to_a_day_past_the_email_says_the_call_has_closed(
    call, dri, mailoutbox, django_capture_on_commit_callbacks
):
    drafting(call, email="en@example.org", language="en")
    mails = sent(mailoutbox, django_capture_on_commit_callbacks, call, dri, days=-1)
    mail = mails["en@example.org"]
    closes = long_date(TODAY() - timedelta(days=1))
    assert mail.subject == f"The call {call} has closed early, on {closes}"
    assert (
        "The call is therefore closed: your draft application to it can no longer be submitted."
        in mail.body
    )
    assert "Complete your application" not in mail.body
    assert "Open the portal" in mail.body


def test_moved_to_today_the_email_delivered_after_midnight_says_what_the_portal_said(
    call, dri, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    """Moved to today late in the evening, the e-mail went out after midnight: judged when it
    was rendered, it said the call "has closed" while the portal's entry, written before
    midnight, said it "now closes earlier". What the change says is judged when it is made."""
    student = drafting(call, email="en@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change = move(call, days=0, actor=dri)
    assert change.closed_by_the_move is False
    entry = Notification.objects.get(recipient=student)
    closes = long_date(change.to_date)
    assert entry.subject == f"The call {call} now closes earlier, on {closes}"

    tomorrow = TODAY() + timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: tomorrow)
    for callback in callbacks:
        callback()

    (mail,) = mailoutbox
    assert mail.subject == entry.subject
    assert f"submit it by {closes} at the latest" in mail.body
    assert "The call is therefore closed" not in mail.body
    assert "Complete your application" in mail.body
    assert "The call is therefore closed" not in mail.alternatives[0][0]


def test_moved_to_a_day_past_the_call_is_recorded_closed_by_the_move(call, dri):
    assert move(call, days=-1, actor=dri).closed_by_the_move is True
    assert move(call, days=3, actor=dri).closed_by_the_move is False


def test_the_later_email_says_until_when(call, dri, mailoutbox, django_capture_on_commit_callbacks):
    drafting(call, email="en@example.org", language="en")
    mails = sent(mailoutbox, django_capture_on_commit_callbacks, call, dri, days=40)
    closes = long_date(TODAY() + timedelta(days=40))
    assert (
        "Your application to this call is waiting for you to submit it: you now have until "
        f"{closes} to do so." in mails["en@example.org"].body
    )


def test_the_in_portal_entry_leads_to_the_applications(client, call, dri):
    student = drafting(call, email="en@example.org", language="en")
    move(call, days=5, actor=dri)
    notification = Notification.objects.get()
    login(client, student)
    content = client.get(reverse("notifications:list")).content.decode()
    assert f"The call {call} now closes earlier" in content
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302
    assert opened.url == reverse("applications:application_list")


def fan_out_queries(students: int, dri) -> int:
    call = CallFactory(closes_on=TODAY() + timedelta(days=20))
    for number in range(students):
        drafting(call, email=f"s{students}.{number}@example.org", language=("fr", "en")[number % 2])
    call.closes_on = TODAY() + timedelta(days=5)
    with CaptureQueriesContext(connection) as queries:
        change = call_save(call=call, actor=dri)
    assert change.students_told == students
    return len(queries)


def test_telling_many_students_costs_the_queries_of_telling_one(dri):
    assert fan_out_queries(2, dri) == fan_out_queries(6, dri)


# --- the admin's save ---------------------------------------------------------------------


def admin_form(call, **changes) -> dict:
    data = {
        "name": call.name,
        "academic_year": call.academic_year,
        "opens_on": call.opens_on.isoformat(),
        "closes_on": call.closes_on.isoformat(),
        "max_choices": call.max_choices,
        "deadline_changes-TOTAL_FORMS": "0",
        "deadline_changes-INITIAL_FORMS": "0",
        "deadline_changes-MIN_NUM_FORMS": "0",
        "deadline_changes-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def test_the_admin_saves_through_the_service_and_says_who_was_told(client, call, dri):
    drafting(call, email="draft@example.org")
    login(client, dri)
    url = reverse("admin:programmes_call_change", args=[call.pk])
    earlier = TODAY() + timedelta(days=5)

    response = client.post(url, admin_form(call, closes_on=earlier.isoformat()))

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.closes_on == earlier
    change = CallDeadlineChange.objects.get()
    assert (change.actor, change.to_date, change.students_told) == (dri, earlier, 1)
    assert told() == ["draft@example.org"]
    assert messages_of(response)[0] == (
        "The closing date moved: 1 student with a draft application was told."
    )
    # Saved again as it is (its name changed), nothing new is sent.
    response = client.post(url, admin_form(call, name="Exchange", closes_on=earlier.isoformat()))
    assert response.status_code == 302
    assert told() == ["draft@example.org"]
    assert CallDeadlineChange.objects.count() == 1
    # The call's page lists the change, which cannot be edited there.
    page = client.get(url).content.decode()
    assert "Closing date changes" in page
    assert str(dri) in page  # who moved it
    assert "deadline_changes-0-to_date" not in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_admin_writes_and_reads_a_closing_date_day_first(client, call, dri, language):
    """In English the admin's date field showed and read ISO or month first ("06/01/2027" was
    1 June there, 6 January in French): it is day first in both languages now, ISO still read."""
    from datetime import date

    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    url = reverse("admin:programmes_call_change", args=[call.pk])
    shown = call.closes_on.strftime("%d/%m/%Y")
    assert f'name="closes_on" value="{shown}"' in client.get(url).content.decode()
    moved = date(TODAY().year + 1, 1, 6)
    for typed in ("06/01/" + str(moved.year), moved.isoformat()):
        response = client.post(url, admin_form(call, closes_on=typed))
        assert response.status_code == 302
        call.refresh_from_db()
        assert call.closes_on == moved


def test_the_admin_refusing_the_dates_moves_nothing_and_tells_nobody(client, call, dri):
    drafting(call, email="draft@example.org")
    login(client, dri)
    too_early = call.opens_on - timedelta(days=1)
    response = client.post(
        reverse("admin:programmes_call_change", args=[call.pk]),
        admin_form(call, closes_on=too_early.isoformat()),
    )
    assert response.status_code == 200
    assert "A call cannot close before it opens." in response.content.decode()
    assert told() == []
    assert not CallDeadlineChange.objects.exists()


def call_page_queries(client, dri, changes: int) -> int:
    call = CallFactory(closes_on=TODAY() + timedelta(days=30))
    for days in range(changes):
        move(call, days=20 - days, actor=UserFactory(role="dri"))
    login(client, dri)
    url = reverse("admin:programmes_call_change", args=[call.pk])
    client.get(url)  # what the first page of a session reads once (its menus)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('class="form-row ') >= changes
    return len(queries)


def test_the_call_page_lists_its_changes_in_as_many_queries_for_one_as_for_many(client, dri):
    assert call_page_queries(client, dri, 1) == call_page_queries(client, dri, 4)
