"""Voogdij/18+: the budget for year t from care use in year t−2, under both woonplaats rules.

Sources (see :mod:`.sources`): the part of the youth budget for voogdij and 18+ (about
17 % of it) followed actual use with a lag of two years — the compensatieregeling
voogdij/18+ of 2018 worked from the costs of 2016 (T-2). With the new woonplaats rule
(Jeugdwet art. 1.1, in force 2022-01-01) the gemeente responsible for a youth can differ
from the gemeente where the use was registered (the pre-2022 rule, which followed the
gezag); in 2022 a compensation moved some € 30 mln between gemeenten [S].

The rule, for budget year t with macro budget V_t for voogdij/18+::

    budget(m, t) = V_t · use(m, t−2) / Σ use(·, t−2)

computed twice: (a) with each youth's use at the gemeente where it was *registered*
(pre-2022 rule), and (b) *re-attributed* to the gemeente the 2022 rule gives (from the
national run). Both are apportioned to the cent over the same V_t, so each adds up to V_t;
the difference (b) − (a) per gemeente is the effect the 2022 compensatieregeling
addressed, and it adds up to 0.

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

from wpb.law.budget.inputs import InputProblem, raise_if
from wpb.law.budget.money import Cents, apportion
from wpb.law.budget.sources import COMPENSATIE_2022, VOOGDIJ_18PLUS_T2, Source
from wpb.law.decision import ReviewReden
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE, GemeenteRegister

SOURCES: tuple[Source, ...] = (VOOGDIJ_18PLUS_T2, COMPENSATIE_2022)

BEOORDELING = "beoordeling"  # the line for use that no gemeente can be given (sorts after codes)
VERTRAGING = 2  # budget year t uses care in t − 2


class Soort(str, Enum):
    VOOGDIJ = "voogdij"
    ACHTTIEN_PLUS = "18+"


class Regel(str, Enum):
    GEREGISTREERD = "geregistreerd"  # (a) as registered: the pre-2022 woonplaats
    WOONPLAATS_2022 = "woonplaats_2022"  # (b) re-attributed under the 2022 rule


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
        """What the 2022 rule moves to (positive) or from (negative) this gemeente."""
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
