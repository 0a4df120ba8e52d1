"""Beschermd wonen: the withdrawal for clients who moved to the Wlz, ex ante and ex post.

Since 2021 the Wlz is open to people who, because of a psychiatric disorder, need
permanent supervision or 24-hour care nearby (Kamerstukken II 25 424, nr. 651: about
12,000 were expected, over 27,000 had an indication by April 2023). Their care leaves the
gemeenten, so money leaves the macro budget for beschermd wonen.

Rules (sources in :mod:`.sources`):

*Ex ante* (seed 004): ``percentage`` (30 %) of the macro budget M is withdrawn::

    W = round(percentage · M)                       (to the cent, half away from zero)
    W_c = W apportioned by h(c)                     (largest remainder, to the cent)

where h(c) is centrumgemeente c's share of the historical budget.

*Ex post* (seed 004): the definitive withdrawal follows the costs that actually fall away
for the gemeenten through the outflow of their clients to the Wlz ("daadwerkelijk
wegvallende kosten"), an input per region (the sum over its gemeenten, in cents). No
expected client count is needed: none of the sources gives one per region::

    D_c = wegvallende kosten of region c
    K_c = D_c − W_c                 (the correction of the withdrawal)
    effect on c's budget = −K_c = W_c − D_c

K_c > 0 — more costs fell away than were withdrawn: c has fewer costs than the withdrawal
assumed, the withdrawal was too small and c pays K_c back (a further withdrawal; the
effect on its budget is negative). K_c < 0 — fewer costs fell away: the withdrawal was too
large and c receives −K_c back. D_c = W_c: no correction. Tables and charts show the same
signed figure, the effect on the budget.

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

from wpb.domain.money import (
    Cents,
    apportion,
    format_decimal,
    format_euro,
    format_percent,
    round_half_up,
)
from wpb.law.budget.ingroeipad import HistorischBudget
from wpb.law.budget.inputs import InputProblem, YearSeries, YearValue, raise_if
from wpb.law.budget.sources import WLZ_GGZ_UITSTROOM, WLZ_UITNAME_SEED, WLZ_UITNAME_TEMPO, Source

SOURCES: tuple[Source, ...] = (WLZ_UITNAME_SEED, WLZ_UITNAME_TEMPO, WLZ_GGZ_UITSTROOM)


class Scenario(str, Enum):
    MEER_KOSTEN_WEG = "meer_kosten_weg"  # more costs fell away than withdrawn: pay back
    MINDER_KOSTEN_WEG = "minder_kosten_weg"  # fewer fell away: receive back
    ZOALS_UITGENOMEN = "zoals_uitgenomen"  # as withdrawn: no correction

    @property
    def omschrijving(self) -> str:
        return {
            Scenario.MEER_KOSTEN_WEG: "meer kosten weggevallen dan uitgenomen: terugbetalen "
            "(verdere uitname)",
            Scenario.MINDER_KOSTEN_WEG: "minder kosten weggevallen dan uitgenomen: geld terug",
            Scenario.ZOALS_UITGENOMEN: "kosten weggevallen zoals uitgenomen: geen correctie",
        }[self]


@dataclass(frozen=True)
class WlzUitstroom:
    """The costs that actually fell away in one region through outflow to the Wlz."""

    centrumgemeente: str
    wegvallende_kosten: Cents  # daadwerkelijk wegvallende kosten, summed over the region
    clienten: Fraction | None = None  # the clients who moved, when known (shown, not used)
    bron: str = ""


@dataclass(frozen=True)
class WlzRegel:
    centrumgemeente: str
    naam: str
    historisch_aandeel: Fraction
    budget_voor_uitname: Cents  # the historical distribution of the macro budget
    ex_ante: Cents
    wegvallende_kosten: Cents
    clienten: Fraction | None
    definitief: Cents  # = wegvallende_kosten
    correctie: Cents  # D − W: > 0 pays back; < 0 receives back
    budget_na_uitname: Cents  # budget_voor_uitname − definitief: the new historical budget
    aandeel_na_uitname: Fraction
    scenario: Scenario
    toelichting: str

    @property
    def effect_op_budget(self) -> Cents:
        """W − D: positive when the region receives money back, negative when it pays back."""
        return -self.correctie


@dataclass(frozen=True)
class WlzUitname:
    jaar: int
    macro: Cents
    percentage: Fraction
    ex_ante: Cents
    definitief: Cents
    correctie: Cents
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
        if u.wegvallende_kosten < 0:
            problems.append(InputProblem(where, "wegvallende_kosten", "bedrag is negatief"))
        if u.clienten is not None and u.clienten < 0:
            problems.append(InputProblem(where, "clienten", "aantal is negatief"))
    for code in centra:
        if code not in seen:
            problems.append(
                InputProblem(
                    bron_uitstroom,
                    "centrumgemeente",
                    f"geen wegvallende kosten opgegeven voor centrumgemeente {code}",
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

    after_total = sum(before[c] - flow[c].wegvallende_kosten for c in h)

    rows: list[WlzRegel] = []
    for code in sorted(h):
        definitive = flow[code].wegvallende_kosten
        correction = definitive - ex_ante[code]
        after = before[code] - definitive
        share_after = Fraction(after, after_total) if after_total else Fraction(0)
        scenario = (
            Scenario.MEER_KOSTEN_WEG
            if correction > 0
            else Scenario.MINDER_KOSTEN_WEG
            if correction < 0
            else Scenario.ZOALS_UITGENOMEN
        )
        naam = names.get(code, code)
        rows.append(
            WlzRegel(
                centrumgemeente=code,
                naam=naam,
                historisch_aandeel=h[code],
                budget_voor_uitname=before[code],
                ex_ante=ex_ante[code],
                wegvallende_kosten=definitive,
                clienten=flow[code].clienten,
                definitief=definitive,
                correctie=correction,
                budget_na_uitname=after,
                aandeel_na_uitname=share_after,
                scenario=scenario,
                toelichting=_toelichting(
                    naam, code, scenario, ex_ante[code], definitive, correction, h[code],
                    share_after, after,
                ),
            )
        )
    ex_ante_total = sum(ex_ante.values())
    definitive_total = sum(r.definitief for r in rows)
    result = WlzUitname(
        jaar=jaar,
        macro=macro,
        percentage=percentage,
        ex_ante=ex_ante_total,
        definitief=definitive_total,
        correctie=definitive_total - ex_ante_total,
        regels=tuple(rows),
        toelichting="",
    )
    return _with_summary(result)


def _toelichting(
    naam: str,
    code: str,
    scenario: Scenario,
    ex_ante: Cents,
    definitive: Cents,
    correction: Cents,
    share: Fraction,
    share_after: Fraction,
    after: Cents,
) -> str:
    who = f"{naam} ({code})" if naam != code else code
    weg = (
        f"Door de uitstroom van cliënten naar de Wlz vielen in de regio van {who} "
        f"{format_euro(definitive)} aan kosten voor beschermd wonen daadwerkelijk weg; ex ante "
        f"was {format_euro(ex_ante)} uitgenomen."
    )
    if scenario is Scenario.MEER_KOSTEN_WEG:
        text = (
            f"{weg} Er vielen meer kosten weg dan uitgenomen: de uitname was te klein. De "
            f"definitieve uitname is {format_euro(definitive)}; {who} betaalt "
            f"{format_euro(correction)} terug (een verdere uitname; effect op het budget "
            f"{format_euro(-correction)})."
        )
    elif scenario is Scenario.MINDER_KOSTEN_WEG:
        text = (
            f"{weg} Er vielen minder kosten weg dan uitgenomen: de uitname was te groot. De "
            f"definitieve uitname is {format_euro(definitive)}; {who} ontvangt "
            f"{format_euro(-correction)} terug (effect op het budget +{format_euro(-correction)})."
        )
    else:
        text = (
            f"{weg} Er vielen precies zoveel kosten weg als uitgenomen: de ex-ante-uitname is "
            f"definitief; {who} betaalt niets terug en ontvangt niets."
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
        "Ex post volgt de uitname de kosten die door de uitstroom naar de Wlz daadwerkelijk "
        f"wegvielen: samen {format_euro(result.definitief)} "
        f"({format_percent(result.definitief_percentage)} van het macrobudget); "
    )
    if result.correctie > 0:
        text += f"de centrumgemeenten betalen per saldo {format_euro(result.correctie)} terug. "
    elif result.correctie < 0:
        text += f"de centrumgemeenten ontvangen per saldo {format_euro(-result.correctie)} terug. "
    else:
        text += "per saldo is er geen correctie. "
    text += (
        f"Meer kosten weggevallen dan uitgenomen: {counts[Scenario.MEER_KOSTEN_WEG]}; minder: "
        f"{counts[Scenario.MINDER_KOSTEN_WEG]}; zoals uitgenomen: "
        f"{counts[Scenario.ZOALS_UITGENOMEN]}. "
        "De correctie verandert de aandelen in het objectieve verdeelmodel niet, wel het "
        "historische vertrekpunt en daarmee het tempo van het ingroeipad."
    )
    return replace(result, toelichting=text)
