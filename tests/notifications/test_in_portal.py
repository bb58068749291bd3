import pytest
from django.urls import reverse
from django.utils.html import escape

from apps.notifications.events import CALL_CLOSING
from apps.notifications.models import Notification
from apps.notifications.outbox import Recipient, queue
from tests.factories import CallFactory


def notify(user, key="k"):
    call = CallFactory()
    (pk,) = queue(
        CALL_CLOSING,
        key=key,
        recipients=[Recipient.of(user)],
        context={"call": call.pk, "days": 7},
        link=reverse("applications:application_list"),
    )
    return Notification.objects.get(pk=pk)


@pytest.mark.django_db
def test_bell_shows_unread_count(client, student):
    notify(student, "a")
    notify(student, "b")
    client.force_login(student)
    content = client.get(reverse("programmes:catalogue")).content.decode()
    assert 'data-unread="2"' in content


@pytest.mark.django_db
def test_list_shows_own_notifications_with_flat_queries(
    client, student, other_student, django_assert_max_num_queries
):
    for number in range(30):
        notify(student, f"n{number}")
    notify(other_student, "theirs")
    client.force_login(student)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:list"))
    rows = response.context["page"].object_list
    assert len(rows) == 25
    assert all(row.recipient_id == student.pk for row in rows)


@pytest.mark.django_db
def test_open_marks_read_and_goes_to_the_page(client, student):
    notification = notify(student)
    client.force_login(student)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.url == reverse("applications:application_list")
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_someone_elses_notification_is_404(client, student, other_student):
    notification = notify(student)
    client.force_login(other_student)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
def test_mark_all_read(client, student, other_student):
    notify(student, "a")
    theirs = notify(other_student, "b")
    client.force_login(student)
    client.post(reverse("notifications:read_all"))
    assert not student.notifications.filter(read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_anonymous_goes_to_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_preferences_language_and_dri_opt_in(client, dri, student):
    client.force_login(dri)
    client.post(
        reverse("notifications:preferences"),
        {"language": "en", "notify_new_applications": "on"},
    )
    dri.refresh_from_db()
    assert dri.language == "en" and dri.notify_new_applications

    client.force_login(student)
    client.post(
        reverse("notifications:preferences"),
        {"language": "en", "notify_new_applications": "on"},
    )
    student.refresh_from_db()
    assert student.language == "en" and not student.notify_new_applications


@pytest.mark.django_db
def test_bad_preferences_change_nothing(client, dri):
    client.force_login(dri)
    client.post(reverse("notifications:preferences"), {"language": "xx"})
    dri.refresh_from_db()
    assert dri.language == "fr"


@pytest.mark.django_db
def test_the_list_speaks_the_reader_s_language_of_the_moment(client, student):
    """The e-mail went out in French; the list follows the interface the student reads now."""
    student.language = "fr"
    student.save()
    notification = notify(student)
    call = CallFactory._meta.model.objects.get(pk=notification.context["call"])
    assert notification.subject == f"L'appel {call} ferme dans 7 jours"
    client.force_login(student)
    english = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert f"The call {call} closes in 7 days" in english.content.decode()
    french = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="fr")
    assert escape(notification.subject) in french.content.decode()


@pytest.mark.django_db
def test_a_row_written_before_the_subjects_were_kept_shows_its_own(client, student):
    notification = notify(student)
    Notification.objects.filter(pk=notification.pk).update(subjects={}, subject="Old subject")
    client.force_login(student)
    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Old subject" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("count", "word"), [(1, "non lue"), (2, "non lues")])
def test_the_bells_unread_word_agrees_with_its_number(client, student, monkeypatch, count, word):
    """One "unread" for every count: French, whose adjective agrees with the number, made do
    with "non lue(s)". A catalogue with both forms now gives each count its own."""
    from django.utils import translation

    plural = translation.npgettext

    def french(context, singular, plural_form, number):
        if singular == "unread":
            return "non lue" if number <= 1 else "non lues"
        return plural(context, singular, plural_form, number)

    monkeypatch.setattr(translation, "npgettext", french)
    for number in range(count):
        notify(student, f"n{number}")
    client.force_login(student)
    content = client.get(reverse("programmes:catalogue")).content.decode()
    assert f'{count}<span class="visually-hidden"> {word}</span>' in content


@pytest.mark.django_db
def test_a_readers_first_page_is_read_in_the_order_of_an_index(student, other_student):
    """An officer told of every submission has thousands of notifications: the list's page
    reads its rows from an index in the list's order instead of sorting all of them (a
    sequential scan and a sort, 29 ms for 5,312 rows at 10,000 students; 0.4 ms with it)."""
    from django.db import connection

    for number in range(30):
        notify(student, f"n{number}")
    notify(other_student, "theirs")
    if connection.vendor == "postgresql":
        # 31 rows are read faster without any index: ask for the plan a large table gets.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
    plan = student.notifications.all()[:25].explain()
    assert "notification_reader_list_idx" in plan
    assert "TEMP B-TREE" not in plan.upper() and "Sort" not in plan
