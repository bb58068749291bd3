"""Languages of instruction named in the reader's language: "German" in English, "Allemand" in
French. A Language row keeps the English name it was created with, for a code this list lacks."""

from django.utils.translation import gettext_lazy as _

LANGUAGE_NAMES = {
    "ar": _("Arabic"),
    "ca": _("Catalan"),
    "cs": _("Czech"),
    "da": _("Danish"),
    "de": _("German"),
    "el": _("Greek"),
    "en": _("English"),
    "es": _("Spanish"),
    "et": _("Estonian"),
    "fi": _("Finnish"),
    "fr": _("French"),
    "he": _("Hebrew"),
    "hi": _("Hindi"),
    "hu": _("Hungarian"),
    "it": _("Italian"),
    "ja": _("Japanese"),
    "ko": _("Korean"),
    "lt": _("Lithuanian"),
    "lv": _("Latvian"),
    "nl": _("Dutch"),
    "no": _("Norwegian"),
    "pl": _("Polish"),
    "pt": _("Portuguese"),
    "ro": _("Romanian"),
    "ru": _("Russian"),
    "sk": _("Slovak"),
    "sl": _("Slovenian"),
    "sv": _("Swedish"),
    "tr": _("Turkish"),
    "zh": _("Chinese"),
}


def language_name(code: str) -> str | None:
    """The language's name in the active language, None for a code this list lacks."""
    name = LANGUAGE_NAMES.get(code)
    return None if name is None else str(name)
