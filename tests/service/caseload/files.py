"""Caseload export files for the service's tests (the columns of docs/woonplaatscheck.md)."""

from __future__ import annotations

KOP = ["bsn", "geboortedatum", "aanbieder_agb", "productcategorie", "productcode", "begindatum",
       "einddatum", "verblijf", "toewijzingnummer"]


def regel(bsn: str, *, geboren: str = "2012-03-04", agb: str = "99000011", categorie: str = "45",
          code: str = "45A01", begin: str = "2026-01-01", einde: str = "", verblijf: str = "",
          nummer: str = "") -> list[str]:
    return [bsn, geboren, agb, categorie, code, begin, einde, verblijf, nummer]


def export(*regels: list[str], kop: list[str] | None = None) -> bytes:
    lines = [";".join(kop or KOP)] + [";".join(r) for r in regels]
    return ("\n".join(lines) + "\n").encode("utf-8")


def proefomgeving_voor(app, moved: str, stayed: str):
    """Point ``app``'s bulk BRP client at an in-process proefomgeving that knows two youths
    born 2012-03-04 in Utrecht: ``moved`` to Zeist on 2026-02-01, ``stayed`` in Utrecht."""
    import dataclasses

    import httpx

    from wpb.brp import proefomgeving

    from ..brp.documents import adres, hc_persoon

    persons = {
        moved: hc_persoon(moved, "2012-03-04", adres("0344", "2012-03-04", "2026-02-01"),
                          adres("0355", "2026-02-01")),
        stayed: hc_persoon(stayed, "2012-03-04", adres("0344", "2012-03-04")),
    }
    state = app.state.wpb
    state.ctx = dataclasses.replace(state.ctx, brp_async_transport=httpx.ASGITransport(
        app=proefomgeving.build_app(persons)))
    return app
