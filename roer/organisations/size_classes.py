"""CBS municipality size classes (gemeentegrootteklassen), used to compare like with like."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SizeClass:
    number: int
    lower: int
    upper: int | None  # exclusive; None for the open top class
    label: str | Promise


# The CBS classes by number of inhabitants; each lower bound is inclusive.
SIZE_CLASSES: tuple[SizeClass, ...] = (
    SizeClass(1, 0, 5_000, _("fewer than 5,000 inhabitants")),
    SizeClass(2, 5_000, 10_000, _("5,000 to 10,000 inhabitants")),
    SizeClass(3, 10_000, 20_000, _("10,000 to 20,000 inhabitants")),
    SizeClass(4, 20_000, 50_000, _("20,000 to 50,000 inhabitants")),
    SizeClass(5, 50_000, 100_000, _("50,000 to 100,000 inhabitants")),
    SizeClass(6, 100_000, 150_000, _("100,000 to 150,000 inhabitants")),
    SizeClass(7, 150_000, 250_000, _("150,000 to 250,000 inhabitants")),
    SizeClass(8, 250_000, None, _("250,000 inhabitants or more")),
)


def size_class_for(inhabitants: int) -> SizeClass:
    for size_class in SIZE_CLASSES:
        if size_class.upper is None or inhabitants < size_class.upper:
            return size_class
    raise AssertionError("unreachable: the top class is open-ended")
