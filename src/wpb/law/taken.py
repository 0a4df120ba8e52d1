"""The tasks per party that follow from the 1-november-maatregel for one transfer.

Source: "Factsheet 1-november-maatregel", VNG and VWS, Bestuurlijk Overleg of 2021-11-02,
its steps per party (paraphrased beside each task below). Which tasks apply follows from
the part of the measure that governs the transfer (:func:`wpb.law.overgang.tak`):

- Onderdeel A (the ontvangende gemeente is responsible from the ingangsdatum): the
  ontvangende accepts without prior check, contracts the provider, sends a toewijzing
  from the ingangsdatum, checks afterwards and, if it rejected late, finds the responsible
  municipality and settles with it. The latende informs the provider.
- Onderdeel B (the latende stays responsible until afgerond): the latende extends the
  toewijzing, informs the provider, waits for "afgerond" and settles the invoices it paid;
  if the transfer was rejected it finds the responsible municipality itself. The provider
  may ask the current municipality for a changed toewijzing (VOW). A receiving municipality
  that did not reject checks, contracts and sends its toewijzing.
- Providers check, whatever the part, which toewijzingen end and which care continues.
- PGB: the municipality responsible from the ingangsdatum gets the TKB to the SVB in time.
- Outside the measure (afgerond before the ingangsdatum) the measure sets no tasks.

The module computes which tasks apply, their dates and whether they are done; the service
stores which tasks a user marked done and passes those codes in. A task is also done when
the transfer's facts show it (an accepted transfer has been accepted, an afgerond transfer
has had its toewijzing sent). Task
dates come from :class:`wpb.law.overgang.Termijnen`; a deadline ``voor`` is exclusive as
the factsheet's "vóór" is: the task is overdue from that day on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from wpb.law.overgang import FACTSHEET, Overdracht, Rol, Tak, Termijnen, tak


class Partij(str, Enum):
    LATENDE_GEMEENTE = "latende_gemeente"
    ONTVANGENDE_GEMEENTE = "ontvangende_gemeente"
    AANBIEDER = "aanbieder"

    @classmethod
    def van_rol(cls, rol: Rol) -> Partij:
        return cls.LATENDE_GEMEENTE if rol is Rol.LATENDE else cls.ONTVANGENDE_GEMEENTE


class TaakStatus(str, Enum):
    GEDAAN = "gedaan"
    TE_LAAT = "te_laat"  # not done and the deadline has passed
    NOG_NIET = "nog_niet_mogelijk"  # its earliest date or its precondition has not come
    OPEN = "open"


@dataclass(frozen=True)
class Taak:
    """One task of one party for one transfer."""

    code: str  # stable: the service stores completion by this code
    partij: Partij
    gemeente: str | None  # the gemeentecode of a municipal party; None for the provider
    titel: str
    toelichting: str  # why the task applies to this transfer
    voor: date | None  # deadline, exclusive ("vóór"): overdue from this day
    niet_voor: date | None  # earliest day the task may be done
    kan_starten: bool  # False while a fact it waits for is missing (e.g. not afgerond yet)
    gedaan: bool
    gedaan_door: str | None = None  # "gemarkeerd" or the fact that shows it done

    def overdue(self, today: date) -> bool:
        return not self.gedaan and self.voor is not None and today >= self.voor

    def status(self, today: date) -> TaakStatus:
        if self.gedaan:
            return TaakStatus.GEDAAN
        if self.overdue(today):
            return TaakStatus.TE_LAAT
        if not self.kan_starten or (self.niet_voor is not None and today < self.niet_voor):
            return TaakStatus.NOG_NIET
        return TaakStatus.OPEN

    def to_json(self, today: date | None = None) -> dict:
        result = {
            "code": self.code,
            "partij": self.partij.value,
            "gemeente": self.gemeente,
            "titel": self.titel,
            "toelichting": self.toelichting,
            "voor": self.voor.isoformat() if self.voor else None,
            "nietVoor": self.niet_voor.isoformat() if self.niet_voor else None,
            "kanStarten": self.kan_starten,
            "gedaan": self.gedaan,
            "gedaanDoor": self.gedaan_door,
        }
        if today is not None:
            result["status"] = self.status(today).value
            result["teLaat"] = self.overdue(today)
        return result


class OnbekendeTaak(ValueError):
    """A completed-task code that names no task."""

    def __init__(self, codes: Iterable[str]):
        self.codes = tuple(sorted(codes))
        super().__init__(f"onbekende taakcode(s): {', '.join(self.codes)}")


@dataclass(frozen=True)
class _Feiten:
    """What the task rules look at, computed once per transfer."""

    o: Overdracht
    tak: Tak
    t: Termijnen

    @property
    def a(self) -> bool:
        return self.tak is Tak.A_TIJDIG_AANGELEVERD

    @property
    def b(self) -> bool:
        return self.tak in (Tak.B_NIET_TIJDIG_AANGELEVERD, Tak.B_TIJDIG_AFGEWEZEN)

    @property
    def afgewezen(self) -> bool:
        return self.o.afwijzingsdatum is not None

    @property
    def afgerond(self) -> bool:
        return self.o.afgerond_datum is not None


@dataclass(frozen=True)
class _Regel:
    """A task of the factsheet: when it applies, and its text and dates for a transfer."""

    code: str
    partij: Callable[[_Feiten], Partij]
    geldt: Callable[[_Feiten], bool]
    titel: Callable[[Termijnen], str]
    toelichting: Callable[[_Feiten], str]
    voor: Callable[[_Feiten], date | None] = lambda f: None
    niet_voor: Callable[[_Feiten], date | None] = lambda f: None
    kan_starten: Callable[[_Feiten], bool] = lambda f: True
    gedaan_door_feit: Callable[[_Feiten], str | None] = lambda f: None


def _latende(f: _Feiten) -> Partij:
    return Partij.LATENDE_GEMEENTE


def _ontvangende(f: _Feiten) -> Partij:
    return Partij.ONTVANGENDE_GEMEENTE


def _aanbieder(f: _Feiten) -> Partij:
    return Partij.AANBIEDER


def _ingang(f: _Feiten) -> date:
    return f.t.ingang


def _afgerond_feit(f: _Feiten) -> str | None:
    return f"overdracht afgerond op {f.o.afgerond_datum}" if f.afgerond else None


def _geaccepteerd_feit(f: _Feiten) -> str | None:
    # Accepting is the task itself; an afgerond transfer was accepted before it was completed.
    if f.o.geaccepteerd_datum is not None:
        return f"overdracht geaccepteerd op {f.o.geaccepteerd_datum}"
    return _afgerond_feit(f)


def _wie_a_of_b(f: _Feiten) -> str:
    if f.a:
        return f"onderdeel A: de ontvangende gemeente is verantwoordelijk vanaf {f.t.ingang}"
    return "onderdeel B: de latende gemeente blijft verantwoordelijk tot de overdracht is afgerond"


_REGELS: tuple[_Regel, ...] = (
    # --- latende gemeente: "verleng de toewijzing tot 1 juli 2022; zoek uit welke gemeente
    # verantwoordelijk is; informeer de aanbieder; wacht op de melding afgerond; verreken
    # de betaalde facturen" — the steps of a municipality that stays responsible (B).
    _Regel(
        code="latende.toewijzing_verlengen",
        partij=_latende,
        geldt=lambda f: f.b,
        titel=lambda t: f"Verleng de lopende toewijzing tot {t.verlengen_tot}",
        toelichting=lambda f: (
            f"{_wie_a_of_b(f)}; de toewijzing moet na {f.t.ingang} doorlopen zodat de zorg "
            "en de betaling doorgaan"
        ),
        voor=_ingang,
    ),
    _Regel(
        code="latende.verantwoordelijke_zoeken",
        partij=_latende,
        geldt=lambda f: f.b and f.afgewezen,
        titel=lambda t: "Zoek uit welke gemeente verantwoordelijk is",
        toelichting=lambda f: (
            f"de ontvangende gemeente heeft de overdracht op {f.o.afwijzingsdatum} met "
            "onderbouwing afgewezen; de latende gemeente blijft verantwoordelijk en stuurt de "
            "overdracht door naar de gemeente die wel verantwoordelijk is"
        ),
    ),
    _Regel(
        code="latende.aanbieder_informeren",
        partij=_latende,
        geldt=lambda f: f.a or f.b,
        titel=lambda t: "Informeer de aanbieder (of de GI) over de verantwoordelijke gemeente",
        toelichting=lambda f: f"{_wie_a_of_b(f)}; de aanbieder moet weten wie vanaf {f.t.ingang} betaalt",
        voor=_ingang,
    ),
    _Regel(
        code="latende.afgerond_afwachten",
        partij=_latende,
        geldt=lambda f: f.b and not f.afgewezen,
        titel=lambda t: "Wacht op de melding 'afgerond' van de ontvangende gemeente",
        toelichting=lambda f: (
            "de verantwoordelijkheid van de latende gemeente eindigt op de dag dat de "
            "overdracht is afgerond"
        ),
        gedaan_door_feit=_afgerond_feit,
    ),
    _Regel(
        code="latende.verrekenen",
        partij=_latende,
        geldt=lambda f: f.b,
        titel=lambda t: "Verreken de betaalde declaraties met de verantwoordelijke gemeente",
        toelichting=lambda f: (
            "de latende gemeente betaalt de zorg tot de overdracht is afgerond en verrekent "
            "die kosten met de gemeente die volgens het woonplaatsbeginsel verantwoordelijk is"
            + (
                "; na afwijzing: zodra die gemeente is gevonden"
                if f.afgewezen
                else "" if f.afgerond else "; dat kan pas als de overdracht is afgerond"
            )
        ),
        niet_voor=lambda f: f.o.afgerond_datum,
        # A rejected transfer is never afgerond: the settlement follows the search instead.
        kan_starten=lambda f: f.afgerond or f.afgewezen,
    ),
    # --- ontvangende gemeente: "accepteer zonder voorafgaande toets; contracteer vóór 31
    # december (bestaand contract, keuzehulp optie 1, of lichte maatwerkovereenkomst, optie
    # 4: product, eenheid, prijs per eenheid, frequentie); stuur een toewijzing per 1
    # januari; toets de verantwoordelijkheid en zoek zo nodig uit wie het wel is; verreken".
    _Regel(
        code="ontvangende.accepteren",
        partij=_ontvangende,
        geldt=lambda f: f.a,
        titel=lambda t: "Accepteer de overdracht zonder voorafgaande toets",
        toelichting=lambda f: (
            f"onderdeel A: de gegevens zijn vóór {f.t.aanlever_grens} aangeleverd; toetsen "
            "gebeurt na het accepteren"
        ),
        voor=_ingang,
        gedaan_door_feit=_geaccepteerd_feit,
    ),
    _Regel(
        code="ontvangende.contracteren",
        partij=_ontvangende,
        geldt=lambda f: f.a or (f.b and not f.afgewezen),
        titel=lambda t: (
            f"Contracteer de aanbieder vóór {t.contract_voor}: via een bestaand contract of een "
            "lichte maatwerkovereenkomst (product, eenheid, prijs per eenheid, frequentie)"
        ),
        toelichting=lambda f: (
            f"onderdeel A: de zorg moet vanaf {f.t.ingang} gecontracteerd zijn"
            if f.a
            else "onderdeel B: nodig voordat de ontvangende gemeente haar toewijzing stuurt; "
            "de maatregel stelt hier geen termijn"
        ),
        voor=lambda f: f.t.contract_voor if f.a else None,
    ),
    _Regel(
        code="ontvangende.toewijzing_sturen",
        partij=_ontvangende,
        geldt=lambda f: f.a or (f.b and not f.afgewezen),
        titel=lambda t: f"Stuur een toewijzing met ingang van {t.ingang} (of van de overname)",
        toelichting=lambda f: (
            f"onderdeel A: de toewijzing gaat in op {f.t.ingang}"
            if f.a
            else "onderdeel B: met het sturen van de toewijzing is de overdracht afgerond en "
            "neemt de ontvangende gemeente de verantwoordelijkheid over"
        ),
        gedaan_door_feit=_afgerond_feit,
    ),
    _Regel(
        code="ontvangende.controleren",
        partij=_ontvangende,
        geldt=lambda f: f.a or (f.b and not f.afgewezen),
        titel=lambda t: "Toets of de gemeente volgens het woonplaatsbeginsel verantwoordelijk is",
        toelichting=lambda f: (
            "onderdeel A: de toets volgt op het accepteren; blijkt een andere gemeente "
            "verantwoordelijk, dan zoekt de ontvangende gemeente die en verrekent"
            if f.a
            else "onderdeel B: de ontvangende gemeente toetst voordat zij de overdracht afrondt"
        ),
        gedaan_door_feit=lambda f: (
            f"afgewezen met onderbouwing op {f.o.afwijzingsdatum}"
            if f.afgewezen
            else _afgerond_feit(f)
        ),
    ),
    _Regel(
        code="ontvangende.verantwoordelijke_zoeken",
        partij=_ontvangende,
        geldt=lambda f: f.a and f.afgewezen,
        titel=lambda t: "Zoek uit welke gemeente wel verantwoordelijk is",
        toelichting=lambda f: (
            f"de afwijzing van {f.o.afwijzingsdatum} kwam niet vóór {f.t.afwijs_grens}: de "
            "ontvangende gemeente blijft volgens de maatregel verantwoordelijk tot de "
            "verantwoordelijke gemeente is gevonden"
        ),
    ),
    _Regel(
        code="ontvangende.verrekenen",
        partij=_ontvangende,
        geldt=lambda f: f.a and f.afgewezen,
        titel=lambda t: "Verreken de betaalde kosten met de gemeente die wel verantwoordelijk is",
        toelichting=lambda f: (
            "de ontvangende gemeente betaalt volgens de maatregel en verrekent achteraf"
        ),
    ),
    # --- aanbieder: "welke toewijzingen eindigen vóór 2022; welke zorg loopt door; is de
    # nieuwe gemeente bekend; zo niet: VOW (JW317) of VOT (JW315) aan de huidige gemeente,
    # niet vóór 22 november; let op contract en toewijzing".
    _Regel(
        code="aanbieder.toewijzingen_nagaan",
        partij=_aanbieder,
        geldt=lambda f: f.a or f.b,
        titel=lambda t: f"Ga na welke toewijzingen vóór {t.ingang} eindigen",
        toelichting=lambda f: "voor elke jeugdige in een overdracht onder de maatregel",
        voor=_ingang,
    ),
    _Regel(
        code="aanbieder.zorg_voortzetten",
        partij=_aanbieder,
        geldt=lambda f: f.a or f.b,
        titel=lambda t: f"Ga na welke zorg na {t.ingang} doorloopt",
        toelichting=lambda f: "voor elke jeugdige in een overdracht onder de maatregel",
        voor=_ingang,
    ),
    _Regel(
        code="aanbieder.gemeente_nagaan",
        partij=_aanbieder,
        geldt=lambda f: f.a or f.b,
        titel=lambda t: f"Ga na of de verantwoordelijke gemeente vanaf {t.ingang} bekend is",
        toelichting=lambda f: _wie_a_of_b(f),
        voor=_ingang,
    ),
    _Regel(
        code="aanbieder.vow_sturen",
        partij=_aanbieder,
        geldt=lambda f: f.b,
        titel=lambda t: (
            "Stuur zo nodig een verzoek om wijziging (JW317) of om toewijzing (JW315) aan de "
            f"huidige gemeente, niet vóór {t.vow_niet_voor}"
        ),
        toelichting=lambda f: (
            f"{_wie_a_of_b(f)}: de nieuwe gemeente is vanaf {f.t.ingang} niet de "
            "verantwoordelijke, dus de aanbieder vraagt de huidige (latende) gemeente om een "
            "doorlopende toewijzing als die niet al is verlengd"
        ),
        niet_voor=lambda f: f.t.vow_niet_voor,
    ),
    # --- PGB: "de maatregel geldt ook voor pgb; de TKB moet vóór 1 december bij de SVB
    # zijn" — sent by the municipality that is responsible from the ingangsdatum.
    _Regel(
        code="pgb.tkb_naar_svb",
        partij=lambda f: Partij.ONTVANGENDE_GEMEENTE if f.a else Partij.LATENDE_GEMEENTE,
        geldt=lambda f: f.o.pgb and (f.a or f.b),
        titel=lambda t: f"Lever de toekenningsbeschikking (TKB) vóór {t.tkb_voor} aan bij de SVB",
        toelichting=lambda f: (
            f"pgb; {_wie_a_of_b(f)}, dus die gemeente zorgt dat de SVB vanaf {f.t.ingang} kan "
            "uitbetalen"
        ),
        voor=lambda f: f.t.tkb_voor,
    ),
)

TAAKCODES: tuple[str, ...] = tuple(r.code for r in _REGELS)

_PARTIJ_ORDE = {p: i for i, p in enumerate(Partij)}


def taken(
    o: Overdracht,
    gedaan: Iterable[str] = (),
    termijnen: Termijnen = FACTSHEET,
) -> tuple[Taak, ...]:
    """The tasks of every party for transfer ``o``, the ``gedaan`` codes marked done.

    A code in ``gedaan`` that names no task raises :class:`OnbekendeTaak`. A known code of
    a task that does not apply to this transfer (any more, e.g. after a rejection) is not
    an error: that task is simply not in the result.
    """
    done = set(gedaan)
    unknown = done - set(TAAKCODES)
    if unknown:
        raise OnbekendeTaak(unknown)
    f = _Feiten(o, tak(o, termijnen), termijnen)
    result: list[Taak] = []
    for regel in _REGELS:
        if not regel.geldt(f):
            continue
        partij = regel.partij(f)
        by_fact = regel.gedaan_door_feit(f)
        marked = regel.code in done
        result.append(
            Taak(
                code=regel.code,
                partij=partij,
                gemeente=_gemeente(o, partij),
                titel=regel.titel(termijnen),
                toelichting=regel.toelichting(f),
                voor=regel.voor(f),
                niet_voor=regel.niet_voor(f),
                kan_starten=regel.kan_starten(f),
                gedaan=marked or by_fact is not None,
                gedaan_door="gemarkeerd" if marked else by_fact,
            )
        )
    result.sort(key=lambda taak: _PARTIJ_ORDE[taak.partij])  # stable: keeps factsheet order
    return tuple(result)


def _gemeente(o: Overdracht, partij: Partij) -> str | None:
    if partij is Partij.LATENDE_GEMEENTE:
        return o.latende_gemeente
    if partij is Partij.ONTVANGENDE_GEMEENTE:
        return o.ontvangende_gemeente
    return None


def te_laat(alle: Iterable[Taak], today: date) -> tuple[Taak, ...]:
    """The tasks among ``alle`` that are overdue on ``today``."""
    return tuple(taak for taak in alle if taak.overdue(today))
