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

Today's transfers (the law regime of :mod:`wpb.law.overgang`, a transfer with ``vanaf``)
get the tasks of an ordinary change of woonplaats instead, dated by the iJw deadlines and
the Dutch working-day calendar (:mod:`wpb.law.termijnen`):

- the ontvangende accepts or rejects with onderbouwing within two weeks of the aanlevering
  (Regeling Jeugdwet art. 1a.1: an information request on which college is financially
  responsible is answered within two weeks);
- the latende ends its toewijzing per the day before ``vanaf``: a JW301 with that
  einddatum and RedenWijziging 07 of codelist JZ002 ("verhuizing naar een andere
  gemeente", whose explanation takes the registration day in the new gemeente minus one
  day as the einddatum), within 5 werkdagen after the acceptance (wpb's choice, counted as
  OP274 counts; the iJw sets no term for it, and ending earlier risks a gap in care);
- the provider asks the ontvangende for a toewijzing (JW315), or the ontvangende assigns
  on its own (JW301) from ``vanaf``: after a JW315 within 5 werkdagen (OP274), or within
  14 days when it arrived while the transfer was still being assessed (OP359, the
  woonplaats investigation); on its own initiative within 5 werkdagen after accepting;
- the latende settles what it paid after ``vanaf`` (the overlap) once afgerond;
- while a rejection stands, the latende finds the responsible gemeente.

The measure's tasks stay with the migratiegroep only.

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

from wpb.law import termijnen as ijw_termijnen
from wpb.law.dates import day_after, day_before
from wpb.law.overgang import FACTSHEET, Overdracht, Regime, Rol, Tak, Termijnen, tak
from wpb.law.termijnen import NATIONAAL, Kalender

# Codelist JZ002 (RedenWijziging), code 07 "Verhuizing naar een andere gemeente": the
# reason a gemeente ends its toewijzing when the youth's woonplaats moves to another one.
REDEN_WIJZIGING_VERHUIZING = "07"


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
    overdracht_id: str | None = None
    termijnbron: str | None = None  # the rule that sets ``voor``, when a rule does

    @property
    def id(self) -> str:
        """Stable identity: the transfer and the task code. The service marks a task done
        (and reopens it) by this; the same facts give the same id."""
        return f"{self.overdracht_id}/{self.code}"

    @property
    def uiterlijk(self) -> date | None:
        """The last day on which doing the task is in time (the day before ``voor``)."""
        return day_before(self.voor) if self.voor is not None else None

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
            "id": self.id,
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
            "uiterlijk": self.uiterlijk.isoformat() if self.uiterlijk else None,
            "termijnbron": self.termijnbron,
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
    kalender: Kalender = NATIONAAL

    @property
    def wet(self) -> bool:
        """The law regime: a transfer of today, not of the migratiegroep."""
        return self.tak.regime is Regime.WET

    @property
    def vanaf(self) -> date:
        assert self.o.vanaf is not None
        return self.o.vanaf

    @property
    def a(self) -> bool:
        return self.tak is Tak.A_TIJDIG_AANGELEVERD

    @property
    def b(self) -> bool:
        return self.tak in (Tak.B_NIET_TIJDIG_AANGELEVERD, Tak.B_TIJDIG_AFGEWEZEN)

    @property
    def afgewezen(self) -> bool:
        # A rejection that stands; one reconsidered and afgerond no longer sets tasks.
        return self.o.afgewezen

    @property
    def afgerond(self) -> bool:
        return self.o.afgerond_datum is not None


@dataclass(frozen=True)
class _Regel:
    """A task of the factsheet: when it applies, and its text and dates for a transfer."""

    code: str
    partij: Callable[[_Feiten], Partij]
    geldt: Callable[[_Feiten], bool]
    titel: Callable[[_Feiten], str]
    toelichting: Callable[[_Feiten], str]
    voor: Callable[[_Feiten], date | None] = lambda f: None
    niet_voor: Callable[[_Feiten], date | None] = lambda f: None
    kan_starten: Callable[[_Feiten], bool] = lambda f: True
    gedaan_door_feit: Callable[[_Feiten], str | None] = lambda f: None
    termijnbron: Callable[[_Feiten], str | None] = lambda f: None


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


def _verantwoordelijke_zoeken(
    partij: Callable[[_Feiten], Partij],
    geldt: Callable[[_Feiten], bool],
    titel: str,
    toelichting: Callable[[_Feiten], str],
) -> _Regel:
    """The task that follows a rejection that stands: find the gemeente that is responsible.

    The same task for the latende (onderdeel B, and today's transfers) and the ontvangende
    (onderdeel A, rejected too late); no term, nothing that shows it done.
    """
    rol = "latende" if partij is _latende else "ontvangende"
    return _Regel(
        code=f"{rol}.verantwoordelijke_zoeken",
        partij=partij,
        geldt=geldt,
        titel=lambda f: titel,
        toelichting=toelichting,
    )


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
        titel=lambda f: f"Verleng de lopende toewijzing tot {f.t.verlengen_tot}",
        toelichting=lambda f: (
            f"{_wie_a_of_b(f)}; de toewijzing moet na {f.t.ingang} doorlopen zodat de zorg "
            "en de betaling doorgaan"
        ),
        voor=_ingang,
    ),
    _verantwoordelijke_zoeken(
        _latende,
        lambda f: f.b and f.afgewezen,
        "Zoek uit welke gemeente verantwoordelijk is",
        lambda f: (
            f"de ontvangende gemeente heeft de overdracht op {f.o.afwijzingsdatum} met "
            "onderbouwing afgewezen; de latende gemeente blijft verantwoordelijk en stuurt de "
            "overdracht door naar de gemeente die wel verantwoordelijk is"
        ),
    ),
    _Regel(
        code="latende.aanbieder_informeren",
        partij=_latende,
        geldt=lambda f: f.a or f.b,
        titel=lambda f: "Informeer de aanbieder (of de GI) over de verantwoordelijke gemeente",
        toelichting=lambda f: f"{_wie_a_of_b(f)}; de aanbieder moet weten wie vanaf {f.t.ingang} betaalt",
        voor=_ingang,
    ),
    _Regel(
        code="latende.afgerond_afwachten",
        partij=_latende,
        geldt=lambda f: f.b and not f.afgewezen,
        titel=lambda f: "Wacht op de melding 'afgerond' van de ontvangende gemeente",
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
        titel=lambda f: "Verreken de betaalde declaraties met de verantwoordelijke gemeente",
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
        titel=lambda f: "Accepteer de overdracht zonder voorafgaande toets",
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
        titel=lambda f: (
            f"Contracteer de aanbieder vóór {f.t.contract_voor}: via een bestaand contract of een "
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
        titel=lambda f: f"Stuur een toewijzing met ingang van {f.t.ingang} (of van de overname)",
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
        titel=lambda f: "Toets of de gemeente volgens het woonplaatsbeginsel verantwoordelijk is",
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
    _verantwoordelijke_zoeken(
        _ontvangende,
        lambda f: f.a and f.afgewezen,
        "Zoek uit welke gemeente wel verantwoordelijk is",
        lambda f: (
            f"de afwijzing van {f.o.afwijzingsdatum} kwam niet vóór {f.t.afwijs_grens}: de "
            "ontvangende gemeente blijft volgens de maatregel verantwoordelijk tot de "
            "verantwoordelijke gemeente is gevonden"
        ),
    ),
    _Regel(
        code="ontvangende.verrekenen",
        partij=_ontvangende,
        geldt=lambda f: f.a and f.afgewezen,
        titel=lambda f: "Verreken de betaalde kosten met de gemeente die wel verantwoordelijk is",
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
        titel=lambda f: f"Ga na welke toewijzingen vóór {f.t.ingang} eindigen",
        toelichting=lambda f: "voor elke jeugdige in een overdracht onder de maatregel",
        voor=_ingang,
    ),
    _Regel(
        code="aanbieder.zorg_voortzetten",
        partij=_aanbieder,
        geldt=lambda f: f.a or f.b,
        titel=lambda f: f"Ga na welke zorg na {f.t.ingang} doorloopt",
        toelichting=lambda f: "voor elke jeugdige in een overdracht onder de maatregel",
        voor=_ingang,
    ),
    _Regel(
        code="aanbieder.gemeente_nagaan",
        partij=_aanbieder,
        geldt=lambda f: f.a or f.b,
        titel=lambda f: f"Ga na of de verantwoordelijke gemeente vanaf {f.t.ingang} bekend is",
        toelichting=lambda f: _wie_a_of_b(f),
        voor=_ingang,
    ),
    _Regel(
        code="aanbieder.vow_sturen",
        partij=_aanbieder,
        geldt=lambda f: f.b,
        titel=lambda f: (
            "Stuur zo nodig een verzoek om wijziging (JW317) of om toewijzing (JW315) aan de "
            f"huidige gemeente, niet vóór {f.t.vow_niet_voor}"
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
        titel=lambda f: f"Lever de toekenningsbeschikking (TKB) vóór {f.t.tkb_voor} aan bij de SVB",
        toelichting=lambda f: (
            f"pgb; {_wie_a_of_b(f)}, dus die gemeente zorgt dat de SVB vanaf {f.t.ingang} kan "
            "uitbetalen"
        ),
        voor=lambda f: f.t.tkb_voor,
    ),
)



# --- today's transfers: the law regime ----------------------------------------------------


def _na_werkdagen(start: date | None, f: _Feiten) -> date | None:
    """``voor`` (exclusive) of a task due within 5 werkdagen after ``start``, counted as
    OP274 counts: the start day does not count, the 5th working day is the last day."""
    if start is None:
        return None
    return day_after(f.kalender.plus_werkdagen(start, ijw_termijnen.ANTWOORD_WERKDAGEN))


def _beoordeeld(f: _Feiten) -> date | None:
    """The day the ontvangende accepted (or, without a recorded acceptance, completed)."""
    return f.o.geaccepteerd_datum or f.o.afgerond_datum


def _beoordeling_feit(f: _Feiten) -> str | None:
    if f.o.afwijzingsdatum is not None and not f.o.heroverwogen:
        return f"afgewezen met onderbouwing op {f.o.afwijzingsdatum}"
    return _geaccepteerd_feit(f)


def _woonplaats_termijn(f: _Feiten) -> ijw_termijnen.Termijn:
    return ijw_termijnen.woonplaats_afwijzing(f.o.aanleverdatum, kalender=f.kalender)


def _toewijzing_termijn(f: _Feiten) -> tuple[date | None, str | None]:
    """When the ontvangende's JW301 from ``vanaf`` is due, and the rule that says so."""
    vot, accepted = f.o.vot_ontvangen, _beoordeeld(f)
    if vot is not None:
        if accepted is not None and accepted <= vot:
            return _na_werkdagen(vot, f), ijw_termijnen.antwoord_vot(vot, f.kalender).bron
        # The JW315 came while the transfer was being assessed: the woonplaats investigation.
        term = ijw_termijnen.woonplaats_afwijzing(vot, kalender=f.kalender)
        return day_after(term.uiterlijk), term.bron
    if accepted is not None:
        return _na_werkdagen(accepted, f), (
            "wpb: eigen toewijzing binnen 5 werkdagen na acceptatie, geteld als OP274")
    return None, None


def _einde_toewijzing(f: _Feiten) -> date:
    return day_before(f.vanaf)


_WET_REGELS: tuple[_Regel, ...] = (
    _Regel(
        code="ontvangende.beoordelen",
        partij=_ontvangende,
        geldt=lambda f: f.wet,
        titel=lambda f: (
            f"Accepteer de overdracht, of wijs haar met onderbouwing af, uiterlijk "
            f"{_woonplaats_termijn(f).uiterlijk}"
        ),
        toelichting=lambda f: (
            f"de latende gemeente vraagt vanaf {f.vanaf} verantwoordelijk te zijn; een verzoek "
            "om informatie over welke gemeente financieel verantwoordelijk is, wordt binnen "
            "twee weken beantwoord"
        ),
        voor=lambda f: day_after(_woonplaats_termijn(f).uiterlijk),
        gedaan_door_feit=_beoordeling_feit,
        termijnbron=lambda f: "Regeling Jeugdwet art. 1a.1 (twee weken na ontvangst)",
    ),
    _Regel(
        code="latende.toewijzing_beeindigen",
        partij=_latende,
        geldt=lambda f: f.tak is Tak.WET_VANAF,
        titel=lambda f: (
            f"Beëindig de toewijzing per {_einde_toewijzing(f)}: een toewijzing (JW301) met "
            f"einddatum {_einde_toewijzing(f)} en RedenWijziging {REDEN_WIJZIGING_VERHUIZING} "
            "(JZ002, verhuizing naar een andere gemeente)"
        ),
        toelichting=lambda f: (
            f"de ontvangende gemeente is verantwoordelijk vanaf {f.vanaf}; de latende gemeente "
            "beëindigt haar toewijzing zodra de ontvangende heeft geaccepteerd, zodat de zorg "
            "geen dag zonder toewijzing is"
        ),
        voor=lambda f: _na_werkdagen(_beoordeeld(f), f),
        kan_starten=lambda f: _beoordeeld(f) is not None,
        termijnbron=lambda f: (
            "wpb: binnen 5 werkdagen na acceptatie, geteld als OP274 (het iJw stelt hier geen termijn)"
            if _beoordeeld(f) is not None else None
        ),
    ),
    _Regel(
        code="aanbieder.toewijzing_aanvragen",
        partij=_aanbieder,
        geldt=lambda f: f.tak is Tak.WET_VANAF,
        titel=lambda f: (
            f"Vraag de ontvangende gemeente om een toewijzing per {f.vanaf} (verzoek om "
            "toewijzing, JW315), tenzij zij zelf toewijst"
        ),
        toelichting=lambda f: (
            f"de ontvangende gemeente is verantwoordelijk vanaf {f.vanaf}; zonder haar "
            "toewijzing kan de aanbieder de zorg vanaf die dag niet bij haar declareren"
        ),
        gedaan_door_feit=lambda f: (
            f"verzoek om toewijzing ontvangen op {f.o.vot_ontvangen}"
            if f.o.vot_ontvangen is not None else _afgerond_feit(f)
        ),
    ),
    _Regel(
        code="ontvangende.toewijzing_sturen",
        partij=_ontvangende,
        geldt=lambda f: f.tak is Tak.WET_VANAF,
        titel=lambda f: f"Stuur een toewijzing (JW301) met ingangsdatum {f.vanaf}",
        toelichting=lambda f: (
            "antwoord op het verzoek om toewijzing van de aanbieder"
            if f.o.vot_ontvangen is not None
            else "op eigen initiatief zodra de overdracht is geaccepteerd, of op een verzoek "
            "om toewijzing van de aanbieder"
        ) + "; met het sturen van de toewijzing is de overdracht afgerond",
        voor=lambda f: _toewijzing_termijn(f)[0],
        kan_starten=lambda f: f.o.vot_ontvangen is not None or _beoordeeld(f) is not None,
        gedaan_door_feit=_afgerond_feit,
        termijnbron=lambda f: _toewijzing_termijn(f)[1],
    ),
    _Regel(
        code="latende.verrekenen",
        partij=_latende,
        geldt=lambda f: f.tak is Tak.WET_VANAF,
        titel=lambda f: (
            f"Verreken wat de latende gemeente voor zorg na {_einde_toewijzing(f)} betaalde "
            "met de ontvangende gemeente"
        ),
        toelichting=lambda f: (
            f"de wet legt de kosten vanaf {f.vanaf} bij de ontvangende gemeente; alleen nodig "
            "als de latende gemeente na die dag betaalde (overlap). De claim volgt uit de "
            "verrekening zodra de overdracht is afgerond"
        ),
        niet_voor=lambda f: f.o.afgerond_datum,
        kan_starten=lambda f: f.afgerond,
    ),
    _verantwoordelijke_zoeken(
        _latende,
        lambda f: f.tak is Tak.WET_AFGEWEZEN,
        "Zoek uit welke gemeente verantwoordelijk is",
        lambda f: (
            f"de ontvangende gemeente heeft op {f.o.afwijzingsdatum} met onderbouwing laten "
            f"weten dat zij vanaf {f.vanaf} niet verantwoordelijk is; de latende gemeente blijft "
            "voorlopig verantwoordelijk en toetst de woonplaats opnieuw, stuurt de overdracht "
            "door, of legt het verschil voor aan de geschillencommissie"
        ),
    ),
)

_REGELS = _REGELS + _WET_REGELS

TAAKCODES: tuple[str, ...] = tuple(dict.fromkeys(r.code for r in _REGELS))

_PARTIJ_ORDE = {p: i for i, p in enumerate(Partij)}


def taken(
    o: Overdracht,
    gedaan: Iterable[str] = (),
    termijnen: Termijnen = FACTSHEET,
    kalender: Kalender = NATIONAAL,
) -> tuple[Taak, ...]:
    """The tasks of every party for transfer ``o``, the ``gedaan`` codes marked done.

    A task marked done is reopened by leaving its code out of ``gedaan``; a task the facts
    show done (e.g. afgerond) stays done. ``kalender`` gives the working days of the
    law regime's deadlines.

    A code in ``gedaan`` that names no task raises :class:`OnbekendeTaak`. A known code of
    a task that does not apply to this transfer (any more, e.g. after a rejection) is not
    an error: that task is simply not in the result.
    """
    done = set(gedaan)
    unknown = done - set(TAAKCODES)
    if unknown:
        raise OnbekendeTaak(unknown)
    f = _Feiten(o, tak(o, termijnen), termijnen, kalender)
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
                titel=regel.titel(f),
                toelichting=regel.toelichting(f),
                voor=regel.voor(f),
                niet_voor=regel.niet_voor(f),
                kan_starten=regel.kan_starten(f),
                gedaan=marked or by_fact is not None,
                gedaan_door="gemarkeerd" if marked else by_fact,
                overdracht_id=o.id,
                termijnbron=regel.termijnbron(f),
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
