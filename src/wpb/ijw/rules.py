"""The iStandaarden iJw 3.2 rules on a message's content, checked in code.

The XSD says what a message may look like; these rules say what it may say. Each check
cites its rule from "Regels op berichten iJw release 3.2" (Zorginstituut Nederland,
iStandaarden), paraphrased beside the code. Rules checked inside one message are
controleniveau 2: a breach rejects the message with retourcode 0001 (IV032). Rules that
need outside knowledge carry their own retourcode (TR056 9056, TR135 8848, TR378 S300).

Rules that need earlier messages (a VOW against the current toewijzingen, TR349-TR351;
declarations against toewijzingen, TR307 ...) are not in this module: they need the
service's store. What a single message and the municipality table can tell is here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Protocol

from wpb.ijw import codelists as cl
from wpb.ijw import models as m
from wpb.ijw.models import Bericht, BerichtSleutel, BerichtType, sleutel
from wpb.ijw.problems import Problem
from wpb.law.gemeenten import GemeenteRegister, UnknownGemeente

RETOURCODE_TECHNISCH = "0001"  # IV032: a breach found inside the message (controleniveau 2)
RETOURCODES = {"TR056": "9056", "TR135": "8848", "TR378": "S300"}
EIND_ASPECIFIEK = date(2020, 12, 31)  # CD080/CD095/CD096: no Omvang without Code after this

_ROOT = "/Bericht"


def _p(element: str, regel: str, probleem: str, waarde: object = None) -> Problem:
    return Problem(
        element,
        regel,
        probleem,
        waarde=None if waarde is None else str(waarde),
        retourcode=RETOURCODES.get(regel, RETOURCODE_TECHNISCH),
    )


def check(bericht: Bericht, *, register: GemeenteRegister | None = None,
          vandaag: date | None = None) -> list[Problem]:
    """Every rule breach in one message. ``register`` enables TR378, ``vandaag`` TR135."""
    out = check_header(bericht, register=register, vandaag=vandaag)
    if isinstance(bericht, m.JW301):
        out += check_jw301(bericht)
    # JW305's own rules (TR019, TR063, TR326 ...) all compare with earlier messages.
    elif isinstance(bericht, m.JW307):
        out += _check_stop(bericht)
    elif isinstance(bericht, m.JW315):
        out += check_jw315(bericht)
    elif isinstance(bericht, m.JW317):
        out += check_jw317(bericht)
    elif isinstance(bericht, m.JW319):
        out += check_jw319(bericht, register=register)
    elif isinstance(bericht, m.JW323):
        out += check_jw323(bericht)
    return out


# --- header ---------------------------------------------------------------------------


def gemeente_in_header(bericht: Bericht) -> str:
    h = bericht.header
    return h.afzender if bericht.type.afzender_is_gemeente else h.ontvanger


def ingangsdata(bericht: Bericht) -> list[date]:
    """The (Toewijzing)Ingangsdata TR378 allows the gemeentecode to be checked on."""
    if isinstance(bericht, m.JW301):
        return [p.ingangsdatum for p in bericht.client.toegewezen_producten]
    if isinstance(bericht, m.JW315):
        return [p.toewijzing_ingangsdatum for p in bericht.client.aangevraagde_producten]
    if isinstance(bericht, m.JW317):
        v = bericht.client.verzoek
        return [p.gewenste_ingangsdatum for p in (*v.te_wijzigen_producten, *v.nieuwe_producten)]
    return []


def check_gemeentecode(code: str, op: Sequence[date], register: GemeenteRegister,
                       element: str) -> list[Problem]:
    """TR378: a gemeentecode from the CBS list that is current on one of the dates ``op``.

    "Vullen met een bestaande gemeentecode uit het overzicht van CBS dat actueel is op
    Ingangsdatum of ToewijzingIngangsdatum." After a herindeling an older list, current on
    the Ingangsdatum, is allowed; so the code passes when it exists on any of ``op``.
    """
    try:
        gemeente = register.get(code)
    except UnknownGemeente:
        return [_p(element, "TR378", f"gemeentecode {code} staat niet in de gemeentetabel", code)]
    if any(gemeente.exists_on(day) for day in op):
        return []
    days = ", ".join(sorted({d.isoformat() for d in op}))
    return [_p(element, "TR378", f"gemeente {code} ({gemeente.naam}) bestond niet op {days}", code)]


def check_header(bericht: Bericht, *, register: GemeenteRegister | None = None,
                 vandaag: date | None = None) -> list[Problem]:
    out: list[Problem] = []
    h = bericht.header
    where = f"{_ROOT}/Header"
    if h.berichtcode != bericht.type.berichtcode:
        out.append(Problem(f"{where}/BerichtCode", "XSD",
                           f"berichtcode {h.berichtcode} hoort niet bij {bericht.type.value}; "
                           f"verwacht {bericht.type.berichtcode} (COD002)", waarde=h.berichtcode))
    if (h.berichtversie, h.berichtsubversie) != (m.BERICHT_VERSIE, m.BERICHT_SUBVERSIE):
        out.append(Problem(f"{where}/BerichtVersie", "XSD",
                           f"versie {h.berichtversie}.{h.berichtsubversie}; wpb leest iJw "
                           f"{m.BERICHT_VERSIE}.{m.BERICHT_SUBVERSIE}",
                           waarde=f"{h.berichtversie}.{h.berichtsubversie}"))
    # TR135: "Vullen met een bestaande datum die niet in de toekomst ligt."
    if vandaag is not None and h.dagtekening > vandaag:
        out.append(_p(f"{where}/BerichtIdentificatie/Dagtekening", "TR135",
                      f"dagtekening {h.dagtekening} ligt na vandaag ({vandaag})", h.dagtekening))
    if register is not None:
        element = f"{where}/{'Afzender' if bericht.type.afzender_is_gemeente else 'Ontvanger'}"
        out += check_gemeentecode(gemeente_in_header(bericht),
                                  [h.dagtekening, *ingangsdata(bericht)], register, element)
    return out


# --- products: Omvang, Budget, Einddatum ----------------------------------------------


@dataclass(frozen=True)
class _Aanvraag:
    """The parts of a ToegewezenProduct, AangevraagdProduct or NieuwProduct the rules read."""

    path: str
    product: m.Product | None
    ingang: date
    eind: date | None
    omvang: m.Omvang | None
    budget: int | None
    ingang_element: str
    eind_element: str
    verwijderd: bool = False


def check_omvang_budget(a: _Aanvraag, *, code_leeg_regel: str | None) -> list[Problem]:
    """Omvang and Budget of one product.

    - CD077/CD078: "Indien Budget gevuld is, dan [Omvang] leeg laten" and the reverse:
      Omvang and Budget exclude each other.
    - CD075: "Verplicht vullen indien Budget gevuld is": a Budget needs an Einddatum.
    - CD076: "Verplicht vullen indien Frequentie waarde 2 (per week)": Einddatum too.
    - CD041: "Indien Code in Product gevuld is, verplicht vullen": Omvang.
    - CD080 (JW301), CD095 (JW315), CD096 (JW317): without a product Code and with an
      Einddatum after 2020-12-31 or none, Omvang stays empty (aspecifiek and generiek
      toewijzen goes by Budget).
    - TR018: "Einddatum moet groter dan of gelijk zijn aan Begindatum."
    """
    out: list[Problem] = []
    if a.omvang is not None and a.budget is not None:
        out.append(_p(f"{a.path}/Budget", "CD077",
                      "Omvang en Budget sluiten elkaar uit (CD077/CD078): vul er één",
                      a.budget))
    if a.budget is not None and a.eind is None:
        out.append(_p(f"{a.path}/{a.eind_element}", "CD075",
                      f"{a.eind_element} is verplicht als Budget gevuld is"))
    if a.omvang is not None and a.omvang.frequentie == cl.FREQUENTIE_PER_WEEK and a.eind is None:
        out.append(_p(f"{a.path}/{a.eind_element}", "CD076",
                      f"{a.eind_element} is verplicht bij Frequentie 2 (per week)"))
    has_code = a.product is not None and a.product.code is not None
    if has_code and a.omvang is None:
        out.append(_p(f"{a.path}/Omvang", "CD041",
                      "Omvang is verplicht als Product/Code gevuld is"))
    if (code_leeg_regel and not has_code and a.omvang is not None
            and (a.eind is None or a.eind > EIND_ASPECIFIEK)):
        out.append(_p(f"{a.path}/Omvang", code_leeg_regel,
                      "Omvang moet leeg blijven zonder Product/Code bij een einddatum na "
                      f"{EIND_ASPECIFIEK} of zonder einddatum: gebruik Budget"))
    if a.eind is not None and a.eind < a.ingang:
        out.append(_p(f"{a.path}/{a.eind_element}", "TR018",
                      f"{a.eind_element} {a.eind} ligt vóór {a.ingang_element} {a.ingang}",
                      a.eind))
    return out


def _same_product(a: m.Product | None, b: m.Product | None) -> bool:
    # OP259/TR302: the same product is the same code, or the same categorie where a code
    # is missing; without a categorie, nothing else may overlap.
    if a is None or b is None:
        return True
    if a.code is not None and b.code is not None:
        return a.code == b.code
    return a.categorie == b.categorie


def _overlap(a: _Aanvraag, b: _Aanvraag) -> bool:
    return (a.eind is None or b.ingang <= a.eind) and (b.eind is None or a.ingang <= b.eind)


def check_stapeling(items: Sequence[_Aanvraag], regel: str) -> list[Problem]:
    """TR302 (JW301), TR386 (JW315), TR410 (JW317): a product occurs more than once only
    when the periods do not overlap. Removed toewijzingen (einddatum = ingangsdatum with
    RedenWijziging 13 or 01) do not count."""
    out: list[Problem] = []
    live = [a for a in items if not a.verwijderd]
    for i, later in enumerate(live):
        for earlier in live[:i]:
            if _same_product(earlier.product, later.product) and _overlap(earlier, later):
                out.append(_p(later.path, regel,
                              f"zelfde product als {earlier.path.rsplit('/', 1)[-1]} "
                              "in een overlappende periode (stapeling)"))
                break
    return out


def _is_verwijderd(p: m.ToegewezenProduct) -> bool:
    return p.einddatum == p.ingangsdatum and p.reden_wijziging in (
        cl.REDEN_WIJZIGING_VERWIJDERD, "01"
    )


def toegewezen(p: m.ToegewezenProduct, path: str) -> _Aanvraag:
    return _Aanvraag(path, p.product, p.ingangsdatum, p.einddatum, p.omvang, p.budget,
                     "Ingangsdatum", "Einddatum", _is_verwijderd(p))


def aangevraagd(p: m.AangevraagdProduct, path: str) -> _Aanvraag:
    return _Aanvraag(path, p.product, p.toewijzing_ingangsdatum, p.toewijzing_einddatum,
                     p.omvang, p.budget, "ToewijzingIngangsdatum", "ToewijzingEinddatum")


# --- JW301 ----------------------------------------------------------------------------


def _check_contact(c: m.Contact, path: str) -> list[Problem]:
    out: list[Problem] = []
    # TR006: "De berichtklasse Contact moet een berichtelement Telefoon, en/of de combinatie
    # Huis en Postcode bevatten."
    has_address = c.adres is not None and c.adres.huis is not None and c.adres.postcode
    if c.telefoon is None and not has_address:
        out.append(_p(path, "TR006", "Contact heeft geen Telefoon en geen Huis met Postcode"))
    # CD034: with Soort 01 (BRP-adres) or 03 (verblijfadres) the Adres is required.
    if c.soort in ("01", "03") and c.adres is None:
        out.append(_p(f"{path}/Adres", "CD034", f"Adres is verplicht bij Soort {c.soort}"))
    # CD009: a Periode only with Soort 04 (tijdelijk adres).
    if c.periode is not None and c.soort != "04":
        out.append(_p(f"{path}/Periode", "CD009",
                      f"Periode mag alleen bij Soort 04 (tijdelijk adres), niet bij {c.soort}"))
    if c.periode is not None and c.periode.begindatum and c.periode.einddatum \
            and c.periode.einddatum < c.periode.begindatum:
        out.append(_p(f"{path}/Periode/Einddatum", "TR018", "Einddatum ligt vóór Begindatum",
                      c.periode.einddatum))
    return out


def check_jw301(bericht: m.JW301) -> list[Problem]:
    client = bericht.client
    base = f"{_ROOT}/Client"
    out: list[Problem] = []
    # TR061: at least one Adres with Soort 01, 02 or 03 for the client.
    if not any(c.soort in ("01", "02", "03") and c.adres is not None
               for c in client.contactgegevens):
        out.append(_p(f"{base}/Contactgegevens", "TR061",
                      "minstens één Contact met Adres en Soort 01, 02 of 03 is verplicht"))
    for i, c in enumerate(client.contactgegevens, start=1):
        out += _check_contact(c, f"{base}/Contactgegevens/Contact[{i}]")
    for i, r in enumerate(client.relaties, start=1):
        out += _check_contact(r.contact, f"{base}/Relaties/Relatie[{i}]/Contact")
    # CD007: Taal when Communicatie/Vorm is 1 (tolk taal), else empty.
    if client.communicatie is not None:
        vorm, taal = client.communicatie.vorm, client.communicatie.taal
        if (vorm == "1") != (taal is not None):
            out.append(_p(f"{base}/Communicatie/Taal", "CD007",
                          "Taal is verplicht bij Vorm 1 (tolk taal) en anders leeg"))
    items = []
    seen: dict[int, int] = {}
    for i, p in enumerate(client.toegewezen_producten, start=1):
        path = f"{base}/ToegewezenProducten/ToegewezenProduct[{i}]"
        a = toegewezen(p, path)
        items.append(a)
        out += check_omvang_budget(a, code_leeg_regel="CD080")
        # TR101: no duplicate class within a message; the key is the ToewijzingNummer.
        if p.toewijzing_nummer in seen:
            out.append(_p(f"{path}/ToewijzingNummer", "TR101",
                          f"ToewijzingNummer {p.toewijzing_nummer} staat ook in "
                          f"ToegewezenProduct[{seen[p.toewijzing_nummer]}]", p.toewijzing_nummer))
        seen.setdefault(p.toewijzing_nummer, i)
    out += check_stapeling(items, "TR302")
    return out


def _check_stop(bericht: m.JW307) -> list[Problem]:
    out = []
    for i, p in enumerate(bericht.client.stop_producten, start=1):
        if p.einddatum < p.begindatum:
            out.append(_p(f"{_ROOT}/Client/StopProducten/StopProduct[{i}]/Einddatum", "TR018",
                          f"Einddatum {p.einddatum} ligt vóór Begindatum {p.begindatum}",
                          p.einddatum))
    return out


# --- JW315 ----------------------------------------------------------------------------


def _check_verwijzer(v: m.Verwijzer, path: str) -> list[Problem]:
    # CD066-CD068: for a huisarts/jeugdarts/GI/medisch specialist (02-05) either the AGB
    # ZorgverlenerCode or the Naam, not both; other types carry no ZorgverlenerCode.
    out: list[Problem] = []
    if v.type in ("02", "03", "04", "05"):
        if v.zorgverlener_code is not None and v.naam is not None:
            out.append(_p(f"{path}/Naam", "CD066",
                          f"Naam moet leeg zijn als ZorgverlenerCode gevuld is (Type {v.type})"))
        if v.zorgverlener_code is None and v.naam is None:
            out.append(_p(f"{path}/Naam", "CD067",
                          f"Naam is verplicht zonder ZorgverlenerCode (Type {v.type})"))
    elif v.zorgverlener_code is not None:
        out.append(_p(f"{path}/ZorgverlenerCode", "CD068",
                      f"ZorgverlenerCode moet leeg zijn bij Type {v.type}"))
    return out


def check_jw315(bericht: m.JW315) -> list[Problem]:
    base = f"{_ROOT}/Client/AangevraagdeProducten/AangevraagdProduct"
    out: list[Problem] = []
    items = []
    refs: dict[str, int] = {}
    for i, p in enumerate(bericht.client.aangevraagde_producten, start=1):
        path = f"{base}[{i}]"
        a = aangevraagd(p, path)
        items.append(a)
        out += check_omvang_budget(a, code_leeg_regel="CD095")
        out += _check_verwijzer(p.verwijzer, f"{path}/Verwijzer")
        # CD043: BeschikkingIngangsdatum exactly when a BeschikkingNummer is given.
        if (p.beschikking_nummer is None) != (p.beschikking_ingangsdatum is None):
            out.append(_p(f"{path}/BeschikkingIngangsdatum", "CD043",
                          "BeschikkingIngangsdatum is verplicht bij een BeschikkingNummer "
                          "en anders leeg"))
        # TR383: "ReferentieAanbieder is uniek voor elk AangevraagdProduct binnen het bericht."
        if p.referentie_aanbieder in refs:
            out.append(_p(f"{path}/ReferentieAanbieder", "TR383",
                          f"ReferentieAanbieder {p.referentie_aanbieder!r} staat ook in "
                          f"AangevraagdProduct[{refs[p.referentie_aanbieder]}]",
                          p.referentie_aanbieder))
        refs.setdefault(p.referentie_aanbieder, i)
    out += check_stapeling(items, "TR386")
    return out


# --- JW317 ----------------------------------------------------------------------------


def check_jw317(bericht: m.JW317) -> list[Problem]:
    v = bericht.client.verzoek
    base = f"{_ROOT}/Client/Verzoek"
    out: list[Problem] = []
    # TR352: at least one OngewijzigdProduct or TeWijzigenProduct (a VOW starts from a
    # current toewijzing); TR353: at least one TeWijzigenProduct or NieuwProduct.
    if not v.ongewijzigde_producten and not v.te_wijzigen_producten:
        out.append(_p(base, "TR352", "een verzoek om wijziging noemt minstens één "
                                     "OngewijzigdProduct of TeWijzigenProduct"))
    if not v.te_wijzigen_producten and not v.nieuwe_producten:
        out.append(_p(base, "TR353", "een verzoek om wijziging vraagt minstens één "
                                     "TeWijzigenProduct of NieuwProduct"))
    for i, t in enumerate(v.te_wijzigen_producten, start=1):
        path = f"{base}/TeWijzigenProducten/TeWijzigenProduct[{i}]"
        a = _Aanvraag(path, None, t.gewenste_ingangsdatum, t.einddatum, t.omvang, t.budget,
                      "GewensteIngangsdatum", "Einddatum")
        # The product lives in the original toewijzing: CD041/CD096 need it (TR411/TR412).
        out += [p for p in check_omvang_budget(a, code_leeg_regel=None) if p.regel != "CD041"]
    items = []
    for i, n in enumerate(v.nieuwe_producten, start=1):
        path = f"{base}/NieuweProducten/NieuwProduct[{i}]"
        a = _Aanvraag(path, n.product, n.gewenste_ingangsdatum, n.einddatum, n.omvang,
                      n.budget, "GewensteIngangsdatum", "Einddatum")
        items.append(a)
        out += check_omvang_budget(a, code_leeg_regel="CD096")
    out += check_stapeling(items, "TR410")
    return out


# --- JW319 ----------------------------------------------------------------------------


def check_jw319(bericht: m.JW319, *, register: GemeenteRegister | None = None) -> list[Problem]:
    a = bericht.antwoord
    base = f"{_ROOT}/Antwoord"
    out: list[Problem] = []
    # CD085: with VerzoekAntwoord 1 (verzoek afgewezen) a RedenAfwijzingVerzoek is required;
    # CD086: with 2 (aanvraag in onderzoek) it stays empty.
    if a.verzoek_antwoord == cl.VERZOEK_AFGEWEZEN and a.reden_afwijzing_verzoek is None:
        out.append(_p(f"{base}/RedenAfwijzingVerzoek", "CD085",
                      "RedenAfwijzingVerzoek is verplicht bij VerzoekAntwoord 1 (afgewezen)"))
    if a.verzoek_antwoord == cl.AANVRAAG_IN_ONDERZOEK and a.reden_afwijzing_verzoek is not None:
        out.append(_p(f"{base}/RedenAfwijzingVerzoek", "CD086",
                      "RedenAfwijzingVerzoek moet leeg zijn bij VerzoekAntwoord 2 "
                      "(aanvraag in onderzoek)", a.reden_afwijzing_verzoek))
    code8 = a.reden_afwijzing_verzoek == cl.REDEN_AFWIJZING_WOONPLAATSBEGINSEL
    # TR377: "Indien RedenAfwijzingVerzoek de waarde 8 (Woonplaatsbeginsel) heeft, dan
    # berichtklasse Woonplaatsbeginsel opnemen."
    if code8 and a.woonplaatsbeginsel_gemeente is None:
        out.append(_p(f"{base}/Woonplaatsbeginsel", "TR377",
                      "Woonplaatsbeginsel/Gemeente is verplicht bij RedenAfwijzingVerzoek 8 "
                      "(woonplaatsbeginsel): noem de verantwoordelijke gemeente"))
    # TR409: "Als RedenAfwijzingVerzoek ongelijk is aan 8 (Woonplaatsbeginsel), dan
    # berichtklasse Woonplaatsbeginsel weglaten."
    if not code8 and a.woonplaatsbeginsel_gemeente is not None:
        out.append(_p(f"{base}/Woonplaatsbeginsel", "TR409",
                      "Woonplaatsbeginsel mag alleen bij RedenAfwijzingVerzoek 8; hier is de "
                      f"reden {a.reden_afwijzing_verzoek or 'leeg'}",
                      a.woonplaatsbeginsel_gemeente))
    if code8 and a.woonplaatsbeginsel_gemeente is not None:
        element = f"{base}/Woonplaatsbeginsel/Gemeente"
        # IV095: the Gemeente is the one that is responsible according to the sender,
        # so that the provider knows where to send the VOT; naming itself tells nothing.
        if a.woonplaatsbeginsel_gemeente == bericht.header.afzender:
            out.append(_p(element, "IV095",
                          "de afwijzende gemeente noemt zichzelf als verantwoordelijke gemeente",
                          a.woonplaatsbeginsel_gemeente))
        if register is not None:
            out += check_gemeentecode(a.woonplaatsbeginsel_gemeente,
                                      [bericht.header.dagtekening], register, element)
    return out


def reden_andere_gemeente(beantwoordt: BerichtType) -> str:
    """IV095: RedenAfwijzingVerzoek when another gemeente is responsible.

    8 (woonplaatsbeginsel, with Woonplaatsbeginsel/Gemeente) answers a verzoek om
    toewijzing; any other wrong-municipality case, such as a verzoek om wijziging, gets 5
    (andere gemeente).
    """
    if beantwoordt is BerichtType.JW315:
        return cl.REDEN_AFWIJZING_WOONPLAATSBEGINSEL
    return cl.REDEN_AFWIJZING_ANDERE_GEMEENTE


def check_antwoord_op(antwoord: m.JW319, beantwoordt: BerichtType) -> list[Problem]:
    """IV095 in context: code 8 only in an answer to a VOT (JW315)."""
    if beantwoordt not in (BerichtType.JW315, BerichtType.JW317):
        raise ValueError(f"een antwoordbericht beantwoordt een JW315 of JW317, niet {beantwoordt}")
    reden = antwoord.antwoord.reden_afwijzing_verzoek
    if reden == cl.REDEN_AFWIJZING_WOONPLAATSBEGINSEL and beantwoordt is not BerichtType.JW315:
        return [_p(f"{_ROOT}/Antwoord/RedenAfwijzingVerzoek", "IV095",
                   "reden 8 (woonplaatsbeginsel) is alleen voor een afgewezen verzoek om "
                   f"toewijzing; dit antwoordt op een {beantwoordt.value} "
                   f"({beantwoordt.omschrijving}): gebruik 5 (andere gemeente)", reden)]
    return []


# --- JW323 ----------------------------------------------------------------------------


def _maand(p: m.GeslotenPeriode) -> bool:
    return (p.begindatum.year, p.begindatum.month) == (p.einddatum.year, p.einddatum.month)


def check_jw323(bericht: m.JW323) -> list[Problem]:
    d = bericht.declaratie
    base = f"{_ROOT}/Declaratie"
    out: list[Problem] = []
    dp = d.declaratie_periode
    if dp.einddatum < dp.begindatum:
        out.append(_p(f"{base}/DeclaratiePeriode/Einddatum", "TR018",
                      "Einddatum ligt vóór Begindatum", dp.einddatum))
    # IV089: a DeclaratiePeriode is a calendar month.
    nxt = date(dp.einddatum.year + dp.einddatum.month // 12, dp.einddatum.month % 12 + 1, 1)
    if dp.begindatum.day != 1 or not _maand(dp) or (nxt - dp.einddatum).days != 1:
        out.append(_p(f"{base}/DeclaratiePeriode", "IV089",
                      f"declaratieperiode {dp.begindatum} t/m {dp.einddatum} is geen "
                      "kalendermaand"))
    total = 0
    refs: dict[str, str] = {}
    vorige: dict[str, str] = {}
    prestaties: list[tuple[str, m.Prestatie]] = []
    for ci, client in enumerate(d.clienten, start=1):
        for pi, p in enumerate(client.prestaties, start=1):
            prestaties.append((f"{base}/Clienten/Client[{ci}]/Prestaties/Prestatie[{pi}]", p))
    for path, p in prestaties:
        total += p.ingediend_bedrag if p.debet_credit == "D" else -p.ingediend_bedrag
        pp = p.product_periode
        if pp.einddatum < pp.begindatum:
            out.append(_p(f"{path}/ProductPeriode/Einddatum", "TR018",
                          "Einddatum ligt vóór Begindatum", pp.einddatum))
        # OP367: a ProductPeriode lies within one calendar month.
        elif not _maand(pp):
            out.append(_p(f"{path}/ProductPeriode", "OP367",
                          f"productperiode {pp.begindatum} t/m {pp.einddatum} valt niet binnen "
                          "één kalendermaand"))
        # TR319: only ProductPeriodes in the current or an earlier declaratieperiode.
        if pp.einddatum > dp.einddatum:
            out.append(_p(f"{path}/ProductPeriode/Einddatum", "TR319",
                          f"productperiode eindigt na de declaratieperiode ({dp.einddatum})",
                          pp.einddatum))
        # CD087: ProductTarief when Eenheid is not 83 (euro's), else empty.
        if (p.eenheid != cl.EENHEID_EURO) != (p.product_tarief is not None):
            out.append(_p(f"{path}/ProductTarief", "CD087",
                          "ProductTarief is verplicht als Eenheid niet 83 (euro's) is, "
                          "en anders leeg"))
        # TR346: with Eenheid other than 83, IngediendBedrag = GeleverdVolume x ProductTarief.
        elif p.product_tarief is not None and \
                p.ingediend_bedrag != p.geleverd_volume * p.product_tarief:
            out.append(_p(f"{path}/IngediendBedrag/Bedrag", "TR346",
                          f"IngediendBedrag {p.ingediend_bedrag} is niet GeleverdVolume "
                          f"{p.geleverd_volume} x ProductTarief {p.product_tarief} = "
                          f"{p.geleverd_volume * p.product_tarief}", p.ingediend_bedrag))
        # CD060: VorigReferentieNummer on a credit, and only there.
        if (p.debet_credit == "C") != (p.vorig_referentie_nummer is not None):
            out.append(_p(f"{path}/ProductReferentie/VorigReferentieNummer", "CD060",
                          "VorigReferentieNummer is verplicht bij een creditprestatie en "
                          "anders leeg"))
        # TR314: ReferentieNummer unique, also within one message.
        if p.referentie_nummer in refs:
            out.append(_p(f"{path}/ProductReferentie/ReferentieNummer", "TR314",
                          f"ReferentieNummer {p.referentie_nummer!r} is al gebruikt in "
                          f"{refs[p.referentie_nummer]}", p.referentie_nummer))
        refs.setdefault(p.referentie_nummer, path)
        if p.vorig_referentie_nummer is not None:
            # TR315: VorigReferentieNummer unique in the message.
            if p.vorig_referentie_nummer in vorige:
                out.append(_p(f"{path}/ProductReferentie/VorigReferentieNummer", "TR315",
                              f"VorigReferentieNummer {p.vorig_referentie_nummer!r} staat ook "
                              f"in {vorige[p.vorig_referentie_nummer]}",
                              p.vorig_referentie_nummer))
            vorige.setdefault(p.vorig_referentie_nummer, path)
    # TR316: a debet line is not credited in the same message.
    for path, p in prestaties:
        if p.vorig_referentie_nummer is not None and p.vorig_referentie_nummer in refs:
            out.append(_p(f"{path}/ProductReferentie/VorigReferentieNummer", "TR316",
                          "crediteert een prestatie uit hetzelfde bericht",
                          p.vorig_referentie_nummer))
    # TR358: TotaalIngediendBedrag is the sum of the IngediendBedragen, debet minus credit.
    stated = d.totaal_ingediend_bedrag if d.totaal_debet_credit == "D" \
        else -d.totaal_ingediend_bedrag
    if stated != total:
        side = "D" if total >= 0 else "C"
        out.append(_p(f"{base}/TotaalIngediendBedrag", "TR358",
                      f"totaal {d.totaal_ingediend_bedrag} {d.totaal_debet_credit} is niet de som "
                      f"van de prestaties: {abs(total)} {side}", d.totaal_ingediend_bedrag))
    return out


# --- the same message twice -----------------------------------------------------------


def inhoud_hash(bericht: Bericht) -> str:
    """A fingerprint of what a message says, independent of its layout and whitespace."""
    from wpb.ijw.xml_write import write_bericht

    return "sha256:" + hashlib.sha256(write_bericht(bericht, check=False)).hexdigest()


@dataclass(frozen=True)
class Ontvangst:
    """The first receipt of a message: its key, a fingerprint of its content, when."""

    sleutel: BerichtSleutel
    inhoud_hash: str
    ontvangen_op: datetime


class BerichtStore(Protocol):
    """Where received message keys are kept; the service supplies a database-backed one
    (the tests use a dict).

    ``claim`` must be atomic: of two simultaneous claims on one key exactly one gets None.
    """

    def claim(self, ontvangst: Ontvangst) -> Ontvangst | None:
        """Record ``ontvangst`` unless its key is known; return the earlier receipt if so."""
        ...

    def get(self, sleutel: BerichtSleutel) -> Ontvangst | None: ...


class Registratie(str, Enum):
    NIEUW = "nieuw"  # first receipt: process it
    HERHAALD = "herhaald"  # the same message again: already processed, do nothing
    CONFLICT = "conflict"  # same key, different content: TR056, reject


@dataclass(frozen=True)
class Uniek:
    registratie: Registratie
    ontvangst: Ontvangst  # the first receipt of this key
    problem: Problem | None = None

    @property
    def verwerken(self) -> bool:
        return self.registratie is Registratie.NIEUW


def registreer(bericht: Bericht, store: BerichtStore, ontvangen_op: datetime) -> Uniek:
    """TR056: "Identificatie moet per berichtsoort uniek zijn voor de verzendende partij."

    The same message received twice (same sender, type, Identificatie and content) is
    processed once: the second receipt is HERHAALD. The same key with other content is a
    breach of TR056 (retourcode 9056): CONFLICT, and the message is not processed.
    """
    nieuw = Ontvangst(sleutel(bericht), inhoud_hash(bericht), ontvangen_op)
    earlier = store.claim(nieuw)
    if earlier is None:
        return Uniek(Registratie.NIEUW, nieuw)
    if earlier.inhoud_hash == nieuw.inhoud_hash:
        return Uniek(Registratie.HERHAALD, earlier)
    problem = _p(f"{_ROOT}/Header/BerichtIdentificatie/Identificatie", "TR056",
                 f"Identificatie {nieuw.sleutel.identificatie!r} is al gebruikt door "
                 f"{nieuw.sleutel.afzender} voor een ander {bericht.type.value}-bericht "
                 f"(ontvangen {earlier.ontvangen_op.isoformat(timespec='seconds')})",
                 nieuw.sleutel.identificatie)
    return Uniek(Registratie.CONFLICT, earlier, problem)
