import pytest


@pytest.fixture
def french(monkeypatch):
    """Sets the French translation of a message for the test, as the catalogue will hold it
    (`plural`: a message of ngettext, the same for every count)."""
    from django.utils.translation import trans_real

    catalogue = trans_real.translation("fr")._catalog._catalogs[0]

    def translate(msgid: str, msgstr: str, *, context: str = "", plural: bool = False):
        key = f"{context}\x04{msgid}" if context else msgid
        # French has three plural forms in Django's catalogues (0 and 1, millions, others).
        for entry in [(key, form) for form in range(3)] if plural else [key]:
            monkeypatch.setitem(catalogue, entry, msgstr)

    return translate
