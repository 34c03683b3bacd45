"""Text that comes from outside: what the portal refuses in it, said once for every app.

PostgreSQL cannot store NUL in text, and no person types the other C0 control characters
(tab, line feed and carriage return excepted) or DEL: a query parameter or an imported cell
that holds one is refused with a clear message rather than reaching the database.
"""

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def first_control_character(text: str) -> int | None:
    """The index of the first refused control character in ``text``, or None."""
    match = CONTROL_CHARACTERS.search(text)
    return match.start() if match else None


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None
