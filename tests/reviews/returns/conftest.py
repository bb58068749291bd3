import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Refusal messages are read in English here, whatever translations exist."""
    with translation.override("en"):
        yield
