"""The facts a Wmo beschermd-wonen decision works on, independent of any input format.

The BRP part (the client's verblijfplaatshistorie) is the shared :class:`~wpb.law.facts.Persoon`.
The rest is what the municipality knows of the request and of earlier beschermd wonen: the
aanmelding (to which gemeente, on which day, in which region), earlier placements and
applications, a running indication, and what the intake established about the exceptions of
art. 1.2.1a lid 1 onder b to d of the bill. Every fact carries ``bron``: its place in the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wpb.law.dates import PartialDate
from wpb.law.facts import Persoon
from wpb.law.wmo.predicates import AANMELDDATUM, DAG_VAN_DE_MELDING, PEILDATUM


@dataclass(frozen=True)
class BwRegio:
    """The beschermd-wonen region of the aanmeldgemeente, as the case states it.

    The 43 regions (centrumgemeente with its regiogemeenten) are not reference data in wpb;
    a case that needs the region must list its municipalities (docs/open-questions.md).
    """

    bron: str
    naam: str | None
    gemeenten: tuple[str, ...]
    # The region's centrumgemeente: who stays responsible for a client who is not a nieuwe
    # cliënt under the transitional rule. None: the case did not say.
    centrumgemeente: str | None = None

    def __contains__(self, code: object) -> bool:
        return code in self.gemeenten


@dataclass(frozen=True)
class Aanmelding:
    """The request: "de gemeente tot welke hij zich wendt" and the day he did so.

    ``datum`` None means the case did not say; the peildatum then stands for the day of the
    request (and the decision says so).
    """

    bron: str
    gemeente_code: str
    datum: date | None = None
    regio: BwRegio | None = None


@dataclass(frozen=True)
class BeschermdWonenPlaatsing:
    """An earlier beschermd-wonen placement.

    ``gemeente_code`` is the municipality whose college provided it ("verstrekt"), which is
    not necessarily where the facility is: ``locatie_gemeente`` is that, when known.
    ``einde`` is the day the beschermd wonen ended (its last day); None while it runs.
    """

    bron: str
    gemeente_code: str
    begin: PartialDate
    einde: PartialDate | None
    locatie_gemeente: str | None = None


@dataclass(frozen=True)
class Aanvraag:
    """An earlier application for beschermd wonen, to ``gemeente_code`` on ``datum``."""

    bron: str
    gemeente_code: str
    datum: PartialDate


@dataclass(frozen=True)
class Indicatie:
    """A beschermd-wonen indication: who provides it and for which days (``einde`` inclusive)."""

    bron: str
    centrumgemeente: str
    begin: date
    einde: date | None = None

    def covers(self, day: date) -> bool:
        return self.begin <= day and (self.einde is None or day <= self.einde)


@dataclass(frozen=True)
class Uitzonderingen:
    """What the intake established about art. 1.2.1a lid 1 onder b, c and d.

    True: the circumstance applies; False: it does not; None: not established. The full text
    of these exceptions is not in wpb's sources (docs/open-questions.md), so anything but
    False on all three means ``review``.
    """

    bron: str
    b: bool | None = None
    c: bool | None = None
    d: bool | None = None

    def items(self) -> tuple[tuple[str, bool | None], ...]:
        return (("b", self.b), ("c", self.c), ("d", self.d))


@dataclass(frozen=True)
class WmoBwCase:
    """One request for beschermd wonen, to be placed with the responsible gemeente.

    ``eerdere_aanvragen`` None means the case did not say (unknown), an empty tuple that there
    were none. ``briefadressen`` holds the ``bron`` of the client's BRP records whose
    ``functieAdres`` is a briefadres: a briefadres is not a woonadres (Wet BRP art. 1.1).
    """

    peildatum: date
    client: Persoon
    aanmelding: Aanmelding
    eerder_beschermd_wonen: tuple[BeschermdWonenPlaatsing, ...]
    eerdere_aanvragen: tuple[Aanvraag, ...] | None = None
    indicatie: Indicatie | None = None
    uitzonderingen: Uitzonderingen | None = None
    beoogde_gemeente: str | None = None
    briefadressen: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.aanmelding.datum is not None and self.aanmelding.datum > self.peildatum:
            raise ValueError(
                f"{self.aanmelding.bron}.datum {self.aanmelding.datum.isoformat()} ligt na de "
                f"peildatum {self.peildatum.isoformat()}"
            )

    @property
    def melddatum(self) -> date:
        """The day of the request; the peildatum when the case does not give it
        (:data:`wpb.law.wmo.predicates.DAG_VAN_DE_MELDING`)."""
        dag = DAG_VAN_DE_MELDING.van({AANMELDDATUM.name: self.aanmelding.datum,
                                      PEILDATUM.name: self.peildatum})
        assert isinstance(dag, date)
        return dag
