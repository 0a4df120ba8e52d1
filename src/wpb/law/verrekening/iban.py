"""The IBAN of a gemeente's bank account, checked as ISO 13616 prescribes.

Source: ISO 13616-1 (IBAN): two letters for the country (ISO 3166-1), two check digits,
then the national account number (BBAN) of letters and digits, at most 34 characters in
all. The check: move the first four characters to the end, replace every letter by two
digits (A = 10 ... Z = 35), and the number must leave 1 when divided by 97 (ISO 7064,
MOD 97-10). A Dutch IBAN has 18 characters: NL, the check digits, four letters of the
bank and ten digits (De Nederlandsche Bank, IBAN structure for NL).

Payments of the settlement go to and from Dutch gemeenten, so only the Dutch length is
known here; for another country the general form and the check are applied.
"""

from __future__ import annotations

import re

_VORM = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_NL = re.compile(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}")
_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")


def normaliseer(iban: str) -> str:
    """Without spaces, in capitals: ``nl91 abna 0417 1643 00`` → ``NL91ABNA0417164300``."""
    return re.sub(r"\s+", "", iban).upper()


def mod97(iban: str) -> int:
    """The remainder of the ISO 7064 MOD 97-10 check (1 for a valid IBAN)."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97


def iban_probleem(iban: str) -> str | None:
    """Why ``iban`` (normalised) is no valid IBAN, or None."""
    if not _VORM.fullmatch(iban):
        return "is geen IBAN (landcode, 2 controlecijfers, dan 11 tot 30 letters of cijfers)"
    if iban.startswith("NL") and not _NL.fullmatch(iban):
        return "is geen Nederlandse IBAN (NL, 2 controlecijfers, 4 letters, 10 cijfers)"
    if mod97(iban) != 1:
        return "de controlecijfers kloppen niet (ISO 13616, modulus 97)"
    return None


def bic_probleem(bic: str) -> str | None:
    """Why ``bic`` is no BIC (ISO 9362: 8 or 11 characters), or None."""
    return None if _BIC.fullmatch(bic) else "is geen BIC (8 of 11 tekens, ISO 9362)"
