"""A stable pseudonymous reference for a youth, so no BSN goes on paper.

Statements between municipalities must not carry a BSN (AVG art. 5 lid 1 sub c,
dataminimalisatie; the Wabb allows the BSN only between parties that need it for their
task, and a printed statement travels further). The parties still have to recognise the
youth a claim is about. The reference is therefore a keyed hash: HMAC-SHA256 (RFC 2104)
of the BSN with a secret key held by the service. Without the key the reference cannot
be turned back into a BSN by trying all nine-digit numbers; with it, the service can
resolve a reference for a party that may see the youth (by computing the reference of
the BSNs that party knows).

The key is passed in; reading it from settings or the environment is the adapter's job.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from wpb.law.bsn import bsn_problem

MIN_SLEUTEL_BYTES = 16  # 128 bits: enough that the key cannot be guessed
PREFIX = "J-"


class ZwakkeSleutel(ValueError):
    """The key is missing or too short to protect the BSNs behind the references."""


def pseudoniem(bsn: str, sleutel: bytes) -> str:
    """The reference of ``bsn`` under ``sleutel``: ``J-`` and 16 base32 characters in 4 groups.

    80 bits of the HMAC: collisions among the youths of the country are negligible
    (about 10^-12 for a million youths).
    """
    if not isinstance(sleutel, bytes | bytearray) or len(sleutel) < MIN_SLEUTEL_BYTES:
        raise ZwakkeSleutel(
            f"de pseudoniemsleutel moet minstens {MIN_SLEUTEL_BYTES} bytes lang zijn"
        )
    problem = bsn_problem(bsn)
    if problem:
        raise ValueError(f"bsn: {problem}")
    digest = hmac.new(bytes(sleutel), b"wpb-jeugdige:" + bsn.encode("ascii"), hashlib.sha256).digest()
    code = base64.b32encode(digest[:10]).decode("ascii")
    return PREFIX + "-".join(code[i:i + 4] for i in range(0, 16, 4))


def is_pseudoniem(text: str) -> bool:
    if not text.startswith(PREFIX):
        return False
    groups = text[len(PREFIX):].split("-")
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    return len(groups) == 4 and all(len(g) == 4 and set(g) <= alphabet for g in groups)
