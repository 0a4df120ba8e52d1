"""The iJw 3.2 retourberichten: which answers which message, and where their RetourCodes go.

Every message a party receives is answered with a retourbericht that carries the
retourcodes (WJ001) of the checks that fired (iStandaarden iJw 3.2; OP090 sets the term).
For JW301, JW305, JW307, JW315, JW317 and JW319 the retourbericht is the received message
itself in the namespace of its retour type, with four more header elements
(IdentificatieRetour, DagtekeningRetour, optional XsltVersie, XsdVersieRetour), an
optional RetourCodes in the header and a required RetourCodes closing every *record*
(the complex types the retour XSD gives a RetourCodes). A declaratie (JW323) is answered
with a declaratie-antwoord (JW325): a new message from the gemeente that names the
declaratie and copies its clients and prestaties, each with RetourCodes.

The layouts below are the retour XSDs' structure written in code (wpb does not ship the
XSDs); tests validate what wpb writes against the XSD files in ``../shared``.
"""

from __future__ import annotations

from enum import Enum

from wpb.ijw.models import BerichtType, IjwNamespace


class RetourType(IjwNamespace, str, Enum):
    """The retourberichten of iJw 3.2, with their COD002 berichtcode."""

    JW302 = "JW302"
    JW306 = "JW306"
    JW308 = "JW308"
    JW316 = "JW316"
    JW318 = "JW318"
    JW320 = "JW320"
    JW325 = "JW325"

    @property
    def berichtcode(self) -> str:
        return _BERICHTCODES[self]

    @property
    def heen(self) -> BerichtType:
        """The message this retourbericht answers."""
        return _HEEN[self]

    @property
    def records(self) -> frozenset[str]:
        """Local names of the elements that close with a required RetourCodes."""
        return _RECORDS[self]

    @property
    def omschrijving(self) -> str:
        if self is RetourType.JW325:
            return "declaratie-antwoord op een JW323"
        return f"retourbericht op een {self.heen.value}"


_BERICHTCODES = {
    RetourType.JW302: "437",
    RetourType.JW306: "439",
    RetourType.JW308: "441",
    RetourType.JW316: "447",
    RetourType.JW318: "487",
    RetourType.JW320: "489",
    RetourType.JW325: "491",
}
_HEEN = {
    RetourType.JW302: BerichtType.JW301,
    RetourType.JW306: BerichtType.JW305,
    RetourType.JW308: BerichtType.JW307,
    RetourType.JW316: BerichtType.JW315,
    RetourType.JW318: BerichtType.JW317,
    RetourType.JW320: BerichtType.JW319,
    RetourType.JW325: BerichtType.JW323,
}
_RECORDS = {
    RetourType.JW302: frozenset({"Client", "Relatie", "Contact", "ToegewezenProduct"}),
    RetourType.JW306: frozenset({"Client", "StartProduct"}),
    RetourType.JW308: frozenset({"Client", "StopProduct"}),
    RetourType.JW316: frozenset({"Client", "AangevraagdProduct"}),
    RetourType.JW318: frozenset(
        {"Client", "Verzoek", "OngewijzigdProduct", "TeWijzigenProduct", "NieuwProduct"}
    ),
    RetourType.JW320: frozenset({"Antwoord", "Woonplaatsbeginsel"}),
    RetourType.JW325: frozenset({"DeclaratieAntwoord", "Client", "Prestatie"}),
}

RETOUR_OP: dict[BerichtType, RetourType] = {heen: retour for retour, heen in _HEEN.items()}
"""The retourbericht that answers each message type."""

ONTVANGEN_DOOR_GEMEENTE = frozenset(
    t for t in BerichtType if not t.afzender_is_gemeente
)  # JW305, JW307, JW315, JW317, JW323: the gemeente answers these

# WJ001 codes with a fixed meaning in every retourbericht.
TECHNISCH_AFGEKEURD = "0001"  # the message (or record) is rejected; IV032
GEEN_OPMERKING = "0200"  # nothing to remark on this record
DECLARATIE_VOLLEDIG_TOEGEWEZEN = "8001"  # JW325: every prestatie is granted
