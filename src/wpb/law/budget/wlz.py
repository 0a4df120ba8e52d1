"""Beschermd wonen: the withdrawal for clients who moved to the Wlz, ex ante and ex post.

Since 2021 the Wlz is open to people who, because of a psychiatric disorder, need
permanent supervision or 24-hour care nearby (Kamerstukken II 25 424, nr. 651: about
12,000 were expected, over 27,000 had an indication by April 2023). Their care leaves the
gemeenten, so money leaves the macro budget for beschermd wonen.

Rules (sources in :mod:`.sources`):

*Ex ante* (seed 004): ``percentage`` (30 %) of the macro budget M is withdrawn::

    W = round(percentage · M)                       (to the cent, half away from zero)
    W_c = W apportioned by h(c)                     (largest remainder, to the cent)

where h(c) is centrumgemeente c's share of the historical budget. The withdrawal assumed
that E_c clients of c would move, at W_c / E_c per client.

*Ex post*: with A_c the clients that actually moved, the definitive withdrawal keeps that
price per client and the correction is the difference::

    D_c = round(W_c · A_c / E_c)
    K_c = D_c − W_c

K_c > 0 — more clients moved than estimated: those clients no longer cost c anything, so
c has fewer costs than the withdrawal assumed. The withdrawal was too small and c pays K_c
back (a further withdrawal). K_c < 0 — fewer clients moved: c keeps more clients and
costs than assumed, the withdrawal was too large and c receives −K_c back. A_c = E_c gives
K_c = 0.

*Tempo, not share* (VNG): the definitive withdrawal "heeft geen gevolgen voor het aandeel
per gemeente in het nieuwe verdeelmodel, maar is wel van invloed op het tempo". Here that
means: the corrections change each region's *historical* budget — the starting point of
the ingroeipad, ``budget_voor_uitname − D_c`` — and never the objective shares. The new
historical budgets (:meth:`WlzUitname.historical_after_withdrawal`) feed
:func:`.ingroeipad.ingroeipad`; the end point (the objective distribution) stays where it
was, the yearly steps towards it change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from fractions import Fraction

from wpb.law.budget.ingroeipad import HistorischBudget
from wpb.law.budget.inputs import InputProblem, YearSeries, YearValue, raise_if
from wpb.law.budget.money import (
    Cents,
    apportion,
    floor_fraction,
    format_decimal,
    format_euro,
    format_percent,
    round_half_up,
)
from wpb.law.budget.sources import WLZ_GGZ_UITSTROOM, WLZ_UITNAME_SEED, WLZ_UITNAME_TEMPO, Source

SOURCES: tuple[Source, ...] = (WLZ_UITNAME_SEED, WLZ_UITNAME_TEMPO, WLZ_GGZ_UITSTROOM)


class Scenario(str, Enum):
    MEER_UITSTROOM = "meer_uitstroom"  # more clients moved than estimated: pay back
    MINDER_UITSTROOM = "minder_uitstroom"  # fewer moved: receive back
    ZOALS_GERAAMD = "zoals_geraamd"  # as estimated: no correction

    @property
    def omschrijving(self) -> str:
        return {
            Scenario.MEER_UITSTROOM: "meer uitstroom dan geraamd: terugbetalen (verdere uitname)",
            Scenario.MINDER_UITSTROOM: "minder uitstroom dan geraamd: geld terug",
            Scenario.ZOALS_GERAAMD: "uitstroom zoals geraamd: geen correctie",
        }[self]


@dataclass(frozen=True)
class WlzUitstroom:
    """Clients of one centrumgemeente's region who moved from beschermd wonen to the Wlz."""

    centrumgemeente: str
    verwacht: Fraction  # the estimate behind the ex-ante withdrawal
    werkelijk: Fraction  # the actual outflow
    bron: str = ""


@dataclass(frozen=True)
class WlzRegel:
    centrumgemeente: str
    naam: str
    historisch_aandeel: Fraction
    budget_voor_uitname: Cents  # the historical distribution of the macro budget
    ex_ante: Cents
    verwacht: Fraction
    werkelijk: Fraction
    prijs_per_client: Fraction  # cents per expected client: ex_ante / verwacht
    definitief: Cents
    correctie: Cents  # > 0: pays back; < 0: receives back
    budget_na_uitname: Cents  # budget_voor_uitname − definitief: the new historical budget
    aandeel_na_uitname: Fraction
    scenario: Scenario
    toelichting: str


@dataclass(frozen=True)
class WlzUitname:
    jaar: int
    macro: Cents
    percentage: Fraction
    ex_ante: Cents
    definitief: Cents
    correctie: Cents
    verwacht: Fraction
    werkelijk: Fraction
    regels: tuple[WlzRegel, ...]  # by gemeentecode
    toelichting: str

    @property
    def definitief_percentage(self) -> Fraction:
        return Fraction(self.definitief, self.macro) if self.macro else Fraction(0)

    def row(self, centrumgemeente: str) -> WlzRegel:
        for r in self.regels:
            if r.centrumgemeente == centrumgemeente:
                return r
        raise KeyError(f"geen centrumgemeente {centrumgemeente} in de uitname")

    def historical_after_withdrawal(self) -> list[HistorischBudget]:
        """The historical budgets after the definitive withdrawal: the ingroeipad's new start."""
        return [
            HistorischBudget(
                r.centrumgemeente,
                r.budget_na_uitname,
                f"historisch budget {self.jaar} na definitieve uitname Wlz",
            )
            for r in self.regels
        ]


def macro_after_withdrawal(
    macro: YearSeries[Cents], uitname: YearSeries[Fraction]
) -> YearSeries[Cents]:
    """The macro budget left to distribute each year after the Wlz withdrawal in force.

    ``uitname`` is date-keyed: a percentage holds from its year until the next one (before
    its first year nothing is withdrawn). Each year: M_y − round(p_y · M_y), to the cent.
    A definitive percentage (:attr:`WlzUitname.definitief_percentage`) can be entered as a
    later row of the parameter file.
    """
    values = []
    for m in macro:
        in_force = uitname.in_force(m.year)
        if in_force is None:
            values.append(m)
            continue
        withdrawn = round_half_up(in_force.value * m.value)
        values.append(
            YearValue(
                m.year,
                m.value - withdrawn,
                f"{m.source}; min uitname Wlz {format_percent(in_force.value)} ({format_euro(withdrawn)})",
            )
        )
    return YearSeries(f"{macro.name} na uitname Wlz", macro.source, tuple(values))


def check_input(
    historisch: Sequence[HistorischBudget],
    uitstroom: Sequence[WlzUitstroom],
    macro: Cents,
    percentage: Fraction,
    *,
    bron_historisch: str = "historisch budget",
    bron_uitstroom: str = "uitstroom Wlz",
    bron_parameters: str = "parameters",
) -> list[InputProblem]:
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
    if not historisch or sum(h.bedrag for h in historisch) <= 0:
        problems.append(
            InputProblem(bron_historisch, "bedrag", "het historische budget is in totaal 0")
        )
    if macro < 0:
        problems.append(InputProblem(bron_parameters, "macrobudget", "bedrag is negatief"))
    if not 0 <= percentage <= 1:
        problems.append(
            InputProblem(
                bron_parameters,
                "percentage",
                f"{format_decimal(percentage)} ligt niet tussen 0 en 1",
            )
        )
    seen: dict[str, WlzUitstroom] = {}
    for u in uitstroom:
        where = u.bron or bron_uitstroom
        if u.centrumgemeente in seen:
            problems.append(
                InputProblem(
                    where, "centrumgemeente", f"{u.centrumgemeente} staat er meer dan eens in"
                )
            )
            continue
        seen[u.centrumgemeente] = u
        if u.centrumgemeente not in centra:
            problems.append(
                InputProblem(
                    where,
                    "centrumgemeente",
                    f"{u.centrumgemeente} heeft geen historisch budget in {bron_historisch}",
                )
            )
        for veld, value in (("verwacht", u.verwacht), ("werkelijk", u.werkelijk)):
            if value < 0:
                problems.append(InputProblem(where, veld, "aantal is negatief"))
        if u.verwacht == 0 and centra.get(u.centrumgemeente, HistorischBudget("", 0)).bedrag > 0:
            problems.append(
                InputProblem(
                    where,
                    "verwacht",
                    "0 cliënten verwacht, maar de regio heeft een historisch "
                    "budget en dus een uitname: geen prijs per cliënt",
                )
            )
    for code in centra:
        if code not in seen:
            problems.append(
                InputProblem(
                    bron_uitstroom,
                    "centrumgemeente",
                    f"geen uitstroom opgegeven voor centrumgemeente {code}",
                )
            )
    return problems


def wlz_uitname(
    historisch: Sequence[HistorischBudget],
    uitstroom: Sequence[WlzUitstroom],
    macro: Cents,
    percentage: Fraction,
    jaar: int,
    names: Mapping[str, str] | None = None,
    **sources: str,
) -> WlzUitname:
    """Ex-ante withdrawal, ex-post correction and the new historical budget per centrumgemeente.

    ``macro`` is the macro budget before the withdrawal, in cents; ``names`` gives the names
    used in the explanations. Raises :class:`.inputs.InvalidBudgetInput` on bad input.
    """
    raise_if(check_input(historisch, uitstroom, macro, percentage, **sources))
    names = names or {}
    total_hist = sum(h.bedrag for h in historisch)
    h = {b.centrumgemeente: Fraction(b.bedrag, total_hist) for b in historisch}
    flow = {u.centrumgemeente: u for u in uitstroom}
    withdrawal = round_half_up(percentage * macro)
    before = apportion(macro, h)
    ex_ante = apportion(withdrawal, h)

    partial = []
    for code in sorted(h):
        e, a = flow[code].verwacht, flow[code].werkelijk
        price = Fraction(ex_ante[code]) / e if e else Fraction(0)
        definitive = round_half_up(price * a)
        partial.append((code, e, a, price, definitive))
    after_total = sum(before[c] - d for c, _, _, _, d in partial)

    rows: list[WlzRegel] = []
    for code, e, a, price, definitive in partial:
        correction = definitive - ex_ante[code]
        after = before[code] - definitive
        share_after = Fraction(after, after_total) if after_total else Fraction(0)
        scenario = (
            Scenario.MEER_UITSTROOM
            if a > e
            else Scenario.MINDER_UITSTROOM
            if a < e
            else Scenario.ZOALS_GERAAMD
        )
        naam = names.get(code, code)
        rows.append(
            WlzRegel(
                centrumgemeente=code,
                naam=naam,
                historisch_aandeel=h[code],
                budget_voor_uitname=before[code],
                ex_ante=ex_ante[code],
                verwacht=e,
                werkelijk=a,
                prijs_per_client=price,
                definitief=definitive,
                correctie=correction,
                budget_na_uitname=after,
                aandeel_na_uitname=share_after,
                scenario=scenario,
                toelichting=_toelichting(
                    naam,
                    code,
                    scenario,
                    e,
                    a,
                    price,
                    ex_ante[code],
                    definitive,
                    correction,
                    h[code],
                    share_after,
                    after,
                ),
            )
        )
    ex_ante_total = sum(ex_ante.values())
    definitive_total = sum(r.definitief for r in rows)
    expected = sum((r.verwacht for r in rows), Fraction(0))
    actual = sum((r.werkelijk for r in rows), Fraction(0))
    result = WlzUitname(
        jaar=jaar,
        macro=macro,
        percentage=percentage,
        ex_ante=ex_ante_total,
        definitief=definitive_total,
        correctie=definitive_total - ex_ante_total,
        verwacht=expected,
        werkelijk=actual,
        regels=tuple(rows),
        toelichting="",
    )
    return _with_summary(result)


def _aantal(x: Fraction) -> str:
    return (
        f"{floor_fraction(x):,}".replace(",", ".") if x.denominator == 1 else format_decimal(x, 2)
    )


def _toelichting(
    naam: str,
    code: str,
    scenario: Scenario,
    e: Fraction,
    a: Fraction,
    price: Fraction,
    ex_ante: Cents,
    definitive: Cents,
    correction: Cents,
    share: Fraction,
    share_after: Fraction,
    after: Cents,
) -> str:
    who = f"{naam} ({code})" if naam != code else code
    prijs = format_euro(round_half_up(price))
    if scenario is Scenario.MEER_UITSTROOM:
        text = (
            f"Naar de Wlz stroomden {_aantal(a)} cliënten uit, {_aantal(a - e)} meer dan de "
            f"{_aantal(e)} waarmee de ex-ante-uitname rekende. Die cliënten kosten de "
            f"centrumgemeente niets meer voor beschermd wonen, dus {who} heeft minder kosten "
            f"dan de uitname aannam: de uitname was te klein. Definitief wordt {format_euro(definitive)} "
            f"uitgenomen ({_aantal(a)} × {prijs} per cliënt) in plaats van {format_euro(ex_ante)}; "
            f"{who} betaalt {format_euro(correction)} terug (een verdere uitname)."
        )
    elif scenario is Scenario.MINDER_UITSTROOM:
        text = (
            f"Naar de Wlz stroomden {_aantal(a)} cliënten uit, {_aantal(e - a)} minder dan de "
            f"{_aantal(e)} waarmee de ex-ante-uitname rekende. Er bleven meer cliënten, en dus "
            f"meer kosten voor beschermd wonen, bij {who} dan de uitname aannam: de uitname was "
            f"te groot. Definitief wordt {format_euro(definitive)} uitgenomen ({_aantal(a)} × {prijs} "
            f"per cliënt) in plaats van {format_euro(ex_ante)}; {who} ontvangt {format_euro(-correction)} terug."
        )
    else:
        text = (
            f"Naar de Wlz stroomden {_aantal(a)} cliënten uit, precies zoveel als de ex-ante-"
            f"uitname raamde. De ex-ante-uitname van {format_euro(ex_ante)} is definitief; {who} "
            f"betaalt niets terug en ontvangt niets."
        )
    if share_after == share:
        tempo = f"blijft het historische aandeel {format_percent(share, 4)}"
    else:
        tempo = f"gaat het historische aandeel van {format_percent(share, 4)} naar {format_percent(share_after, 4)}"
    text += (
        " Het aandeel van de gemeenten van de regio in het objectieve verdeelmodel verandert "
        "hierdoor niet. Wel verandert het vertrekpunt van het ingroeipad: gemeten over alle "
        f"centrumgemeenten na hun definitieve uitname {tempo}, en daarmee het tempo waarin de "
        "regio naar haar objectieve budget groeit."
    )
    if after < 0:
        text += (
            f" Let op: de definitieve uitname is groter dan het historische budget van de regio "
            f"(er blijft {format_euro(after)} over)."
        )
    return text


def _with_summary(result: WlzUitname) -> WlzUitname:
    counts = {s: sum(1 for r in result.regels if r.scenario is s) for s in Scenario}
    text = (
        f"Uitname Wlz {result.jaar}: ex ante {format_percent(result.percentage)} van het macrobudget "
        f"{format_euro(result.macro)} = {format_euro(result.ex_ante)}, verdeeld over "
        f"{len(result.regels)} centrumgemeenten naar hun aandeel in het historische budget. "
        f"Geraamd waren {_aantal(result.verwacht)} cliënten; werkelijk stroomden er "
        f"{_aantal(result.werkelijk)} uit. De definitieve uitname is {format_euro(result.definitief)} "
        f"({format_percent(result.definitief_percentage)} van het macrobudget); "
    )
    if result.correctie > 0:
        text += f"de centrumgemeenten betalen per saldo {format_euro(result.correctie)} terug. "
    elif result.correctie < 0:
        text += f"de centrumgemeenten ontvangen per saldo {format_euro(-result.correctie)} terug. "
    else:
        text += "per saldo is er geen correctie. "
    text += (
        f"Meer uitstroom dan geraamd: {counts[Scenario.MEER_UITSTROOM]}; minder: "
        f"{counts[Scenario.MINDER_UITSTROOM]}; zoals geraamd: {counts[Scenario.ZOALS_GERAAMD]}. "
        "De correctie verandert de aandelen in het objectieve verdeelmodel niet, wel het "
        "historische vertrekpunt en daarmee het tempo van het ingroeipad."
    )
    return replace(result, toelichting=text)
