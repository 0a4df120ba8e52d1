"""Dutch words for the codes the pages show; dates and counts are formatted by
:mod:`wpb.service.web.dutch` (re-exported here for the modules that import them from here)."""

from __future__ import annotations

from wpb.service.web.dutch import MONTHS, dutch_date, dutch_moment

# --- Dutch words for codes ------------------------------------------------------------------

STATUS_LABELS = {
    "aangeleverd": "Aangeleverd",
    "geaccepteerd": "Geaccepteerd",
    "afgewezen": "Afgewezen",
    "afgerond": "Afgerond",
    "doorgestuurd": "Doorgestuurd",
    "ingetrokken": "Ingetrokken",
    "teruggenomen": "Teruggenomen",
}

PARTIJ_LABELS = {
    "latende_gemeente": "Latende gemeente",
    "ontvangende_gemeente": "Ontvangende gemeente",
    "aanbieder": "Aanbieder",
}

TAAK_STATUS_LABELS = {
    "gedaan": "Gedaan",
    "te_laat": "Te laat",
    "nog_niet_mogelijk": "Nog niet mogelijk",
    "open": "Open",
}

DECISION_STATUS_LABELS = {
    "bepaald": "Bepaald",
    "review": "Beoordeling door een medewerker nodig",
}

# Messages after a successful action: the redirect carries only the code.
MELDINGEN = {
    "geaccepteerd": "De overdracht is geaccepteerd.",
    "afgewezen": "De overdracht is afgewezen; de onderbouwing is vastgelegd.",
    "afgerond": "De overdracht is afgerond gemeld.",
    "doorgestuurd": "De afgewezen overdracht is doorgestuurd. Dit is de nieuwe overdracht.",
    "gecorrigeerd": "De regel is gecorrigeerd; de oude waarden staan in de tijdlijn.",
    "ingetrokken": "De overdracht is ingetrokken.",
    "heroverwogen": "De afwijzing is heroverwogen; de overdracht is geaccepteerd.",
    "teruggenomen": "De jeugdige is teruggenomen; uw gemeente blijft verantwoordelijk.",
    "brp-gekoppeld": "De BRP-gegevens zijn aan de overdracht gekoppeld.",
    "woonplaats-bepaald": "De woonplaatstoets is uitgevoerd en de beslissing is vastgelegd.",
    "taak-gedaan": "De taak is als gedaan gemarkeerd.",
    "taak-open": "De taak staat weer open.",
    "sessie-verlopen": "Uw sessie is verlopen of u bent niet ingelogd. Log (opnieuw) in.",
}

FIELD_LABELS = {
    "regelId": "Regel",
    "toewijzingEinddatum": "Nieuwe einddatum toewijzing",
    "product": "Nieuw product",
    "aanbiederAgb": "Nieuwe AGB-code aanbieder",
    "reden": "Reden van de intrekking",
    "toelichting": "Toelichting",
    "gebruikersnaam": "Gebruikersnaam",
    "wachtwoord": "Wachtwoord",
    "onderbouwing": "Onderbouwing",
    "gebruikWoonplaatsbeslissing": "Woonplaatsbeslissing als onderbouwing",
    "toewijzingIngangsdatum": "Ingangsdatum nieuwe toewijzing",
    "toewijzingReferentie": "Referentie nieuwe toewijzing",
    "gemeente": "Gemeente",
    "bsn": "BSN",
    "bestand": "Bestand",
    "document": "BRP-document",
    "brp": "BRP-gegevens",
    "peildatum": "Peildatum",
    "verantwoordelijkPeildatum": "Peildatum verantwoordelijkheid",
    "versie": "Versie",
    "status": "Status",
    "aanleverdatumVan": "Aanleverdatum vanaf",
    "aanleverdatumTot": "Aanleverdatum tot en met",
    "pagina": "Pagina",
    "richting": "Richting",
    "formaat": "Formaat",
    "gedaan": "Taak",
    "taak": "Taak",
    # The Wmo facts of a woonplaatstoets beschermd wonen (wmo-bw).
    "aanmeldingGemeente": "Aanmelding, gemeente",
    "aanmeldingDatum": "Aanmelding, datum",
    "eerderBeschermdWonen": "Eerder beschermd wonen",
    "eerdereAanvragen": "Eerdere aanvragen",
    "indicatieCentrumgemeente": "Lopende indicatie, centrumgemeente",
    "indicatieBegin": "Lopende indicatie, begin",
    "indicatieEinde": "Lopende indicatie, einde",
    "uitzonderingB": "Uitzondering onder b",
    "uitzonderingC": "Uitzondering onder c",
    "uitzonderingD": "Uitzondering onder d",
    "beoogdeGemeente": "Beoogde gemeente",
}

# Clearer wording for a required field that was left empty.
REQUIRED_MESSAGES = {
    "gebruikersnaam": "Vul uw gebruikersnaam in",
    "wachtwoord": "Vul uw wachtwoord in",
    "onderbouwing": "Geef een onderbouwing van de afwijzing, of gebruik de vastgelegde "
    "woonplaatsbeslissing",
    "toewijzingIngangsdatum": "Vul de ingangsdatum van de nieuwe toewijzing in",
    "toewijzingReferentie": "Vul de referentie van de nieuwe toewijzing in",
    "gemeente": "Kies de gemeente waarnaar u de overdracht doorstuurt",
    "bestand": "Kies een CSV- of XLSX-bestand",
    "document": "Kies een BRP-document (JSON)",
    "bsn": "Vul een BSN in",
    "aanmeldingGemeente": "Vul de gemeente van de aanmelding in (4 cijfers)",
    "eerderBeschermdWonen": "Vul de eerdere plaatsingen beschermd wonen in als JSON-lijst, "
    "of [] als er geen waren",
    "indicatieCentrumgemeente": "Vul de centrumgemeente van de lopende indicatie in",
    "indicatieBegin": "Vul de begindatum van de lopende indicatie in",
}


# The timeline's kinds of event in words (a status change shows its statuses instead).
EVENT_LABELS = {
    "aangeleverd": "Aangeleverd",
    "aangevuld": "Aangevuld met een regel",
    "brp": "BRP-gegevens gekoppeld",
    "woonplaats": "Woonplaatstoets uitgevoerd",
    "taak": "Taak bijgewerkt",
    "accepteren": "Geaccepteerd",
    "afwijzen": "Afgewezen",
    "afronden": "Afgerond gemeld",
    "doorsturen": "Doorgestuurd",
    "corrigeren": "Gecorrigeerd",
    "intrekken": "Ingetrokken",
    "heroverwegen": "Afwijzing heroverwogen",
    "terugnemen": "Teruggenomen",
}

WET_LABELS = {
    "jeugdwet": "Jeugdwet",
    "wmo-bw": "Wmo beschermd wonen",
}

__all__ = [
    "DECISION_STATUS_LABELS", "EVENT_LABELS", "FIELD_LABELS", "MELDINGEN", "MONTHS",
    "PARTIJ_LABELS", "REQUIRED_MESSAGES", "STATUS_LABELS", "TAAK_STATUS_LABELS", "WET_LABELS",
    "dutch_date", "dutch_moment",
]
