"""The French and English catalogues stay complete, and the compiled files match them."""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
ENTRY = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (\".*\")$")


def read_po(path: Path) -> list[dict[str, str]]:
    """Entries of a .po file as {keyword: text}, with their flags, the header excluded."""
    entries, entry, keyword = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry.get("msgid"):
                entries.append(entry)
            entry, keyword = {}, None
        elif line.startswith("#,"):
            entry["flags"] = line
        elif match := ENTRY.match(line):
            keyword = match.group(1)
            entry[keyword] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and keyword:
            entry[keyword] += ast.literal_eval(line)
    return entries


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    untranslated = [
        e["msgid"] for e in entries if any(not e[k] for k in e if k.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_compiled_catalogue_matches_the_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in read_po(folder / "django.po"):
        if "msgid_plural" in entry:
            forms = (entry["msgid"], entry["msgid_plural"], 1)
            if "msgctxt" in entry:
                translated = catalogue.npgettext(entry["msgctxt"], *forms)
            else:
                translated = catalogue.ngettext(*forms)
            assert translated == entry["msgstr[0]"], entry["msgid"]
        elif "msgctxt" in entry:
            translated = catalogue.pgettext(entry["msgctxt"], entry["msgid"])
            assert translated == entry["msgstr"], entry["msgid"]
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]
