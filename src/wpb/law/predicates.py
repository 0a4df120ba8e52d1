"""Fact predicates, each declared once, for both executors.

A predicate is a small expression over the fields of one fact (a BRP record, a care
episode, a reading of a registration). The single-case engine evaluates it on the fact
(:func:`holds`); the national executor compiles the same expression to a polars column
(:mod:`wpb.batch.compile`). Neither states the predicate on its own, and
``tests/test_properties.py`` evaluates every predicate both ways on generated facts.

Comparisons are two-valued: a missing field equals nothing and is in no set, in both
executors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from wpb.law.dates import age_on
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.law.jeugdwet.jeugdige import ACHTTIEN_JAAR, DRIEENTWINTIG_JAAR

# --- the expression language ---------------------------------------------------------------


class Term:
    """A node of a predicate; combine with ``&``, ``|`` and ``~``."""

    def __and__(self, other: Term) -> Term:
        return Junction("and", self, other)

    def __or__(self, other: Term) -> Term:
        return Junction("or", self, other)

    def __invert__(self) -> Term:
        return Not(self)


@dataclass(frozen=True)
class Field(Term):
    """A field of the fact: its attribute in the core, its column in the tables."""

    name: str

    def isin(self, *values: object) -> Term:
        return In(self, tuple(values))

    def eq(self, value: object) -> Term:
        return In(self, (value,))

    def is_present(self) -> Term:
        return Present(self)


@dataclass(frozen=True)
class In(Term):
    field: Field
    values: tuple


@dataclass(frozen=True)
class Present(Term):
    field: Field


@dataclass(frozen=True)
class Junction(Term):
    """Both terms (``kind`` "and") or either (``kind`` "or")."""

    kind: str
    left: Term
    right: Term


@dataclass(frozen=True)
class Not(Term):
    term: Term


@dataclass(frozen=True)
class Predicate(Term):
    """A named predicate: its definition, and what it means in Dutch law."""

    name: str
    definition: Term
    betekenis: str


@dataclass(frozen=True)
class AgeAtLeast(Term):
    """The person born on ``birth`` is ``years`` or older on ``day`` (a birthday counts from
    that day, :func:`wpb.law.dates.age_on`); a missing date: false."""

    birth: Field
    day: Field
    years: int


@dataclass(frozen=True)
class Voor(Term):
    """The day ``left`` lies before the day ``right`` (strictly); each a field of the fact or a
    fixed date of the law. A missing day: false (so ``~Voor(einde, dag)`` holds for a period
    without an end)."""

    left: Field | date
    right: Field | date


@dataclass(frozen=True)
class UiterlijkOp(Term):
    """The day ``left`` lies on or before the day ``right`` ("uiterlijk op"); each a field of
    the fact or a fixed date of the law. A missing day: false. With a partial date's bounds
    as ``right``: on or before its earliest day is certainly on or before it, on or before
    its latest day possibly."""

    left: Field | date
    right: Field | date


# --- the successors of a gemeentecode (herindelingen) ----------------------------------------

# The register of gemeenten and their herindelingen (Wet arhi; CBS "Gemeentelijke indeling" and
# BRP Tabel 33, read by wpb.refdata into a wpb.law.gemeenten.GemeenteRegister) as a field of the
# fact, so a comparison of successors states on which indeling it is made.
INDELING = Field("gemeentelijke_indeling")


@dataclass(frozen=True)
class Opvolgers:
    """The gemeenten that carry, on the day ``op``, the responsibility of the gemeente(n) in
    the field ``van``: a code is its own successor while it exists (and before it began); a
    code ended by a herindeling passes to its successor(s), through chains of mergers and
    splits (:meth:`wpb.law.gemeenten.GemeenteRegister.successors`, the register in
    ``indeling``). ``van`` holds one code, several (their successors together) or none (no
    successors); a code ended without a Dutch successor has none. A set, not a term: the
    terms below compare two of them."""

    van: Field
    op: Field
    indeling: Field = INDELING


@dataclass(frozen=True)
class OpvolgersBinnen(Term):
    """Every successor in ``deel`` is one of ``geheel`` (on the same day): the gemeente of
    ``deel.van`` is, on that day, the gemeente of ``geheel.van`` or wholly its successor.
    Without successors in ``deel``: true."""

    deel: Opvolgers
    geheel: Opvolgers


@dataclass(frozen=True)
class OpvolgerGedeeld(Term):
    """Some successor in ``een`` is one of ``ander`` (on the same day): the two gemeenten
    have, on that day, at least one successor in common."""

    een: Opvolgers
    ander: Opvolgers


@dataclass(frozen=True)
class EnigeOpvolger(Term):
    """The gemeente in the field ``gemeente`` is, on the day ``van.op``, the one gemeente that
    carries the responsibility of ``van.van`` (that code itself, or its one successor); a
    split over several, no successor or no gemeente: false."""

    gemeente: Field
    van: Opvolgers


def opvolgers(fact: object, value: Opvolgers) -> frozenset[str]:
    """The successors :class:`Opvolgers` names, on ``fact``."""
    codes = _value(fact, value.van)
    if codes is None:
        return frozenset()
    register, day = _value(fact, value.indeling), _value(fact, value.op)
    found: set[str] = set()
    for code in (codes,) if isinstance(codes, str) else codes:
        found.update(register.successors(code, day).codes)  # type: ignore[attr-defined]
    return frozenset(found)


def _opvolgers_binnen(term: OpvolgersBinnen, fact: object) -> bool:
    return opvolgers(fact, term.deel) <= opvolgers(fact, term.geheel)


def _opvolger_gedeeld(term: OpvolgerGedeeld, fact: object) -> bool:
    return bool(opvolgers(fact, term.een) & opvolgers(fact, term.ander))


def _enige_opvolger(term: EnigeOpvolger, fact: object) -> bool:
    gemeente = _value(fact, term.gemeente)
    return gemeente is not None and opvolgers(fact, term.van) == {gemeente}


_OPVOLGING = {OpvolgersBinnen: _opvolgers_binnen, OpvolgerGedeeld: _opvolger_gedeeld,
              EnigeOpvolger: _enige_opvolger}


def holds(term: Term, fact: object) -> bool:
    """Evaluate ``term`` on one fact (its attributes named as the fields).

    The term is turned into a Python function once (:func:`_compile`), so a predicate asked
    of every record of every youth does not walk its tree each time; the answer is that of
    :func:`_interpret`, the definition (``tests/law/test_predicates_compiled.py``).
    """
    entry = _COMPILED.get(id(term))
    if entry is None or entry[0] is not term:
        if len(_COMPILED) > 1000:  # terms made on the fly: keep the cache bounded
            _COMPILED.clear()
        entry = _COMPILED[id(term)] = (term, _compile(term))
    return entry[1](fact)


_COMPILED: dict[int, tuple[Term, Callable[[object], bool]]] = {}


def _age_at_least(term: AgeAtLeast, fact: object) -> bool:
    birth, day = _value(fact, term.birth), _value(fact, term.day)
    if not isinstance(birth, date) or not isinstance(day, date):
        return False
    return age_on(birth, day) >= term.years


def _day(fact: object, side: Field | date) -> object:
    return _value(fact, side) if isinstance(side, Field) else side


def _before(term: Voor, fact: object) -> bool:
    left, right = _day(fact, term.left), _day(fact, term.right)
    return isinstance(left, date) and isinstance(right, date) and left < right


def _on_or_before(term: UiterlijkOp, fact: object) -> bool:
    left, right = _day(fact, term.left), _day(fact, term.right)
    return isinstance(left, date) and isinstance(right, date) and left <= right


def _compile(term: Term) -> Callable[[object], bool]:
    """One generated Python function for the whole term (as ``dataclasses`` generates
    ``__init__``): no call per node. Every leaf is evaluated, left to right, and combined with
    ``&``, ``|`` and ``not`` on bools, so the answer (and any error) is that of
    :func:`_interpret`."""
    constants: dict[str, object] = {}
    body = _source(term, constants)
    source = f"def predicate(fact):\n    return {body}\n"
    namespace: dict[str, object] = {
        "_Enum": Enum, "_date": date, "_age_on": age_on, **constants,
    }
    name = term.name if isinstance(term, Predicate) else type(term).__name__
    exec(compile(source, f"<predicate {name}>", "exec"), namespace)  # noqa: S102
    return namespace["predicate"]  # type: ignore[return-value]


def _constant(value: object, constants: dict[str, object]) -> str:
    name = f"_c{len(constants)}"
    constants[name] = value
    return name


def _source(term: Term, constants: dict[str, object]) -> str:
    if isinstance(term, Predicate):
        return _source(term.definition, constants)
    # Both days read first, then compared, as _before, _on_or_before and _age_at_least do.
    if isinstance(term, Voor | UiterlijkOp):
        operator = "<" if isinstance(term, Voor) else "<="
        return (f"(isinstance(_l := {_day_source(term.left, constants)}, _date) & "
                f"isinstance(_r := {_day_source(term.right, constants)}, _date) and _l {operator} _r)")
    if isinstance(term, AgeAtLeast):
        return (f"(isinstance(_l := {_value_source(term.birth, constants)}, _date) & "
                f"isinstance(_r := {_value_source(term.day, constants)}, _date) and "
                f"_age_on(_l, _r) >= {_constant(term.years, constants)})")
    if type(term) in _OPVOLGING:
        return f"{_constant(_OPVOLGING[type(term)], constants)}({_constant(term, constants)}, fact)"
    if isinstance(term, In):
        return f"({_value_source(term.field, constants)} in {_constant(term.values, constants)})"
    if isinstance(term, Present):
        return f"({_value_source(term.field, constants)} is not None)"
    if isinstance(term, Junction):
        operator = "&" if term.kind == "and" else "|"
        return f"({_source(term.left, constants)} {operator} {_source(term.right, constants)})"
    if isinstance(term, Not):
        return f"(not {_source(term.term, constants)})"
    if isinstance(term, Field):
        return f"bool({_value_source(term, constants)})"
    raise TypeError(f"onbekende term {term!r}")


def _day_source(side: Field | date, constants: dict[str, object]) -> str:
    return _value_source(side, constants) if isinstance(side, Field) else _constant(side, constants)


def _value_source(field: Field, constants: dict[str, object]) -> str:
    """The source of :func:`_value` for ``field``, inline."""
    return (f"(_x.value if isinstance(_x := getattr(fact, {_constant(field.name, constants)}), "
            "_Enum) else _x)")


def _interpret(term: Term, fact: object) -> bool:
    """The definition of :func:`holds`: the term's tree walked on the fact."""
    if isinstance(term, AgeAtLeast):
        return _age_at_least(term, fact)
    if isinstance(term, Voor):
        return _before(term, fact)
    if isinstance(term, UiterlijkOp):
        return _on_or_before(term, fact)
    if isinstance(term, Predicate):
        return _interpret(term.definition, fact)
    if type(term) in _OPVOLGING:
        return _OPVOLGING[type(term)](term, fact)
    if isinstance(term, In):
        return _value(fact, term.field) in term.values
    if isinstance(term, Present):
        return _value(fact, term.field) is not None
    if isinstance(term, Junction):
        left, right = _interpret(term.left, fact), _interpret(term.right, fact)
        return (left and right) if term.kind == "and" else (left or right)
    if isinstance(term, Not):
        return not _interpret(term.term, fact)
    if isinstance(term, Field):
        return bool(_value(fact, term))
    raise TypeError(f"onbekende term {term!r}")


def _value(fact: object, field: Field) -> object:
    value = getattr(fact, field.name)
    return value.value if isinstance(value, Enum) else value


# --- a BRP record (Verblijfplaats) -----------------------------------------------------------

SOORT = Field("soort")  # the Haal Centraal record type
GEMEENTE = Field("gemeente_code")
BRIEFADRES = Field("briefadres")

ADRES_SOORTEN = ("Adres", "Locatie")  # a woonboot or woonwagen location counts as an address

INGEZETENE_ADRES = Predicate(
    "ingezetene_adres",
    SOORT.isin(*ADRES_SOORTEN) & GEMEENTE.is_present() & ~GEMEENTE.isin(RNI_CODE, UNKNOWN_CODE),
    "een inschrijving als ingezetene: een adres (woon- of briefadres) in een echte gemeente",
)
WOONADRES = Predicate(
    "woonadres",
    INGEZETENE_ADRES & ~BRIEFADRES,
    "een woonadres (Wet BRP art. 1.1 onder o); een briefadres is geen woonadres",
)
BUITENLAND = Predicate(
    "buitenland",
    SOORT.eq("VerblijfplaatsBuitenland") | (SOORT.isin(*ADRES_SOORTEN) & GEMEENTE.eq(RNI_CODE)),
    "een verblijfplaats in het buitenland, of een inschrijving in de RNI",
)

# --- a care episode (Jeugdhulp) ---------------------------------------------------------------

VERBLIJF = Field("verblijf")
VORM = Field("vorm")

IN_VERBAND_MET_JJI = Field("in_verband_met_jji")  # jeugdreclassering: tied to a JJI stay

ALTIJD_VERBLIJF = Predicate(
    "altijd_verblijf",
    VORM.is_present() & ~VORM.isin("jeugdhulpaanbieder", "jeugdreclassering"),
    "een vorm die naar haar aard verblijf is (pleegzorg, gezinshuis, opvang, beschermd "
    "wonen, JJI); een jeugdhulpaanbieder geeft ook ambulante hulp, jeugdreclassering is "
    "geen verblijf",
)
# Art. 1.1 "woonplaats" 2° (2022), second limb: "ingeval van jeugdhulp of jeugdreclassering
# in verband met het verblijf in een justitiële jeugdinrichting". Care of the form "jji"
# without a stay is that jeugdhulp (nazorg, for example), not a contradiction.
JJI_GERELATEERD = Predicate(
    "jji_gerelateerd",
    ~VERBLIJF & (VORM.eq("jji") | (VORM.eq("jeugdreclassering") & IN_VERBAND_MET_JJI)),
    "jeugdhulp of jeugdreclassering in verband met het verblijf in een justitiële "
    "jeugdinrichting, zonder zelf verblijf te zijn",
)
# 2°, second limb: "het verblijf in een justitiële jeugdinrichting" that such care is tied to.
JJI_VERBLIJF = Predicate(
    "jji_verblijf",
    VERBLIJF & VORM.eq("jji"),
    "verblijf in een justitiële jeugdinrichting (art. 3a Beginselenwet justitiële jeugdinrichtingen)",
)
TEGENSTRIJDIGE_JEUGDHULP = Predicate(
    "tegenstrijdige_jeugdhulp",
    ~VERBLIJF & ALTIJD_VERBLIJF & ~VORM.eq("jji"),
    "als ambulant opgegeven, maar van een vorm die altijd verblijf is (JJI zonder verblijf "
    "is jeugdhulp in verband met het verblijf daar)",
)

# Jeugdwet art. 1.1 "jeugdige" (who is a jeugdige from 18): jeugdreclassering and a JJI stay
# (or care tied to it) follow a criminal-law decision (the definition's 2°); every other form
# is jeugdhulp, which from 18 counts only as continued or resumed care (the definition's 3°).
STRAFRECHTELIJK = Predicate(
    "strafrechtelijk",
    VORM.isin("jji", "jeugdreclassering"),
    "jeugdreclassering, of een verblijf (of hulp) in een justitiële jeugdinrichting: "
    "uitvoering van een strafrechtelijke beslissing",
)
JEUGDHULP = Predicate(
    "jeugdhulp",
    ~STRAFRECHTELIJK,
    "jeugdhulp (met of zonder verblijf), niet strafrechtelijk",
)

# --- a reading of a registration on a deciding day (registration.Reading) ---------------------

INGESCHREVEN = Field("ingeschreven")  # some record covers the day
AANTEKENING = Field("aantekening")  # art. 2.26 Wet BRP, in this reading

# --- the mother at the birth (woonplaats_2022, 3°) ---------------------------------------------

GEBOORTEDATUM_BEKEND = Field("geboortedatum_bekend")  # the youth's birth date is given
MOEDER_HISTORIE = Field("moeder_historie")  # the mother and her address history are given

# Art. 1.1 "woonplaats" 3°: "de gemeente waar de moeder van de jeugdige ten tijde van diens
# geboorte als ingezetene was ingeschreven in de basisregistratie personen". A reading of her
# registration at the birth (ReadingFacts): a briefadres is a registration as ingezetene too.
MOEDER_INGEZETENE = Predicate(
    "moeder_ingezetene",
    INGESCHREVEN & INGEZETENE_ADRES,
    "de moeder was ten tijde van de geboorte als ingezetene ingeschreven in de BRP (woon- of "
    "briefadres in een echte gemeente; niet buitenland, RNI of onbekend)",
)


@dataclass(frozen=True)
class MoederFacts:
    geboortedatum_bekend: bool
    moeder_historie: bool


# --- the stay on the peildatum (woonplaats_2022: which onderdeel reads which address) ---------

VERBLIJF_OP_PEILDATUM = Field("verblijf_op_peildatum")  # a series of stays covers the peildatum
VERBLIJF_VANAF_GEBOORTE = Field("verblijf_vanaf_geboorte")  # ... it began at birth, for certain
# JJI_GERELATEERD care covers the peildatum (2°, second limb)
JJI_HULP_OP_PEILDATUM = Field("jji_hulp_op_peildatum")


@dataclass(frozen=True)
class StayFacts:
    verblijf_op_peildatum: bool
    verblijf_vanaf_geboorte: bool
    jji_hulp_op_peildatum: bool = False


# --- age on the peildatum (AgeFacts) ----------------------------------------------------------
#
# A partial birth date is a range of days: an age holds for certain when it holds for the
# latest possible birth day, and possibly when it holds for the earliest.

GEBOORTE_VROEGST = Field("geboorte_vroegst")
GEBOORTE_LAATST = Field("geboorte_laatst")
PEILDATUM = Field("peildatum")

# The limits of the definition "jeugdige", declared with its text in wpb.law.jeugdwet.jeugdige.
JEUGDIGE_MAX_LEEFTIJD = DRIEENTWINTIG_JAAR  # 3°: "doch niet de leeftijd van drieëntwintig jaar"
MEERDERJARIG = ACHTTIEN_JAAR  # "de leeftijd van achttien jaar" (also BW boek 1, art. 233)

MEERDERJARIG_ZEKER = Predicate(
    "meerderjarig_zeker",
    AgeAtLeast(GEBOORTE_LAATST, PEILDATUM, MEERDERJARIG),
    "op de peildatum zeker 18 jaar of ouder (ook bij de laatst mogelijke geboortedag)",
)
MEERDERJARIG_MOGELIJK = Predicate(
    "meerderjarig_mogelijk",
    AgeAtLeast(GEBOORTE_VROEGST, PEILDATUM, MEERDERJARIG),
    "op de peildatum mogelijk 18 jaar of ouder (bij de vroegst mogelijke geboortedag)",
)
TE_OUD_ZEKER = Predicate(
    "te_oud_zeker",
    AgeAtLeast(GEBOORTE_LAATST, PEILDATUM, JEUGDIGE_MAX_LEEFTIJD),
    "op de peildatum zeker 23 jaar of ouder: geen jeugdige (Jeugdwet art. 1.1, jeugdige)",
)
TE_OUD_MOGELIJK = Predicate(
    "te_oud_mogelijk",
    AgeAtLeast(GEBOORTE_VROEGST, PEILDATUM, JEUGDIGE_MAX_LEEFTIJD),
    "op de peildatum mogelijk 23 jaar of ouder",
)


@dataclass(frozen=True)
class AgeFacts:
    geboorte_vroegst: date | None
    geboorte_laatst: date | None
    peildatum: date


AGE_PREDICATES = (MEERDERJARIG_ZEKER, MEERDERJARIG_MOGELIJK, TE_OUD_ZEKER, TE_OUD_MOGELIJK)

# --- the birth against a day (a partial birth date: its earliest and its latest day) ------------
#
# Jeugdwet art. 1.1 "jeugdige": a person is a jeugdige from birth, so not on a day before it
# (common.check_jeugdige reads AgeFacts).
PEILDATUM_VOOR_GEBOORTE_ZEKER = Predicate(
    "peildatum_voor_geboorte_zeker",
    Voor(PEILDATUM, GEBOORTE_VROEGST),
    "de peildatum ligt vóór de vroegst mogelijke geboortedag: de persoon is dan nog niet "
    "geboren en geen jeugdige (Jeugdwet art. 1.1, jeugdige)",
)
PEILDATUM_VOOR_GEBOORTE_MOGELIJK = Predicate(
    "peildatum_voor_geboorte_mogelijk",
    Voor(PEILDATUM, GEBOORTE_LAATST),
    "de peildatum ligt vóór de laatst mogelijke geboortedag: de persoon is dan mogelijk nog "
    "niet geboren",
)

# Art. 1.1 "woonplaats" 2°: "het woonadres ... onmiddellijk voorafgaand aan het verblijf"; a
# stay since birth has none, so 3° (the mother at the birth) applies (docs/interpretations.md).
# A stay cannot begin before its youth is born: a begin before the birth is read as at birth.
VERBLIJF_BEGIN = Field("verblijf_begin")  # the first day of the series of stays

VERBLIJF_VANAF_GEBOORTE_ZEKER = Predicate(
    "verblijf_vanaf_geboorte_zeker",
    UiterlijkOp(VERBLIJF_BEGIN, GEBOORTE_VROEGST),
    "het verblijf begon uiterlijk op de vroegst mogelijke geboortedag: zeker bij de geboorte, "
    "zonder woonadres onmiddellijk voorafgaand (Jeugdwet art. 1.1, woonplaats, 2° en 3°)",
)
VERBLIJF_VANAF_GEBOORTE_MOGELIJK = Predicate(
    "verblijf_vanaf_geboorte_mogelijk",
    UiterlijkOp(VERBLIJF_BEGIN, GEBOORTE_LAATST),
    "het verblijf begon uiterlijk op de laatst mogelijke geboortedag: mogelijk bij de "
    "geboorte (Jeugdwet art. 1.1, woonplaats, 2° en 3°)",
)


@dataclass(frozen=True)
class StayBeginFacts:
    """The birth range and the first day of a series of stays (None: no stay)."""

    geboorte_vroegst: date | None
    geboorte_laatst: date | None
    verblijf_begin: date | None


BIRTH_PREDICATES = (PEILDATUM_VOOR_GEBOORTE_ZEKER, PEILDATUM_VOOR_GEBOORTE_MOGELIJK)
STAY_BEGIN_PREDICATES = (VERBLIJF_VANAF_GEBOORTE_ZEKER, VERBLIJF_VANAF_GEBOORTE_MOGELIJK)

# --- gezag on the peildatum (woonplaats_2015: which onderdeel applies first) ------------------

GEZAG_SOORT = Field("gezag_soort")  # "ouders", "voogdij" (wpb.law.facts.GezagSoort) or none
OUDER_HISTORIE = Field("ouder_historie")  # the parent with gezag and his address history given


@dataclass(frozen=True)
class GezagFacts(AgeFacts):
    gezag_soort: str | None = None
    ouder_historie: bool = False


# The number of places of the stays on the peildatum (wpb.law.spans.PLAATSEN_VAN_VERBLIJF;
# woonplaats_2015.PLAATS_ROUTES: what they lead to under 2°)
AANTAL_PLAATSEN = Field("aantal_plaatsen")


@dataclass(frozen=True)
class PlaatsFacts:
    aantal_plaatsen: int


RECORD_PREDICATES = (INGEZETENE_ADRES, WOONADRES, BUITENLAND)
EPISODE_PREDICATES = (
    ALTIJD_VERBLIJF, JJI_GERELATEERD, JJI_VERBLIJF, TEGENSTRIJDIGE_JEUGDHULP, STRAFRECHTELIJK, JEUGDHULP,
)


# --- who is a jeugdige, per possible birth day (common.JEUGDIGE_ROUTES) ------------------------

# One possible birth day (an end of a partial birth date) and the peildatum.
GEBOORTE = Field("geboorte")
# 1°: "de leeftijd van achttien jaar nog niet heeft bereikt", born on GEBOORTE.
JONGER_DAN_18 = Predicate(
    "jonger_dan_18",
    ~AgeAtLeast(GEBOORTE, PEILDATUM, MEERDERJARIG),
    "op de peildatum jonger dan 18 jaar (bij deze geboortedag): jeugdige volgens 1° "
    "(Jeugdwet art. 1.1, jeugdige)",
)

# STRAFRECHTELIJK care covers the peildatum
STRAFRECHTELIJK_OP_PEILDATUM = Field("strafrechtelijk_op_peildatum")
# JEUGDHULP covers the peildatum, in a chain that began before the 18th birthday, each later
# episode beginning within half a year after the care before it ended
JEUGDHULP_SINDS_VOOR_18 = Field("jeugdhulp_sinds_voor_18")


@dataclass(frozen=True)
class JeugdigeFacts:
    """The fields of JEUGDIGE_ROUTES for one possible birth day."""

    geboorte: date
    peildatum: date
    strafrechtelijk_op_peildatum: bool
    jeugdhulp_sinds_voor_18: bool


@dataclass(frozen=True)
class ReadingFacts:
    """The fields of a reading, as the predicates name them (no record: not ingeschreven)."""

    ingeschreven: bool
    aantekening: bool
    soort: str | None = None
    gemeente_code: str | None = None
    briefadres: bool = False


@dataclass(frozen=True)
class Route:
    """One way a fact can go in a clause, tried in the declared order.

    ``onderdeel`` is where it leads (None: the clause being applied decides with it): the
    number of a Jeugdwet onderdeel (1° to 4°), or the short name of a lettered Wmo clause
    (``wpb.law.wmo.beschermd_wonen.ONDERDEEL_*``);
    ``toets`` is the question in Dutch, as the toelichting names it; ``reden``, when given,
    makes the route end in a review for that reason (a ``ReviewReden`` value) under
    ``onderdeel``: the facts the clause needs are missing or uncertain; ``ontbreekt`` then
    names the missing input (its path in the case document) and what it is needed for.
    ``gevolg`` names what the route leads to where onderdeel and reden do not tell two routes
    of a table apart (a Wmo table: the indication's centrumgemeente or the region's, the
    vangnet or an aantekening); each executor has one step for each gevolg.
    """

    wanneer: Term
    onderdeel: int | str | None
    toets: str
    reden: str | None = None
    ontbreekt: tuple[str, str] | None = None
    gevolg: str | None = None


def first_route(routes: tuple[Route, ...], fact: object) -> tuple[Route, list[tuple[Route, bool]]]:
    """The first route that holds for ``fact``, and every route tried up to it."""
    tried: list[tuple[Route, bool]] = []
    for route in routes:
        applies = holds(route.wanneer, fact)
        tried.append((route, applies))
        if applies:
            return route, tried
    raise ValueError("geen route van toepassing: de laatste route moet altijd gelden")


def tried_text(tried: list[tuple[Route, bool]]) -> str:
    """'Getoetst: ...' naming each route tried, in order, and whether it held."""
    parts = [f"{route.toets}{_leads_to(route)}: {'ja' if applies else 'nee'}" for route, applies in tried]
    return "Getoetst, in deze volgorde: " + "; ".join(parts) + "."


def _leads_to(route: Route) -> str:
    if isinstance(route.onderdeel, int) and route.onderdeel:
        return f" ({route.onderdeel}°)"
    if isinstance(route.onderdeel, str):
        return f" ({route.onderdeel})"
    return ""


__all__ = [
    "INDELING",
    "EnigeOpvolger",
    "OpvolgerGedeeld",
    "Opvolgers",
    "OpvolgersBinnen",
    "opvolgers",
    "AGE_PREDICATES",
    "BIRTH_PREDICATES",
    "PEILDATUM_VOOR_GEBOORTE_MOGELIJK",
    "PEILDATUM_VOOR_GEBOORTE_ZEKER",
    "STAY_BEGIN_PREDICATES",
    "StayBeginFacts",
    "UiterlijkOp",
    "VERBLIJF_BEGIN",
    "VERBLIJF_VANAF_GEBOORTE_MOGELIJK",
    "VERBLIJF_VANAF_GEBOORTE_ZEKER",
    "AgeAtLeast",
    "AgeFacts",
    "GEBOORTE_LAATST",
    "GEBOORTE_VROEGST",
    "GEZAG_SOORT",
    "GezagFacts",
    "JEUGDIGE_MAX_LEEFTIJD",
    "MEERDERJARIG",
    "MEERDERJARIG_MOGELIJK",
    "MEERDERJARIG_ZEKER",
    "OUDER_HISTORIE",
    "PEILDATUM",
    "TE_OUD_MOGELIJK",
    "TE_OUD_ZEKER",
    "Route",
    "first_route",
    "tried_text",
    "AANTAL_PLAATSEN",
    "AANTEKENING",
    "ALTIJD_VERBLIJF",
    "BUITENLAND",
    "EPISODE_PREDICATES",
    "INGESCHREVEN",
    "JEUGDHULP",
    "JEUGDHULP_SINDS_VOOR_18",
    "GEBOORTE",
    "JONGER_DAN_18",
    "JeugdigeFacts",
    "STRAFRECHTELIJK",
    "STRAFRECHTELIJK_OP_PEILDATUM",
    "INGEZETENE_ADRES",
    "GEBOORTEDATUM_BEKEND",
    "MOEDER_HISTORIE",
    "MOEDER_INGEZETENE",
    "MoederFacts",
    "IN_VERBAND_MET_JJI",
    "JJI_GERELATEERD",
    "JJI_HULP_OP_PEILDATUM",
    "JJI_VERBLIJF",
    "RECORD_PREDICATES",
    "TEGENSTRIJDIGE_JEUGDHULP",
    "WOONADRES",
    "Field",
    "PlaatsFacts",
    "Predicate",
    "ReadingFacts",
    "StayFacts",
    "VERBLIJF_OP_PEILDATUM",
    "VERBLIJF_VANAF_GEBOORTE",
    "Term",
    "Voor",
    "holds",
]
