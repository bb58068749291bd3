import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Services' messages read in English here (the site's default language is French)."""
    with translation.override("en"):
        yield
