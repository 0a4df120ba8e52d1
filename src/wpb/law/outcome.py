"""Outcomes of one reading of the facts, and how readings combine.

A rule may meet uncertain facts (a partial date, a contradictory episode). It then
evaluates every reading and decides only when all readings agree on status, gemeente
and onderdeel; otherwise the answer is ``review`` with every candidate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wpb.law.decision import LegalSource, ReviewReden, Status
from wpb.law.trace import Trace


@dataclass(frozen=True)
class Outcome:
    status: Status
    gemeente: str | None
    grondslag: LegalSource | None
    reden: ReviewReden | None = None
    kandidaten: tuple[tuple[str, str], ...] = ()  # (code, why this one)

    @classmethod
    def bepaald(cls, gemeente: str, grondslag: LegalSource) -> Outcome:
        return cls(Status.BEPAALD, gemeente, grondslag)

    @classmethod
    def review(
        cls,
        reden: ReviewReden,
        grondslag: LegalSource | None,
        kandidaten: Sequence[tuple[str, str]] = (),
    ) -> Outcome:
        return cls(Status.REVIEW, None, grondslag, reden, tuple(kandidaten))

    @property
    def key(self) -> tuple:
        """What must agree between readings for the facts to decide.

        Status, gemeente and onderdeel; for a review also the candidate gemeenten, as a
        set. Not the wording: two readings that name the same candidates with other
        explanations ("als het adres ... gold") give the same answer, and so does a
        review for another reason with the same candidates (the first reading's reason
        is reported; the facts each reading missed stay listed).
        """
        onderdeel = self.grondslag.onderdeel if self.grondslag else None
        return (self.status, self.gemeente, onderdeel, frozenset(c for c, _ in self.kandidaten))


def combine(
    readings: Sequence[tuple[str, Callable[[Trace], Outcome]]],
    trace: Trace,
    reden: ReviewReden,
) -> Outcome:
    """Evaluate each labelled reading; one answer when they agree, else ``review``.

    ``label`` says in Dutch what the reading assumes ("als het adres vóór ... begon").
    """
    if len(readings) == 1:
        return readings[0][1](trace)

    results: list[tuple[str, Outcome, Trace]] = []
    for label, evaluate in readings:
        sub = trace.fork()
        results.append((label, evaluate(sub), sub))

    first = results[0][1]
    if all(outcome.key == first.key for _, outcome, _ in results):
        trace.absorb(results[0][2])
        for _, _, sub in results[1:]:
            trace.absorb_facts(sub)
        trace.say("Elke mogelijke lezing geeft dezelfde uitkomst: de onzekerheid beslist niet.")
        return first

    kandidaten: list[tuple[str, str]] = []
    for label, outcome, sub in results:
        trace.absorb(sub, prefix=f"{label[0].upper()}{label[1:]}:")
        options = [(outcome.gemeente, label)] if outcome.gemeente else list(outcome.kandidaten)
        for code, why in options:
            if code not in (c for c, _ in kandidaten):
                kandidaten.append((code, why))
    gemeenten = {outcome.gemeente for _, outcome, _ in results}
    if len(gemeenten) == 1 and None not in gemeenten:
        trace.say(
            "Elke lezing wijst dezelfde gemeente aan, maar op grond van een ander onderdeel; "
            "welk onderdeel geldt, beslissen de gegevens niet."
        )
    else:
        trace.say("De uitkomsten verschillen, dus de gegevens beslissen niet.")
    return Outcome.review(reden, first.grondslag, kandidaten)
