"""How the portal's free text maps onto EWP values: terms, language skill, recognized
components."""

from datetime import date
from decimal import Decimal

import pytest

from apps.reviews.exports.ewp import language_skill, recognized_components, term_of
from apps.reviews.exports.learning_agreement import (
    Course,
    Institution,
    LearningAgreement,
    Version,
)


@pytest.mark.parametrize(
    ("semester", "term"),
    [
        ("Fall 2027", (1, 2)),
        ("Autumn", (1, 2)),
        ("Wintersemester / winter 27-28", (1, 2)),
        ("Semestre d'automne", (1, 2)),
        ("S2", (2, 2)),
        ("Spring 2028", (2, 2)),
        ("Printemps", (2, 2)),
        ("Fall and spring", None),
        ("Herbstsemester", (1, 2)),
        ("Frühjahrssemester 2028", (2, 2)),
        ("1º semestre 2028", (1, 2)),
        ("Semester 1", (1, 2)),
        ("semester II", (2, 2)),
        ("Second semester", (2, 2)),
        ("Premier semestre", (1, 2)),
        ("Semester 1 and 2", None),
        ("Period I-II", None),
        ("Full year", None),
        ("Trimester 2", (2, 3)),
        ("2e trimestre", (2, 3)),
        ("Third trimester", (3, 3)),
        ("Trimesters 1 and 2", None),
        ("Winter quarter", None),
        ("Spring quarter 2028", None),
        ("", None),
    ],
)
def test_term_of(semester, term):
    assert term_of(semester) == term


def course(code: str, requirement: str, ects: str, semester: str = "Fall") -> Course:
    return Course(
        code=code,
        title=f"Host {code}",
        ects=Decimal(ects),
        semester=semester,
        home_requirement=requirement,
        ects_obtained=None,
        decision="approved",
        decision_label="Approved",
        decision_comment="",
        decided=None,
    )


def test_host_courses_replacing_one_requirement_make_one_recognized_component():
    courses = (
        course("A", "Electives", "6"),
        course("B", "Networks", "5"),
        course("C", "  electives ", "4.5", semester="Spring"),
    )

    recognized = recognized_components(courses)

    assert [(c.title, c.ects, c.term) for c in recognized] == [
        ("Electives", Decimal("10.5"), None),  # two terms: none stated
        ("Networks", Decimal(5), (1, 2)),
    ]


def agreement_with(languages: tuple[str, ...], requirement: str) -> LearningAgreement:
    place = Institution(name="Host", country_code="DE", country_name="Germany", hei_id="")
    version = Version(
        number=1,
        status="approved",
        status_label="",
        courses=(),
        student_signature=None,
        advisor_signatures=(),
    )
    return LearningAgreement(
        reference="1-1",
        student=None,
        sending=place,
        receiving=place,
        host_languages=languages,
        language_requirement=requirement,
        activity_kind="",
        start=date(2027, 9, 1),
        end=date(2028, 1, 31),
        academic_year=2027,
        version=version,
        versions=(version,),
        nomination=None,
        host_acceptance=None,
    )


@pytest.mark.parametrize(
    ("languages", "requirement", "skill"),
    [
        (("de", "en"), "English B2", ("en", "B2")),
        (("de", "en"), "Deutsch c1 or English B2", ("de", "C1")),
        (("de", "en"), "", ("de", "B2")),
        ((), "Spanish A2", ("es", "A2")),
        ((), "B2", ("en", "B2")),
        # A language the host does not list is still the one the requirement names.
        (("de", "en"), "Italian B1", ("it", "B1")),
        (("de", "en"), "italien B1", ("it", "B1")),
        # Whole words: "Malayalam" is not Malay.
        ((), "Malayalam B2", ("ml", "B2")),
        (("en", "es"), "Espagnol B1", ("es", "B1")),
        (("en", "es"), "español C1", ("es", "C1")),
    ],
)
def test_language_skill(languages, requirement, skill):
    assert language_skill(agreement_with(languages, requirement)) == skill
