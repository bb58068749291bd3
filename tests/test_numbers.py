"""Counts grouped by thousands as each language writes them, figure by figure: the settings
group nothing, or years would read "2 027"."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation

from mobility_portal.numbers import digits_number, grouped


@pytest.mark.parametrize(
    ("language", "value", "written"),
    [
        ("fr", 1278, "1\xa0278"),  # the no-break space of Django's French format
        ("fr", 1234567, "1\xa0234\xa0567"),
        ("fr", 999, "999"),
        ("fr", 0, "0"),
        ("fr", -1500, "-1\xa0500"),  # a seat count gone below zero
        ("en", 1278, "1,278"),
        ("en", 1234567, "1,234,567"),
        ("en", 999, "999"),
    ],
)
def test_a_count_is_grouped_as_its_reader_writes_it(language, value, written):
    with translation.override(language):
        assert grouped(value) == written


def test_no_count_writes_nothing():
    assert grouped(None) == ""


def test_the_settings_group_no_number():
    """Grouping is per figure: USE_THOUSAND_SEPARATOR would write "2 027" for a year."""
    assert settings.USE_THOUSAND_SEPARATOR is False
    template = engines["django"].from_string("{{ year }}|{{ year|grouped }}")
    with translation.override("fr"):
        assert template.render({"year": 2027}) == "2027|2\xa0027"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_filter_groups_even_where_the_template_localizes_nothing(language):
    """The charts are drawn inside {% localize off %} (their coordinates are numbers for the
    browser), yet their figures are for the reader."""
    template = engines["django"].from_string(
        "{% load l10n %}{% localize off %}{{ count|grouped }} at x={{ x }}{% endlocalize %}"
    )
    with translation.override(language):
        written = template.render({"count": 1278, "x": 1234.5})
    assert written == {"fr": "1\xa0278 at x=1234.5", "en": "1,278 at x=1234.5"}[language]


@pytest.mark.parametrize(
    ("value", "written"),
    [("B0001278", "B0001278"), ("", ""), (True, "True"), (Decimal("1278"), "1\xa0278")],
)
def test_the_filter_leaves_what_is_not_a_number_as_the_template_writes_it(value, written):
    template = engines["django"].from_string("{{ value|grouped }}")
    with translation.override("fr"):
        assert template.render({"value": value}) == written


def test_a_plural_sentence_keeps_its_msgid_and_shows_the_grouped_count():
    """The count picks the plural form; the figure the sentence shows is the grouped one, under
    the name the sentence's msgid already had (so the French catalogue needs no change)."""
    template = engines["django"].from_string(
        "{% load i18n %}{% blocktranslate count n=total with counter=total|grouped %}"
        "{{ counter }} application matches these filters{% plural %}"
        "{{ counter }} applications match these filters{% endblocktranslate %}"
    )
    with translation.override("fr"):
        assert (
            template.render({"total": 1278}) == "1\xa0278 candidatures correspondent à ces filtres"
        )
    with translation.override("en"):
        assert template.render({"total": 1}) == "1 application matches these filters"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2027", 2027),
        ("0", 0),
        ("", None),
        (None, None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("12a", None),
        ("20270", None),
    ],
)
def test_digits_number_reads_ascii_digits_only(text, number):
    assert digits_number(text, most_digits=4) == number
