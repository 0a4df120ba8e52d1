"""The columnar woonplaatscheck decides a client who will likely have a signal by the
reference engine first (``check._vooraf_referentie``, a guess read from the facts). The guess
changes no output: with it, with every client guessed to have a signal, and with none,
``beslissingen.jsonl``, ``signalen.csv`` and ``aanlevering.csv`` are the same byte for byte, on
the conformance cases and on generated caseloads (moves, stays, youths near 18 and 23,
toewijzingen that end or start within the window)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from woonplaatscheck.helpers import adres, conformance_caseloads, document, proef_bsns
from wpb import refdata
from wpb.brp.bronnen import BrpGegevens, Herkomst, MapBron, Ophaling, read_document
from wpb.caseload.model import Toewijzing
from wpb.caseload.read import bevestig, read_file
from wpb.woonplaatscheck import check
from wpb.woonplaatscheck.check import KOLOM, woonplaatscheck
from wpb.woonplaatscheck.uitvoer import schrijf

REGISTER = refdata.gemeente_register()
PEILDATUM = date(2026, 12, 1)
BSNS = proef_bsns(20, start=999_993_000)
GEMEENTEN = ["0344", "0344", "0344", "0307", "0363", "0599"]


class _Once:
    """A BRP source read once, so that every run gets the same documents and fetch times."""

    def __init__(self, inner):
        self.inner, self.naam = inner, inner.naam
        self.fetched = None

    def fetch(self, clients, peildatum, voortgang=None):
        if self.fetched is None:
            self.fetched = self.inner.fetch(clients, peildatum, voortgang=voortgang)
        return self.fetched

    def met_moeder(self, gegevens):
        return self.inner.met_moeder(gegevens)


class _Documents:
    """Documents held in memory, read as a folder of ``<bsn>.json`` is."""

    naam = "documenten"

    def __init__(self, docs: dict[str, dict]):
        self.docs = docs

    def fetch(self, clients, peildatum, voortgang=None):
        found = Ophaling()
        for bsn in clients:
            jeugdige, moeder = read_document(self.docs[bsn], REGISTER, "test")
            found.gegevens[bsn] = BrpGegevens(
                bsn, jeugdige, moeder, (Herkomst("test", datetime(2026, 1, 1, tzinfo=UTC), "x"),))
        return found

    def met_moeder(self, gegevens):
        return Ophaling({g.bsn: g for g in gegevens})


def _outputs(tmp_path, name, toewijzingen, bron, gemeente, peildatum, guess, **kw) -> dict:
    calls = Counter()

    def counted(*args):
        answer = guess(*args)
        calls[answer] += 1
        return answer

    with mock.patch.object(check, "_vooraf_referentie", side_effect=counted):
        result = woonplaatscheck(toewijzingen, bron, gemeente, peildatum, REGISTER,
                                 uitvoering=KOLOM, **kw)
    out = tmp_path / name
    schrijf(result, out)
    files = {f: (out / f).read_bytes() for f in ("beslissingen.jsonl", "signalen.csv",
                                                 "aanlevering.csv")}
    return {"files": files, "guessed": calls[True]}


def _same_three_ways(tmp_path, toewijzingen, bron, gemeente, peildatum, **kw) -> int:
    once = _Once(bron)
    real = check._vooraf_referentie
    runs = {name: _outputs(tmp_path, f"{name}-{gemeente}-{peildatum}", toewijzingen, once,
                           gemeente, peildatum, guess, **kw)
            for name, guess in (("guess", real), ("all", lambda *a: True),
                                ("none", lambda *a: False))}
    for name in ("guess", "all"):
        for f, data in runs[name]["files"].items():
            assert data == runs["none"]["files"][f], (name, f)
    assert runs["none"]["guessed"] == 0
    return runs["all"]["guessed"]


def test_the_conformance_cases_give_the_same_outputs_with_and_without_the_guess(tmp_path):
    guessed = 0
    for peildatum, folder, cases in conformance_caseloads(tmp_path):
        toewijzingen = bevestig(read_file(folder / "clienten.csv", REGISTER))
        gemeenten = Counter(c.verwacht.get("gemeente") for c in cases.values())
        for gemeente in {"0344", *(g for g, _ in gemeenten.most_common(2) if g)}:
            guessed += _same_three_ways(tmp_path, toewijzingen, MapBron(folder / "brp", REGISTER),
                                        gemeente, date.fromisoformat(peildatum), alle=True)
    assert guessed >= 50


@st.composite
def caseloads(draw):
    docs, toewijzingen = {}, []
    for i, bsn in enumerate(draw(st.lists(st.sampled_from(BSNS), min_size=1, max_size=16,
                                          unique=True))):
        born = PEILDATUM - timedelta(days=draw(st.integers(2 * 365, 23 * 365 + 30)))
        moves = sorted(draw(st.lists(st.integers(30, (PEILDATUM - born).days - 1), max_size=3,
                                     unique=True)))
        days = [born] + [born + timedelta(days=d) for d in moves]
        places = [draw(st.sampled_from(GEMEENTEN)) for _ in days]
        records = [adres(d.isoformat(), g, days[j + 1].isoformat() if j + 1 < len(days) else None)
                   for j, (d, g) in enumerate(zip(days, places, strict=True))]
        docs[bsn] = document(born.isoformat(), *records)
        for k in range(draw(st.integers(1, 2))):
            begin = max(born, PEILDATUM + timedelta(days=draw(st.integers(-1500, 40))))
            einde = draw(st.one_of(st.none(), st.integers(-20, 120)))
            einde = None if einde is None else max(begin, PEILDATUM + timedelta(days=einde))
            verblijf = draw(st.booleans())
            toewijzingen.append(Toewijzing(
                bron=f"regel {i}-{k}", bsn=bsn, geboortedatum=born, aanbieder_agb="12345678",
                productcategorie="43" if verblijf else "45", productcode=f"P{k}",
                begindatum=begin, einddatum=einde, verblijf=verblijf,
                verblijf_uit_categorie=True))
    return docs, toewijzingen


@settings(max_examples=20, deadline=None)
@given(caseloads(), st.sampled_from(["0344", "0363"]))
def test_generated_caseloads_give_the_same_outputs_with_and_without_the_guess(
        tmp_path_factory, caseload, gemeente):
    docs, toewijzingen = caseload
    tmp_path = tmp_path_factory.mktemp("voortoets")
    _same_three_ways(tmp_path, toewijzingen, _Documents(docs), gemeente, PEILDATUM)


def test_the_guess_reads_a_move_elsewhere_and_a_coming_18th_birthday():
    """Not vacuous: the guess is asked, and says yes and no."""
    def gegevens(born: str, *records):
        jeugdige, _ = read_document(document(born, *records), REGISTER, "test")
        return BrpGegevens("x", jeugdige, None, ())

    def loopt(born: date, einde: date | None = None):
        return [Toewijzing("regel 2", "x", born, "12345678", "45", "P", date(2026, 1, 1), einde,
                           False, True)]

    thuis = gegevens("2015-01-01", adres("2015-01-01", "0344"))
    verhuisd = gegevens("2015-01-01", adres("2015-01-01", "0344", "2026-05-01"),
                        adres("2026-05-01", "0363"))
    bijna_18 = gegevens("2008-12-20", adres("2008-12-20", "0344"))
    guess = check._vooraf_referentie
    assert not guess(thuis, "0344", PEILDATUM, 60, loopt(date(2015, 1, 1)))
    assert guess(verhuisd, "0344", PEILDATUM, 60, loopt(date(2015, 1, 1)))
    # care that began before 18 ends before the birthday (Jeugdwet art. 1.1 "jeugdige")
    assert guess(bijna_18, "0344", PEILDATUM, 60,
                 loopt(date(2008, 12, 20), date(2026, 12, 10)))
    assert not guess(bijna_18, "0344", PEILDATUM, 60, loopt(date(2008, 12, 20)))
