"""English is Roer's source language: its catalogue repeats every msgid, with nothing fuzzy.

Run by `make messages` after makemessages, which may carry over fuzzy guesses from similar strings.
"""

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "roer" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
    catalogue.metadata_is_fuzzy = False
    catalogue.save()


if __name__ == "__main__":
    main()
