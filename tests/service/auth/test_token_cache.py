"""The per-process memory of checked API tokens: how long it trusts a check, and what it never trusts."""

from __future__ import annotations

from datetime import datetime

from wpb.service.auth.credentials import TokenCheck
from wpb.service.auth.principal import Principal, Soort
from wpb.service.auth.token_cache import MAX_ENTRIES, TokenCache

WHO = Principal(gebruiker_id=1, gebruikersnaam="u", naam="U", organisatie_id=1, soort=Soort.GEMEENTE,
                code="0344", organisatie_naam="Utrecht")
NOW = datetime(2026, 11, 23, 12, 0)


class Ticker:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_a_checked_token_is_trusted_for_the_configured_seconds_only():
    tick = Ticker()
    cache = TokenCache(5, monotonic=tick)
    cache.put("wpb_a", TokenCheck(WHO, None))
    tick.t += 5
    assert cache.get("wpb_a", NOW) == WHO
    tick.t += 0.001
    assert cache.get("wpb_a", NOW) is None
    assert cache.get("wpb_a", NOW) is None  # and it was dropped


def test_the_tokens_own_end_is_checked_on_every_use():
    cache = TokenCache(60, monotonic=Ticker())
    cache.put("wpb_a", TokenCheck(WHO, datetime(2026, 11, 23, 12, 0, 1)))
    assert cache.get("wpb_a", NOW) == WHO
    assert cache.get("wpb_a", datetime(2026, 11, 23, 12, 0, 1)) is None


def test_a_forgotten_token_is_checked_again_and_zero_seconds_never_remembers():
    cache = TokenCache(60, monotonic=Ticker())
    cache.put("wpb_a", TokenCheck(WHO, None))
    cache.forget("wpb_a")
    assert cache.get("wpb_a", NOW) is None
    off = TokenCache(0)
    off.put("wpb_a", TokenCheck(WHO, None))
    assert off.get("wpb_a", NOW) is None


def test_other_tokens_are_not_mistaken_for_a_remembered_one():
    cache = TokenCache(60, monotonic=Ticker())
    cache.put("wpb_a", TokenCheck(WHO, None))
    assert cache.get("wpb_b", NOW) is None
    assert "wpb_a" not in repr(cache._entries)  # only hashes are kept


def test_the_memory_is_bounded():
    cache = TokenCache(60, monotonic=Ticker())
    for i in range(MAX_ENTRIES + 10):
        cache.put(f"wpb_{i}", TokenCheck(WHO, None))
    assert len(cache._entries) == MAX_ENTRIES
    assert cache.get("wpb_0", NOW) is None and cache.get(f"wpb_{MAX_ENTRIES + 9}", NOW) == WHO
