"""An event's subject is a lazy translation formatted with the subject values, or a function
of those values when its wording depends on them (`Event.subject_for`): the same lines, in
English and in French, as when the three wordings that depend on a value were objects
overloading `%`."""

import pytest
from django.utils import translation

from apps.notifications import events

CALL = "Erasmus 2027"

EXPECTED = {
    "en": [
        (events.CALL_CLOSING, {"call": CALL, "days": 0}, f"The call {CALL} closes today"),
        (events.CALL_CLOSING, {"call": CALL, "days": 1}, f"The call {CALL} closes in 1 day"),
        (events.CALL_CLOSING, {"call": CALL, "days": 7}, f"The call {CALL} closes in 7 days"),
        (
            events.CALL_DEADLINE_MOVED,
            {"call": CALL, "closes": "3 March 2027", "moved": "closed"},
            f"The call {CALL} has closed early, on 3 March 2027",
        ),
        (
            events.CALL_DEADLINE_MOVED,
            {"call": CALL, "closes": "3 March 2027", "moved": "earlier"},
            f"The call {CALL} now closes earlier, on 3 March 2027",
        ),
        (
            events.CALL_DEADLINE_MOVED,
            {"call": CALL, "closes": "3 March 2027", "moved": "later"},
            f"The call {CALL} now closes later, on 3 March 2027",
        ),
        (
            events.COURSE_DECISIONS_CHANGED,
            {"count": 1, "course": "CS101 Algorithms", "decision": "approved", "host": "TU"},
            "Your study advisor changed their decision on CS101 Algorithms: now approved",
        ),
        (
            events.COURSE_DECISIONS_CHANGED,
            {"count": 2, "course": "CS101 Algorithms", "decision": "approved", "host": "TU"},
            "Your study advisor changed their decisions on 2 courses of your course plan for TU",
        ),
        (
            events.COURSE_PLANS_WAITING,
            {"count": 3},
            "Reminder: 3 course plans are waiting for your decision",
        ),
        (
            events.APPLICATION_SUBMITTED,
            {"student": "Ada Lovelace", "call": CALL},
            f"New application from Ada Lovelace ({CALL})",
        ),
    ],
    "fr": [
        (events.CALL_CLOSING, {"call": CALL, "days": 0}, f"L'appel {CALL} ferme aujourd'hui"),
        (events.CALL_CLOSING, {"call": CALL, "days": 1}, f"L'appel {CALL} ferme dans 1 jour"),
        (events.CALL_CLOSING, {"call": CALL, "days": 7}, f"L'appel {CALL} ferme dans 7 jours"),
        (
            events.CALL_DEADLINE_MOVED,
            {"call": CALL, "closes": "3 mars 2027", "moved": "closed"},
            f"L'appel {CALL} a fermé plus tôt, le 3 mars 2027",
        ),
        (
            events.CALL_DEADLINE_MOVED,
            {"call": CALL, "closes": "3 mars 2027", "moved": "earlier"},
            f"L'appel {CALL} ferme désormais plus tôt, le 3 mars 2027",
        ),
        (
            events.CALL_DEADLINE_MOVED,
            {"call": CALL, "closes": "3 mars 2027", "moved": "later"},
            f"L'appel {CALL} ferme désormais plus tard, le 3 mars 2027",
        ),
        (
            events.COURSE_DECISIONS_CHANGED,
            {"count": 1, "course": "CS101 Algorithmes", "decision": "approuvé", "host": "TU"},
            "Votre conseiller d'études a changé sa décision sur CS101 Algorithmes : "
            "désormais approuvé",
        ),
        (
            events.COURSE_DECISIONS_CHANGED,
            {"count": 2, "course": "CS101 Algorithmes", "decision": "approuvé", "host": "TU"},
            "Votre conseiller d'études a changé ses décisions sur 2 cours de votre programme "
            "de cours pour TU",
        ),
        (
            events.COURSE_PLANS_WAITING,
            {"count": 1},
            "Rappel : 1 programme de cours attend votre décision",
        ),
    ],
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_subject_reads_as_before_in_each_language(language):
    with translation.override(language):
        assert [event.subject_for(values) for event, values, _line in EXPECTED[language]] == [
            line for _event, _values, line in EXPECTED[language]
        ]


def test_a_subject_that_depends_on_its_values_is_a_plain_function():
    for event in (events.CALL_CLOSING, events.CALL_DEADLINE_MOVED, events.COURSE_DECISIONS_CHANGED):
        assert callable(event.subject)
    assert not callable(events.APPLICATION_SUBMITTED.subject)
