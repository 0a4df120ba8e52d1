"""The Wmo beschermd-wonen fact predicates, each declared once, for both executors.

Like :mod:`wpb.law.predicates` (which holds the predicates the Wmo shares with the Jeugdwet:
woonadres, buitenland, ingeschreven, aantekening), each predicate is an expression over the
fields of one fact, here :class:`WmoFacts`: the days that decide which rule applies, the
indication, the nieuwe cliënt and, per reading of the earlier placements, what that reading
says. The reference engine evaluates them with :func:`wpb.law.predicates.holds`; the national
executor compiles them to polars (:mod:`wpb.batch.compile`, the days as Date columns);
``tests/law/test_wmo_routes.py`` checks both ways on generated facts.

Two fields are folds over several placements and are computed by each executor itself
(named in docs/architecture.md as not yet derived): whether a placement runs at the request
and whether the last one ended less than twelve months before it (a reading of the earlier
placements). The state of each placement they fold over is declared once
(:mod:`wpb.law.wmo.spans`), and so are the parts of the nieuwe cliënt
(:mod:`wpb.law.wmo.nieuwe_client`: its window, its region and its answer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from wpb.law.predicates import Field, Predicate, Voor

# Wmo 2015 (BWBR0035362) is in force from 2015-01-01; beschermd wonen was AWBZ care before.
WMO_2015_VANAF = date(2015, 1, 1)
# The transitional rule of bill 36 288: its text is not in wpb's sources; what is known is the
# seed's rule (seed 004), given as its purport ("strekking"), not as statutory text (the
# source ``overgang`` of wpb.law.wmo.beschermd_wonen.bronnen). Its dates are declared beside it.
OVERGANG_STREKKING = (
    "[strekking; de tekst van het overgangsrecht ontbreekt in de bronnen van wpb] "
    "Cliënten met een indicatie voor beschermd wonen van vóór de inwerkingtreding blijven "
    "aangewezen op hun centrumgemeente zolang die indicatie loopt, uiterlijk tot en met "
    "31 december 2031. Het woonplaatsbeginsel geldt voor de nieuwe cliënt: wie in de 365 "
    "dagen vóór de melding in de regio waar hij zich meldt beschermd wonen heeft "
    "aangevraagd of gebruikt, is geen nieuwe cliënt en blijft in die periode aangewezen "
    "op de centrumgemeente van die regio."
)
# "uiterlijk tot en met 31 december 2031": the first day on which that no longer holds.
OVERGANG_TOT = date(2032, 1, 1)

# --- the fields of a Wmo case (WmoFacts) -------------------------------------------------------

MELDDATUM = Field("melddatum")  # the day of the request (else the peildatum: DAG_VAN_DE_MELDING)
PEILDATUM = Field("peildatum")
INWERKINGTREDING = Field("inwerkingtreding")  # the installation's setting; None: not in force
INDICATIE_BEGIN = Field("indicatie_begin")  # the indication given in the case, if any
INDICATIE_EINDE = Field("indicatie_einde")  # None: no end date
NIEUWE_CLIENT = Field("nieuwe_client")  # true, false, None: the facts do not decide
REGIO_CENTRUMGEMEENTE = Field("regio_centrumgemeente")  # of the region where he reports
# In one reading of the earlier placements (a fold over them, see the module docstring):
LOPEND_BESCHERMD_WONEN = Field("lopend_beschermd_wonen")  # a placement still runs at the request
# the placement that ended last ended less than twelve calendar months before the request
EERDER_BINNEN_TWAALF_MAANDEN = Field("eerder_binnen_twaalf_maanden")
# The intake's findings on art. 1.2.1a lid 1 onder b, c, d: true, false or None (not found).
UITZONDERING_B = Field("uitzondering_b")
UITZONDERING_C = Field("uitzondering_c")
UITZONDERING_D = Field("uitzondering_d")


AANMELDDATUM = Field("aanmelddatum")  # the day of the request as the case gives it (None: not)


@dataclass(frozen=True)
class EersteGegeven:
    """The value of the first of ``fields`` that is given (not None); ``betekenis`` says what
    it stands for."""

    fields: tuple[Field, ...]
    betekenis: str

    def van(self, values: Mapping[str, object]) -> object:
        """Its value, from the value of each field by name."""
        return next((values[f.name] for f in self.fields if values[f.name] is not None), None)


# Interpretation (docs/open-questions.md, "Choices"): the facts are measured on the day of the
# request; when the case does not give that day, the peildatum stands for it. WmoBwCase.melddatum
# evaluates it, the national executor compiles it (wpb.batch.wmo.compile.compile_eerste_gegeven).
DAG_VAN_DE_MELDING = EersteGegeven(
    (AANMELDDATUM, PEILDATUM),
    "de dag van de melding; de peildatum als de casus die dag niet geeft",
)


@dataclass(frozen=True)
class WmoFacts:
    melddatum: date
    peildatum: date
    inwerkingtreding: date | None = None
    indicatie_begin: date | None = None
    indicatie_einde: date | None = None
    nieuwe_client: bool | None = None
    regio_centrumgemeente: str | None = None
    lopend_beschermd_wonen: bool = False
    eerder_binnen_twaalf_maanden: bool = False
    uitzondering_b: bool | None = None
    uitzondering_c: bool | None = None
    uitzondering_d: bool | None = None


# --- which rule applies --------------------------------------------------------------------

MELDING_VOOR_WMO_2015 = Predicate(
    "melding_voor_wmo_2015",
    Voor(MELDDATUM, WMO_2015_VANAF),
    "de melding ligt vóór de Wmo 2015 (in werking vanaf 2015-01-01): beschermd wonen viel "
    "toen onder de AWBZ",
)
AANMELDGEMEENTE_GELDT = Predicate(
    "aanmeldgemeente_geldt",
    ~INWERKINGTREDING.is_present() | Voor(PEILDATUM, INWERKINGTREDING),
    "art. 1.2.1 onder b zoals geldend vanaf 2015 (de gemeente tot welke hij zich wendt): "
    "wetsvoorstel 36 288 is niet in werking, of nog niet op de peildatum",
)
# An indication "covers" a day from its begin to its end, both included (Indicatie.covers).
BESTAANDE_CLIENT = Predicate(
    "bestaande_client",
    Voor(INDICATIE_BEGIN, INWERKINGTREDING) & ~Voor(PEILDATUM, INDICATIE_BEGIN)
    & ~Voor(INDICATIE_EINDE, PEILDATUM),
    "een bestaande cliënt: een indicatie van vóór de inwerkingtreding die op de peildatum loopt",
)
NA_OVERGANG = Predicate(
    "na_overgang",
    ~Voor(PEILDATUM, OVERGANG_TOT),
    "de peildatum ligt na het overgangsrecht (dat loopt uiterlijk tot en met 2031-12-31)",
)
MELDING_VOOR_INWERKINGTREDING = Predicate(
    "melding_voor_inwerkingtreding",
    Voor(MELDDATUM, INWERKINGTREDING),
    "de melding ligt vóór de inwerkingtreding van wetsvoorstel 36 288",
)
OVERGANG_NIEUWE_CLIENT = Predicate(
    "overgang_nieuwe_client",
    INWERKINGTREDING.is_present() & ~Voor(MELDDATUM, INWERKINGTREDING)
    & ~Voor(PEILDATUM, INWERKINGTREDING) & Voor(PEILDATUM, OVERGANG_TOT) & ~MELDING_VOOR_WMO_2015,
    "het overgangsrecht voor wie geen nieuwe cliënt is geldt: een melding onder het "
    "woonplaatsbeginsel, beslist vóór 2032",
)
GEEN_NIEUWE_CLIENT = Predicate(
    "geen_nieuwe_client",
    NIEUWE_CLIENT.eq(False),
    "geen nieuwe cliënt: in de 365 dagen vóór de melding beschermd wonen aangevraagd of "
    "gebruikt in de regio waar hij zich meldt",
)
NIEUWE_CLIENT_ONBEKEND = Predicate(
    "nieuwe_client_onbekend",
    ~NIEUWE_CLIENT.is_present(),
    "niet vast te stellen of hij een nieuwe cliënt is",
)
REGIO_CENTRUM_BEKEND = Predicate(
    "regio_centrum_bekend",
    REGIO_CENTRUMGEMEENTE.is_present(),
    "de casus noemt de centrumgemeente van de regio waar hij zich meldt",
)

# Who stays with a centrumgemeente under the transitional rule (the decision's
# ``centrumgemeente``): a current client, or under the transition one who is not a nieuwe
# cliënt; only while the transitional rule runs.
BLIJFT_BIJ_CENTRUMGEMEENTE = Predicate(
    "blijft_bij_centrumgemeente",
    INWERKINGTREDING.is_present() & ~NA_OVERGANG
    & (BESTAANDE_CLIENT | (OVERGANG_NIEUWE_CLIENT & GEEN_NIEUWE_CLIENT)),
    "blijft volgens het overgangsrecht aangewezen op een centrumgemeente: die van zijn "
    "indicatie, of die van de regio waar hij zich meldt",
)

# --- art. 1.2.1a lid 1 onder a: earlier beschermd wonen --------------------------------------

LOPENDE_INDICATIE_BIJ_MELDING = Predicate(
    "lopende_indicatie_bij_melding",
    INDICATIE_BEGIN.is_present() & ~Voor(MELDDATUM, INDICATIE_BEGIN)
    & ~Voor(INDICATIE_EINDE, MELDDATUM),
    "bij de melding loopt een indicatie voor beschermd wonen",
)

# --- art. 1.2.1a lid 1 onder b, c en d: only an explicit "not applicable" passes ---------------

UITZONDERINGEN_UITGESLOTEN = Predicate(
    "uitzonderingen_uitgesloten",
    UITZONDERING_B.eq(False) & UITZONDERING_C.eq(False) & UITZONDERING_D.eq(False),
    "volgens de casus doen de omstandigheden van art. 1.2.1a lid 1 onder b, c en d zich niet voor",
)

WMO_PREDICATES = (
    MELDING_VOOR_WMO_2015, AANMELDGEMEENTE_GELDT, BESTAANDE_CLIENT, NA_OVERGANG,
    MELDING_VOOR_INWERKINGTREDING, OVERGANG_NIEUWE_CLIENT, GEEN_NIEUWE_CLIENT,
    NIEUWE_CLIENT_ONBEKEND, REGIO_CENTRUM_BEKEND, BLIJFT_BIJ_CENTRUMGEMEENTE,
    LOPENDE_INDICATIE_BIJ_MELDING, UITZONDERINGEN_UITGESLOTEN,
)

__all__ = [
    "AANMELDDATUM",
    "AANMELDGEMEENTE_GELDT",
    "BESTAANDE_CLIENT",
    "BLIJFT_BIJ_CENTRUMGEMEENTE",
    "DAG_VAN_DE_MELDING",
    "EERDER_BINNEN_TWAALF_MAANDEN",
    "GEEN_NIEUWE_CLIENT",
    "INDICATIE_BEGIN",
    "INDICATIE_EINDE",
    "INWERKINGTREDING",
    "LOPEND_BESCHERMD_WONEN",
    "LOPENDE_INDICATIE_BIJ_MELDING",
    "MELDDATUM",
    "MELDING_VOOR_INWERKINGTREDING",
    "MELDING_VOOR_WMO_2015",
    "NA_OVERGANG",
    "NIEUWE_CLIENT",
    "NIEUWE_CLIENT_ONBEKEND",
    "OVERGANG_NIEUWE_CLIENT",
    "OVERGANG_STREKKING",
    "OVERGANG_TOT",
    "PEILDATUM",
    "REGIO_CENTRUMGEMEENTE",
    "REGIO_CENTRUM_BEKEND",
    "UITZONDERINGEN_UITGESLOTEN",
    "UITZONDERING_B",
    "UITZONDERING_C",
    "UITZONDERING_D",
    "WMO_2015_VANAF",
    "WMO_PREDICATES",
    "EersteGegeven",
    "WmoFacts",
]
