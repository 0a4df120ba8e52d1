"""A client's toewijzingen and BRP data as the facts of the law that applies.

Jeugdwet: each toewijzing is a care episode (``einddatum`` inclusive, as ``Jeugdhulp.einde``).
``verblijf_sinds`` on a stay says the series of stays began before the gemeente's own
toewijzingen: it becomes one more stay episode from that day up to the toewijzing. Without
it, the series is taken to begin at the earliest toewijzing, and a decision resting on it
(onderdeel 2°) states that assumption.

Wmo beschermd wonen: the aanmelding (``aanmeldgemeente``, ``aanmelddatum``) and the running
indication (``indicatie_begin``, provided by the caseload's gemeente) come from the caseload.
Earlier placements and the intake's findings on the exceptions are not in a caseload: they
are listed as missing, and the Wmo rule answers ``review`` where it needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from wpb.brp.bronnen import BrpGegevens
from wpb.caseload.model import JEUGDRECLASSERING, Toewijzing
from wpb.frozen import maker
from wpb.law.dates import day_before
from wpb.law.decision import Missing
from wpb.law.facts import Case, Jeugdhulp, JeugdhulpVorm
from wpb.law.wmo.facts import Aanmelding, Indicatie, WmoBwCase

AANNAME_VERBLIJF_SINDS = "verblijf_sinds_onbekend"
# Built for every client, and again for each day probed: without the constructors' cost.
_case, _jeugdhulp = maker(Case), maker(Jeugdhulp)


@dataclass(frozen=True)
class JeugdwetCasus:
    case: Case
    verblijf_sinds_gegeven: bool  # some stay toewijzing carried verblijf_sinds


def jeugdhulp(toewijzingen: Sequence[Toewijzing]) -> tuple[Jeugdhulp, ...]:
    episodes: list[Jeugdhulp] = []
    for t in toewijzingen:
        vorm = JeugdhulpVorm(t.vorm) if t.vorm and t.vorm != JEUGDRECLASSERING else None
        if t.verblijf and t.verblijf_sinds is not None and t.verblijf_sinds < t.begindatum:
            episodes.append(_jeugdhulp(bron=f"clienten {t.bron}: verblijf_sinds",
                                       begin=t.verblijf_sinds, einde=day_before(t.begindatum),
                                       verblijf=True, vorm=vorm))
        episodes.append(_jeugdhulp(bron=f"clienten {t.bron}", begin=t.begindatum,
                                   einde=t.einddatum, verblijf=t.verblijf, vorm=vorm))
    return tuple(episodes)


def jeugdwet_casus(toewijzingen: Sequence[Toewijzing], brp: BrpGegevens,
                   peildatum: date) -> JeugdwetCasus:
    case = _case(
        peildatum=peildatum,
        jeugdige=brp.jeugdige,
        moeder=brp.moeder,
        jeugdhulp=jeugdhulp(toewijzingen),
    )
    given = any(t.verblijf and t.verblijf_sinds is not None for t in toewijzingen)
    return JeugdwetCasus(case, given)


@dataclass(frozen=True)
class WmoCasus:
    case: WmoBwCase | None  # None: the caseload lacks what even the aanmelding needs
    ontbrekend: tuple[Missing, ...] = field(default=())


def wmo_casus(toewijzingen: Sequence[Toewijzing], brp: BrpGegevens, peildatum: date,
              gemeente: str) -> WmoCasus:
    first = min(toewijzingen, key=lambda t: t.begindatum)
    with_data = next((t for t in toewijzingen if t.aanmeldgemeente), first)
    missing = [
        Missing("eerderBeschermdWonen", "niet in het cliëntenbestand: eerder beschermd wonen "
                "bij andere gemeenten is onbekend (uitzondering a)"),
        Missing("uitzonderingen", "niet in het cliëntenbestand: de bevindingen van de intake "
                "over uitzonderingen b tot d"),
    ]
    if with_data.aanmeldgemeente is None:
        missing.insert(0, Missing("aanmeldgemeente", "ontbreekt in het cliëntenbestand: de "
                                  "gemeente tot welke de cliënt zich wendde"))
        return WmoCasus(None, tuple(missing))
    aanmelddatum = with_data.aanmelddatum
    if aanmelddatum is not None and aanmelddatum > peildatum:
        missing.insert(0, Missing("aanmelddatum", f"{aanmelddatum} ligt na de peildatum"))
        return WmoCasus(None, tuple(missing))
    indicatie = None
    if with_data.indicatie_begin is not None:
        ends = [t.einddatum for t in toewijzingen]
        einde = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
        indicatie = Indicatie(f"clienten {with_data.bron}: indicatie_begin", gemeente,
                              with_data.indicatie_begin, einde)
    case = WmoBwCase(
        peildatum=peildatum,
        client=brp.jeugdige,
        aanmelding=Aanmelding(f"clienten {with_data.bron}", with_data.aanmeldgemeente,
                              aanmelddatum),
        eerder_beschermd_wonen=(),
        indicatie=indicatie,
        briefadressen=tuple(r.bron for r in brp.jeugdige.historie if r.briefadres),
    )
    return WmoCasus(case, tuple(missing))
