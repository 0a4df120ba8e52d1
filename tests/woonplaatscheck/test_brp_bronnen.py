"""BRP sources for a caseload: a folder of documents, a GBA-V extract, a Haal Centraal
endpoint (the local proefomgeving, in-process), with retries, a bound on concurrency, a
report of what failed, and each document's fetch time and checksum."""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import date

import httpx
import pytest

from woonplaatscheck.helpers import (
    GBA_TESTSET,
    adres,
    asgi_transport,
    document,
    proef_bsns,
    write_documents,
)
from wpb import refdata
from wpb.brp import gba
from wpb.brp.bronnen import GbaBron, MapBron
from wpb.brp.bulk import HaalCentraalBron
from wpb.brp.proefomgeving import personen_uit_gba, personen_uit_map

PEILDATUM = date(2026, 6, 1)
A, B, C, MOEDER = proef_bsns(4, start=999_992_000)


def _docs() -> dict[str, dict]:
    return {
        A: document("2012-05-01", adres("2012-05-01", "0344", "2025-03-01"), adres("2025-03-01", "0363")),
        B: document("2014-01-01", adres("2014-01-01", "0599"),
                    moeder={"burgerservicenummer": MOEDER,
                            "verblijfplaatshistorie": [adres("2000-01-01", "0518")]}),
    }


def _facts(persoon, records=None):
    return sorted((r.soort.value, r.gemeente_code, r.periode.van.earliest,
                   r.periode.tot.earliest if r.periode.tot else None)
                  for r in (persoon.historie if records is None else records))


def test_a_folder_gives_each_document_with_its_checksum_and_reports_the_missing(tmp_path, register):
    folder = write_documents(tmp_path / "brp", _docs())
    (folder / f"{C}.json").write_text('{"jeugdige": {"verblijfplaatshistorie": [{"type": "Adres"}]}}')
    result = MapBron(folder, register).fetch([A, B, C, "999999990"], PEILDATUM)
    assert set(result.gegevens) == {A, B}
    expected = "sha256:" + hashlib.sha256((folder / f"{A}.json").read_bytes()).hexdigest()
    assert result.gegevens[A].herkomst[0].sha256 == expected
    assert result.gegevens[B].moeder is not None
    assert "datumVan" in result.mislukt[C]
    assert "geen document" in result.mislukt["999999990"]
    for reason in result.mislukt.values():
        assert not re.search(r"[0-9]{9}", reason)


def test_haal_centraal_through_the_local_endpoint_gives_what_the_folder_gives(tmp_path, register):
    folder = write_documents(tmp_path / "brp", _docs())
    seen_urls: list[str] = []

    class Recording(httpx.AsyncBaseTransport):
        def __init__(self, inner):
            self.inner = inner

        async def handle_async_request(self, request):
            seen_urls.append(str(request.url))
            return await self.inner.handle_async_request(request)

    bron = HaalCentraalBron("http://brp.test", register,
                            transport=Recording(asgi_transport(personen_uit_map(folder))))
    result = bron.fetch([A, B, "999999990"], PEILDATUM)
    local = MapBron(folder, register).fetch([A, B], PEILDATUM)
    assert set(result.gegevens) == {A, B}
    for bsn in (A, B):
        assert _facts(result.gegevens[bsn].jeugdige) == _facts(local.gegevens[bsn].jeugdige)
        assert len(result.gegevens[bsn].herkomst) == 2  # personen and historie
    assert result.mislukt == {"999999990": "personen: niet gevonden in de BRP"}
    assert not any(re.search(r"[0-9]{9}", url) for url in seen_urls)

    # The mother is fetched only on request (3° needs her), through her BSN on the parents.
    assert result.gegevens[B].moeder is None and result.gegevens[B].moeder_bsn == MOEDER
    with_mother = bron.met_moeder([result.gegevens[B], result.gegevens[A]])
    assert _facts(with_mother.gegevens[B].moeder) == [("Adres", "0518", date(2000, 1, 1), None)]
    assert "moeder" in with_mother.mislukt[A]


def test_429_and_5xx_are_retried_with_backoff(tmp_path, register):
    folder = write_documents(tmp_path / "brp", _docs())
    bron = HaalCentraalBron("http://brp.test", register, wachttijd=0.001,
                            transport=asgi_transport(personen_uit_map(folder), haperingen=4))
    result = bron.fetch([A, B], PEILDATUM)
    assert set(result.gegevens) == {A, B} and result.mislukt == {}
    assert bron.verzoeken == 3 + 4  # 1 personen + 2 historie, and 4 answered 429/503


def test_what_still_fails_after_the_retries_is_reported(tmp_path, register):
    folder = write_documents(tmp_path / "brp", _docs())
    bron = HaalCentraalBron("http://brp.test", register, wachttijd=0.001, pogingen=2,
                            transport=asgi_transport(personen_uit_map(folder), haperingen=100))
    result = bron.fetch([A, B], PEILDATUM)
    assert result.gegevens == {}
    assert set(result.mislukt) == {A, B}
    assert all("na 2 pogingen" in r for r in result.mislukt.values())


def test_a_wrong_api_key_is_not_retried(tmp_path, register):
    folder = write_documents(tmp_path / "brp", _docs())
    bron = HaalCentraalBron("http://brp.test", register, api_key="fout",
                            transport=asgi_transport(personen_uit_map(folder), api_key="goed"))
    result = bron.fetch([A], PEILDATUM)
    assert result.mislukt[A].startswith("personen: status 401") and bron.verzoeken == 1


def test_concurrency_stays_within_the_bound(tmp_path, register):
    docs = {bsn: document("2012-05-01", adres("2012-05-01", "0344"))
            for bsn in proef_bsns(60, start=999_993_000)}
    folder = write_documents(tmp_path / "brp", docs)
    inner = asgi_transport(personen_uit_map(folder))
    state = {"now": 0, "max": 0}

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
            await asyncio.sleep(0.002)
            try:
                return await inner.handle_async_request(request)
            finally:
                state["now"] -= 1

    bron = HaalCentraalBron("http://brp.test", register, gelijktijdig=3, transport=Counting())
    progress: list[tuple[int, int]] = []
    result = bron.fetch(list(docs), PEILDATUM, voortgang=lambda d, t: progress.append((d, t)))
    assert len(result.gegevens) == 60
    assert 1 < state["max"] <= 3
    assert progress[-1] == (60, 60)


@pytest.mark.shared
@pytest.mark.skipif(not GBA_TESTSET.exists(), reason="../shared GBA-V proefomgeving set absent")
def test_the_gba_v_set_through_the_endpoint_gives_the_extract_s_facts(register):
    proef = refdata.proefomgeving_register()
    extract = gba.read_extract(GBA_TESTSET, skip_invalid=True)
    personen = personen_uit_gba(extract)
    bsns = sorted(personen)
    assert len(bsns) > 500
    direct = GbaBron(GBA_TESTSET, proef).fetch(bsns, PEILDATUM)
    bron = HaalCentraalBron("http://brp.test", proef, transport=asgi_transport(personen))
    fetched = bron.fetch(bsns, PEILDATUM)
    compared = 0
    for bsn, g in direct.gegevens.items():
        if bsn not in fetched.gegevens:
            continue
        # The historie API answers the records that overlap birth up to the peildatum.
        birth = g.jeugdige.geboortedatum.earliest
        expected = _facts(g.jeugdige, [
            r for r in g.jeugdige.historie
            if (r.periode.van.precision.value == "DatumOnbekend"
                or r.periode.van.earliest <= PEILDATUM)
            and (r.periode.tot is None or r.periode.tot.latest > birth)
        ])
        assert _facts(fetched.gegevens[bsn].jeugdige) == expected, bsn[-3:]
        compared += 1
    assert compared > 500


def test_the_historie_api_may_live_under_another_base(tmp_path, register):
    folder = write_documents(tmp_path / "brp", _docs())
    inner = asgi_transport(personen_uit_map(folder))
    hosts: list[tuple[str, str]] = []

    class Recording(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            hosts.append((request.url.host, request.url.path))
            return await inner.handle_async_request(request)

    bron = HaalCentraalBron("http://personen.test", register, transport=Recording(),
                            historie_url="http://historie.test")
    assert set(bron.fetch([A], PEILDATUM).gegevens) == {A}
    assert sorted(set(hosts)) == [("historie.test", "/verblijfplaatshistorie"),
                                  ("personen.test", "/personen")]


def test_the_synchronous_fetch_works_inside_a_running_event_loop(tmp_path, register):
    """A caller that already runs an event loop in its thread (async code, or Playwright's
    sync API in the same test process) still gets its answer from the synchronous entry."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    folder = write_documents(tmp_path / "brp", _docs())
    bron = HaalCentraalBron("http://brp.test", register,
                            transport=asgi_transport(personen_uit_map(folder)))

    async def inside_a_loop():
        return bron.fetch([A], PEILDATUM)

    # The loop runs in a thread of its own: this test's thread may already run one.
    with ThreadPoolExecutor(max_workers=1) as worker:
        result = worker.submit(asyncio.run, inside_a_loop()).result()
    assert A in result.gegevens and not result.mislukt
