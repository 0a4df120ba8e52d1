"""What a consequential action on a transfer page will do, said before it is done (issue 16
item 6).

Every action that changes a transfer for another party (accept, reject, complete, forward,
correct, withdraw, reconsider, take back, and a decision on many transfers) first shows a
confirmation step: a page naming the transfer, the parties, what the other party will see
and which iJw message follows for whom. The step is a plain form that posts the same fields
again with ``bevestigd=ja``, so it works without JavaScript; nothing is stored before that.

The iJw messages named here are the tasks that follow from the rules of
:mod:`wpb.law.taken` (JW301 with RedenWijziging 07 of JZ002 to end a toewijzing, JW301 to
assign, JW315 to ask for one); wpb itself sends no iJw message on these actions.
"""

from __future__ import annotations

from dataclasses import dataclass

from wpb.law.dates import day_before
from wpb.law.taken import REDEN_WIJZIGING_VERHUIZING
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.context import Context
from wpb.service.web.labels import dutch_date

CONFIRMED = "bevestigd"  # the form field of the second step: "ja"


@dataclass(frozen=True)
class Confirmation:
    titel: str
    knop: str  # the label of the button that does it
    gevolgen: tuple[str, ...]  # what will happen, one sentence each


def _naam(ctx: Context, code: str) -> str:
    return f"{ctx.register.naam(code)} ({code})" if code in ctx.register else code


def _providers(o: Overdracht) -> str:
    agbs = sorted({r.aanbieder_agb for r in o.regels})
    if not agbs:
        return "de aanbieder"
    return ("de aanbieder met AGB-code " if len(agbs) == 1 else "de aanbieders met AGB-code ") + ", ".join(agbs)


def describe(action: str, o: Overdracht, ctx: Context, form: dict[str, str]) -> Confirmation:
    """The confirmation of ``action`` (a form name of the transfer page) on ``o``, with the
    values the user typed in ``form``."""
    lat, ont = _naam(ctx, o.latende_gemeente), _naam(ctx, o.ontvangende_gemeente)
    wie = _providers(o)
    nr = f"overdracht {o.publiek_id}"
    if action == "accepteren":
        gevolgen = [f"De status van {nr} wordt 'geaccepteerd'; {lat} ziet dat in haar uitgaande lijst."]
        if o.vanaf is not None and o.vanaf != ctx.termijnen.ingang:
            gevolgen += [
                f"{ont} is verantwoordelijk vanaf {dutch_date(o.vanaf)}.",
                f"Daarna beëindigt {lat} haar toewijzing per {dutch_date(day_before(o.vanaf))}: een "
                f"toewijzing (JW301) met RedenWijziging {REDEN_WIJZIGING_VERHUIZING} aan {wie}.",
                f"{ont} stuurt {wie} een toewijzing (JW301) met ingangsdatum {dutch_date(o.vanaf)}, op "
                "eigen initiatief of op een verzoek om toewijzing (JW315).",
            ]
        else:
            gevolgen.append(f"{ont} stuurt {wie} een toewijzing (JW301) volgens de "
                            "1-november-maatregel; de taken staan op de pagina van de overdracht.")
        return Confirmation(f"Overdracht {o.publiek_id} accepteren?", "Ja, accepteren", tuple(gevolgen))
    if action == "afwijzen":
        gevolgen = [f"De status van {nr} wordt 'afgewezen'; {lat} ziet de afwijzing met de onderbouwing."]
        if form.get("gebruikWoonplaatsbeslissing") == "ja":
            gevolgen.append("De vastgelegde woonplaatsbeslissing gaat mee als onderbouwing.")
        elif form.get("onderbouwing", "").strip():
            gevolgen.append(f"Onderbouwing: “{form['onderbouwing'].strip()}”.")
        gevolgen.append(f"{lat} blijft voorlopig verantwoordelijk en zoekt uit welke gemeente het wel is.")
        return Confirmation(f"Overdracht {o.publiek_id} afwijzen?", "Ja, afwijzen", tuple(gevolgen))
    if action == "afronden":
        ref = form.get("toewijzingReferentie", "").strip()
        ingang = form.get("toewijzingIngangsdatum", "").strip()
        return Confirmation(f"Overdracht {o.publiek_id} afronden?", "Ja, afronden", (
            f"U meldt dat {ont} haar toewijzing (JW301{', ' + ref if ref else ''}"
            f"{', ingangsdatum ' + ingang if ingang else ''}) aan {wie} heeft gestuurd.",
            f"De status van {nr} wordt 'afgerond'; {lat} ziet dat en kan wat zij na de "
            "overgang betaalde verrekenen.",
        ))
    if action == "doorsturen":
        naar = _naam(ctx, form.get("gemeente", "").strip())
        return Confirmation(f"Overdracht {o.publiek_id} doorsturen naar {naar}?", "Ja, doorsturen", (
            f"Er ontstaat een nieuwe overdracht van {lat} aan {naar}, met dezelfde regels voor {wie}.",
            f"{nr.capitalize()} krijgt de status 'doorgestuurd'; {ont} ziet dat.",
        ))
    if action == "corrigeren":
        return Confirmation(f"Overdracht {o.publiek_id} corrigeren?", "Ja, correctie vastleggen", (
            f"De regel krijgt de nieuwe waarden; {nr} krijgt een nieuwe versie en de oude "
            "waarden blijven in de tijdlijn. De aanleverdatum verandert niet.",
            f"{ont} en {wie} zien de nieuwe waarden.",
        ))
    if action == "intrekken":
        reden = form.get("reden", "").strip()
        return Confirmation(f"Overdracht {o.publiek_id} intrekken?", "Ja, intrekken", (
            f"De status van {nr} wordt 'ingetrokken'; {ont} ziet dat"
            + (f", met de reden “{reden}”." if reden else "."),
            f"{lat} blijft verantwoordelijk; met een ingetrokken overdracht kan niets meer.",
        ))
    if action == "heroverwegen":
        return Confirmation(f"Afwijzing van overdracht {o.publiek_id} heroverwegen?", "Ja, toch accepteren", (
            f"De afwijzing blijft in de tijdlijn staan; de status van {nr} wordt 'geaccepteerd' "
            f"en {lat} ziet dat.",
            f"{ont} stuurt daarna {wie} een toewijzing (JW301) en rondt de overdracht af.",
        ))
    if action == "terugnemen":
        return Confirmation(f"Jeugdige van overdracht {o.publiek_id} terugnemen?", "Ja, terugnemen", (
            f"De status van {nr} wordt 'teruggenomen'; {ont} ziet dat.",
            f"{lat} blijft verantwoordelijk en houdt haar toewijzing aan {wie} aan.",
        ))
    raise ValueError(action)


def describe_many(besluit: str, ids: list[int], onderbouwing: str) -> Confirmation:
    """The confirmation of one decision on the transfers ``ids``."""
    n = len(ids)
    wat = "overdracht" if n == 1 else f"{n} overdrachten"
    shown = ", ".join(str(i) for i in ids[:20]) + (f" en {n - 20} meer" if n > 20 else "")
    if besluit == "afwijzen":
        return Confirmation(f"{wat.capitalize()} afwijzen?", f"Ja, {wat} afwijzen", (
            f"Elke gekozen overdracht ({shown}) wordt afzonderlijk afgewezen met de onderbouwing "
            f"“{onderbouwing.strip()}”; de latende gemeenten zien dat.",
            "Een overdracht die intussen is gewijzigd, wordt overgeslagen; het resultaat noemt "
            "per overdracht wat er gebeurde.",
        ))
    return Confirmation(f"{wat.capitalize()} accepteren?", f"Ja, {wat} accepteren", (
        f"Elke gekozen overdracht ({shown}) wordt afzonderlijk geaccepteerd; de latende "
        "gemeenten zien dat.",
        "Daarna beëindigen de latende gemeenten hun toewijzingen (JW301) en stuurt uw gemeente "
        "de aanbieders een toewijzing (JW301); de taken staan bij elke overdracht.",
        "Een overdracht die intussen is gewijzigd, wordt overgeslagen; het resultaat noemt "
        "per overdracht wat er gebeurde.",
    ))
