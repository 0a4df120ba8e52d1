"""Exact money: integer eurocents, and shares that add up to the cent.

A budget that is divided by shares never divides evenly into cents. The rules here need
every year's amounts to add up *exactly* to the amount divided (the macro budget), so
amounts are apportioned by the largest-remainder method (Hamilton):

1. every recipient gets the whole cents of its exact quota (``total × weight / Σ weights``);
2. the cents still left (fewer than the number of recipients) go one each to the
   recipients with the largest fractional remainder;
3. equal remainders are broken by the key (the gemeentecode): the lower code first. The
   order is fixed, so the same input always gives the same cents.

Each amount then differs from its exact quota by less than one cent.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

Cents = int


def floor_fraction(x: Fraction) -> int:
    return x.numerator // x.denominator


def round_half_up(x: Fraction) -> int:
    """Round to the nearest integer; a half rounds away from zero (commercial rounding)."""
    sign = -1 if x < 0 else 1
    return sign * floor_fraction(abs(x) + Fraction(1, 2))


def apportion(total: Cents, weights: Mapping[str, Fraction | int]) -> dict[str, Cents]:
    """Divide ``total`` cents over the keys in proportion to ``weights``, summing exactly.

    ``weights`` need not add up to 1: they are normalised. Largest remainder first; equal
    remainders go to the lower key. Raises ValueError on a negative total or weight, or on
    a positive total with nothing to divide it by.
    """
    if total < 0:
        raise ValueError(f"te verdelen bedrag is negatief: {total} cent")
    quotas = _quotas(total, weights)
    result = {key: floor_fraction(q) for key, q in quotas.items()}
    left = total - sum(result.values())
    # Σ remainders == left and each remainder < 1, so at least `left` keys have one.
    by_remainder = sorted(quotas, key=lambda key: (-(quotas[key] - result[key]), key))
    for key in by_remainder[:left]:
        result[key] += 1
    return result


def quotas(total: Cents, weights: Mapping[str, Fraction | int]) -> dict[str, Fraction]:
    """The exact (unrounded) amounts :func:`apportion` rounds."""
    if total < 0:
        raise ValueError(f"te verdelen bedrag is negatief: {total} cent")
    return _quotas(total, weights)


def _quotas(total: Cents, weights: Mapping[str, Fraction | int]) -> dict[str, Fraction]:
    negative = sorted(key for key, w in weights.items() if w < 0)
    if negative:
        raise ValueError(f"negatief gewicht voor {', '.join(negative)}")
    denominator = sum((Fraction(w) for w in weights.values()), Fraction(0))
    if denominator == 0:
        if total == 0:
            return {key: Fraction(0) for key in weights}
        raise ValueError(f"{total} cent te verdelen, maar alle gewichten zijn 0")
    return {key: Fraction(total) * Fraction(w) / denominator for key, w in weights.items()}


def format_euro(cents: Cents) -> str:
    """Dutch notation: ``€ 1.234.567,89``; negative as ``-€ 1.234,56``."""
    sign = "-" if cents < 0 else ""
    whole, cent = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", ".")
    return f"{sign}€ {grouped},{cent:02d}"


def format_percent(share: Fraction, decimals: int = 2) -> str:
    """A share as a Dutch percentage, e.g. ``Fraction(1, 8)`` → ``12,50 %``."""
    scaled = round_half_up(share * 100 * 10**decimals)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10**decimals)
    text = f"{whole:,}".replace(",", ".")
    if decimals:
        text += "," + str(frac).rjust(decimals, "0")
    return f"{sign}{text} %"


def format_decimal(x: Fraction, digits: int = 12) -> str:
    """A fraction as a decimal for messages; exact when it ends within ``digits``, else "…"."""
    sign = "-" if x < 0 else ""
    x = abs(x)
    whole = floor_fraction(x)
    rest = x - whole
    decimals = ""
    for _ in range(digits):
        if not rest:
            break
        rest *= 10
        digit = floor_fraction(rest)
        decimals += str(digit)
        rest -= digit
    text = f"{whole}.{decimals}" if decimals else str(whole)
    return sign + text + ("…" if rest else "")
