"""Who is responsible for a youth in transfer: the 1-november-maatregel for the
migratiegroep of 2022-01-01, the law itself (Jeugdwet art. 1.1) from ``vanaf`` for others.

Source: "Factsheet 1-november-maatregel", VNG and the ministry of VWS, Bestuurlijk Overleg
of 2021-11-02 (published by the Ketenbureau i-Sociaal Domein). The measure is not a
statute: it is an administrative agreement between all municipalities for youths whose
transfer (overdracht) under the new woonplaatsbeginsel (Jeugdwet art. 1.1 as of
2022-01-01, Stb. 2020, 78) was not complete by 2022-01-01. The factsheet's rule is
paraphrased beside each function below, as a statute's text would be.

The parts of the rule, as the factsheet states them:

- Onderdeel A: the latende gemeente delivered the youth's data before 1 November 2021 and
  the ontvangende gemeente did not tell it, with onderbouwing, before 1 November that it is
  not responsible → the ontvangende gemeente is responsible from 1 January 2022. It
  accepts without prior check, checks afterwards, and settles with the municipality that
  is responsible after all if its check shows that it is not.
- Onderdeel B: the data was not delivered before 1 November, or was rejected with
  onderbouwing before 1 November → the latende gemeente stays responsible (it extends the
  toewijzing) until the transfer is complete, i.e. until the new responsible municipality
  has sent its toewijzing ("afgerond").
- A transfer completed before 1 January 2022 falls outside the measure: the ontvangende
  gemeente is responsible from 1 January 2022 by the ordinary transfer.

Choices where the factsheet leaves room (docs/overgang.md):

- "Vóór" is strictly before: data delivered on 2021-11-01 is not delivered in time.
- "Until afgerond" is a half-open period, as every period in wpb: the latende gemeente is
  responsible up to and including the day before the afgerond date; from the afgerond
  date itself the ontvangende gemeente is. So every day has exactly one responsible
  gemeente. A transfer afgerond on 2022-01-01 is inside the measure (not before
  2022-01-01) and the ontvangende is responsible from that first day.
- A rejection on or after 1 November does not change onderdeel A: the ontvangende gemeente
  stays responsible under the measure and settles afterwards.
- Before 2022-01-01 the measure says nothing: the 2015 woonplaatsbeginsel applied and the
  transfer assumes the latende gemeente was responsible then. That premise is reported as
  such (tak ``voor_ingang``), not as a decision of the measure.

Two regimes (issue 16). The measure governs only the migratiegroep: youths whose
woonplaats changed on 2022-01-01 because the new law took effect. A transfer carries
``vanaf``, the day from which the receiving gemeente is responsible under the law; a
transfer without ``vanaf`` (all data from 2021/22), or with ``vanaf`` on the ingangsdatum,
is one of the migratiegroep. Every other transfer follows the law itself (Jeugdwet art. 1.1;
the implementation FAQ of woonplaatsbeginsel.info: after a move during ambulant care the new
gemeente is responsible from the day the move is registered in the BRP): the ontvangende
gemeente is responsible from ``vanaf``, whatever day the paperwork is done. What the latende
paid after ``vanaf`` is settled as a claim (:mod:`wpb.law.verrekening.tijdlijn`, the
``kosten`` account). Choices for the law regime (docs/overgang.md): before ``vanaf`` the
transfer assumes the latende was responsible (tak ``wet_voor_vanaf``, an assumption, as
``voor_ingang``); a rejection with onderbouwing that stands (not afterwards afgerond) keeps
the latende responsible for the time being (tak ``wet_afgewezen``): the ontvangende disputes
the premise, and a woonplaats decision or the geschillencommissie settles it.

Reconsideration (factsheet part B "tot de overdracht is afgerond"): a transfer rejected and
later, after talks, accepted and afgerond by the same gemeente is afgerond on that later
day; under part B the latende is responsible until the day before it.

All dates of the measure are parameters (:class:`Termijnen`), never literals in the rules.
The module is pure: it knows no files, storage or web.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from enum import Enum

from wpb.law.dates import day_before
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE, GemeenteRegister, Successors

REGELVERSIE = "1-november-maatregel@2021-11-02+wet@2022-01-01"

# Jeugdwet art. 1.1 "woonplaats" as amended by Stb. 2020, 78 takes effect on this day; a
# ``vanaf`` before it names no responsibility under that law and is refused.
WET_INGANG = date(2022, 1, 1)

_GEMEENTECODE = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Termijnen:
    """The dates of the measure, with the factsheet's values as defaults.

    ``aanlever_grens`` and ``afwijs_grens`` are exclusive: "vóór 1 november" means a date
    strictly before them. ``ingang`` is the first day the new woonplaatsbeginsel applies
    and the first day the measure assigns responsibility. The other dates are those of
    the tasks (see :mod:`wpb.law.taken`); deadlines are exclusive too ("vóór").
    """

    aanlever_grens: date = date(2021, 11, 1)  # data delivered vóór this day: onderdeel A
    afwijs_grens: date = date(2021, 11, 1)  # rejected with onderbouwing vóór this day: B
    ingang: date = date(2022, 1, 1)  # responsibility under the measure from this day
    verlengen_tot: date = date(2022, 7, 1)  # the latende extends its toewijzing to this day
    contract_voor: date = date(2021, 12, 31)  # the ontvangende contracts the provider before
    vow_niet_voor: date = date(2021, 11, 22)  # providers send a VOW (JW317) not before this
    tkb_voor: date = date(2021, 12, 1)  # PGB: the TKB reaches the SVB before this day

    def __post_init__(self) -> None:
        problems = []
        if not self.aanlever_grens <= self.ingang:
            problems.append(f"aanlever_grens {self.aanlever_grens} ligt na ingang {self.ingang}")
        if not self.afwijs_grens <= self.ingang:
            problems.append(f"afwijs_grens {self.afwijs_grens} ligt na ingang {self.ingang}")
        if not self.verlengen_tot > self.ingang:
            problems.append(f"verlengen_tot {self.verlengen_tot} ligt niet na ingang {self.ingang}")
        if problems:
            raise ValueError("ongeldige termijnen: " + "; ".join(problems))

    def to_json(self) -> dict:
        return {f.name: getattr(self, f.name).isoformat() for f in fields(self)}


FACTSHEET = Termijnen()


@dataclass(frozen=True)
class Bron:
    """A non-statutory source: the factsheet, the part applied, and that part's rule."""

    titel: str
    uitgever: str
    datum: date
    onderdeel: str | None
    regel: str  # the source's rule for this part, paraphrased
    zie_ook: str | None = None  # a second source that explains how the rule is applied

    @property
    def citation(self) -> str:
        part = f", onderdeel {self.onderdeel}" if self.onderdeel else ""
        also = f"; zie ook {self.zie_ook}" if self.zie_ook else ""
        return f"{self.titel} ({self.uitgever}, {self.datum.isoformat()}){part}{also}"

    def to_json(self) -> dict:
        return {
            "titel": self.titel,
            "uitgever": self.uitgever,
            "datum": self.datum.isoformat(),
            "onderdeel": self.onderdeel,
            "citeertitel": self.citation,
            "regel": self.regel,
            "zieOok": self.zie_ook,
        }


def _bron(onderdeel: str | None, regel: str) -> Bron:
    return Bron(
        titel="Factsheet 1-november-maatregel",
        uitgever="VNG en VWS, Bestuurlijk Overleg",
        datum=date(2021, 11, 2),
        onderdeel=onderdeel,
        regel=regel,
    )


# Onderdeel A (paraphrase of the factsheet).
ONDERDEEL_A = _bron(
    "A",
    "Heeft de latende gemeente de gegevens van de jeugdige vóór 1 november 2021 aangeleverd "
    "en heeft de ontvangende gemeente niet vóór 1 november met onderbouwing laten weten dat "
    "zij niet verantwoordelijk is, dan is de ontvangende gemeente vanaf 1 januari 2022 "
    "verantwoordelijk. Zij accepteert zonder voorafgaande toets, toetst daarna en verrekent "
    "met de gemeente die wel verantwoordelijk blijkt.",
)

# Onderdeel B (paraphrase of the factsheet).
ONDERDEEL_B = _bron(
    "B",
    "Zijn de gegevens niet vóór 1 november 2021 aangeleverd, of heeft de ontvangende gemeente "
    "ze vóór 1 november met onderbouwing afgewezen, dan blijft de latende gemeente "
    "verantwoordelijk (en verlengt zij de toewijzing) tot de overdracht is afgerond: tot de "
    "nieuwe verantwoordelijke gemeente haar toewijzing heeft verstuurd.",
)

# Outside the measure (paraphrase of the factsheet).
BUITEN = _bron(
    None,
    "Een overdracht die vóór 1 januari 2022 is afgerond (toewijzing verstuurd) valt buiten "
    "de maatregel: de ontvangende gemeente is vanaf 1 januari 2022 verantwoordelijk op grond "
    "van de gewone overdracht.",
)

# Before the new law: the measure does not speak.
VOOR_INGANG = _bron(
    None,
    "De maatregel regelt de verantwoordelijkheid vanaf 1 januari 2022. Daarvoor gold het "
    "woonplaatsbeginsel van 2015; de overdracht gaat ervan uit dat de latende gemeente toen "
    "verantwoordelijk was.",
)


def _wet_bron(regel: str) -> Bron:
    return Bron(
        titel="Jeugdwet, artikel 1.1 (woonplaats)",
        uitgever="Stb. 2020, 78, in werking vanaf 2022-01-01",
        datum=WET_INGANG,
        onderdeel=None,
        regel=regel,
        zie_ook="de veelgestelde vragen over het woonplaatsbeginsel (woonplaatsbeginsel.info/faq): "
        "bij een verhuizing tijdens ambulante jeugdhulp is de nieuwe gemeente verantwoordelijk "
        "vanaf de dag dat de verhuizing in de BRP is ingeschreven",
    )


# The law regime (paraphrase of the definition and the FAQ).
WET = _wet_bron(
    "De gemeente waar de jeugdige volgens de definitie van woonplaats woont, is "
    "verantwoordelijk vanaf de dag dat die woonplaats verandert (vanaf), ongeacht de dag "
    "waarop de overdracht administratief is afgerond. Wat de latende gemeente na die dag "
    "betaalde, verrekent zij met de ontvangende gemeente.",
)

WET_VOOR_VANAF = _wet_bron(
    "Vóór de dag van de wijziging (vanaf) is de woonplaats nog die bij de latende gemeente; "
    "de overdracht gaat ervan uit dat de latende gemeente tot dan verantwoordelijk was.",
)

WET_AFGEWEZEN = _wet_bron(
    "De ontvangende gemeente heeft met onderbouwing laten weten dat zij vanaf de genoemde "
    "dag niet verantwoordelijk is. Zolang dat niet is opgelost (heroverweging, "
    "woonplaatsbeslissing of geschillencommissie) blijft de latende gemeente voorlopig "
    "verantwoordelijk, zodat de jeugdhulp doorloopt.",
)


class Regime(str, Enum):
    """Which rule governs a transfer: the measure (migratiegroep) or the law itself."""

    MAATREGEL = "1-november-maatregel"
    WET = "jeugdwet"

    @property
    def omschrijving(self) -> str:
        if self is Regime.MAATREGEL:
            return ("1-november-maatregel: de woonplaats veranderde op 2022-01-01 door de nieuwe "
                    "wet (migratiegroep)")
        return "woonplaatsbeginsel (Jeugdwet art. 1.1): de ontvangende gemeente vanaf de dag van de wijziging"


class Rol(str, Enum):
    """The two gemeenten of a transfer."""

    LATENDE = "latende_gemeente"
    ONTVANGENDE = "ontvangende_gemeente"


class Tak(str, Enum):
    """The branch of the rule applied. Stable codes: the service stores and shows them."""

    A_TIJDIG_AANGELEVERD = "a_tijdig_aangeleverd"
    B_NIET_TIJDIG_AANGELEVERD = "b_niet_tijdig_aangeleverd"
    B_TIJDIG_AFGEWEZEN = "b_tijdig_afgewezen"
    BUITEN_MAATREGEL = "buiten_maatregel"
    VOOR_INGANG = "voor_ingang"
    WET_VANAF = "wet_vanaf"  # the law: the ontvangende from vanaf
    WET_VOOR_VANAF = "wet_voor_vanaf"  # the law: before vanaf, the latende (an assumption)
    WET_AFGEWEZEN = "wet_afgewezen"  # the law, rejected: the latende for the time being

    @property
    def bron(self) -> Bron:
        return _TAK_BRON[self]

    @property
    def regime(self) -> Regime:
        return Regime.WET if self in _WET_TAKKEN else Regime.MAATREGEL

    @property
    def binnen_maatregel(self) -> bool:
        return self in (Tak.A_TIJDIG_AANGELEVERD, Tak.B_NIET_TIJDIG_AANGELEVERD, Tak.B_TIJDIG_AFGEWEZEN)

    @property
    def omschrijving(self) -> str:
        return _TAK_OMSCHRIJVING[self]


_TAK_BRON = {
    Tak.A_TIJDIG_AANGELEVERD: ONDERDEEL_A,
    Tak.B_NIET_TIJDIG_AANGELEVERD: ONDERDEEL_B,
    Tak.B_TIJDIG_AFGEWEZEN: ONDERDEEL_B,
    Tak.BUITEN_MAATREGEL: BUITEN,
    Tak.VOOR_INGANG: VOOR_INGANG,
    Tak.WET_VANAF: WET,
    Tak.WET_VOOR_VANAF: WET_VOOR_VANAF,
    Tak.WET_AFGEWEZEN: WET_AFGEWEZEN,
}

_WET_TAKKEN = frozenset({Tak.WET_VANAF, Tak.WET_VOOR_VANAF, Tak.WET_AFGEWEZEN})

_TAK_OMSCHRIJVING = {
    Tak.A_TIJDIG_AANGELEVERD: "tijdig aangeleverd: ontvangende gemeente vanaf de ingangsdatum",
    Tak.B_NIET_TIJDIG_AANGELEVERD: "niet tijdig aangeleverd: latende gemeente tot afgerond",
    Tak.B_TIJDIG_AFGEWEZEN: "tijdig met onderbouwing afgewezen: latende gemeente tot afgerond",
    Tak.BUITEN_MAATREGEL: "buiten de maatregel: vóór de ingangsdatum afgerond",
    Tak.VOOR_INGANG: "vóór de ingangsdatum: de maatregel is (nog) niet van toepassing",
    Tak.WET_VANAF: "woonplaatsbeginsel: ontvangende gemeente vanaf de dag van de wijziging",
    Tak.WET_VOOR_VANAF: "woonplaatsbeginsel: vóór de dag van de wijziging de latende gemeente (aanname)",
    Tak.WET_AFGEWEZEN: "woonplaatsbeginsel, afgewezen: latende gemeente voorlopig tot het is opgelost",
}


# --- the facts of a transfer --------------------------------------------------------------


@dataclass(frozen=True)
class OverdrachtFout:
    """One problem with a transfer's facts, naming the field."""

    veld: str
    probleem: str

    def __str__(self) -> str:
        return f"{self.veld}: {self.probleem}"

    def to_json(self) -> dict:
        return {"veld": self.veld, "probleem": self.probleem}


class OngeldigeOverdracht(ValueError):
    """Raised with every problem of a transfer at once."""

    def __init__(self, overdracht_id: str, fouten: list[OverdrachtFout]):
        self.overdracht_id = overdracht_id
        self.fouten = list(fouten)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"overdracht {self.overdracht_id!r} is ongeldig:"]
        lines += [f"  - {f}" for f in self.fouten]
        return "\n".join(lines)


@dataclass(frozen=True)
class Overdracht:
    """The facts of one transfer that the measure and the tasks depend on.

    ``afwijzingsdatum`` is the day the ontvangende gemeente rejected the transfer with an
    onderbouwing (a rejection without one does not count and is not recorded here).
    ``afgerond_datum`` is the day the transfer was completed: the new toewijzing was sent.
    With an ``afwijzingsdatum`` it must lie after it: the same gemeente reconsidered its
    rejection and completed the transfer after all (factsheet part B: the latende is
    responsible until afgerond). A rejection that stands is redirected as a new transfer.
    ``geaccepteerd_datum`` is the day the ontvangende gemeente accepted the transfer (under
    onderdeel A "zonder voorafgaande toets"); it decides no responsibility, only whether
    the acceptance task is done (:mod:`wpb.law.taken`).
    ``vanaf`` is the day from which the ontvangende gemeente is responsible under the law
    (from the woonplaatscheck, or entered). None, or the ingangsdatum of the measure: the
    migratiegroep, governed by the 1-november-maatregel; any other day: the law regime.
    ``vot_ontvangen`` is the day the ontvangende received the provider's verzoek om
    toewijzing (JW315) for this youth, when it did; it only dates a task.

    Construction checks the facts among themselves and raises
    :class:`OngeldigeOverdracht` with every problem; :func:`check_gemeenten` checks
    the gemeentecodes against a register.
    """

    id: str
    latende_gemeente: str
    ontvangende_gemeente: str
    aanleverdatum: date
    afwijzingsdatum: date | None = None
    afgerond_datum: date | None = None
    pgb: bool = False
    geaccepteerd_datum: date | None = None
    vanaf: date | None = None
    vot_ontvangen: date | None = None

    def __post_init__(self) -> None:
        fouten = _check_facts(self)
        if fouten:
            raise OngeldigeOverdracht(self.id, fouten)

    def gemeente(self, rol: Rol) -> str:
        return self.latende_gemeente if rol is Rol.LATENDE else self.ontvangende_gemeente

    @property
    def afgewezen(self) -> bool:
        """A rejection that stands: rejected and not afterwards afgerond."""
        return self.afwijzingsdatum is not None and self.afgerond_datum is None

    @property
    def heroverwogen(self) -> bool:
        """Rejected, then reconsidered and afgerond by the same gemeente."""
        return self.afwijzingsdatum is not None and self.afgerond_datum is not None

    def to_json(self) -> dict:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "id": self.id,
            "latendeGemeente": self.latende_gemeente,
            "ontvangendeGemeente": self.ontvangende_gemeente,
            "aanleverdatum": self.aanleverdatum.isoformat(),
            "afwijzingsdatum": iso(self.afwijzingsdatum),
            "afgerondDatum": iso(self.afgerond_datum),
            "pgb": self.pgb,
            "geaccepteerdDatum": iso(self.geaccepteerd_datum),
            "vanaf": iso(self.vanaf),
            "votOntvangen": iso(self.vot_ontvangen),
        }


def _check_facts(o: Overdracht) -> list[OverdrachtFout]:
    fouten: list[OverdrachtFout] = []
    if not isinstance(o.id, str) or not o.id.strip():
        fouten.append(OverdrachtFout("id", "ontbreekt"))
    for veld in ("latende_gemeente", "ontvangende_gemeente"):
        code = getattr(o, veld)
        if not isinstance(code, str) or not _GEMEENTECODE.fullmatch(code):
            fouten.append(OverdrachtFout(veld, f"{code!r} is geen gemeentecode van 4 cijfers"))
    if o.latende_gemeente == o.ontvangende_gemeente:
        fouten.append(
            OverdrachtFout(
                "ontvangende_gemeente",
                f"is dezelfde gemeente als de latende gemeente ({o.latende_gemeente})",
            )
        )
    dates_ok = True
    for veld, optional in (
        ("aanleverdatum", False),
        ("afwijzingsdatum", True),
        ("afgerond_datum", True),
        ("geaccepteerd_datum", True),
        ("vanaf", True),
        ("vot_ontvangen", True),
    ):
        value = getattr(o, veld)
        if value is None and optional:
            continue
        # datetime is a subclass of date; a moment is not a day.
        if type(value) is not date:
            fouten.append(OverdrachtFout(veld, f"{value!r} is geen datum"))
            dates_ok = False
    if not dates_ok:
        return fouten
    if o.vanaf is not None and o.vanaf < WET_INGANG:
        fouten.append(
            OverdrachtFout(
                "vanaf",
                f"{o.vanaf} ligt vóór {WET_INGANG}, de ingang van het woonplaatsbeginsel van "
                "Jeugdwet art. 1.1 (Stb. 2020, 78); een overdracht onder die wet begint niet eerder",
            )
        )
    if (
        o.afwijzingsdatum is not None
        and o.afgerond_datum is not None
        and o.afgerond_datum <= o.afwijzingsdatum
    ):
        # Afgerond after a rejection means reconsidered: only a later day can say so.
        fouten.append(
            OverdrachtFout(
                "afgerond_datum",
                f"{o.afgerond_datum} ligt niet na de afwijzing op {o.afwijzingsdatum}; een "
                "afgewezen overdracht is pas afgerond als de ontvangende gemeente haar "
                "afwijzing later heroverweegt",
            )
        )
    if o.afwijzingsdatum is not None and o.afwijzingsdatum < o.aanleverdatum:
        fouten.append(
            OverdrachtFout(
                "afwijzingsdatum",
                f"{o.afwijzingsdatum} ligt vóór de aanleverdatum {o.aanleverdatum}",
            )
        )
    if o.afgerond_datum is not None and o.afgerond_datum < o.aanleverdatum:
        fouten.append(
            OverdrachtFout(
                "afgerond_datum",
                f"{o.afgerond_datum} ligt vóór de aanleverdatum {o.aanleverdatum}",
            )
        )
    if o.geaccepteerd_datum is not None and o.geaccepteerd_datum < o.aanleverdatum:
        fouten.append(
            OverdrachtFout(
                "geaccepteerd_datum",
                f"{o.geaccepteerd_datum} ligt vóór de aanleverdatum {o.aanleverdatum}",
            )
        )
    if (
        o.geaccepteerd_datum is not None
        and o.afgerond_datum is not None
        and o.afgerond_datum < o.geaccepteerd_datum
    ):
        # Afgerond means the ontvangende sent its toewijzing: it had accepted by then.
        fouten.append(
            OverdrachtFout(
                "afgerond_datum",
                f"{o.afgerond_datum} ligt vóór de acceptatie op {o.geaccepteerd_datum}",
            )
        )
    return fouten


def check_gemeenten(
    o: Overdracht, register: GemeenteRegister, termijnen: Termijnen = FACTSHEET
) -> list[OverdrachtFout]:
    """The problems with the transfer's gemeentecodes, checked against ``register``.

    A code must name a municipality (not RNI or "onbekend") that existed on the
    aanleverdatum: a municipality that had ended could not deliver or receive data. A
    receiving municipality formed by a herindeling no later than the ingangsdatum is
    accepted, since transfers towards it were prepared in the months before.
    """
    fouten: list[OverdrachtFout] = []
    for veld, rol in (("latende_gemeente", Rol.LATENDE), ("ontvangende_gemeente", Rol.ONTVANGENDE)):
        code = getattr(o, veld)
        if code in (RNI_CODE, UNKNOWN_CODE):
            fouten.append(OverdrachtFout(veld, f"{code} is geen gemeente"))
            continue
        if code not in register:
            fouten.append(OverdrachtFout(veld, f"onbekende gemeentecode {code!r}"))
            continue
        g = register.get(code)
        if g.einde is not None and g.einde <= o.aanleverdatum:
            fouten.append(
                OverdrachtFout(
                    veld,
                    f"{g.naam} ({code}) bestond op de aanleverdatum {o.aanleverdatum} niet meer "
                    f"(opgeheven per {g.einde}); gebruik de code van de opvolger",
                )
            )
        elif (
            g.begin is not None
            and g.begin > o.aanleverdatum
            and (rol is Rol.LATENDE or g.begin > termijnen.ingang)
        ):
            fouten.append(
                OverdrachtFout(
                    veld,
                    f"{g.naam} ({code}) bestond op de aanleverdatum {o.aanleverdatum} nog "
                    f"niet (ontstaan per {g.begin})",
                )
            )
    return fouten


def valideer(
    o: Overdracht, register: GemeenteRegister, termijnen: Termijnen = FACTSHEET
) -> None:
    """Raise :class:`OngeldigeOverdracht` when a gemeentecode does not hold."""
    fouten = check_gemeenten(o, register, termijnen)
    if fouten:
        raise OngeldigeOverdracht(o.id, fouten)


# --- the rule -----------------------------------------------------------------------------


def tijdig_aangeleverd(o: Overdracht, t: Termijnen = FACTSHEET) -> bool:
    """Onderdeel A, first condition: "vóór 1 november aangeleverd" (strictly before)."""
    return o.aanleverdatum < t.aanlever_grens


def tijdig_afgewezen(o: Overdracht, t: Termijnen = FACTSHEET) -> bool:
    """The exception to A: "vóór 1 november met onderbouwing laten weten niet verantwoordelijk
    te zijn" (strictly before)."""
    return o.afwijzingsdatum is not None and o.afwijzingsdatum < t.afwijs_grens


def buiten_maatregel(o: Overdracht, t: Termijnen = FACTSHEET) -> bool:
    """"Overdrachten die vóór 1 januari 2022 zijn afgerond vallen buiten de maatregel"."""
    return o.afgerond_datum is not None and o.afgerond_datum < t.ingang


def regime(o: Overdracht, t: Termijnen = FACTSHEET) -> Regime:
    """The measure for the migratiegroep (no ``vanaf``, or ``vanaf`` on the ingangsdatum:
    the change came with the new law), the law itself for every other transfer."""
    if o.vanaf is None or o.vanaf == t.ingang:
        return Regime.MAATREGEL
    return Regime.WET


def tak(o: Overdracht, t: Termijnen = FACTSHEET) -> Tak:
    """The branch that governs the transfer: under the law from ``vanaf`` on, under the
    measure from the ingangsdatum on.

    Under the law: the ontvangende, unless a rejection stands. Under the measure, outside
    the measure takes precedence: a completed transfer needs no measure. Then A (delivered
    in time, not rejected in time), otherwise B, told apart by its reason.
    """
    if regime(o, t) is Regime.WET:
        return Tak.WET_AFGEWEZEN if o.afgewezen else Tak.WET_VANAF
    if buiten_maatregel(o, t):
        return Tak.BUITEN_MAATREGEL
    if not tijdig_aangeleverd(o, t):
        return Tak.B_NIET_TIJDIG_AANGELEVERD
    if tijdig_afgewezen(o, t):
        return Tak.B_TIJDIG_AFGEWEZEN
    return Tak.A_TIJDIG_AANGELEVERD


@dataclass(frozen=True)
class Verantwoordelijkheid:
    """Who is responsible for a transfer's youth on a peildatum, and why.

    ``gemeente`` is the party of the transfer the rule names. When a register is given
    and that municipality has since been merged or split, ``opvolging`` says which
    municipality or municipalities carry its responsibility on the peildatum, and
    :attr:`gemeente_op_peildatum` gives their codes.
    """

    overdracht_id: str
    peildatum: date
    gemeente: str
    rol: Rol
    tak: Tak
    reden: str
    gebruikte_datums: tuple[tuple[str, date | None], ...]
    termijnen: Termijnen = field(default=FACTSHEET, repr=False)
    opvolging: Successors | None = None

    @property
    def bron(self) -> Bron:
        return self.tak.bron

    @property
    def regime(self) -> Regime:
        return self.tak.regime

    @property
    def binnen_maatregel(self) -> bool:
        return self.tak.binnen_maatregel

    @property
    def gemeente_op_peildatum(self) -> tuple[str, ...]:
        return self.opvolging.codes if self.opvolging is not None else (self.gemeente,)

    def to_json(self) -> dict:
        return {
            "overdrachtId": self.overdracht_id,
            "peildatum": self.peildatum.isoformat(),
            "gemeente": self.gemeente,
            "gemeenteOpPeildatum": list(self.gemeente_op_peildatum),
            "rol": self.rol.value,
            "tak": {"code": self.tak.value, "omschrijving": self.tak.omschrijving},
            "regime": {"code": self.regime.value, "omschrijving": self.regime.omschrijving},
            "binnenMaatregel": self.binnen_maatregel,
            "reden": self.reden,
            "bron": self.bron.to_json(),
            "gebruikteDatums": {k: (v.isoformat() if v else None) for k, v in self.gebruikte_datums},
            "regelversie": REGELVERSIE,
        }


def verantwoordelijke(
    o: Overdracht,
    peildatum: date,
    termijnen: Termijnen = FACTSHEET,
    register: GemeenteRegister | None = None,
) -> Verantwoordelijkheid:
    """Who is responsible for the youth of transfer ``o`` on ``peildatum``.

    With a ``register``, a municipality that no longer exists on the peildatum is followed
    to its successor(s) (see :class:`Verantwoordelijkheid`).
    """
    t = termijnen
    label = _labeller(register)
    if regime(o, t) is Regime.WET:
        assert o.vanaf is not None
        gebruikt: tuple[tuple[str, date | None], ...] = (
            ("vanaf", o.vanaf),
            ("aanleverdatum", o.aanleverdatum),
            ("afwijzingsdatum", o.afwijzingsdatum),
            ("afgerond_datum", o.afgerond_datum),
        )
        which, rule, reden = _decide_wet(o, peildatum, label)
    else:
        gebruikt = (
            ("aanleverdatum", o.aanleverdatum),
            ("afwijzingsdatum", o.afwijzingsdatum),
            ("afgerond_datum", o.afgerond_datum),
            ("aanlever_grens", t.aanlever_grens),
            ("afwijs_grens", t.afwijs_grens),
            ("ingang", t.ingang),
        )
        which, rule, reden = _decide_maatregel(o, peildatum, t, label)
    result = Verantwoordelijkheid(
        overdracht_id=o.id,
        peildatum=peildatum,
        gemeente=o.gemeente(which),
        rol=which,
        tak=rule,
        reden=reden,
        gebruikte_datums=gebruikt,
        termijnen=t,
    )
    return _follow_successors(result, register, label)


def _decide_maatregel(
    o: Overdracht, peildatum: date, t: Termijnen, label: Callable[[str], str]
) -> tuple[Rol, Tak, str]:
    if peildatum < t.ingang:
        return Rol.LATENDE, Tak.VOOR_INGANG, _reden_voor_ingang(label(o.latende_gemeente), peildatum, t)
    rule = tak(o, t)
    which, reden = _decide(o, rule, peildatum, t, label)
    return which, rule, reden


def _decide_wet(o: Overdracht, peildatum: date, label: Callable[[str], str]) -> tuple[Rol, Tak, str]:
    """The law regime: the ontvangende from ``vanaf``; before it, and while a rejection
    stands, the latende."""
    assert o.vanaf is not None
    lat, ont, vanaf = label(o.latende_gemeente), label(o.ontvangende_gemeente), o.vanaf
    if peildatum < vanaf:
        return Rol.LATENDE, Tak.WET_VOOR_VANAF, (
            f"Woonplaatsbeginsel (Jeugdwet art. 1.1): de woonplaats verandert op {vanaf}. Op "
            f"{peildatum} gaat de overdracht ervan uit dat de latende gemeente {lat} "
            "verantwoordelijk is; dat is die aanname, geen toetsing (gebruik daarvoor "
            "'wpb woonplaats')."
        )
    if o.afgewezen:
        return Rol.LATENDE, Tak.WET_AFGEWEZEN, (
            f"Woonplaatsbeginsel (Jeugdwet art. 1.1): de ontvangende gemeente {ont} heeft op "
            f"{o.afwijzingsdatum} met onderbouwing laten weten dat zij vanaf {vanaf} niet "
            f"verantwoordelijk is. De latende gemeente {lat} blijft voorlopig verantwoordelijk "
            "tot dat is opgelost (heroverweging, woonplaatsbeslissing of geschil)."
        )
    reden = (
        f"Woonplaatsbeginsel (Jeugdwet art. 1.1): de ontvangende gemeente {ont} is "
        f"verantwoordelijk vanaf {vanaf}, de dag van de wijziging, ongeacht wanneer de "
        "overdracht is afgerond."
    )
    if o.afgerond_datum is None or o.afgerond_datum > vanaf:
        reden += (
            f" Wat de latende gemeente {lat} na {day_before(vanaf)} betaalde, verrekent zij "
            "met de ontvangende gemeente."
        )
    if o.heroverwogen:
        reden += (
            f" De afwijzing van {o.afwijzingsdatum} is heroverwogen; de overdracht is op "
            f"{o.afgerond_datum} afgerond."
        )
    return Rol.ONTVANGENDE, Tak.WET_VANAF, reden


def _follow_successors(
    result: Verantwoordelijkheid, register: GemeenteRegister | None, label: Callable[[str], str]
) -> Verantwoordelijkheid:
    """With a register, follow a party that no longer exists to its successor(s)."""
    if register is None:
        return result
    peildatum, reden = result.peildatum, result.reden
    successors = register.successors(result.gemeente, peildatum)
    if successors.codes == (result.gemeente,):
        return result
    names = ", ".join(label(c) for c in successors.codes)
    note = (
        f" {label(result.gemeente)} bestaat op {peildatum} niet meer; de verantwoordelijkheid "
        f"ligt bij {names}."
    )
    if not successors.is_unique:
        note += " De gemeente is gesplitst: het adres bepaalt welke opvolger het is."
    return replace(result, reden=reden + note, opvolging=successors)


def _labeller(register: GemeenteRegister | None) -> Callable[[str], str]:
    """How a gemeente is named in a reason: by name and code when a register is at hand."""
    if register is None:
        return lambda code: code
    return lambda code: f"{register.naam(code)} ({code})" if code in register else code


def _decide(
    o: Overdracht, rule: Tak, peildatum: date, t: Termijnen, label: Callable[[str], str]
) -> tuple[Rol, str]:
    """Apply ``rule`` on a peildatum on or after the ingangsdatum."""
    lat, ont = label(o.latende_gemeente), label(o.ontvangende_gemeente)
    if rule is Tak.BUITEN_MAATREGEL:
        assert o.afgerond_datum is not None
        return Rol.ONTVANGENDE, (
            f"Buiten de 1-november-maatregel: de overdracht is op {o.afgerond_datum} afgerond, "
            f"vóór {t.ingang}. De ontvangende gemeente {ont} is vanaf {t.ingang} verantwoordelijk "
            "op grond van de gewone overdracht, niet op grond van de maatregel."
        )
    if rule is Tak.A_TIJDIG_AANGELEVERD:
        reden = (
            f"Onderdeel A: de gegevens zijn op {o.aanleverdatum} aangeleverd, vóór "
            f"{t.aanlever_grens}, en niet vóór {t.afwijs_grens} met onderbouwing afgewezen. De "
            f"ontvangende gemeente {ont} is verantwoordelijk vanaf {t.ingang}."
        )
        if o.afwijzingsdatum is not None:
            reden += (
                f" De afwijzing van {o.afwijzingsdatum} kwam niet vóór {t.afwijs_grens} en "
                "verandert dat niet: de ontvangende gemeente verrekent met de gemeente die wel "
                "verantwoordelijk is."
            )
        return Rol.ONTVANGENDE, reden
    if rule is Tak.B_TIJDIG_AFGEWEZEN:
        assert o.afwijzingsdatum is not None
        why = (
            f"Onderdeel B: de gegevens zijn op {o.aanleverdatum} aangeleverd, maar op "
            f"{o.afwijzingsdatum}, vóór {t.afwijs_grens}, met onderbouwing afgewezen."
        )
    else:
        why = (
            f"Onderdeel B: de gegevens zijn op {o.aanleverdatum} aangeleverd, niet vóór "
            f"{t.aanlever_grens}."
        )
    if o.heroverwogen:
        why += (
            f" Na overleg heeft de ontvangende gemeente haar afwijzing heroverwogen en de "
            f"overdracht op {o.afgerond_datum} afgerond."
        )
    if o.afgerond_datum is None:
        return Rol.LATENDE, (
            f"{why} De latende gemeente {lat} blijft verantwoordelijk tot de overdracht is "
            "afgerond; dat is nog niet gebeurd."
        )
    if peildatum < o.afgerond_datum:
        return Rol.LATENDE, (
            f"{why} De latende gemeente {lat} blijft verantwoordelijk tot de overdracht is "
            f"afgerond op {o.afgerond_datum}, dus tot en met {day_before(o.afgerond_datum)}."
        )
    return Rol.ONTVANGENDE, (
        f"{why} De latende gemeente {lat} was verantwoordelijk tot de overdracht werd afgerond "
        f"op {o.afgerond_datum}; vanaf die dag is de ontvangende gemeente {ont} verantwoordelijk."
    )


def _reden_voor_ingang(latende: str, peildatum: date, t: Termijnen) -> str:
    return (
        f"Peildatum {peildatum} ligt vóór {t.ingang}: de 1-november-maatregel regelt alleen de "
        f"verantwoordelijkheid vanaf {t.ingang}. Tot dan gold het woonplaatsbeginsel van 2015; "
        f"de overdracht gaat ervan uit dat de latende gemeente {latende} toen "
        "verantwoordelijk was. Dit is die aanname, geen toetsing (gebruik daarvoor "
        "'wpb woonplaats')."
    )


# --- the timeline -------------------------------------------------------------------------


@dataclass(frozen=True)
class Periode:
    """A period of responsibility, half-open: [van, tot); ``tot`` None means open-ended."""

    van: date
    tot: date | None
    gemeente: str
    rol: Rol
    tak: Tak
    reden: str

    def covers(self, day: date) -> bool:
        return self.van <= day and (self.tot is None or day < self.tot)

    @property
    def laatste_dag(self) -> date | None:
        return day_before(self.tot) if self.tot is not None else None

    def to_json(self) -> dict:
        return {
            "van": self.van.isoformat(),
            "tot": self.tot.isoformat() if self.tot else None,
            "totEnMet": self.laatste_dag.isoformat() if self.laatste_dag else None,
            "gemeente": self.gemeente,
            "rol": self.rol.value,
            "tak": self.tak.value,
            "regime": self.tak.regime.value,
            "bron": self.tak.bron.citation,
            "reden": self.reden,
        }


def tijdlijn(o: Overdracht, termijnen: Termijnen = FACTSHEET) -> tuple[Periode, ...]:
    """The periods of responsibility for transfer ``o`` from the ingangsdatum on (under the
    law regime from ``vanaf`` when that is earlier, which only shifted parameters allow).

    The periods follow each other without gap or overlap; the last is open-ended. Built
    from the facts directly (not by querying day by day) so that the tests can hold it
    against :func:`verantwoordelijke`. Each period's :attr:`Periode.tak` names its regime.
    """
    t = termijnen
    if regime(o, t) is Regime.WET:
        return _tijdlijn_wet(o, t)
    rule = tak(o, t)
    lat, ont = o.latende_gemeente, o.ontvangende_gemeente
    if rule is Tak.BUITEN_MAATREGEL:
        return (
            Periode(t.ingang, None, ont, Rol.ONTVANGENDE, rule,
                    f"buiten de maatregel: afgerond op {o.afgerond_datum}"),
        )
    if rule is Tak.A_TIJDIG_AANGELEVERD:
        return (
            Periode(t.ingang, None, ont, Rol.ONTVANGENDE, rule,
                    f"onderdeel A: aangeleverd op {o.aanleverdatum}"),
        )
    if o.afgerond_datum is None:
        return (
            Periode(t.ingang, None, lat, Rol.LATENDE, rule,
                    "onderdeel B: tot de overdracht is afgerond (nog niet afgerond)"),
        )
    ontvangende = Periode(
        o.afgerond_datum, None, ont, Rol.ONTVANGENDE, rule,
        f"onderdeel B: overdracht afgerond op {o.afgerond_datum}",
    )
    if o.afgerond_datum <= t.ingang:
        # Afgerond on the ingangsdatum itself: the latende's period would be empty.
        return (Periode(t.ingang, None, ont, Rol.ONTVANGENDE, rule, ontvangende.reden),)
    return (
        Periode(t.ingang, o.afgerond_datum, lat, Rol.LATENDE, rule,
                f"onderdeel B: tot de overdracht is afgerond op {o.afgerond_datum}"),
        ontvangende,
    )


def _tijdlijn_wet(o: Overdracht, t: Termijnen) -> tuple[Periode, ...]:
    """The law regime: the latende until the day before ``vanaf`` (the transfer's premise),
    then the ontvangende; while a rejection stands, the latende for the time being."""
    assert o.vanaf is not None
    lat, ont, vanaf = o.latende_gemeente, o.ontvangende_gemeente, o.vanaf
    if o.afgewezen:
        na = Periode(vanaf, None, lat, Rol.LATENDE, Tak.WET_AFGEWEZEN,
                     f"woonplaatsbeginsel: afgewezen op {o.afwijzingsdatum}; voorlopig de latende gemeente")
    else:
        na = Periode(vanaf, None, ont, Rol.ONTVANGENDE, Tak.WET_VANAF,
                     f"woonplaatsbeginsel: de ontvangende gemeente vanaf {vanaf}")
    if vanaf <= t.ingang:
        return (na,)
    return (
        Periode(t.ingang, vanaf, lat, Rol.LATENDE, Tak.WET_VOOR_VANAF,
                f"woonplaatsbeginsel: de latende gemeente tot de wijziging op {vanaf} (aanname)"),
        na,
    )
