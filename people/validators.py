"""Text hygiene for every text field of every room (this is the lowest room, so all can use it).

Control characters never belong in a newspaper's text. Word pastes U+000B (its soft line
break), terminals leave ESC (U+001B) behind; XML cannot carry them (the Atom feed failed with a
500), PostgreSQL refuses NUL outright. Newline, carriage return (a textarea's line ends) and tab
stay allowed; every other C0 control character, DEL and the C1 controls are refused, at every
door: the admin and every ModelForm (field validators), the importer (textformat.parse), and
``Model.full_clean()``.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

ALLOWED_CONTROLS = "\t\n\r"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def first_control_character(text: str) -> re.Match | None:
    return CONTROL_CHARACTERS.search(text)


def strip_control_characters(text: str) -> str:
    """What the data migration stores instead: Word's line and page breaks (U+000B, U+000C)
    become newlines, every other refused character is dropped."""
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    return CONTROL_CHARACTERS.sub("", text)


def _refuse(match: re.Match) -> None:
    raise ValidationError(
        _(
            "Contains an invisible control character (U+%(code)04X) at character %(position)d, "
            "often pasted from Word or a terminal. Delete it and type the text again."
        ),
        code="control_character",
        params={"code": ord(match.group()), "position": match.start() + 1},
    )


@deconstructible(path="people.validators.NoControlCharacters")
class NoControlCharacters:
    """Refuses a string (or, in a JSON field, a list of strings) holding a control character."""

    def __call__(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str):
                match = first_control_character(item)
                if match:
                    _refuse(match)

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters)

    def __hash__(self):
        return hash(type(self))


no_control_characters = NoControlCharacters()
