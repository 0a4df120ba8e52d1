"""The facts a woonplaats decision works on, independent of any input format.

Adapters (``wpb.brp.haal_centraal`` for case JSON, the batch readers) turn their
formats into these values. Every fact carries ``bron``: where it came from in the
input (e.g. ``jeugdige.verblijfplaatshistorie[2]``), so an explanation can point at
the exact record it relied on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Generic, TypeVar, overload

from wpb.law.dates import PartialDate, Period
from wpb.law.predicates import (
    ALTIJD_VERBLIJF,
    BUITENLAND,
    INGEZETENE_ADRES,
    JJI_GERELATEERD,
    TEGENSTRIJDIGE_JEUGDHULP,
    WOONADRES,
    holds,
)
from wpb.law.spans import aantekening_from, aantekening_on, loopt_op

_T = TypeVar("_T")


class cached_property(Generic[_T]):  # noqa: N801 (named as the functools one it replaces)
    """``functools.cached_property`` without its lock: Python 3.11 takes one on the first read
    of every record's property, which costs more than the predicate itself. The value is kept
    in the instance's ``__dict__`` as there (later reads do not reach this descriptor); two
    threads reading it at once at worst compute the same value twice."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class VerblijfplaatsSoort(str, Enum):
    """Record types of the Haal Centraal BRP verblijfplaatshistorie."""

    ADRES = "Adres"
    LOCATIE = "Locatie"  # a woonboot or woonwagen location: treated as an address
    BUITENLAND = "VerblijfplaatsBuitenland"
    ONBEKEND = "VerblijfplaatsOnbekend"


@dataclass(frozen=True)
class Verblijfplaats:
    """One record of a person's BRP verblijfplaatshistorie, valid over ``periode``."""

    bron: str
    soort: VerblijfplaatsSoort
    periode: Period
    gemeente_code: str | None = None
    gemeente_omschrijving: str | None = None
    land_code: str | None = None
    land_omschrijving: str | None = None
    # Art. 2.26 Wet BRP aantekening: "in onderzoek" (from ``onderzoek_vanaf`` when
    # known), or "vastgesteld verblijft niet op adres" (for the whole record, or from
    # ``niet_op_adres_vanaf``).
    in_onderzoek: bool = False
    onderzoek_vanaf: PartialDate | None = None
    vastgesteld_niet_op_adres: bool = False
    niet_op_adres_vanaf: PartialDate | None = None
    # BRP functie adres "B": a postal address for someone without a woonadres (Wet BRP
    # art. 1.1 onder o defines the woonadres; a briefadres is not one).
    briefadres: bool = False

    # The predicates below are asked of the same record many times (each rule, each probe of
    # an earlier day); the record is frozen, so each is evaluated once and kept.
    @cached_property
    def is_ingezetene_adres(self) -> bool:
        """A registration as ingezetene: an Adres or Locatie (woon- or briefadres) in a real municipality."""
        return holds(INGEZETENE_ADRES, self)

    @cached_property
    def is_woonadres(self) -> bool:
        """A Dutch residential address (woonadres): an ingezetene address that is no briefadres."""
        return holds(WOONADRES, self)

    @cached_property
    def is_buitenland(self) -> bool:
        """Abroad, or registered under the RNI code (not a woonadres in a Dutch municipality)."""
        return holds(BUITENLAND, self)

    @cached_property
    def aantekening_vanaf(self) -> tuple[date | None, date | None]:
        """(certainly from, possibly from) an art. 2.26 aantekening, as declared once in
        :data:`wpb.law.spans.AANTEKENINGEN`."""
        return aantekening_from(self)

    def aantekening_on(self, day: date) -> tuple[bool, bool]:
        """(certainly, possibly) carries an art. 2.26 aantekening on ``day``."""
        return aantekening_on(self.aantekening_vanaf, day)


@dataclass(frozen=True)
class Persoon:
    """A person as far as the rules need: birth date and address history."""

    bron: str
    geboortedatum: PartialDate | None
    historie: tuple[Verblijfplaats, ...]
    burgerservicenummer: str | None = None


class JeugdhulpVorm(str, Enum):
    """Where a stay takes place; the kinds art. 1.1 sub 2° names."""

    JEUGDHULPAANBIEDER = "jeugdhulpaanbieder"
    PLEEGOUDER = "pleegouder"
    GEZINSHUIS = "gezinshuis"
    OPVANG = "opvang"
    BESCHERMD_WONEN = "beschermd_wonen"
    JJI = "jji"
    # Not jeugdhulp and never a stay; it counts for 2° only "in verband met het verblijf in
    # een justitiële jeugdinrichting" (``Jeugdhulp.in_verband_met_jji``).
    JEUGDRECLASSERING = "jeugdreclassering"

    @property
    def omschrijving(self) -> str:
        """How the form reads in a Dutch sentence: "verblijft ... {omschrijving}"."""
        return _VORM_OMSCHRIJVING[self]

    @property
    def is_always_verblijf(self) -> bool:
        """These forms are a stay by their nature; only a provider may also give ambulant care."""
        return holds(ALTIJD_VERBLIJF, _OfVorm(self))


@dataclass(frozen=True)
class _OfVorm:
    """A form on its own, for the predicates that read the field ``vorm``."""

    vorm: JeugdhulpVorm


_VORM_OMSCHRIJVING = {
    JeugdhulpVorm.JEUGDHULPAANBIEDER: "bij een jeugdhulpaanbieder",
    JeugdhulpVorm.PLEEGOUDER: "bij een pleegouder",
    JeugdhulpVorm.GEZINSHUIS: "in een gezinshuis",
    JeugdhulpVorm.OPVANG: "in een instelling voor opvang",
    JeugdhulpVorm.BESCHERMD_WONEN: "in beschermd wonen",
    JeugdhulpVorm.JJI: "in een justitiële jeugdinrichting",
    JeugdhulpVorm.JEUGDRECLASSERING: "onder jeugdreclassering",
}


@dataclass(frozen=True)
class Jeugdhulp:
    """A care episode. ``einde`` is the last day of care (inclusive), None while it runs."""

    bron: str
    begin: date
    einde: date | None
    verblijf: bool
    vorm: JeugdhulpVorm | None = None
    gemeente_code: str | None = None  # where the care is given, when known
    # Jeugdreclassering only: whether it is "in verband met het verblijf in een JJI".
    in_verband_met_jji: bool | None = None

    @cached_property
    def is_jji_gerelateerd(self) -> bool:
        """Care (or jeugdreclassering) without a stay, in connection with a JJI stay (2°)."""
        return holds(JJI_GERELATEERD, self)

    @cached_property
    def is_contradictory(self) -> bool:
        """Marked ambulant, but of a form that is always a stay (pleegzorg, JJI, ...)."""
        return holds(TEGENSTRIJDIGE_JEUGDHULP, self)

    def covers(self, day: date) -> bool:
        """Whether the episode runs on ``day``, einde inclusive (the declared
        ``spans.LOOPT_OP_DAG``)."""
        return loopt_op(self, day)


@dataclass(frozen=True)
class WerkelijkeVerblijfplaats:
    """Where the youth actually stays at the help request (art. 1.1 sub 3° and 4°)."""

    bron: str
    gemeente_code: str
    datum: date | None = None


class GezagSoort(str, Enum):
    OUDERS = "ouders"
    VOOGDIJ = "voogdij"


@dataclass(frozen=True)
class Gezag:
    """Who had gezag, for the rule in force before 2022."""

    bron: str
    soort: GezagSoort
    ouder: Persoon | None = None


@dataclass(frozen=True)
class Case:
    peildatum: date
    jeugdige: Persoon
    moeder: Persoon | None = None
    jeugdhulp: tuple[Jeugdhulp, ...] = field(default=())
    werkelijke_verblijfplaats: WerkelijkeVerblijfplaats | None = None
    gezag: Gezag | None = None
