"""Voogdij/18+ 2022: the budget from care use in 2020 (T-2), under both woonplaats rules.

Sources (see :mod:`.sources`): the part of the youth budget for voogdij and 18+ followed
actual care use with a lag of two years (T-2). Seed 001 (the Jeugdwet woonplaatsbeginsel
page) says why 2022 is special and the last such year: the new woonplaatsbeginsel (Jeugdwet
art. 1.1, in force 2022-01-01) ran a year ahead of the new verdeelmodel (expected
2023-01-01, with the herijking of the gemeentefonds). So the voogdij/18+ budget for 2022
was distributed one more year on historical care use (T-2, the use in 2020), with the new
rule applied through a CBS simulation. From 2023 the budget no longer follows T-2, and
before 2022 the new rule was not in force: :func:`check_jaar` refuses those years with
that reason.

The rule, for budget year t = 2022 with macro budget V_t for voogdij/18+::

    budget(m, t) = V_t · use(m, t−2) / Σ use(·, t−2)

computed twice: (b) *re-attributed* to the gemeente the 2022 rule gives (from the
national run, standing in for the CBS simulation): this is the budget as distributed;
and (a) with each youth's use at the gemeente where it was *registered* (the pre-2022
rule), for comparison only. Both are apportioned to the cent over the same V_t. The
difference (b) − (a) per gemeente is what applying the new rule to the 2020 use moved;
it adds up to 0. It is *not* what the compensatieregeling "Onderbreking
financieringssystematiek voogdij en 18+" compensated: seed 001 says that regeling was made
because gemeenten no longer see a change in their care use in 2020 and 2021 reflected in
a higher or lower voogdij/18+ budget.

A youth whose gemeente cannot be established under a rule — the national run answered
``review``, or the registered code is a gemeente that was split before t — is never
attributed to a gemeente and never dropped: its use goes to a separate line
``beoordeling`` (to be reviewed), which receives its share of V_t, and the youth is listed
in :attr:`T2Budget.te_beoordelen` with the reason. Codes are resolved to the gemeente that
carries them on 1 January of year t (herindelingen between t−2 and t).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from fractions import Fraction

from wpb.domain.money import Cents, apportion
from wpb.law.budget.inputs import InputProblem, raise_if
from wpb.law.budget.sources import (
    COMPENSATIE_2022,
    COMPENSATIEREGELING_ONDERBREKING,
    T2_2022_NIEUWE_REGEL,
    VOOGDIJ_18PLUS_T2,
    Source,
)
from wpb.law.decision import ReviewReden
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE, GemeenteRegister

SOURCES: tuple[Source, ...] = (
    VOOGDIJ_18PLUS_T2,
    T2_2022_NIEUWE_REGEL,
    COMPENSATIEREGELING_ONDERBREKING,
    COMPENSATIE_2022,
)

BEOORDELING = "beoordeling"  # the line for use that no gemeente can be given (sorts after codes)
VERTRAGING = 2  # budget year t uses care in t − 2
T2_MET_NIEUWE_REGEL = 2022  # seed 001: the one budget year T-2 was distributed under the new rule
NIEUW_VERDEELMODEL = 2023  # seed 001: the new verdeelmodel, expected from this year


def check_jaar(jaar: int) -> str | None:
    """Why wpb computes no T-2 budget for ``jaar``; None for 2022, the year it applied to."""
    if jaar >= NIEUW_VERDEELMODEL:
        return (
            f"voor {jaar} geldt T-2 niet: vanaf {NIEUW_VERDEELMODEL} volgt het budget voogdij/18+ "
            "het nieuwe verdeelmodel (herijking gemeentefonds); 2022 werd nog één jaar op het "
            "historische zorggebruik (T-2) verdeeld, omdat het nieuwe woonplaatsbeginsel een jaar "
            "eerder inging dan het nieuwe verdeelmodel (seed 001)"
        )
    if jaar < T2_MET_NIEUWE_REGEL:
        return (
            f"voor {jaar} vergelijkt wpb niets: de woonplaatsregel van 2022 gold toen nog niet, "
            "en wpb rekent T-2 alleen voor 2022, het jaar waarin het zorggebruik van 2020 met de "
            "nieuwe regel (via een CBS-simulatie) is verdeeld (seed 001)"
        )
    return None


class Soort(str, Enum):
    VOOGDIJ = "voogdij"
    ACHTTIEN_PLUS = "18+"


class Regel(str, Enum):
    GEREGISTREERD = "geregistreerd"  # (a) as registered, the pre-2022 woonplaats: comparison only
    WOONPLAATS_2022 = "woonplaats_2022"  # (b) under the 2022 rule: the budget as distributed


class GeenGemeente(str, Enum):
    """Why a youth's use goes to the ``beoordeling`` line under a rule."""

    REVIEW_2022 = "review_2022"  # the national run answered review (its reason is kept)
    GEEN_CODE = "geen_gemeente"  # no gemeente given
    GEEN_NEDERLANDSE_GEMEENTE = "geen_nederlandse_gemeente"  # RNI (1999) or onbekend (0000)
    GESPLITST = ReviewReden.GESPLITSTE_GEMEENTE.value  # a split before 1 January of year t


@dataclass(frozen=True)
class ZorggebruikT2:
    """One youth's voogdij or 18+ care in one year, with both gemeenten."""

    persoon: str  # a pseudonymous id, never a BSN in reports
    jaar: int  # the year of the care (t − 2)
    soort: Soort
    gemeente_geregistreerd: str | None  # the pre-2022 gemeente, as registered (None: unknown)
    gemeente_2022: str | None  # under the 2022 rule; None: the national run said review
    gebruik: Fraction  # cost in euros or volume (one unit for the whole table)
    reden_review: str = ""  # the national run's review reason under the 2022 rule
    bron: str = ""
    reden_geregistreerd: str = ""  # why there is no registered gemeente, when there is none


@dataclass(frozen=True)
class Toedeling:
    """Where one youth's use goes under one rule."""

    rij: ZorggebruikT2
    regel: Regel
    gemeente: str  # the gemeentecode on 1 January of t, or BEOORDELING
    reden: str = ""  # why BEOORDELING; empty otherwise


@dataclass(frozen=True)
class T2Gemeente:
    gemeente: str  # gemeentecode, or BEOORDELING
    aantal_geregistreerd: int
    gebruik_geregistreerd: Fraction
    budget_geregistreerd: Cents
    aantal_2022: int
    gebruik_2022: Fraction
    budget_2022: Cents

    @property
    def verschil(self) -> Cents:
        """What applying the 2022 rule to the use moved to (+) or from (−) this gemeente.

        Not the compensatieregeling's amount: that regeling compensated that changes in use
        in 2020 and 2021 no longer changed the budget (seed 001).
        """
        return self.budget_2022 - self.budget_geregistreerd


@dataclass(frozen=True)
class T2Budget:
    jaar: int  # the budget year t
    gebruiksjaar: int  # t − 2
    macro: Cents
    gemeenten: tuple[T2Gemeente, ...]  # by gemeentecode, without the beoordeling line
    beoordeling: T2Gemeente  # the use no gemeente can be given, under each rule
    te_beoordelen: tuple[Toedeling, ...]  # every youth on the beoordeling line, per rule
    aantal_rijen: int

    def gemeente(self, code: str) -> T2Gemeente:
        for g in (*self.gemeenten, self.beoordeling):
            if g.gemeente == code:
                return g
        raise KeyError(f"gemeente {code} heeft geen voogdij/18+-gebruik in {self.gebruiksjaar}")

    def total(self, regel: Regel) -> Cents:
        lines = (*self.gemeenten, self.beoordeling)
        if regel is Regel.GEREGISTREERD:
            return sum(g.budget_geregistreerd for g in lines)
        return sum(g.budget_2022 for g in lines)


def check_input(
    rijen: Sequence[ZorggebruikT2],
    jaar: int,
    macro: Cents,
    register: GemeenteRegister,
    *,
    bron: str = "zorggebruik T-2",
    bron_macro: str = "macrobudget voogdij/18+",
) -> list[InputProblem]:
    problems: list[InputProblem] = []
    reden = check_jaar(jaar)
    if reden is not None:
        return [InputProblem(bron_macro, "jaar", reden)]
    if macro < 0:
        problems.append(InputProblem(f"{bron_macro} jaar {jaar}", "bedrag", "bedrag is negatief"))
    used = [r for r in rijen if r.jaar == jaar - VERTRAGING]
    if not used:
        problems.append(
            InputProblem(bron, "jaar", f"geen zorggebruik in {jaar - VERTRAGING} (T-2 voor {jaar})")
        )
    seen: dict[tuple[str, Soort], str] = {}
    for r in used:
        where = r.bron or bron
        key = (r.persoon, r.soort)
        if key in seen:
            problems.append(
                InputProblem(
                    where,
                    "persoon",
                    f"deze jeugdige staat voor {r.soort.value} in {r.jaar} ook op {seen[key]}",
                )
            )
        seen[key] = where
        if r.gebruik < 0:
            problems.append(InputProblem(where, "gebruik", "gebruik is negatief"))
        for veld, code in (
            ("gemeente_geregistreerd", r.gemeente_geregistreerd),
            ("gemeente_2022", r.gemeente_2022),
        ):
            if code is None:
                continue
            if code not in register:
                problems.append(InputProblem(where, veld, f"onbekende gemeentecode {code!r}"))
            elif not _existed_in(register, code, r.jaar):
                problems.append(
                    InputProblem(where, veld, f"gemeente {code} bestond niet in {r.jaar}")
                )
    if used and macro > 0 and sum((r.gebruik for r in used), Fraction(0)) == 0:
        problems.append(
            InputProblem(
                bron,
                "gebruik",
                f"het gebruik in {jaar - VERTRAGING} is in totaal 0: er is "
                "niets om het macrobudget naar te verdelen",
            )
        )
    return problems


def _existed_in(register: GemeenteRegister, code: str, year: int) -> bool:
    g = register.get(code)
    return (g.begin is None or g.begin < date(year + 1, 1, 1)) and (
        g.einde is None or g.einde > date(year, 1, 1)
    )


def attribute(rij: ZorggebruikT2, regel: Regel, jaar: int, register: GemeenteRegister) -> Toedeling:
    """The gemeente (on 1 January of ``jaar``) that gets ``rij``'s use under ``regel``."""
    code = rij.gemeente_geregistreerd if regel is Regel.GEREGISTREERD else rij.gemeente_2022
    if code is None:
        if regel is Regel.WOONPLAATS_2022:
            reden, detail = GeenGemeente.REVIEW_2022.value, rij.reden_review
        else:
            reden, detail = GeenGemeente.GEEN_CODE.value, rij.reden_geregistreerd
        return Toedeling(rij, regel, BEOORDELING, f"{reden}: {detail}" if detail else reden)
    if code in (RNI_CODE, UNKNOWN_CODE):
        return Toedeling(rij, regel, BEOORDELING, GeenGemeente.GEEN_NEDERLANDSE_GEMEENTE.value)
    successors = register.successors(code, date(jaar, 1, 1))
    if not successors.is_unique:
        return Toedeling(
            rij,
            regel,
            BEOORDELING,
            f"{GeenGemeente.GESPLITST.value}: {', '.join(successors.codes)}",
        )
    return Toedeling(rij, regel, successors.code)


def t2_budget(
    rijen: Sequence[ZorggebruikT2],
    jaar: int,
    macro: Cents,
    register: GemeenteRegister,
    **sources: str,
) -> T2Budget:
    """Budget year ``jaar`` from the use in ``jaar − 2``: as registered and under the 2022 rule.

    ``macro`` is the macro budget voogdij/18+ for ``jaar`` in cents. Rows of other years
    are not part of this budget year. Raises :class:`.inputs.InvalidBudgetInput` on bad input.
    """
    raise_if(check_input(rijen, jaar, macro, register, **sources))
    used = [r for r in rijen if r.jaar == jaar - VERTRAGING]
    per_rule: dict[Regel, list[Toedeling]] = {
        regel: [attribute(r, regel, jaar, register) for r in used] for regel in Regel
    }
    count: dict[Regel, dict[str, int]] = {regel: {} for regel in Regel}
    use: dict[Regel, dict[str, Fraction]] = {regel: {} for regel in Regel}
    for regel, toedelingen in per_rule.items():
        for t in toedelingen:
            count[regel][t.gemeente] = count[regel].get(t.gemeente, 0) + 1
            use[regel][t.gemeente] = use[regel].get(t.gemeente, Fraction(0)) + t.rij.gebruik
    keys = sorted(set(use[Regel.GEREGISTREERD]) | set(use[Regel.WOONPLAATS_2022]) | {BEOORDELING})
    budget = {
        regel: apportion(macro, {k: use[regel].get(k, Fraction(0)) for k in keys})
        for regel in Regel
    }

    def line(code: str) -> T2Gemeente:
        a, b = Regel.GEREGISTREERD, Regel.WOONPLAATS_2022
        return T2Gemeente(
            gemeente=code,
            aantal_geregistreerd=count[a].get(code, 0),
            gebruik_geregistreerd=use[a].get(code, Fraction(0)),
            budget_geregistreerd=budget[a][code],
            aantal_2022=count[b].get(code, 0),
            gebruik_2022=use[b].get(code, Fraction(0)),
            budget_2022=budget[b][code],
        )

    review = [t for regel in Regel for t in per_rule[regel] if t.gemeente == BEOORDELING]
    return T2Budget(
        jaar=jaar,
        gebruiksjaar=jaar - VERTRAGING,
        macro=macro,
        gemeenten=tuple(line(k) for k in keys if k != BEOORDELING),
        beoordeling=line(BEOORDELING),
        te_beoordelen=tuple(sorted(review, key=lambda t: (t.regel.value, t.rij.persoon))),
        aantal_rijen=len(used),
    )
