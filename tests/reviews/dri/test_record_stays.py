"""Recording several departures (or returns) at once from the queue: confirmed on a page that
lists exactly who will be recorded, then each through the dossier's own service."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from apps.applications.models import Application, ApplicationState, Transition
from apps.applications.workflow import as_seen, last_transition_id
from apps.notifications.models import Notification
from apps.reviews.services.decisions import application_mark_departed
from apps.reviews.views.stays import MOST_AT_ONCE
from mobility_portal.dates import long_date
from tests.applications.factories import login
from tests.factories import StudentProfileFactory
from tests.reviews.dri.builders import in_state, nominated, seen, state_of, stay_dated

S = ApplicationState
DEPARTURES = reverse("reviews:stays_departed")
RETURNS = reverse("reviews:stays_returned")


def today():
    return timezone.localdate()


def in_stay(state: str = S.ACCEPTED, *, started: bool = True, student=None) -> Application:
    """A nominated student's application in `state`, its stay begun (or not) and ended (or
    not) as `started` says."""
    application = in_state(nominated(student or StudentProfileFactory().user), state)
    if started:
        return stay_dated(application, start=today() - timedelta(days=100), end=today())
    return stay_dated(
        application, start=today() + timedelta(days=10), end=today() + timedelta(days=100)
    )


def departures(application: Application):
    return application.history.filter(to_state=S.IN_MOBILITY)


def chosen(*applications: Application) -> dict:
    return {"application": [application.pk for application in applications]}


def confirmation_post(page, **confirmed: bool) -> dict:
    """The POST body the confirmation page sends, ticking the boxes of `confirmed` (keyed
    "pk<id>")."""
    data: dict = {"application": []}
    for row in page.context["selection"].rows:
        form = row.form
        data["application"].append(row.application.pk)
        data[form["seen_state"].html_name] = form["seen_state"].value()
        data[form["seen_transition"].html_name] = form["seen_transition"].value() or ""
        if "confirm" in form.fields and confirmed.get(f"pk{row.application.pk}"):
            data[form["confirm"].html_name] = "on"
    return data


def recorded(client, url: str, data: dict):
    """Send the confirmation: it records, then redirects to its results' page, shown here."""
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{url}results/")
    return client.get(response["Location"])


def test_the_confirmation_lists_who_will_be_recorded_and_who_is_left_out(client, dri):
    ready = in_stay()
    early = in_stay(started=False)
    gone = in_stay(S.IN_MOBILITY)
    login(client, dri)
    page = client.get(
        DEPARTURES,
        chosen(ready, early, gone) | {"application": [ready.pk, early.pk, gone.pk, 999999, "x"]},
    )
    assert page.status_code == 200
    selection = page.context["selection"]
    assert [row.application for row in selection.rows] == [ready, early]
    assert [row.reason for row in selection.left_out] == [
        "This application is in mobility: it cannot become in mobility.",
        "No application received by the office has this number.",
        "This is not an application number.",
    ]
    html = page.content.decode()
    label = (
        f"The stay begins on {long_date(today() + timedelta(days=10))}: I confirm the student "
        "has already left."
    )
    assert escape(label) in html
    assert html.count('type="checkbox"') == 1  # only the early stay asks
    # The early row is recorded only if ticked: the button promises no number without script,
    # and holds its words for the script that counts the ticks.
    assert '<button type="submit" class="btn btn-primary"' in html
    assert ">Record departures</button>" in html
    assert 'data-count-label-one="Record {count} departure"' in html
    assert 'data-count-label-other="Record {count} departures"' in html
    assert "js/stays-count.js" in html
    # Showing the page records nothing.
    assert state_of(ready) == S.ACCEPTED


def test_without_an_early_row_the_button_counts_every_row(client, dri):
    """Every row is recorded when sent: the number is true without script, and no script
    counts ticks that are not there."""
    html = login(client, dri).get(DEPARTURES, chosen(in_stay(), in_stay())).content.decode()
    assert ">Record 2 departures</button>" in html
    assert "js/stays-count.js" not in html
    returns = client.get(RETURNS, chosen(in_stay(S.IN_MOBILITY))).content.decode()
    assert ">Record 1 return</button>" in returns


def test_the_buttons_words_for_the_script_are_in_the_pages_language(client, dri):
    login(client, dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    html = client.get(DEPARTURES, chosen(in_stay(), in_stay(started=False))).content.decode()
    assert '<html lang="fr"' in html
    assert 'data-count-label-one="Enregistrer {count} départ"' in html
    assert 'data-count-label-other="Enregistrer {count} départs"' in html


@pytest.mark.parametrize("state", [S.ACCEPTED, S.IN_MOBILITY])
def test_the_confirmation_says_where_a_mistake_is_undone(client, dri, state):
    """The dossier undoes a departure or a return recorded by mistake: the page no longer says
    it cannot be undone."""
    url = DEPARTURES if state == S.ACCEPTED else reverse("reviews:stays_returned")
    html = login(client, dri).get(url, chosen(in_stay(state))).content.decode()
    assert "cannot be undone" not in html
    assert "by mistake is undone from the student&#x27;s dossier" in html


def test_each_row_goes_through_the_dossiers_service(client, dri):
    """A history row each, by the officer, from accepted to in mobility, as the dossier's button
    writes it; the early stay whose box was ticked too, the one left unticked not."""
    ready, ticked, unticked = in_stay(), in_stay(started=False), in_stay(started=False)
    login(client, dri)
    page = client.get(DEPARTURES, chosen(ready, ticked, unticked))
    response = recorded(client, DEPARTURES, confirmation_post(page, **{f"pk{ticked.pk}": True}))
    assert response.status_code == 200
    assert state_of(ready) == state_of(ticked) == S.IN_MOBILITY
    assert state_of(unticked) == S.ACCEPTED
    for application in (ready, ticked):
        transition = application.history.latest("pk")
        assert (transition.actor, transition.from_state, transition.to_state) == (
            dri,
            S.ACCEPTED,
            S.IN_MOBILITY,
        )
    assert not departures(unticked).exists()
    assert [row.application for row in response.context["recorded"]] == [ready, ticked]
    html = response.content.decode()
    assert "2 students are recorded as departed." in html
    assert "1 application is not recorded: see why below." in html
    day = long_date(today() + timedelta(days=10))
    assert (
        escape(
            f"Not recorded: the stay begins on {day} and you did not confirm that the student has "
            "already left."
        )
        in html
    )


def test_a_row_that_changed_meanwhile_is_refused_and_the_others_recorded(client, dri):
    changed, other = in_stay(), in_stay()
    login(client, dri)
    page = client.get(DEPARTURES, chosen(changed, other))
    # Someone records the departure from the dossier while the page is open.
    application_mark_departed(actor=dri, application=changed)
    response = recorded(client, DEPARTURES, confirmation_post(page))
    assert state_of(other) == S.IN_MOBILITY
    assert departures(changed).count() == 1  # not a second time
    (refused,) = response.context["left_out"]
    assert refused.application == changed
    assert refused.reason.startswith("This dossier changed since you opened it: it is now in")


def test_sending_the_page_again_records_nothing_twice(client, dri):
    application = in_stay()
    login(client, dri)
    data = confirmation_post(client.get(DEPARTURES, chosen(application)))
    recorded(client, DEPARTURES, data)
    response = recorded(client, DEPARTURES, data)
    assert departures(application).count() == 1
    assert response.context["recorded"] == []
    assert "0 students are recorded as departed." in response.content.decode()


def test_returns_tell_each_student_to_send_the_transcript(client, dri):
    """As the dossier's button: the return asks each student for the host's transcript."""
    first, second = in_stay(S.IN_MOBILITY), in_stay(S.IN_MOBILITY)
    early = in_stay(S.IN_MOBILITY, started=False)
    login(client, dri)
    page = client.get(RETURNS, chosen(first, second, early))
    label = (
        f"The stay ends on {long_date(today() + timedelta(days=100))}: I confirm the student is "
        "already back."
    )
    assert escape(label) in page.content.decode()
    response = recorded(client, RETURNS, confirmation_post(page))
    assert state_of(first) == state_of(second) == S.RETURNED
    assert state_of(early) == S.IN_MOBILITY
    for application in (first, second):
        assert Notification.objects.filter(recipient=application.student).exists()
    assert not Notification.objects.filter(recipient=early.student).exists()
    assert "2 students are recorded as back from mobility" in response.content.decode()


def test_a_post_that_does_not_say_what_was_seen_records_nothing(client, dri):
    """A hand-made POST (no state nor history row seen), here on an application in another
    state, is refused as the dossier's own form refuses it, never recorded."""
    application = in_stay(S.NOMINATED)
    login(client, dri)
    response = recorded(client, DEPARTURES, {"application": [application.pk, "junk"]})
    assert response.status_code == 200
    assert state_of(application) == S.NOMINATED
    reasons = [row.reason for row in response.context["left_out"]]
    assert reasons == [
        "This dossier changed since you opened it: it is now nominated. Reload it.",
        "This is not an application number.",
    ]


def test_an_empty_selection_says_so(client, dri):
    """Nothing ticked: said as such, where the page said none of the selected applications
    could be recorded, as if some had been refused."""
    login(client, dri)
    page = client.get(DEPARTURES)
    assert page.status_code == 200
    html = page.content.decode()
    assert "No application is selected: tick students in the queue first." in html
    assert "None of the selected applications" not in html


def test_a_selection_of_which_none_can_be_recorded_says_so(client, dri):
    application = in_stay(S.NOMINATED)
    login(client, dri)
    html = client.get(DEPARTURES, chosen(application)).content.decode()
    assert "None of the selected applications can be recorded here." in html
    assert "No application is selected" not in html


def test_filters_that_select_nobody_any_more_say_so(client, dri):
    login(client, dri)
    page = client.get(DEPARTURES, {"matching": "1", "back": "q=Nobody&state=accepted"})
    html = page.content.decode()
    assert "No application matches the queue's filters any more." in html
    assert "None of the selected applications" not in html


def test_too_many_at_once_is_refused_with_a_reason(client, dri):
    login(client, dri)
    ids = list(range(1, MOST_AT_ONCE + 2))
    page = client.get(DEPARTURES, {"application": ids})
    assert page.status_code == 400
    assert f"choose at most {MOST_AT_ONCE} at once" in page.content.decode()
    response = client.post(DEPARTURES, {"application": ids})
    assert response.status_code == 400


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_only_the_dri_records(client, request, persona, db):
    application = in_stay()
    login(client, request.getfixturevalue(persona))
    assert client.get(DEPARTURES, chosen(application)).status_code == 403
    response = client.post(
        DEPARTURES, seen(application, f"departed-{application.pk}") | chosen(application)
    )
    assert response.status_code == 403
    assert state_of(application) == S.ACCEPTED


def _queries(client, method, url, data, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    assert response.status_code == status
    return len(queries)


def test_the_confirmation_costs_the_same_for_two_rows_as_for_twenty(client, dri):
    login(client, dri)
    client.get(DEPARTURES)  # the session, written once
    few = [in_stay() for _index in range(2)]
    many = few + [in_stay(started=index % 2 == 0) for index in range(18)]
    assert _queries(client, "get", DEPARTURES, chosen(*few)) == _queries(
        client, "get", DEPARTURES, chosen(*many)
    )


def test_recording_costs_the_service_per_row_and_nothing_more(client, dri):
    """Each row costs what the dossier's own service costs for it; reading the rows is flat."""
    login(client, dri)
    client.get(DEPARTURES)
    alone = in_stay()
    # As the dossier's button calls it: with the state and the history row the officer saw.
    as_shown = as_seen(alone, state=alone.state, transition_id=last_transition_id(alone))
    with CaptureQueriesContext(connection) as service:
        application_mark_departed(actor=dri, application=as_shown)
    one, *others = [in_stay() for _index in range(6)]
    data_one = confirmation_post(client.get(DEPARTURES, chosen(one)))
    data_many = confirmation_post(client.get(DEPARTURES, chosen(*others)))
    cost_one = _queries(client, "post", DEPARTURES, data_one, status=302)
    cost_many = _queries(client, "post", DEPARTURES, data_many, status=302)
    assert cost_many - cost_one == (len(others) - 1) * len(service)
    assert Transition.objects.filter(to_state=S.IN_MOBILITY).count() == 7


def test_the_queue_offers_the_tick_boxes_to_the_dri_on_accepted_applications(client, dri, dfi):
    application = in_stay()
    in_stay(S.SUBMITTED)
    in_stay(S.IN_MOBILITY)
    login(client, dri)
    page = client.get(reverse("reviews:queue"), {"state": "accepted"}).content.decode()
    assert f'name="application" value="{application.pk}"' in page
    assert "Record the ticked departures…" in page
    assert f'action="{DEPARTURES}"' in page
    returns = client.get(reverse("reviews:queue"), {"state": "in_mobility"}).content.decode()
    assert "Record the ticked returns…" in returns
    unfiltered = client.get(reverse("reviews:queue")).content.decode()
    assert 'name="application"' not in unfiltered
    assert "Record several departures: the accepted students whose stay has begun" in unfiltered
    assert 'href="?state=accepted&amp;stay=begun"' in unfiltered
    assert 'href="?state=in_mobility&amp;stay=ended"' in unfiltered
    # The DFI reads the queue but records nothing: no box, no link.
    login(client, dfi)
    page = client.get(reverse("reviews:queue"), {"state": "accepted"}).content.decode()
    assert 'name="application"' not in page
    assert "Record several departures" not in page


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_queue_lists_the_accepted_students_whose_stay_has_begun(client, dri, monkeypatch):
    """What the office records without a confirmation to give: the filter reads today, so
    its results are not kept past a midnight."""
    begun, early = in_stay(), in_stay(started=False)
    in_stay(S.IN_MOBILITY)
    login(client, dri)

    def listed(stay: str) -> list[Application]:
        response = client.get(reverse("reviews:queue"), {"state": "accepted", "stay": stay})
        return list(response.context["page"].object_list)

    assert listed("begun") == [begun]
    assert listed("not_begun") == [early]
    # Eleven days later, nothing else changed: the early stay has begun too.
    later = today() + timedelta(days=11)
    monkeypatch.setattr("apps.reviews.filters.timezone.localdate", lambda: later)
    assert sorted(listed("begun"), key=lambda a: a.pk) == [begun, early]
    assert listed("not_begun") == []
    ended = client.get(reverse("reviews:queue"), {"state": "in_mobility", "stay": "ended"})
    assert len(ended.context["page"].object_list) == 1
    junk = client.get(reverse("reviews:queue"), {"stay": "tomorrow"})
    assert junk.status_code == 200
    assert "stay" in junk.context["filter"].form.errors


def test_a_number_written_in_other_digits_is_left_out_not_a_crash(client, dri):
    """A "²" or a "٣" passes str.isdigit() but int() refuses it: left out as not a number."""
    response = login(client, dri).get(DEPARTURES, {"application": ["²", "٣"]})
    assert response.status_code == 200
    assert [row.pk for row in response.context["selection"].left_out] == ["²", "٣"]


def test_a_long_value_given_twice_is_left_out_once(client, dri):
    response = login(client, dri).get(DEPARTURES, {"application": ["x" * 50, "x" * 50]})
    assert [row.pk for row in response.context["selection"].left_out] == ["x" * 40]
