"""Every text the engine shows, in French and English.

The engine runs outside Django (command line, benchmarks, re-checks), so it keeps its own
bilingual tables instead of gettext. A message is a `Text`: a key in MESSAGES or PROBLEMS and
its figures, rendered in the reader's language only at the end.
"""

import errno
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any, NamedTuple

from apps.rules.measures import months_and_days, weeks_to_days

LANGUAGES: tuple[str, ...] = ("fr", "en")


class Text(NamedTuple):
    key: str
    figures: Mapping[str, object] = MappingProxyType({})


class Duration(NamedTuple):
    """How long start..end lasts, told in months and days."""

    start: date
    end: date


class DateRange(NamedTuple):
    start: date
    end: date


class Months(NamedTuple):
    count: int


class Weeks(NamedTuple):
    count: int


class Days(NamedTuple):
    count: int


class KindName(NamedTuple):
    kind: str


class TypeName(NamedTuple):
    """A JSON type, as a schema names it: "object", "integer"..."""

    name: str


class Bodies(NamedTuple):
    """Approving bodies, such as the DFI and the DRI."""

    names: tuple[str, ...]


MESSAGES: Mapping[str, Mapping[str, str]] = {
    "FAE_MINIMUM_FISEA": {
        "en": "The qualifying time abroad is {qualifying}; apprentices (FISEA) need at least "
        "{minimum}.",
        "fr": "Le temps retenu à l'étranger est de {qualifying} ; les apprentis (FISEA) doivent "
        "en passer au moins {minimum}.",
    },
    "FAE_MINIMUM_FISE": {
        "en": "The qualifying time abroad is {qualifying} and it includes no study period; at "
        "least one academic semester of study abroad is required, or {minimum} of internships "
        "and summer stays.",
        "fr": "Le temps retenu à l'étranger est de {qualifying} et ne comprend aucune période "
        "d'études ; il faut au moins un semestre académique d'études à l'étranger, ou "
        "{minimum} de stages et de séjours d'été.",
    },
    "DD_PARTNER": {
        "en": "A double degree exists only under an agreement with the school, and this host "
        "is not a partner.",
        "fr": "Un double diplôme n'existe que dans le cadre d'un accord avec l'école, et cet "
        "établissement n'est pas partenaire.",
    },
    "DD_DURATION": {
        "en": "The double degree lasts {duration}; at least {minimum} are required.",
        "fr": "Le double diplôme dure {duration} ; il faut au moins {minimum}.",
    },
    "DD_INTERNSHIP_COUNTRY": {
        "en": "The double degree's internship takes place in {internship_country}, not in the "
        "host country {country}.",
        "fr": "Le stage du double diplôme se déroule dans le pays {internship_country} et non "
        "dans le pays d'accueil {country}.",
    },
    "DD_INTERNSHIP_WITHIN": {
        "en": "The double degree's internship ({internship_dates}) is not inside the double "
        "degree's dates ({dates}).",
        "fr": "Le stage du double diplôme ({internship_dates}) n'est pas compris dans les dates "
        "du double diplôme ({dates}).",
    },
    "MASTER_DURATION": {
        "en": "The master lasts {duration}; a master lasts between {minimum} and {maximum}.",
        "fr": "Le master dure {duration} ; un master dure entre {minimum} et {maximum}.",
    },
    "NON_PARTNER_COSTS": {
        "en": "The host is not a partner of the school: tuition and costs are the student's own.",
        "fr": "L'établissement d'accueil n'est pas partenaire de l'école : les frais de "
        "scolarité et de séjour sont à la charge de l'étudiant.",
    },
    "SEMESTER_ECTS": {
        "en": "The exchange semester plans {ects} ECTS; at least {minimum} ECTS are required.",
        "fr": "Le semestre d'échange prévoit {ects} ECTS ; il en faut au moins {minimum}.",
    },
    "YEAR_ECTS": {
        "en": "The exchange year plans {ects} ECTS; at least {minimum} ECTS are required.",
        "fr": "L'année d'échange prévoit {ects} ECTS ; il en faut au moins {minimum}.",
    },
    "YEAR_PROJECT": {
        "en": "The exchange year plans no ECTS of final project, thesis or internship; about "
        "{project} of the {minimum} ECTS must be one of them.",
        "fr": "L'année d'échange ne prévoit aucun ECTS de projet de fin d'études, de mémoire ou "
        "de stage ; environ {project} des {minimum} ECTS doivent en relever.",
    },
    "SEMESTER_INTERNSHIP": {
        "en": "An exchange semester requires an engineering internship, before or after the "
        "semester: the plan has none and none is validated yet.",
        "fr": "Un semestre d'échange impose un stage ingénieur, avant ou après le semestre : le "
        "plan n'en prévoit pas et aucun n'est encore validé.",
    },
    "POST_RETURN_CAP": {
        "en": "This engineering internship follows an exchange semester and is the last "
        "obligation before graduating, so it may last at most {maximum}; it lasts {length}.",
        "fr": "Ce stage ingénieur suit un semestre d'échange et constitue la dernière obligation "
        "avant le diplôme : il ne peut dépasser {maximum} ; il dure {length}.",
    },
    "FREE_INTERNSHIP_CONTEXT": {
        "en": "A free internship is possible only on return from an exchange year, and no "
        "exchange year of the plan ends before it starts.",
        "fr": "Un stage libre n'est possible qu'au retour d'une année d'échange, et aucune "
        "année d'échange du plan ne se termine avant son début.",
    },
    "FREE_INTERNSHIP_ELIGIBILITY": {
        "en": "A free internship is not open to a student who has already validated an "
        "engineering internship or spent a full year in internship before leaving.",
        "fr": "Un stage libre n'est pas ouvert à qui a déjà validé un stage ingénieur ou "
        "effectué une année entière de stage avant de partir.",
    },
    "FREE_INTERNSHIP_CAP": {
        "en": "The free internship lasts {length}; it may last at most {maximum}.",
        "fr": "Le stage libre dure {length} ; il ne peut dépasser {maximum}.",
    },
    "SUMMER_DURATION": {
        "en": "The {kind} lasts {duration}; it must last between {minimum} and {maximum}.",
        "fr": "Le {kind} dure {duration} ; il doit durer entre {minimum} et {maximum}.",
    },
    "SUMMER_APPROVAL": {
        "en": "This summer stay abroad is not yet validated by {missing}; it does not count "
        "toward the time abroad until {approvers} both validate it.",
        "fr": "Ce séjour d'été à l'étranger n'est pas encore validé par {missing} ; il ne compte "
        "pas dans la formation à l'étranger tant que {approvers} ne l'ont pas validé toutes "
        "les deux.",
    },
    "SUMMER_TYPE": {
        "en": "Lab or company internships and summer schools are the preferred kinds of summer "
        "stay.",
        "fr": "Les stages en laboratoire ou en entreprise et les écoles d'été sont les séjours "
        "d'été privilégiés.",
    },
    "INTERNSHIP_MAX": {
        "en": "The {kind} lasts {duration}; an internship may last at most {maximum} (French "
        "law on internship agreements).",
        "fr": "Le {kind} dure {duration} ; un stage ne peut dépasser {maximum} (loi française "
        "sur les conventions de stage).",
    },
    "INTERNSHIP_MAX_DOUBLE_DEGREE": {
        "en": "The double degree's internship lasts {duration}; an internship may last at most "
        "{maximum} (French law on internship agreements).",
        "fr": "Le stage du double diplôme dure {duration} ; un stage ne peut dépasser {maximum} "
        "(loi française sur les conventions de stage).",
    },
    "ENGINEERING_INTERNSHIP_SHORT": {
        "en": "The engineering internship lasts {length}; the end-of-studies internship lasts "
        "about six months, at least {minimum}.",
        "fr": "Le stage ingénieur dure {length} ; le stage de fin d'études dure environ six "
        "mois, au moins {minimum}.",
    },
    "OVERLAP": {
        "en": "This activity ({dates}) overlaps activity {other} ({other_dates}).",
        "fr": "Cette activité ({dates}) chevauche l'activité {other} ({other_dates}).",
    },
}

# Where in the regulations each rule comes from; the version's name is put in front.
REFERENCES: Mapping[str, Mapping[str, str]] = {
    "FAE_MINIMUM": {
        "en": "Training abroad (FAE), minimum length",
        "fr": "Formation à l'étranger (FAE), durée minimale",
    },
    "DD_PARTNER": {
        "en": "Double degree, partnership agreement",
        "fr": "Double diplôme, accord de partenariat",
    },
    "DD_DURATION": {
        "en": "Double degree, minimum length",
        "fr": "Double diplôme, durée minimale",
    },
    "DD_INTERNSHIP_COUNTRY": {
        "en": "Double degree, internship in the host country",
        "fr": "Double diplôme, stage dans le pays d'accueil",
    },
    "DD_INTERNSHIP_WITHIN": {
        "en": "Double degree, internship during the double degree",
        "fr": "Double diplôme, stage pendant le double diplôme",
    },
    "MASTER_DURATION": {
        "en": "Master abroad, length",
        "fr": "Master à l'étranger, durée",
    },
    "NON_PARTNER_COSTS": {
        "en": "Studies outside partnerships, costs",
        "fr": "Formations hors partenariat, frais",
    },
    "SEMESTER_ECTS": {
        "en": "One semester abroad, ECTS credits",
        "fr": "Un semestre à l'étranger, crédits ECTS",
    },
    "YEAR_ECTS": {
        "en": "Two semesters abroad, ECTS credits",
        "fr": "Deux semestres à l'étranger, crédits ECTS",
    },
    "YEAR_PROJECT": {
        "en": "Two semesters abroad, final project, thesis or internship",
        "fr": "Deux semestres à l'étranger, projet de fin d'études, mémoire ou stage",
    },
    "SEMESTER_INTERNSHIP": {
        "en": "One semester abroad, engineering internship",
        "fr": "Un semestre à l'étranger, stage ingénieur",
    },
    "POST_RETURN_CAP": {
        "en": "One semester abroad, internship on return",
        "fr": "Un semestre à l'étranger, stage au retour",
    },
    "FREE_INTERNSHIP_CONTEXT": {
        "en": "Two semesters abroad, free internship on return",
        "fr": "Deux semestres à l'étranger, stage libre au retour",
    },
    "FREE_INTERNSHIP_ELIGIBILITY": {
        "en": "Two semesters abroad, free internship, eligibility",
        "fr": "Deux semestres à l'étranger, stage libre, conditions",
    },
    "FREE_INTERNSHIP_CAP": {
        "en": "Two semesters abroad, free internship, maximum length",
        "fr": "Deux semestres à l'étranger, stage libre, durée maximale",
    },
    "SUMMER_DURATION": {
        "en": "Summer internships, length",
        "fr": "Stages d'été, durée",
    },
    "SUMMER_APPROVAL": {
        "en": "Summer internships, validation by the DFI and the DRI",
        "fr": "Stages d'été, validation par la DFI et la DRI",
    },
    "SUMMER_TYPE": {
        "en": "Summer internships, preferred kinds",
        "fr": "Stages d'été, mobilités privilégiées",
    },
    "INTERNSHIP_MAX": {
        "en": "Internships, maximum length (internship agreements)",
        "fr": "Stages, durée maximale (conventions de stage)",
    },
    "ENGINEERING_INTERNSHIP_SHORT": {
        "en": "End-of-studies internship, length",
        "fr": "Stage de fin d'études, durée",
    },
    "OVERLAP": {
        "en": "Mobility plan, one activity at a time",
        "fr": "Plan de mobilité, une activité à la fois",
    },
}

# Invalid input: what is wrong with the field a problem line names.
PROBLEMS: Mapping[str, Mapping[str, str]] = {
    "not_utf8": {
        "en": "not UTF-8 text",
        "fr": "texte qui n'est pas en UTF-8",
    },
    "not_json": {
        "en": "not valid JSON",
        "fr": "JSON invalide",
    },
    "not_json_at": {
        "en": "not valid JSON (line {line}, column {column})",
        "fr": "JSON invalide (ligne {line}, colonne {column})",
    },
    "unreadable": {
        "en": "cannot be read ({reason})",
        "fr": "illisible ({reason})",
    },
    "too_large": {
        "en": "larger than {megabytes} MB, far more than any plan",
        "fr": "plus de {megabytes} Mo, bien au-delà de tout plan de mobilité",
    },
    "unwritable": {
        "en": "the report cannot be written ({reason})",
        "fr": "le rapport ne peut pas être écrit ({reason})",
    },
    "required": {
        "en": "required field missing",
        "fr": "champ obligatoire manquant",
    },
    "unknown_field": {
        "en": "unknown field",
        "fr": "champ inconnu",
    },
    "not_for_kind": {
        "en": "field not allowed for an activity of kind {kind}",
        "fr": "champ non autorisé pour une activité de type {kind}",
    },
    "type": {
        "en": "must be {expected}",
        "fr": "doit être {expected}",
    },
    "enum": {
        "en": "unknown value {value}; expected one of {choices}",
        "fr": "valeur inconnue {value} ; valeurs possibles : {choices}",
    },
    "date_format": {
        "en": "must be a date written YYYY-MM-DD",
        "fr": "doit être une date écrite AAAA-MM-JJ",
    },
    "country_format": {
        "en": "must be an ISO 3166-1 alpha-2 country code in capitals, such as DE",
        "fr": "doit être un code pays ISO 3166-1 alpha-2 en majuscules, comme DE",
    },
    "empty": {
        "en": "must not be empty",
        "fr": "ne doit pas être vide",
    },
    "minimum": {
        "en": "must be {minimum} or more",
        "fr": "doit valoir au moins {minimum}",
    },
    "repeated": {
        "en": "lists the same value twice",
        "fr": "contient deux fois la même valeur",
    },
    "not_a_date": {
        "en": "not a real date: {value}",
        "fr": "date qui n'existe pas : {value}",
    },
    "end_before_start": {
        "en": "{end} is before the start, {start}",
        "fr": "{end} précède le début, {start}",
    },
    "unknown_country": {
        "en": "unknown country code {value}",
        "fr": "code pays inconnu : {value}",
    },
    "project_above_ects": {
        "en": "{project} is more than ects ({ects})",
        "fr": "{project} dépasse ects ({ects})",
    },
    "duplicate_id": {
        "en": "the id {value} is already used by activities[{other}]",
        "fr": "l'identifiant {value} est déjà celui de activities[{other}]",
    },
    "not_unicode": {
        "en": "not valid Unicode text",
        "fr": "texte Unicode invalide",
    },
    "unknown_regulation": {
        "en": "unknown regulation version {value}; known versions: {known}",
        "fr": "version de règlement inconnue : {value} ; versions connues : {known}",
    },
}

TYPE_NAMES: Mapping[str, Mapping[str, str]] = {
    "object": {"en": "a JSON object", "fr": "un objet JSON"},
    "array": {"en": "a list", "fr": "une liste"},
    "string": {"en": "a string", "fr": "une chaîne de caractères"},
    "integer": {"en": "a whole number", "fr": "un nombre entier"},
    "boolean": {"en": "true or false", "fr": "true ou false"},
}

KIND_NAMES: Mapping[str, Mapping[str, str]] = {
    "double_degree": {"en": "double degree", "fr": "double diplôme"},
    "master": {"en": "master", "fr": "master"},
    "exchange_semester": {"en": "exchange semester", "fr": "semestre d'échange"},
    "exchange_year": {"en": "exchange year", "fr": "année d'échange"},
    "fh_internship": {
        "en": "human development internship (FH)",
        "fr": "stage de formation humaine (FH)",
    },
    "summer_stay": {"en": "summer stay", "fr": "séjour d'été"},
    "engineering_internship": {"en": "engineering internship", "fr": "stage ingénieur"},
    "free_internship": {"en": "free internship", "fr": "stage libre"},
}

SUMMARY: Mapping[str, str] = {
    "en": "{verdict}: {errors}, {warnings}, {infos}; qualifying time abroad {qualifying}, "
    "required {required}.",
    "fr": "{verdict} : {errors}, {warnings}, {infos} ; temps retenu à l'étranger {qualifying}, "
    "requis {required}.",
}
VERDICTS: Mapping[bool, Mapping[str, str]] = {
    True: {"en": "Compliant", "fr": "Conforme"},
    False: {"en": "Not compliant", "fr": "Non conforme"},
}

SEVERITY_NAMES: Mapping[str, Mapping[str, str]] = {
    "error": {"en": "ERROR", "fr": "ERREUR"},
    "warning": {"en": "WARNING", "fr": "AVERTISSEMENT"},
    "info": {"en": "INFO", "fr": "INFO"},
}

_REGULATIONS = {"en": "Regulations {version} — {section}", "fr": "Règlement {version} — {section}"}
_MONTH_NAMES = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
}  # fmt: skip
_UNITS = {
    "en": {
        "day": ("day", "days"),
        "week": ("week", "weeks"),
        "month": ("month", "months"),
        "error": ("error", "errors"),
        "warning": ("warning", "warnings"),
        "info": ("note", "notes"),
    },
    "fr": {
        "day": ("jour", "jours"),
        "week": ("semaine", "semaines"),
        "month": ("mois", "mois"),
        "error": ("erreur", "erreurs"),
        "warning": ("avertissement", "avertissements"),
        "info": ("information", "informations"),
    },
}
_AND = {"en": "and", "fr": "et"}
_BODY_ARTICLE = {"en": "the", "fr": "la"}


def check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {LANGUAGES}")


def render(text: Text, lang: str) -> str:
    template = MESSAGES[text.key][lang] if text.key in MESSAGES else PROBLEMS[text.key][lang]
    return template.format_map(
        {name: localize(value, lang) for name, value in text.figures.items()}
    )


@cache
def reference(rule_id: str, version: str, lang: str) -> str:
    return _REGULATIONS[lang].format(version=version, section=REFERENCES[rule_id][lang])


def count(number: int, unit: str, lang: str) -> str:
    """`number` with its unit in the right grammatical number: 1 day, 0 jour, 2 jours."""
    singular, plural = _UNITS[lang][unit]
    is_singular = number == 1 if lang == "en" else number <= 1
    return f"{number} {singular if is_singular else plural}"


def localize(value: object, lang: str) -> str:
    """A figure in words of `lang`: dates, durations, counts; other values as they are."""
    localizer = _LOCALIZERS.get(type(value))
    return str(value) if localizer is None else localizer(value, lang)


def _date(value: date, lang: str) -> str:
    day = "1er" if lang == "fr" and value.day == 1 else str(value.day)
    return f"{day} {_MONTH_NAMES[lang][value.month - 1]} {value.year}"


def _date_range(value: DateRange, lang: str) -> str:
    start, end = _date(value.start, lang), _date(value.end, lang)
    return f"from {start} to {end}" if lang == "en" else f"du {start} au {end}"


def _duration(value: Duration, lang: str) -> str:
    months, days = months_and_days(value.start, value.end)
    if months == 0:
        return count(days, "day", lang)
    if days == 0:
        return count(months, "month", lang)
    return f"{count(months, 'month', lang)} {_AND[lang]} {count(days, 'day', lang)}"


def _weeks(value: Weeks, lang: str) -> str:
    return f"{count(value.count, 'week', lang)} ({count(weeks_to_days(value.count), 'day', lang)})"


def _bodies(value: Bodies, lang: str) -> str:
    return f" {_AND[lang]} ".join(f"{_BODY_ARTICLE[lang]} {name}" for name in value.names)


_LOCALIZERS: Mapping[type, Callable[[Any, str], str]] = {
    date: _date,
    DateRange: _date_range,
    Duration: _duration,
    Months: lambda value, lang: count(value.count, "month", lang),
    Weeks: _weeks,
    Days: lambda value, lang: count(value.count, "day", lang),
    KindName: lambda value, lang: KIND_NAMES[value.kind][lang],
    TypeName: lambda value, lang: TYPE_NAMES[value.name][lang],
    Bodies: _bodies,
}


# Why a file cannot be read or written, by errno: the C library's words are English only.
SYSTEM_ERRORS: Mapping[int, Mapping[str, str]] = {
    errno.ENOENT: {"en": "No such file or directory", "fr": "fichier ou dossier introuvable"},
    errno.EISDIR: {"en": "Is a directory", "fr": "c'est un dossier"},
    errno.ENOTDIR: {"en": "Not a directory", "fr": "un élément du chemin n'est pas un dossier"},
    errno.EACCES: {"en": "Permission denied", "fr": "permission refusée"},
    errno.EPERM: {"en": "Operation not permitted", "fr": "opération non permise"},
    errno.EBADF: {"en": "Bad file descriptor", "fr": "descripteur de fichier invalide"},
    errno.ENOSPC: {"en": "No space left on device", "fr": "plus de place sur le disque"},
    errno.EPIPE: {"en": "Broken pipe", "fr": "tube fermé par le lecteur"},
    errno.EIO: {"en": "Input/output error", "fr": "erreur d'entrée-sortie"},
    errno.ENAMETOOLONG: {"en": "File name too long", "fr": "nom de fichier trop long"},
    errno.ELOOP: {"en": "Too many levels of symbolic links", "fr": "trop de liens symboliques"},
    errno.EDQUOT: {"en": "Disk quota exceeded", "fr": "quota disque dépassé"},
    errno.EFBIG: {"en": "File too large", "fr": "fichier trop volumineux"},
    errno.EROFS: {"en": "Read-only file system", "fr": "système de fichiers en lecture seule"},
}


def system_error(error: OSError, lang: str) -> str:
    """Why `error` happened, in `lang`; the system's own words for an error not listed."""
    known = SYSTEM_ERRORS.get(error.errno or 0)
    if known is not None:
        return known[lang]
    return error.strerror or str(error)
