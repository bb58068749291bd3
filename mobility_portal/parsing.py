"""Numbers typed or tampered with in URLs and forms."""

import re

# ASCII digits only: str.isdigit() also accepts "²" or "٣", which int() refuses or reads.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")  # 18 digits fit a 64-bit key


def whole_number(text: str) -> int | None:
    """The number `text` spells in ASCII digits, or None: no sign, no spaces, at most 18
    digits, so it fits any key column and int() never refuses it."""
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else None
