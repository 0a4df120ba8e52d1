"""Decide every client of a caseload on a peildatum, with ``vanaf`` and signalen.

The law per client follows its toewijzingen: ``wet: wmo-bw`` rows are decided under the Wmo
2015 (:func:`wpb.law.wmo.decide_wmo_bw`), the others under the Jeugdwet
(:func:`wpb.law.engine.decide`). A client with both is decided once under each. Only clients
with a toewijzing running on the peildatum or starting after it are decided (``alle``: every
client); the others are counted.

Executors (``uitvoering``): with ``kolom`` (the default) every Jeugdwet client is decided at
once by the national, columnar executor (:func:`wpb.batch.single.decide_cases`), and every
client with a signal, whose decision a person will read, again by the reference engine for
its full explanation; the others keep the columnar answer. A client who will likely have a
signal (a cheap guess from the facts) is decided by the reference engine first and keeps that
answer when it has one, which saves the columnar detour; the guess changes no output
(``tests/woonplaatscheck/test_voortoets.py``). ``referentie`` decides every
client with the reference engine. Both give the same signalen, the same upload rows and the
same answers (``tests/woonplaatscheck/test_executors.py``). Wmo clients are decided by the
reference engine either way.

Worker processes (``werkers``): every client is decided on its own, so a large caseload can
be split into contiguous parts of clients, each checked (its documents read, decided, its
signalen derived) in a worker process, and the parts joined in the caseload's order: the
result is the one of a single process (``tests/woonplaatscheck/test_werkers.py``). The first
part is checked in this process itself (``werkers`` counts it), the others in worker
processes started before it, each answering with its part's result pickled. A worker
is forked only from a process that runs no other thread (a forked copy of a lock another
thread held, or of the polars thread pool once used, would hang it); otherwise the workers
are spawned. An error in a worker names the client by the last digits of its BSN only.

Signalen (:mod:`wpb.law.signalen`):

- ``andere_gemeente`` when the decided gemeente is not the caseload's own;
- ``review`` for a decision a person must make, and for a client whose BRP data could not be
  had;
- ``einde_jeugdige`` around the 18th and 23rd birthdays;
- ``wijziging_gepland``: the client decided again on each known change within the window (the
  day after a stay ends, the first day of a toewijzing that starts); the first change of
  gemeente is signalled, from that day.

For a youth whose decision went to onderdeel 3° without the mother's registration, the source
is asked for the mother (:meth:`~wpb.brp.bronnen.BrpBron.met_moeder`) and the youth decided
again.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import multiprocessing
import os
import pickle
import re
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from wpb.batch.single import EXECUTOR, decide_cases, with_field, with_input_hash
from wpb.brp.bronnen import BrpBron, BrpGegevens, Herkomst, Voortgang
from wpb.caseload.model import JEUGDWET, WMO_BW, Toewijzing, mask_bsn, per_client
from wpb.frozen import maker
from wpb.law.decision import Decision, Missing, Status
from wpb.law.engine import ENGINE, decide
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.signalen import (
    MEERDERJARIG,
    VENSTER_DAGEN,
    Signaal,
    SignaalSoort,
    einde_jeugdige,
    verjaardag,
)
from wpb.law.vanaf import Vanaf, antwoord_op, vanaf_jeugdwet, vanaf_wmo
from wpb.law.wmo import decide_wmo_bw
from wpb.woonplaatscheck.cases import (
    AANNAME_VERBLIJF_SINDS,
    JeugdwetCasus,
    jeugdwet_casus,
    wmo_casus,
)

MOEDER_ONTBREEKT = "moeder.verblijfplaatshistorie"
KOLOM = "kolom"  # the national (columnar) executor, wpb.batch
REFERENTIE = "referentie"  # the single-case reference engine for every client
UITVOERINGEN = (KOLOM, REFERENTIE)
KOLOM_ENGINE = f"{ENGINE} ({EXECUTOR})"


@dataclass(frozen=True)
class Uitkomst:
    """The answer for one client under one law."""

    bsn: str = field(repr=False)
    wet: str
    toewijzingen: tuple[Toewijzing, ...]
    beslissing: Decision | None  # None: not decided (BRP data missing, or the Wmo aanmelding)
    vanaf: Vanaf | None
    aannames: tuple[str, ...] = ()
    ontbrekend: tuple[Missing, ...] = ()  # when there is no decision, or besides it
    herkomst: tuple[Herkomst, ...] = ()
    niet_beslist: str | None = None  # why there is no decision

    @property
    def status(self) -> str:
        return self.beslissing.status.value if self.beslissing else Status.REVIEW.value

    @property
    def gemeente(self) -> str | None:
        return self.beslissing.gemeente_code if self.beslissing else None

    def to_json(self) -> dict:
        if self.beslissing is not None:
            body = self.beslissing.to_json()
        else:
            body = {
                "wet": self.wet, "status": Status.REVIEW.value, "gemeente": None,
                "grondslag": None,
                "reden": {"code": "gegevens_ontbreken", "omschrijving": self.niet_beslist},
                "toelichting": self.niet_beslist, "gebruikteGegevens": [], "kandidaten": [],
            }
        body["ontbrekend"] = body.get("ontbrekend", []) + [m.to_json() for m in self.ontbrekend]
        return {
            "bsn": self.bsn,
            "vanaf": self.vanaf.datum.isoformat() if self.vanaf else None,
            "vanafGrond": self.vanaf.grond if self.vanaf else None,
            "aannames": list(self.aannames),
            **body,
            "toewijzingen": [t.bron for t in self.toewijzingen],
            "brp": [h.to_json() for h in self.herkomst],
        }


_uitkomst = maker(Uitkomst)  # one per client: its __dict__ filled at once


@dataclass
class Resultaat:
    gemeente: str
    peildatum: date
    uitkomsten: list[Uitkomst]
    signalen: list[Signaal]
    niet_opgehaald: dict[str, str]  # BSN -> reason (without the BSN)
    zonder_lopende_zorg: int


def eigen_gemeente(code: str, peildatum: date, register: GemeenteRegister) -> str:
    """The caseload's gemeente on the peildatum (a merged one resolves to its successor)."""
    if code not in register:
        raise ValueError(f"onbekende gemeentecode {code!r}")
    successors = register.successors(code, peildatum)
    if not successors.is_unique:
        raise ValueError(f"gemeente {code} is gesplitst op {peildatum}; kies de opvolger")
    return successors.code


def woonplaatscheck(
    toewijzingen: Sequence[Toewijzing],
    bron: BrpBron,
    gemeente: str,
    peildatum: date,
    register: GemeenteRegister,
    *,
    venster: int = VENSTER_DAGEN,
    alle: bool = False,
    voortgang: Voortgang | None = None,
    uitvoering: str = KOLOM,
    werkers: int = 1,
) -> Resultaat:
    """``werkers``: the processes that share the caseload, this one included (1: all in this
    process). Fewer when the caseload is small (:data:`MIN_CLIENTEN_PER_WERKER` clients
    each); the result is the same for any number."""
    if uitvoering not in UITVOERINGEN:
        raise ValueError(f"onbekende uitvoering {uitvoering!r} (wel: {', '.join(UITVOERINGEN)})")
    if werkers < 1:
        raise ValueError(f"werkers moet minstens 1 zijn, niet {werkers}")
    eigen_gemeente(gemeente, peildatum, register)  # (a bad argument: ValueError, before any work)
    opdracht = _Opdracht(bron, gemeente, peildatum, register, venster, alle, uitvoering)
    with _fewer_collections():
        if werkers > 1:
            return _in_werkers(toewijzingen, opdracht, werkers, voortgang)
        try:
            return opdracht.check(toewijzingen, voortgang)
        except Exception as exc:  # (never a full BSN in what is shown or logged)
            raise _fout(exc) from None


def beschikbare_kernen() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # (not on every system)
        return max(1, os.cpu_count() or 1)


MIN_CLIENTEN_PER_WERKER = 1_000  # fewer: a worker's start costs more than it saves
# Threads that may run while this process forks: the allocator's and polars' background
# threads started on importing polars (they hold nothing a worker uses). Any other thread
# (polars' thread pool once a query ran, a web server's, a progress bar's) means spawn.
_VEILIG_BIJ_FORK = frozenset({"jemalloc_bg_thd", "polars-ooc-clea"})


class WoonplaatscheckFout(RuntimeError):
    """The check failed on a client (named by the last digits of its BSN only)."""


@dataclass(frozen=True)
class _Opdracht:
    """What every part of the caseload is checked with (inherited or sent to a worker)."""

    bron: BrpBron
    gemeente: str
    peildatum: date
    register: GemeenteRegister
    venster: int
    alle: bool
    uitvoering: str

    def check(self, toewijzingen: Sequence[Toewijzing],
              voortgang: Voortgang | None = None) -> Resultaat:
        return _check(toewijzingen, self.bron, self.gemeente, self.peildatum, self.register,
                      venster=self.venster, alle=self.alle, voortgang=voortgang,
                      uitvoering=self.uitvoering)


def startmethode() -> str:
    """``fork`` when this process may fork safely (Linux, no other thread running), else
    ``spawn`` (a fresh interpreter per worker, the part and the source sent to it)."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return "spawn"
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return "spawn"  # (cannot see the native threads: do not fork)
    own = str(os.getpid())
    for task in tasks:
        if task == own:
            continue
        try:
            with open(f"/proc/self/task/{task}/comm", encoding="utf-8") as f:
                naam = f.read().strip()
        except OSError:
            continue  # (ended meanwhile)
        if naam not in _VEILIG_BIJ_FORK:
            return "spawn"
    return "fork"


def _delen(clients: list[list[Toewijzing]], aantal: int,
           eerste: float = 1.0) -> list[list[Toewijzing]]:
    """``aantal`` contiguous parts of the clients, each flattened: the first ``eerste`` times
    as large as each of the others (as even as can be)."""
    weights = [eerste] + [1.0] * (aantal - 1)
    parts, start, before = [], 0, 0.0
    for w in weights:
        before += w
        end = round(len(clients) * before / sum(weights))
        parts.append([t for ts in clients[start:end] for t in ts])
        start = end
    return [p for p in parts if p]


# This process's own part is a little larger: a worker's answer must still be pickled, sent
# and read back when its part is done (about 0.3 s of 2 s for 10,000 clients); so both are
# ready at about the same time.
EIGEN_DEEL = 1.15


def _gelijktijdig(bron: BrpBron) -> int | None:
    """A remote source's limit of concurrent requests (``HaalCentraalBron.gelijktijdig``);
    None for a local one (a folder, a GBA-V extract, the service's stored documents)."""
    return getattr(bron, "gelijktijdig", None)


def _in_werkers(toewijzingen: Sequence[Toewijzing], opdracht: _Opdracht, werkers: int,
                voortgang: Voortgang | None) -> Resultaat:
    """The caseload in ``werkers`` parts: the first checked in this process, the others in
    worker processes started before it (so this process forks before it runs polars)."""
    eigen = eigen_gemeente(opdracht.gemeente, opdracht.peildatum, opdracht.register)
    clients = list(per_client(toewijzingen).values())
    werkers = min(werkers, len(clients) // MIN_CLIENTEN_PER_WERKER)
    gelijktijdig = _gelijktijdig(opdracht.bron)
    if gelijktijdig is not None:
        # A remote source (Haal Centraal): the processes share its limit of concurrent
        # requests, so N processes never ask the BRP more at a time than one would.
        werkers = min(werkers, gelijktijdig)
    if werkers <= 1:
        return _deel(opdracht, toewijzingen, voortgang)
    if gelijktijdig is not None:
        bron = copy.copy(opdracht.bron)
        bron.gelijktijdig = gelijktijdig // werkers  # type: ignore[attr-defined]
        opdracht = dataclasses.replace(opdracht, bron=bron)
    parts = _delen(clients, werkers, EIGEN_DEEL)  # (one each: a part pays the executor's fixed cost)
    if len(parts) == 1:
        return _deel(opdracht, toewijzingen, voortgang)
    context = multiprocessing.get_context(startmethode())
    # A forked worker has every part already; a spawned one is sent only its own.
    forked = context.get_start_method() == "fork"
    done, results = 0, []
    # (a pool of processes that fails at once when a worker dies, rather than waiting on it)
    with ProcessPoolExecutor(len(parts) - 1, mp_context=context, initializer=_werker_start,
                             initargs=(opdracht, parts if forked else [])) as pool:
        later = [pool.submit(_werker_deel, i, None if forked else parts[i])
                 for i in range(1, len(parts))]
        results.append(_deel(opdracht, parts[0]))
        for i, part in enumerate(parts):
            if i:
                # An answer comes as its pickled bytes, read here with the collector off:
                # unpickling builds a million objects at once (decisions, their facts), and
                # each collection of the older generations would walk them all again
                # (0.9-1.1 s of CPU for 20,000 clients with it, 0.3 s without; they hold no
                # cycles; docs/performance.md, seventh round).
                data = later[i - 1].result()
                with _geen_collecties():
                    results.append(pickle.loads(data))
            done += len(per_client(part))
            if voortgang:
                voortgang(done, len(clients))
    return Resultaat(
        eigen, opdracht.peildatum, [u for r in results for u in r.uitkomsten],
        [s for r in results for s in r.signalen],
        {bsn: reden for r in results for bsn, reden in r.niet_opgehaald.items()},
        sum(r.zonder_lopende_zorg for r in results),
    )


_WERK: tuple[_Opdracht, list[list[Toewijzing]]] | None = None  # in a worker: its task


def _werker_start(opdracht: _Opdracht, parts: list[list[Toewijzing]]) -> None:
    global _WERK
    _WERK = (opdracht, parts)
    first, *rest = gc.get_threshold()  # (a forked worker has the parent's already)
    gc.set_threshold(max(first, _GC_FIRST_GENERATION), *rest)


def _werker_deel(index: int, part: list[Toewijzing] | None = None) -> bytes:
    assert _WERK is not None
    opdracht, parts = _WERK
    return pickle.dumps(_deel(opdracht, parts[index] if part is None else part),
                        protocol=pickle.HIGHEST_PROTOCOL)


def _deel(opdracht: _Opdracht, part: Sequence[Toewijzing],
          voortgang: Voortgang | None = None) -> Resultaat:
    try:
        return opdracht.check(part, voortgang)
    except WoonplaatscheckFout:
        raise
    except Exception as exc:  # (named; from a worker, raised again in the parent)
        raise _benoemd(opdracht, part, exc) from None


_BSN_IN_TEKST = re.compile(r"(?<!\d)\d{9}(?!\d)")


def _zonder_bsn(text: str) -> str:
    return _BSN_IN_TEKST.sub(lambda m: mask_bsn(m.group()), text)


def _fout(exc: Exception, clienten: int | None = None) -> WoonplaatscheckFout:
    """An error of the check as shown: its kind and text with every BSN masked."""
    waar = f" in een deel van {clienten} cliënten" if clienten is not None else ""
    return WoonplaatscheckFout(f"woonplaatscheck mislukt{waar}: "
                               f"{type(exc).__name__}: {_zonder_bsn(str(exc))}")


def _benoemd(opdracht: _Opdracht, part: Sequence[Toewijzing],
             exc: Exception) -> WoonplaatscheckFout:
    """The error of a part, with the client it fails on (each checked alone to find it). Not
    for a remote source: that would ask the BRP again for every client of the part, one by
    one, for a name in an error message."""
    if _gelijktijdig(opdracht.bron) is not None:
        return _fout(exc, len(per_client(part)))
    for bsn, ts in per_client(part).items():
        try:
            opdracht.check(ts)
        except Exception as alone:
            return WoonplaatscheckFout(
                f"woonplaatscheck mislukt bij cliënt {mask_bsn(bsn)}: "
                f"{type(alone).__name__}: {_zonder_bsn(str(alone))}")
    return _fout(exc, len(per_client(part)))


_GC_LOCK = threading.Lock()
_GC_RUNS = 0
_GC_SAVED: tuple[int, int, int] = gc.get_threshold()
_GC_FIRST_GENERATION = 20_000  # allocations between collections (Python's default: 700)


_GC_UIT = 0
_GC_UIT_WAS_AAN = True


@contextmanager
def _geen_collecties() -> Iterator[None]:
    """The cyclic garbage collector off while a worker's answers are read back (see
    :func:`_in_werkers`); on again when the last concurrent reading ends, also on failure,
    unless it was off before."""
    global _GC_UIT, _GC_UIT_WAS_AAN
    with _GC_LOCK:
        if _GC_UIT == 0:
            _GC_UIT_WAS_AAN = gc.isenabled()
            gc.disable()
        _GC_UIT += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_UIT -= 1
            if _GC_UIT == 0 and _GC_UIT_WAS_AAN:
                gc.enable()


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cyclic garbage collector runs less often while a caseload is decided.

    A run makes hundreds of thousands of small objects (records, cases, decisions) that
    live until it ends; each collection walks them again, some 15 % of the run's time. They
    hold no cycles, so reference counting frees them all the same. The thresholds come back
    when the last concurrent run ends, also when it fails.
    """
    global _GC_RUNS, _GC_SAVED
    with _GC_LOCK:
        if _GC_RUNS == 0:
            _GC_SAVED = gc.get_threshold()
            gc.set_threshold(max(_GC_SAVED[0], _GC_FIRST_GENERATION), *_GC_SAVED[1:])
        _GC_RUNS += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_RUNS -= 1
            if _GC_RUNS == 0:
                gc.set_threshold(*_GC_SAVED)


def _check(
    toewijzingen: Sequence[Toewijzing],
    bron: BrpBron,
    gemeente: str,
    peildatum: date,
    register: GemeenteRegister,
    *,
    venster: int,
    alle: bool,
    voortgang: Voortgang | None,
    uitvoering: str,
) -> Resultaat:
    eigen = eigen_gemeente(gemeente, peildatum, register)
    clients = per_client(toewijzingen)
    decided: dict[str, list[Toewijzing]] = {}
    skipped = 0
    for bsn, ts in clients.items():
        if alle or any(t.einddatum is None or t.einddatum >= peildatum for t in ts):
            decided[bsn] = ts
        else:
            skipped += 1
    fetched = bron.fetch(decided, peildatum, voortgang=voortgang)
    brp = dict(fetched.gegevens)
    # A Jeugdwet client who will likely have a signal (read more cheaply than deciding) is
    # decided by the reference engine first: with a signal that is its answer, as the
    # columnar route would give it after explaining it again; without one it takes the
    # columnar route after all (tests/woonplaatscheck/test_voortoets.py).
    vooraf: dict[str, tuple[Uitkomst, list[Signaal]]] = {}
    if uitvoering == KOLOM:
        for bsn, ts in decided.items():
            g = brp.get(bsn)
            if g is None or not _vooraf_referentie(g, eigen, peildatum, venster, ts):
                continue
            jw = [t for t in ts if t.wet == JEUGDWET]
            if not jw:
                continue
            u = _beslis(bsn, JEUGDWET, jw, g, peildatum, eigen, register)
            found = _signalen(u, eigen, peildatum, venster, g, register)
            if found:
                vooraf[bsn] = (u, found)
    kolom = _kolom({bsn: ts for bsn, ts in decided.items() if bsn not in vooraf}, brp,
                   peildatum, register) if uitvoering == KOLOM else {}
    uitkomsten: dict[tuple[str, str], Uitkomst] = {}
    per_key: dict[tuple[str, str], list[Signaal]] = {}
    for bsn, ts in decided.items():
        if bsn not in brp:
            for wet in _wetten(ts):
                uitkomsten[bsn, wet] = Uitkomst(
                    bsn, wet, tuple(t for t in ts if t.wet == wet), None, None,
                    niet_beslist=f"BRP-gegevens niet opgehaald: {fetched.mislukt.get(bsn)}",
                )
            continue
        for wet in _wetten(ts):
            if wet == JEUGDWET and bsn in vooraf:
                uitkomsten[bsn, wet], per_key[bsn, wet] = vooraf[bsn]
                continue
            uitkomsten[bsn, wet] = _beslis(bsn, wet, [t for t in ts if t.wet == wet], brp[bsn],
                                           peildatum, eigen, register,
                                           kolom.get(bsn) if wet == JEUGDWET else None)

    # Where a person will read it (a signal), the reference engine's full explanation.
    for key, u in uitkomsten.items():
        if key in per_key:  # decided by the reference engine first, with its signalen
            continue
        g = brp.get(key[0])
        about_answer = _answer_signalen(u, eigen, register)
        about_facts = _fact_signalen(u, peildatum, venster, g, register)
        if key[1] == JEUGDWET and key[0] in kolom and u.beslissing is not None:
            if about_answer or about_facts:
                before = u.beslissing
                u = uitkomsten[key] = _beslis(key[0], key[1], list(u.toewijzingen),
                                              brp[key[0]], peildatum, eigen, register, eerder=u)
                about_answer = _answer_signalen(u, eigen, register)
                if u.beslissing is None or _who(u.beslissing) != _who(before):
                    # (the facts' signalen read only the status and the gemeente of the answer)
                    about_facts = _fact_signalen(u, peildatum, venster, g, register)
            else:  # kept: only now is its input hashed for the receipt
                uitkomsten[key] = with_field(
                    u, "beslissing", with_input_hash(u.beslissing, kolom[key[0]][0].case))
        per_key[key] = about_answer + about_facts

    # 3° without the mother: ask the source for her and decide those youths again. (Such a
    # decision is a review, so it has its signal and the reference's list of what is missing.)
    need_mother = [
        brp[bsn] for (bsn, wet), u in uitkomsten.items()
        if wet == JEUGDWET and u.beslissing is not None and brp[bsn].moeder is None
        and any(m.gegeven == MOEDER_ONTBREEKT for m in u.beslissing.ontbrekend)
    ]
    if need_mother:
        with_mother = bron.met_moeder(need_mother)
        for bsn, g in with_mother.gegevens.items():
            if g.moeder is not None:
                brp[bsn] = g
                u = uitkomsten[bsn, JEUGDWET] = _beslis(
                    bsn, JEUGDWET, list(uitkomsten[bsn, JEUGDWET].toewijzingen), g, peildatum,
                    eigen, register)
                per_key[bsn, JEUGDWET] = _signalen(u, eigen, peildatum, venster, g, register)

    signalen = [s for key in uitkomsten for s in per_key[key]]
    return Resultaat(eigen, peildatum, list(uitkomsten.values()), signalen,
                     dict(fetched.mislukt), skipped)


def _kolom(decided: dict[str, list[Toewijzing]], brp: dict[str, BrpGegevens], peildatum: date,
           register: GemeenteRegister) -> dict[str, tuple[JeugdwetCasus, Decision]]:
    """Every Jeugdwet client with BRP data decided at once by the columnar executor (with
    the case it decided, so that it is built once)."""
    cases = {
        bsn: jeugdwet_casus([t for t in ts if t.wet == JEUGDWET], brp[bsn], peildatum)
        for bsn, ts in decided.items() if bsn in brp and any(t.wet == JEUGDWET for t in ts)
    }
    decisions = decide_cases([c.case for c in cases.values()], register, hash_input=False)
    return dict(zip(cases, zip(cases.values(), decisions, strict=True), strict=True))


def _vooraf_referentie(brp: BrpGegevens, eigen: str, peildatum: date, venster: int,
                       ts: Sequence[Toewijzing]) -> bool:
    """Whether the client will likely have a signal: the latest record begun by the peildatum
    is not in the caseload's gemeente (most often ``andere_gemeente``), or the youth reaches
    18 or 23 within the window without care that carries on (``einde_jeugdige``, from the
    dates alone). A guess, as cheap as can be: either answer gives the same outputs."""
    jeugdige = brp.jeugdige
    latest = code = None
    for r in jeugdige.historie:
        van = r.periode.van.earliest
        if van <= peildatum and (latest is None or van > latest):
            latest, code = van, r.gemeente_code
    if code != eigen:
        return True
    birth = jeugdige.geboortedatum
    if birth is None or not birth.is_exact \
            or verjaardag(birth.earliest, MEERDERJARIG) > peildatum + timedelta(days=venster):
        return False  # (einde_jeugdige: nothing to signal before the 18th birthday is near)
    zorg = [(t.begindatum, t.einddatum) for t in ts if t.wet == JEUGDWET]
    return einde_jeugdige(birth.earliest, peildatum, zorg, venster=venster) is not None


def _wetten(ts: Sequence[Toewijzing]) -> list[str]:
    return sorted({t.wet for t in ts})


def _beslis(bsn: str, wet: str, ts: list[Toewijzing], brp: BrpGegevens, peildatum: date,
            eigen: str, register: GemeenteRegister,
            kolom: tuple[JeugdwetCasus, Decision] | None = None,
            eerder: Uitkomst | None = None) -> Uitkomst:
    """One client under one law: the reference engine, or ``kolom`` (the case and the answer)
    when the columnar executor already answered (``vanaf`` and the assumptions follow from the answer either way).
    ``eerder``: the columnar answer being explained again; its ``vanaf`` is kept when the
    reference gives the same answer (``vanaf`` follows from the case and the answer only)."""
    if wet == WMO_BW:
        casus = wmo_casus(ts, brp, peildatum, eigen)
        if casus.case is None:
            return Uitkomst(bsn, wet, tuple(ts), None, None, ontbrekend=casus.ontbrekend,
                            herkomst=brp.herkomst,
                            niet_beslist="het cliëntenbestand mist wat de Wmo-regel nodig heeft")
        decision = decide_wmo_bw(casus.case, register)
        vanaf = vanaf_wmo(casus.case.aanmelding.datum,
                          casus.case.indicatie.begin if casus.case.indicatie else None)
        if decision.status is not Status.BEPAALD:
            vanaf = None
        return Uitkomst(bsn, wet, tuple(ts), decision, vanaf, ontbrekend=casus.ontbrekend,
                        herkomst=brp.herkomst)
    if kolom is not None:
        jcasus, decision = kolom
    else:
        jcasus = jeugdwet_casus(ts, brp, peildatum)
        decision = decide(jcasus.case, register)
    aannames: tuple[str, ...] = ()
    if decision.status is Status.BEPAALD and decision.onderdeel == 2 and not jcasus.verblijf_sinds_gegeven:
        aannames = (AANNAME_VERBLIJF_SINDS,)
        decision = dataclasses.replace(decision, toelichting=(
            decision.toelichting + " Aanname: het cliëntenbestand geeft geen verblijf_sinds, dus "
            "de reeks verblijven begint bij de vroegste toewijzing van deze gemeente; begon het "
            "verblijf eerder, dan kan een andere gemeente verantwoordelijk zijn."
        ))
    if eerder is not None and eerder.beslissing is not None and _answer(eerder.beslissing) == _answer(decision):
        vanaf = eerder.vanaf
    else:
        vanaf = vanaf_jeugdwet(jcasus.case, decision, register)
    return _uitkomst(bsn=bsn, wet=wet, toewijzingen=tuple(ts), beslissing=decision, vanaf=vanaf,
                     aannames=aannames, herkomst=brp.herkomst)


def _answer(d: Decision) -> tuple:
    return d.status, d.gemeente_code, d.onderdeel


def _who(d: Decision) -> tuple:
    return d.status, d.gemeente_code


def _signalen(u: Uitkomst, eigen: str, peildatum: date, venster: int,
              brp: BrpGegevens | None, register: GemeenteRegister) -> list[Signaal]:
    return _answer_signalen(u, eigen, register) + _fact_signalen(u, peildatum, venster, brp,
                                                                 register)


def _answer_signalen(u: Uitkomst, eigen: str, register: GemeenteRegister) -> list[Signaal]:
    """``review`` and ``andere_gemeente``: from the decision itself."""
    found: list[Signaal] = []
    d = u.beslissing
    vanaf = u.vanaf.datum if u.vanaf else None
    if d is None or d.status is Status.REVIEW:
        reden_code = d.reden.value if d and d.reden else "gegevens_ontbreken"
        reden = d.reden.omschrijving if d and d.reden else (u.niet_beslist or "")
        kandidaten = [k.code for k in d.kandidaten] if d else []
        if kandidaten:
            reden += "; kandidaten: " + ", ".join(f"{k.code} {k.naam}" for k in d.kandidaten)
        found.append(Signaal(SignaalSoort.REVIEW, u.bsn, None, None, Status.REVIEW.value, reden, {
            "wet": u.wet, "reden": reden_code, "kandidaten": kandidaten,
            "ontbrekend": sorted(m.gegeven for m in (*(d.ontbrekend if d else ()), *u.ontbrekend)),
        }))
    elif d.gemeente_code != eigen:
        naam = register.naam(d.gemeente_code) if d.gemeente_code in register else d.gemeente_code
        found.append(Signaal(
            SignaalSoort.ANDERE_GEMEENTE, u.bsn, d.gemeente_code, vanaf, d.status.value,
            f"{naam} is verantwoordelijk ({d.grondslag.citation if d.grondslag else u.wet})"
            + (f" vanaf {vanaf}" if vanaf else "") + ": stel een overdracht voor",
            {"wet": u.wet, "onderdeel": d.onderdeel, "aannames": list(u.aannames)},
        ))
    return found


def _fact_signalen(u: Uitkomst, peildatum: date, venster: int, brp: BrpGegevens | None,
                   register: GemeenteRegister) -> list[Signaal]:
    """``einde_jeugdige`` and ``wijziging_gepland``: from the dates, the toewijzingen and the
    BRP data; of the decision they read only its status and gemeente."""
    found: list[Signaal] = []
    d = u.beslissing
    if u.wet == JEUGDWET and brp is not None and brp.jeugdige.geboortedatum is not None \
            and brp.jeugdige.geboortedatum.is_exact:
        zorg = [(t.begindatum, t.einddatum) for t in u.toewijzingen]
        einde = einde_jeugdige(brp.jeugdige.geboortedatum.earliest, peildatum, zorg,
                               venster=venster)
        if einde is not None:
            found.append(Signaal(
                SignaalSoort.EINDE_JEUGDIGE, u.bsn, d.gemeente_code if d else None, einde.datum,
                u.status, einde.reden,
                {"grens": einde.grens, "zorg": sorted(
                    (b.isoformat(), e.isoformat() if e else "") for b, e in zorg)},
            ))
    if u.wet == JEUGDWET and d is not None and brp is not None:
        planned = _wijziging_gepland(u, d, brp, peildatum, venster, register)
        if planned is not None:
            found.append(planned)
    return found


def _wijziging_gepland(u: Uitkomst, now: Decision, brp: BrpGegevens, peildatum: date,
                       venster: int, register: GemeenteRegister) -> Signaal | None:
    horizon = peildatum + timedelta(days=venster)
    changes: dict[date, str] = {}
    for t in u.toewijzingen:
        if t.verblijf and t.einddatum is not None and peildatum <= t.einddatum < horizon:
            changes.setdefault(t.einddatum + timedelta(days=1),
                               f"het verblijf ({t.bron}) eindigt op {t.einddatum}")
        if peildatum < t.begindatum <= horizon:
            changes.setdefault(t.begindatum, f"een toewijzing ({t.bron}) begint op {t.begindatum}")
    for day in sorted(changes):
        later = antwoord_op(jeugdwet_casus(list(u.toewijzingen), brp, day).case, register)
        if (later.status, later.gemeente) == (now.status, now.gemeente_code):
            continue
        if later.status is Status.BEPAALD:
            naam = register.naam(later.gemeente) if later.gemeente in register else ""
            wat = f"dan is {naam} ({later.gemeente}) verantwoordelijk"
        else:
            wat = f"dan is beoordeling nodig ({later.reden.value if later.reden else ''})"
        return Signaal(
            SignaalSoort.WIJZIGING_GEPLAND, u.bsn, later.gemeente, day, later.status.value,
            f"{changes[day]}; {wat}",
            {"wet": u.wet, "aanleiding": changes[day], "onderdeel": later.onderdeel,
             "nu": now.gemeente_code},
        )
    return None
