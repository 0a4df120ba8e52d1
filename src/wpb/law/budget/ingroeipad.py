"""Beschermd wonen: the ingroeipad from the historical to the objective distribution.

Sources (see :mod:`.sources`):
- VNG, *Objectief verdeelmodel Beschermd Thuis*: the money for beschermd wonen goes to the
  centrumgemeenten by a historical model (the region's costs in 2013) and moves "zeer
  geleidelijk en stapsgewijs" to an objective distribution over all gemeenten.
- Kamerstukken II 36 288, nr. 3 (MvT woonplaatsbeginsel beschermd wonen): the money is
  doorgedecentraliseerd to all gemeenten in phases.
- Seed 004 (the project's seed material, [P]): an ingroeipad of ten steps, 2022–2031, with
  2021 as year zero (100 % historical); the steps follow the estimated in- and outflow of
  all clients. That estimate is not at hand, so the weight per year is a parameter.
- [A] The default weights are linear (2021 = 0 %, 2022 = 10 %, …, 2031 = 100 % objective):
  an assumption of the project, not the steps of the seed. Give the series that follows the
  estimated in- and outflow with ``--gewichten`` when it is known.

The rule, for gemeente m in year y with macro budget M_y and weight w_y::

    budget(m, y) = (1 − w_y) · h(m) · M_y  +  w_y · o(m) · M_y

where o(m) is m's objective share (the shares add up to 1) and h(m) is m's share of the
historical budget. The historical budget belongs to the centrumgemeente, which holds it for
its region; how it is attributed to the member gemeenten is an explicit choice
(:class:`Toerekening`). Because both h and o add up to 1, the exact amounts add up to M_y;
they are rounded to cents with :func:`.money.apportion`, so the rounded amounts add up to
M_y exactly too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from wpb.domain.money import Cents, apportion, format_decimal
from wpb.law.budget.inputs import InputProblem, YearSeries, raise_if
from wpb.law.budget.sources import (
    INGROEIPAD_LINEAIR,
    INGROEIPAD_TIEN_JAAR,
    MVT_WOONPLAATSBEGINSEL_BW,
    OBJECTIEF_VERDEELMODEL_BW,
    Source,
)

SOURCES: tuple[Source, ...] = (
    OBJECTIEF_VERDEELMODEL_BW,
    MVT_WOONPLAATSBEGINSEL_BW,
    INGROEIPAD_TIEN_JAAR,
    INGROEIPAD_LINEAIR,
)


class Toerekening(str, Enum):
    """How the historical budget of a region is attributed to its member gemeenten.

    The historical model pays the centrumgemeente for the whole region, so "the historical
    budget of a member gemeente" is not a given: it is a choice, and it changes who gains
    and who loses on the way to the objective distribution.
    """

    CENTRUMGEMEENTE = "centrumgemeente"  # the centrumgemeente keeps all; members start at 0
    SLEUTEL = "sleutel"  # split over the members by a given key (e.g. inwoners)
    OBJECTIEF = "objectief"  # split over the members by their objective shares

    @property
    def omschrijving(self) -> str:
        return _OMSCHRIJVING[self]


_OMSCHRIJVING = {
    Toerekening.CENTRUMGEMEENTE: (
        "de centrumgemeente houdt het hele historische budget van de regio; de andere "
        "gemeenten van de regio beginnen op 0"
    ),
    Toerekening.SLEUTEL: (
        "het historische budget van de regio wordt over de gemeenten van de regio verdeeld "
        "naar de opgegeven sleutel"
    ),
    Toerekening.OBJECTIEF: (
        "het historische budget van de regio wordt over de gemeenten van de regio verdeeld "
        "naar hun onderlinge objectieve aandelen (de regio als geheel houdt haar historische "
        "budget)"
    ),
}


@dataclass(frozen=True)
class HistorischBudget:
    """The historical budget of one region, paid to its centrumgemeente."""

    centrumgemeente: str
    bedrag: Cents
    bron: str = ""


@dataclass(frozen=True)
class RegioLid:
    """A gemeente in the beschermd-wonen region of ``centrumgemeente``."""

    gemeente: str
    centrumgemeente: str
    sleutel: Fraction | None = None  # only for Toerekening.SLEUTEL
    bron: str = ""


@dataclass(frozen=True)
class ObjectiefAandeel:
    gemeente: str
    aandeel: Fraction
    bron: str = ""


@dataclass(frozen=True)
class JaarBudget:
    """One gemeente in one year of the ingroeipad (amounts in cents)."""

    jaar: int
    gemeente: str
    gewicht: Fraction
    historisch: Cents  # the historical distribution of this year's macro budget
    objectief: Cents  # the objective distribution of this year's macro budget
    budget: Cents
    herverdeeleffect: Cents  # budget − historisch: what the ingroeipad moved so far
    verschuiving: Cents  # this year's step: herverdeeleffect minus last year's
    mutatie: Cents | None  # budget − last year's budget (None in the first year)


@dataclass(frozen=True)
class Ingroeipad:
    jaren: tuple[int, ...]
    gemeenten: tuple[str, ...]
    centrumgemeente_van: dict[str, str]
    macro: dict[int, Cents]
    gewicht: dict[int, Fraction]
    historisch_aandeel: dict[str, Fraction]
    objectief_aandeel: dict[str, Fraction]
    toerekening: Toerekening
    regels: tuple[JaarBudget, ...]  # by year, then gemeentecode

    def row(self, gemeente: str, year: int) -> JaarBudget:
        for r in self.regels:
            if r.jaar == year and r.gemeente == gemeente:
                return r
        raise KeyError(f"geen budget voor gemeente {gemeente} in {year}")

    def budget(self, gemeente: str, year: int) -> Cents:
        return self.row(gemeente, year).budget

    def in_year(self, year: int) -> dict[str, JaarBudget]:
        return {r.gemeente: r for r in self.regels if r.jaar == year}

    def winners_and_losers(self, year: int | None = None) -> list[JaarBudget]:
        """Every gemeente by its herverdeeleffect in ``year`` (default the last), largest gain first."""
        year = self.jaren[-1] if year is None else year
        return sorted(self.in_year(year).values(), key=lambda r: (-r.herverdeeleffect, r.gemeente))


def historical_shares(
    historisch: Sequence[HistorischBudget],
    leden: Sequence[RegioLid],
    objectief: Mapping[str, Fraction],
    toerekening: Toerekening,
) -> dict[str, Fraction]:
    """Each gemeente's share h(m) of the historical budget, by the chosen attribution.

    Assumes checked input (see :func:`check_input`). The shares add up to 1 exactly.
    """
    total = sum(h.bedrag for h in historisch)
    members: dict[str, list[RegioLid]] = {h.centrumgemeente: [] for h in historisch}
    for lid in leden:
        members[lid.centrumgemeente].append(lid)
    shares: dict[str, Fraction] = {}
    for h in historisch:
        regio = members[h.centrumgemeente]
        if toerekening is Toerekening.CENTRUMGEMEENTE:
            keys = {lid.gemeente: Fraction(lid.gemeente == h.centrumgemeente) for lid in regio}
        elif toerekening is Toerekening.SLEUTEL:
            keys = {lid.gemeente: lid.sleutel or Fraction(0) for lid in regio}
        else:
            keys = {lid.gemeente: objectief[lid.gemeente] for lid in regio}
        key_total = sum(keys.values(), Fraction(0))
        for gemeente, key in keys.items():
            shares[gemeente] = (
                Fraction(h.bedrag, total) * key / key_total if key_total else Fraction(0)
            )
    return shares


def check_input(
    historisch: Sequence[HistorischBudget],
    leden: Sequence[RegioLid],
    objectief: Sequence[ObjectiefAandeel],
    macro: YearSeries[Cents],
    gewichten: YearSeries[Fraction],
    toerekening: Toerekening,
    *,
    bron_historisch: str = "historisch budget",
    bron_regios: str = "regio-indeling",
    bron_objectief: str = "objectieve aandelen",
) -> list[InputProblem]:
    """Every problem with the input of :func:`ingroeipad`; empty when it can be computed."""
    problems: list[InputProblem] = []
    centra: dict[str, HistorischBudget] = {}
    for h in historisch:
        if h.centrumgemeente in centra:
            problems.append(
                InputProblem(
                    h.bron or bron_historisch,
                    "centrumgemeente",
                    f"{h.centrumgemeente} staat er meer dan eens in",
                )
            )
        centra[h.centrumgemeente] = h
        if h.bedrag < 0:
            problems.append(InputProblem(h.bron or bron_historisch, "bedrag", "bedrag is negatief"))
    if not historisch:
        problems.append(InputProblem(bron_historisch, "", "geen historische budgetten"))
    elif sum(h.bedrag for h in historisch) <= 0:
        problems.append(
            InputProblem(bron_historisch, "bedrag", "het historische budget is in totaal 0")
        )

    regio_van: dict[str, RegioLid] = {}
    for lid in leden:
        where = lid.bron or bron_regios
        if lid.gemeente in regio_van:
            other = regio_van[lid.gemeente].centrumgemeente
            problems.append(
                InputProblem(
                    where,
                    "gemeentecode",
                    f"{lid.gemeente} staat er meer dan eens in (ook bij {other})",
                )
            )
            continue
        regio_van[lid.gemeente] = lid
        if lid.centrumgemeente not in centra:
            problems.append(
                InputProblem(
                    where,
                    "centrumgemeente",
                    f"{lid.centrumgemeente} heeft geen historisch budget in {bron_historisch}",
                )
            )
        if toerekening is Toerekening.SLEUTEL:
            if lid.sleutel is None:
                problems.append(
                    InputProblem(where, "sleutel", "leeg, maar de toerekening is 'sleutel'")
                )
            elif lid.sleutel < 0:
                problems.append(InputProblem(where, "sleutel", "sleutel is negatief"))
    for code in centra:
        lid = regio_van.get(code)
        if lid is None:
            problems.append(
                InputProblem(
                    bron_regios,
                    "gemeentecode",
                    f"centrumgemeente {code} staat niet in de regio-indeling",
                )
            )
        elif lid.centrumgemeente != code:
            problems.append(
                InputProblem(
                    lid.bron or bron_regios,
                    "centrumgemeente",
                    f"{code} is zelf centrumgemeente, maar staat bij de regio "
                    f"van {lid.centrumgemeente}",
                )
            )

    shares: dict[str, ObjectiefAandeel] = {}
    for o in objectief:
        where = o.bron or bron_objectief
        if o.gemeente in shares:
            problems.append(
                InputProblem(where, "gemeentecode", f"{o.gemeente} staat er meer dan eens in")
            )
            continue
        shares[o.gemeente] = o
        if o.aandeel < 0:
            problems.append(InputProblem(where, "aandeel", "aandeel is negatief"))
        if o.gemeente not in regio_van:
            problems.append(
                InputProblem(
                    where, "gemeentecode", f"{o.gemeente} staat in geen regio van {bron_regios}"
                )
            )
    total_share = sum((o.aandeel for o in shares.values()), Fraction(0))
    if shares and total_share != 1:
        problems.append(
            InputProblem(
                bron_objectief,
                "aandeel",
                f"de aandelen tellen op tot {format_decimal(total_share)} in plaats "
                f"van 1 (verschil {format_decimal(total_share - 1)})",
            )
        )
    if not shares:
        problems.append(InputProblem(bron_objectief, "", "geen objectieve aandelen"))
    for code, lid in regio_van.items():
        if shares and code not in shares:
            problems.append(
                InputProblem(
                    lid.bron or bron_regios,
                    "gemeentecode",
                    f"{code} heeft geen objectief aandeel in {bron_objectief}",
                )
            )

    if not problems:
        for code, h in centra.items():
            members = [lid for lid in regio_van.values() if lid.centrumgemeente == code]
            if toerekening is Toerekening.SLEUTEL:
                keys = sum((lid.sleutel or Fraction(0) for lid in members), Fraction(0))
                what = "de sleutels"
            elif toerekening is Toerekening.OBJECTIEF:
                keys = sum((shares[lid.gemeente].aandeel for lid in members), Fraction(0))
                what = "de objectieve aandelen"
            else:
                continue
            if keys == 0 and h.bedrag > 0:
                problems.append(
                    InputProblem(
                        h.bron or bron_historisch,
                        "bedrag",
                        f"regio {code} heeft een historisch budget, maar "
                        f"{what} van haar gemeenten zijn samen 0",
                    )
                )

    problems += _check_years(macro, gewichten)
    return problems


def _check_years(macro: YearSeries[Cents], gewichten: YearSeries[Fraction]) -> list[InputProblem]:
    problems: list[InputProblem] = []
    years = gewichten.years
    if not years:
        problems.append(InputProblem(gewichten.source, "", "geen jaren in het ingroeipad"))
    else:
        missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
        problems += [
            InputProblem(gewichten.source, "jaar", f"jaar {y} ontbreekt in het ingroeipad")
            for y in missing
        ]
    for w in gewichten:
        if not 0 <= w.value <= 1:
            problems.append(
                InputProblem(
                    f"{gewichten.source} jaar {w.year}",
                    "gewicht",
                    f"{format_decimal(w.value)} ligt niet tussen 0 en 1",
                )
            )
    problems += macro.missing(years)
    for m in macro:
        if m.year in years and m.value < 0:
            problems.append(
                InputProblem(f"{macro.source} jaar {m.year}", "bedrag", "bedrag is negatief")
            )
    return problems


def ingroeipad(
    historisch: Sequence[HistorischBudget],
    leden: Sequence[RegioLid],
    objectief: Sequence[ObjectiefAandeel],
    macro: YearSeries[Cents],
    gewichten: YearSeries[Fraction],
    toerekening: Toerekening = Toerekening.CENTRUMGEMEENTE,
    **sources: str,
) -> Ingroeipad:
    """The budget of every gemeente in every year of the weight schedule.

    ``macro`` holds the amount to distribute per year (cents), ``gewichten`` the weight w_y
    of the objective distribution. Raises :class:`.inputs.InvalidBudgetInput` naming every
    problem when the input is inconsistent (see :func:`check_input`).
    """
    raise_if(check_input(historisch, leden, objectief, macro, gewichten, toerekening, **sources))
    o = {s.gemeente: s.aandeel for s in objectief}
    h = historical_shares(historisch, leden, o, toerekening)
    gemeenten = tuple(sorted(o))
    years = gewichten.years
    rows: list[JaarBudget] = []
    previous: dict[str, JaarBudget] = {}
    for year in years:
        w = gewichten.value(year)
        total = macro.value(year)
        hist = apportion(total, h)
        obj = apportion(total, o)
        mixed = apportion(total, {m: (1 - w) * h[m] + w * o[m] for m in gemeenten})
        current: dict[str, JaarBudget] = {}
        for m in gemeenten:
            effect = mixed[m] - hist[m]
            before = previous.get(m)
            current[m] = JaarBudget(
                jaar=year,
                gemeente=m,
                gewicht=w,
                historisch=hist[m],
                objectief=obj[m],
                budget=mixed[m],
                herverdeeleffect=effect,
                verschuiving=effect - (before.herverdeeleffect if before else 0),
                mutatie=mixed[m] - before.budget if before else None,
            )
            rows.append(current[m])
        previous = current
    return Ingroeipad(
        jaren=years,
        gemeenten=gemeenten,
        centrumgemeente_van={lid.gemeente: lid.centrumgemeente for lid in leden}
        | {c.centrumgemeente: c.centrumgemeente for c in historisch},
        macro={y: macro.value(y) for y in years},
        gewicht={y: gewichten.value(y) for y in years},
        historisch_aandeel=h,
        objectief_aandeel=o,
        toerekening=toerekening,
        regels=tuple(rows),
    )


def linear_schedule(year_zero: int = 2021, years: int = 10) -> dict[int, Fraction]:
    """The default weight schedule: year zero 0 %, then equal steps to 100 % after ``years``."""
    return {year_zero + i: Fraction(i, years) for i in range(years + 1)}
