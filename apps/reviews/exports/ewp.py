"""A learning agreement as an Erasmus Without Paper document: the `get-response` of the
Outgoing Mobility Learning Agreements API (omobility-las, stable v1), valid against the official
schema copied in `ewp_schema/`.

How the portal's data maps onto the EWP model (the schema's documentation says what each part
means; content is in English, as EWP recommends):

- Only versions the study advisor approved carry the sending institution's signature, which
  every list of components requires: later versions still awaiting the advisor are left out,
  and an agreement with no approved version cannot be exported (`NotExportable`).
- The host signs when the DRI records its acceptance: the approved versions decided before that
  carry the receiving institution's signature. The first such version is `first-version`; a
  later one is `approved-changes`; the latest approved version, when the host has not signed
  it, is a `changes-proposal`. Changes are listed against the first version, as components
  "inserted" or "deleted". Before the host signed anything, the latest approved version goes
  alone as the proposal of the first version.
- An EWP mobility starts with a nomination: the agreement is exported once the student is
  nominated to the host of this activity, and no longer once the application is withdrawn.
- A host without a known EWP id (`Partner.hei_id` empty, or a host outside partnerships) gets
  an empty `hei-id`: the schema allows it, and an empty id cannot send the document to a wrong
  institution, while its name stays in `ounit-name` for whoever completes it.
- The school's contact is the study advisor who signed its latest approved version. The portal
  keeps no contact person at partners: the receiving side's contact is the DRI officer who
  nominated the student, the one who deals with the host about this mobility.
- Components recognized are the home requirements, one per requirement, with the planned
  ECTS; the credits obtained belong to the transcript of records, not to the agreement.
"""

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from xml.etree import ElementTree as ET

import xmlschema
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import timezone
from django.utils.translation import get_language_info, override
from django.utils.translation import gettext as _

from apps.applications.errors import ServiceError

from .learning_agreement import Course, Institution, LearningAgreement, Person, Version

NAMESPACE = (
    "https://github.com/erasmus-without-paper/ewp-specs-api-omobility-las"
    "/blob/stable-v1/endpoints/get-response.xsd"
)
TERM_NAMESPACE = (
    "https://github.com/erasmus-without-paper/ewp-specs-types-academic-term/tree/stable-v2"
)
SCHEMA_PATH = Path(__file__).parent / "ewp_schema" / "omobility-las" / "get-response.xsd"

SIGNER_APP = "Mobility Portal"
ADVISOR_POSITION = "Study advisor"
# The engineering degree is a master-level programme (EQF 7); the ISCED-F field defaults to
# "engineering and engineering trades" until the school sets SCHOOL_ISCED_F_CODE.
EQF_LEVEL = 7
DEFAULT_ISCED_F_CODE = "0710"
# The schema has no "unknown" level: B2 is what partners ask for when the agreement says nothing.
DEFAULT_CEFR_LEVEL = "B2"
DEFAULT_LANGUAGE = "en"

CEFR_PATTERN = re.compile(r"\b([ABC][12])\b")
FIRST_TERM_WORDS = frozenset(
    {
        "fall",
        "autumn",
        "automne",
        "winter",
        "hiver",
        "s1",
        "herbst",
        "herbstsemester",
        "wintersemester",
        "otoño",
        "autunno",
        "invierno",
    }
)
SECOND_TERM_WORDS = frozenset(
    {
        "spring",
        "printemps",
        "summer",
        "été",
        "s2",
        "frühjahr",
        "frühling",
        "frühjahrssemester",
        "frühlingssemester",
        "sommer",
        "sommersemester",
        "primavera",
        "verano",
    }
)
# "Semester 1", "1st semester", "1º semestre", "premier semestre", "term II"...
TERM_NUMBER = re.compile(
    r"\b(?:(?:semester|semestre|term)\s+(?P<after>1|2|i|ii)"
    r"|(?P<before>1|2|1st|2nd|1º|2º|1er|2e|1re|first|second|premier|première|deuxième)"
    r"\s+(?:semester|semestre|term))\b"
)
# A year in trimesters or quarters: a season or a number there is not a semester's.
THIRDS_OR_QUARTERS = re.compile(r"\b(?:trimesters?|trimestres?|quarters?)\b")
TRIMESTER_NUMBER = re.compile(
    r"\b(?:(?:trimester|trimestre)\s+(?P<after>1|2|3|i|ii|iii)"
    r"|(?P<before>1|2|3|1st|2nd|3rd|1er|2e|3e|first|second|third|premier|deuxième|troisième)"
    r"\s+(?:trimester|trimestre))\b"
)
TRIMESTERS = {
    "1": 1, "i": 1, "1st": 1, "1er": 1, "first": 1, "premier": 1,
    "2": 2, "ii": 2, "2nd": 2, "2e": 2, "second": 2, "deuxième": 2,
    "3": 3, "iii": 3, "3rd": 3, "3e": 3, "third": 3, "troisième": 3,
}  # fmt: skip
BOTH_TERMS = re.compile(r"\b(?:1|i)\s*(?:and|&|-|/|et|und|y)\s*(?:2|ii)\b")
NUMBERS = {
    "1": 1,
    "i": 1,
    "1st": 1,
    "1º": 1,
    "1er": 1,
    "1re": 1,
    "first": 1,
    "premier": 1,
    "première": 1,
    "2": 2,
    "ii": 2,
    "2nd": 2,
    "2º": 2,
    "2e": 2,
    "second": 2,
    "deuxième": 2,
}


class NotExportable(ServiceError):
    """The agreement cannot be an EWP document yet."""


@cache
def load_schema() -> xmlschema.XMLSchema:
    """The official schema, read from the local copy only: remote locations are blocked (the
    XML namespace it imports from w3.org is built into xmlschema)."""
    return xmlschema.XMLSchema(str(SCHEMA_PATH), allow="local")


def learning_agreement_json(agreement: LearningAgreement) -> bytes:
    """The same EWP document as JSON, element for element (xmlschema's default mapping:
    attributes prefixed with @, repeatable elements as lists, values typed by the schema),
    for systems that read JSON; decoding it validates it against the schema again."""
    data = load_schema().to_dict(learning_agreement_xml(agreement), decimal_type=str)
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def approved_versions(agreement: LearningAgreement) -> list[Version]:
    """The versions the document carries: those the study advisor approved."""
    return [version for version in agreement.versions if version.sending_signature]


def learning_agreement_xml(agreement: LearningAgreement) -> bytes:
    approved = approved_versions(agreement)
    problems = []
    if agreement.withdrawn:
        problems.append(_("The application was withdrawn: there is no mobility to exchange."))
    elif agreement.nomination is None:
        problems.append(
            _("The student is not nominated to this host: there is no mobility to exchange.")
        )
    if not approved:
        problems.append(_("The study advisor has not approved a version of this course plan yet."))
    if problems:
        raise NotExportable(*problems)
    root = ET.Element(
        "omobility-las-get-response", {"xmlns": NAMESPACE, "xmlns:trm": TERM_NAMESPACE}
    )
    la = _sub(root, "la")
    _sub(la, "omobility-id", agreement.reference)
    _institution(
        la,
        "sending-hei",
        agreement.sending,
        unit=agreement.student.filiere or agreement.sending.name,
        contact=_sending_contact(agreement),
    )
    _institution(
        la,
        "receiving-hei",
        agreement.receiving,
        unit=agreement.receiving.name,
        contact=agreement.nomination.person,
    )
    _sub(
        la, "receiving-academic-year-id", f"{agreement.academic_year}/{agreement.academic_year + 1}"
    )
    _student(la, agreement.student.person)
    _sub(la, "start-date", agreement.start.isoformat())
    _sub(la, "end-date", agreement.end.isoformat())
    _sub(la, "eqf-level-studied-at-departure", str(EQF_LEVEL))
    _sub(la, "isced-f-code", settings.SCHOOL_ISCED_F_CODE)
    if agreement.student.filiere:
        _sub(la, "isced-clarification", agreement.student.filiere)
    skill = _sub(la, "student-language-skill")
    language, level = language_skill(agreement)
    _sub(skill, "language", language)
    _sub(skill, "cefr-level", level)
    _component_lists(la, agreement, approved)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _component_lists(la: ET.Element, agreement: LearningAgreement, approved: list[Version]):
    acceptance = agreement.host_acceptance
    signed_by_host = [
        version
        for version in approved
        if acceptance is not None and version.sending_signature.at <= acceptance.at
    ]
    latest = approved[-1]
    if not signed_by_host:
        _proposal(la, _tables(latest.agreed_courses), latest)
        return
    first, last_agreed = signed_by_host[0], signed_by_host[-1]
    _fill(_sub(la, "first-version"), _tables(first.agreed_courses), first, agreement)
    if last_agreed is not first:
        _fill(_sub(la, "approved-changes"), _changes(first, last_agreed), last_agreed, agreement)
    if latest is not last_agreed:
        _proposal(la, _changes(first, latest), latest)


@dataclass(frozen=True)
class Component:
    code: str
    title: str
    term: tuple[int, int] | None
    ects: Decimal


@dataclass(frozen=True)
class Tables:
    """Components studied (host courses) and recognized (home requirements), each with the
    status it carries as a change ("inserted", "deleted"; empty in a full list)."""

    studied: list[tuple[Component, str]]
    recognized: list[tuple[Component, str]]


def _tables(courses: tuple[Course, ...]) -> Tables:
    return Tables(
        studied=[(component, "") for component in studied_components(courses)],
        recognized=[(component, "") for component in recognized_components(courses)],
    )


def _changes(first: Version, later: Version) -> Tables:
    return Tables(
        studied=_difference(
            studied_components(first.agreed_courses), studied_components(later.agreed_courses)
        ),
        recognized=_difference(
            recognized_components(first.agreed_courses),
            recognized_components(later.agreed_courses),
        ),
    )


def _difference(before: list[Component], after: list[Component]) -> list[tuple[Component, str]]:
    removed = Counter(before) - Counter(after)
    added = Counter(after) - Counter(before)
    return [(component, "deleted") for component in removed.elements()] + [
        (component, "inserted") for component in added.elements()
    ]


def studied_components(courses: tuple[Course, ...]) -> list[Component]:
    return [
        Component(
            code=course.code,
            title=course.title,
            term=term_of(course.semester),
            ects=course.ects,
        )
        for course in courses
    ]


def recognized_components(courses: tuple[Course, ...]) -> list[Component]:
    """One component per home requirement, with the ECTS of every host course replacing it."""
    groups: dict[str, list[Course]] = {}
    for course in courses:
        groups.setdefault(" ".join(course.home_requirement.lower().split()), []).append(course)
    components = []
    for group in groups.values():
        terms = {term_of(course.semester) for course in group}
        components.append(
            Component(
                code="",
                title=group[0].home_requirement.strip(),
                term=terms.pop() if len(terms) == 1 else None,
                ects=sum((course.ects for course in group), Decimal(0)),
            )
        )
    return components


def term_of(semester: str) -> tuple[int, int] | None:
    """(term number, terms in the year) when the free-text semester names one clearly: a
    semester, or a numbered trimester (one of three)."""
    text = semester.lower()
    if THIRDS_OR_QUARTERS.search(text):
        numbers = {TRIMESTERS[m["after"] or m["before"]] for m in TRIMESTER_NUMBER.finditer(text)}
        return (numbers.pop(), 3) if len(numbers) == 1 else None
    if BOTH_TERMS.search(text):
        return None
    words = set(re.findall(r"\w+", text))
    terms = {
        number for number in (1, 2) if words & (FIRST_TERM_WORDS, SECOND_TERM_WORDS)[number - 1]
    }
    terms |= {NUMBERS[found["after"] or found["before"]] for found in TERM_NUMBER.finditer(text)}
    return (terms.pop(), 2) if len(terms) == 1 else None


def language_skill(agreement: LearningAgreement) -> tuple[str, str]:
    """The language of instruction the agreement's requirement names (one of the host's first,
    then any language; else the host's first one) and the CEFR level the student commits to
    reach by departure."""
    requirement = agreement.language_requirement
    level = CEFR_PATTERN.search(requirement.upper())
    text = requirement.lower()
    named = (
        code
        for code in (*agreement.host_languages, *_KNOWN_LANGUAGES)
        if any(re.search(rf"\b{re.escape(name)}\b", text) for name in _language_names(code))
    )
    fallback = agreement.host_languages[0] if agreement.host_languages else DEFAULT_LANGUAGE
    return next(named, fallback), level.group(1) if level else DEFAULT_CEFR_LEVEL


# Two-letter codes Django names (a requirement may name a language the host does not list).
_KNOWN_LANGUAGES = tuple(sorted(code for code in LANG_INFO if len(code) == 2))


@cache
def _language_names(code: str) -> frozenset[str]:
    """The language's names, lower case: in English, in itself ("español") and in each of the
    portal's languages ("espagnol", as staff write in French)."""
    try:
        info = get_language_info(code)
    except KeyError:
        return frozenset()
    names = {info["name"], info["name_local"]}
    for language, _label in settings.LANGUAGES:
        with override(language):
            names.add(str(info["name_translated"]))
    return frozenset(name.lower() for name in names)


def _proposal(la: ET.Element, tables: Tables, version: Version) -> None:
    """Signed by the student and the school only: the host has not agreed to it yet."""
    proposal = _sub(la, "changes-proposal")
    _fill(proposal, tables, version, host_signed=None)
    # The id must change exactly when the content does: a digest of the proposal itself.
    proposal.set("id", hashlib.sha256(ET.tostring(proposal)).hexdigest())


def _fill(
    element: ET.Element, tables: Tables, version: Version, host_signed: LearningAgreement | None
) -> None:
    """Fill a list of components with its signatures; `host_signed` is the agreement whose host
    acceptance signs it, None for a proposal."""
    for name, components in (
        ("components-studied", tables.studied),
        ("components-recognized", tables.recognized),
    ):
        table = _sub(element, name)
        for component, status in components:
            _component(table, component, status, version)
    student = _sub(element, "student-signature")
    _sub(student, "timestamp", _timestamp(_student_signature_time(version)))
    _sub(student, "signer-app", SIGNER_APP)
    sending = version.sending_signature
    _signature(
        element,
        "sending-hei-signature",
        name=sending.person.name,
        position=ADVISOR_POSITION,
        email=sending.person.email,
        at=sending.at,
    )
    if host_signed is not None:
        _host_signature(element, host_signed)


def _component(table: ET.Element, component: Component, status: str, version: Version) -> None:
    attributes = {"status": status} if status else {}
    if status:
        attributes["reason-text"] = f"Course plan version {version.number}"
    element = _sub(table, "component", **attributes)
    if component.code:
        _sub(element, "los-code", component.code)
    _sub(element, "title", component.title)
    if component.term is not None:
        term = _sub(element, "term-id")
        _sub(term, "trm:term-number", str(component.term[0]))
        _sub(term, "trm:total-terms", str(component.term[1]))
    credit = _sub(element, "credit")
    _sub(credit, "scheme", "ects")
    _sub(credit, "value", f"{component.ects.normalize():f}")


def _student_signature_time(version: Version) -> datetime:
    # An approved version was sent by the student; the advisor's date stands in for a row that
    # lost its sending date.
    if version.student_signature is not None:
        return version.student_signature.at
    return version.sending_signature.at


def _host_signature(parent: ET.Element, agreement: LearningAgreement) -> None:
    """The host's admission decision, as the DRI officer recorded it (the portal does not know
    who signed at the host)."""
    acceptance = agreement.host_acceptance
    _signature(
        parent,
        "receiving-hei-signature",
        name=agreement.receiving.name,
        position=f"Admission decision recorded by {acceptance.person.name}",
        email=acceptance.person.email,
        at=acceptance.at,
    )


def _signature(
    parent: ET.Element, tag: str, *, name: str, position: str, email: str, at: datetime
) -> None:
    element = _sub(parent, tag)
    _sub(element, "signer-name", name)
    _sub(element, "signer-position", position)
    _sub(element, "signer-email", email)
    _sub(element, "timestamp", _timestamp(at))
    _sub(element, "signer-app", SIGNER_APP)


def _institution(
    la: ET.Element, tag: str, institution: Institution, *, unit: str, contact: Person
) -> None:
    element = _sub(la, tag)
    _sub(element, "hei-id", institution.hei_id)
    _sub(element, "ounit-name", unit)
    _contact(element, contact)


def _sending_contact(agreement: LearningAgreement) -> Person:
    signatures = [v.sending_signature for v in agreement.versions if v.sending_signature]
    return signatures[-1].person


def _contact(parent: ET.Element, person: Person) -> None:
    contact = _sub(parent, "contact-person")
    given, family = person.given_names, person.family_name
    if not (given or family):
        given, family = "", person.name
    _sub(contact, "given-names", given)
    _sub(contact, "family-name", family)
    _sub(contact, "email", person.email)


def _student(la: ET.Element, person: Person) -> None:
    student = _sub(la, "student")
    _sub(student, "given-names", person.given_names)
    _sub(student, "family-name", person.family_name or person.name)
    _sub(student, "email", person.email)


def _timestamp(at: datetime) -> str:
    return timezone.localtime(at).replace(microsecond=0).isoformat()


# Characters XML 1.0 cannot hold at all (C0 controls but tab, line feed and carriage return),
# which a pasted course title may carry: left out, or the document would not be XML.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = None if text is None else NOT_XML.sub("", text)
    return element
