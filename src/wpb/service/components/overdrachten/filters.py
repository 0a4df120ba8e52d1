"""Transfer lists with every filter of the pages and the API: direction, status, the other
gemeente, the exact latende and ontvangende gemeente (one flow of the overview), a range of
aanleverdatums, free text, a BSN, and the order (a whitelisted sort key, ascending or
descending).

A list is one statement of :mod:`queries` (its shape: which filters are given and the
order; the values are parameters), with the same visibility rule, list view and audit
entries as every other list. Its download selects its transfers with the same filters
(:func:`queries.id_statement`), so it holds exactly the rows of all its pages. The free text never matches a BSN and refuses one: a BSN
filter comes from a POST body, so it never appears in an address.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session

from wpb.domain.overdracht import Status
from wpb.law.bsn import bsn_problem
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten import listing, queries
from wpb.service.components.overdrachten.listing import Richting
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.context import Context
from wpb.service.errors import InvalidRequest


@dataclass(frozen=True)
class TransferFilter:
    """What a list shows. ``gemeente`` is the other party: for incoming transfers the
    latende gemeente, for outgoing the ontvangende, otherwise either of them."""

    richting: Richting | None = None
    statussen: tuple[Status, ...] = ()
    gemeente: str | None = None
    latende: str | None = None  # exactly this latende gemeente (a flow's "van")
    ontvangende: str | None = None  # exactly this ontvangende gemeente (a flow's "naar")
    aanleverdatum_van: date | None = None  # inclusive
    aanleverdatum_tot: date | None = None  # inclusive ("tot en met")
    pagina: int = 1
    pagina_grootte: int = 50
    tekst: str | None = None  # free text: public id, gemeente, provider, product; never a BSN
    bsn: str | None = None  # from a POST body or the server-side store, never from a URL
    sorteer: str = queries.DEFAULT_SORT
    aflopend: bool = False
    problems: tuple[tuple[str, str], ...] = field(default=(), compare=False)


PAGE_SIZES = (25, 50, 100, 200)
MAX_TEXT = 100


def list_filtered(
    session: Session, principal: Principal, ctx: Context, f: TransferFilter
) -> listing.Page:
    """One page of the transfers ``principal`` may see that pass the filter, in the filter's
    order (by default the nearest deadline first): the list statement of
    :func:`queries.page_statements` for the filter's shape."""
    kind = _checked_kind(principal, f)
    if kind is None:
        return listing.Page([], 0, f.pagina, f.pagina_grootte)
    shape, params = _shape_of(principal, ctx, kind, f)
    page = listing.run_list(session, principal, ctx, shape, params, f.pagina, f.pagina_grootte)
    _audit_bsn_search(session, principal, ctx, f, page.totaal)
    return page


def _checked_kind(principal: Principal, f: TransferFilter) -> str | None:
    problems = _problems(f)
    if problems:
        raise InvalidRequest("De filters zijn niet bruikbaar.", problems)
    return queries.kind_of(principal)


def _audit_bsn_search(session: Session, principal: Principal, ctx: Context, f: TransferFilter,
                      found: int) -> None:
    """A search by BSN is audited as such, also when it finds nothing."""
    if f.bsn is not None:
        audit.record_many(session, principal, [audit.AuditEvent(
            "overdracht.zoeken", None, f.bsn, {"gevonden": found})], now=ctx.now())


def _shape_of(principal: Principal, ctx: Context, kind: str,
              f: TransferFilter) -> tuple[queries.ListShape, dict[str, Any]]:
    """The statement shape of the filter and the values of its parameters."""
    gemeente = None
    params: dict[str, Any] = {}
    if f.gemeente is not None:
        gemeente = {Richting.INKOMEND: "latende_gemeente", Richting.UITGAAND: "ontvangende_gemeente",
                    None: "beide"}[f.richting]
        params["gemeente"] = f.gemeente
    if f.statussen:
        params["statuses"] = [Status(s).value for s in f.statussen]
    params.update({k: v for k, v in (("van", f.aanleverdatum_van), ("tot", f.aanleverdatum_tot),
                                     ("bsn", f.bsn), ("latende", f.latende),
                                     ("ontvangende", f.ontvangende)) if v is not None})
    if f.tekst:
        params.update(_text_parameters(f.tekst, ctx))
    shape = queries.ListShape(
        kind, richting_column=listing.richting_column(principal, f.richting),
        with_status=bool(f.statussen), gemeente=gemeente,
        with_latende=f.latende is not None, with_ontvangende=f.ontvangende is not None,
        with_van=f.aanleverdatum_van is not None, with_tot=f.aanleverdatum_tot is not None,
        with_tekst=bool(f.tekst), with_bsn=f.bsn is not None, sort=f.sorteer, descending=f.aflopend,
    )
    return shape, params


def _problems(f: TransferFilter) -> list[tuple[str, str]]:
    problems = list(f.problems)
    if (
        f.aanleverdatum_van is not None
        and f.aanleverdatum_tot is not None
        and f.aanleverdatum_van > f.aanleverdatum_tot
    ):
        problems.append(("aanleverdatumTot", "ligt vóór de datum 'aanleverdatum vanaf'"))
    for name, code in (("gemeente", f.gemeente), ("latendeGemeente", f.latende),
                       ("ontvangendeGemeente", f.ontvangende)):
        if code is not None and not (len(code) == 4 and code.isdigit()):
            problems.append((name, "geen gemeentecode van 4 cijfers"))
    if f.sorteer not in queries.SORT_KEYS:
        problems.append(("sorteer", "onbekende kolom om op te sorteren"))
    if f.tekst is not None:
        digits = "".join(c for c in f.tekst if c not in " .-")
        if digits.isdigit() and len(digits) == 9:  # an AGB code has 8 digits
            problems.append(("tekst", "lijkt op een BSN; zoek op BSN met het BSN-filter, dan "
                             "komt het niet in het adres van de pagina"))
        if len(f.tekst) > MAX_TEXT:
            problems.append(("tekst", f"langer dan {MAX_TEXT} tekens"))
    if f.bsn is not None and bsn_problem(f.bsn):
        problems.append(("bsn", bsn_problem(f.bsn) or ""))
    return problems


def _text_parameters(tekst: str, ctx: Context) -> dict[str, Any]:
    """The values of the free-text filter: a LIKE pattern (lower case, wildcards escaped),
    the transfer's public id it may be and the codes of the gemeenten it names."""
    needle = tekst.strip().lower()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    codes = sorted({g.code for g in ctx.register.on(ctx.today())
                    if needle == g.code or needle in g.naam.lower()})
    return {
        "tekst": f"%{escaped}%",
        "tekst_id": needle,
        "tekst_codes": codes,
    }


def export_filtered(
    session: Session, principal: Principal, ctx: Context, f: TransferFilter
) -> list[dict]:
    """The download of a filtered list: every transfer of the list (all pages; the same
    statement and filters, BSN and free text included), one row per transfer line, columns
    as :data:`listing.EXPORT_COLUMNS` (with the aanleverdatum), a provider only its lines."""
    kind = _checked_kind(principal, f)
    if kind is None:
        return []
    shape, params = _shape_of(principal, ctx, kind, f)
    query = select(Overdracht).where(Overdracht.id.in_(queries.id_statement(shape).scalar_subquery()))
    rows = listing.export_of(session, principal, ctx, query, {**params, "code": principal.code})
    _audit_bsn_search(session, principal, ctx, f, len({r["overdracht_id"] for r in rows}))
    return rows


def other_gemeenten(
    session: Session, principal: Principal, richting: Richting | None
) -> list[str]:
    """The codes a list can be filtered on: the other parties of the visible transfers.

    Codes only (no personal data), so this read is not audited.
    """
    visible = listing.visible_query(principal, richting).subquery()
    if richting is Richting.INKOMEND:
        query: Select = select(visible.c.latende_gemeente)
    elif richting is Richting.UITGAAND:
        query = select(visible.c.ontvangende_gemeente)
    else:
        query = union(
            select(visible.c.latende_gemeente), select(visible.c.ontvangende_gemeente)
        )  # type: ignore[assignment]
    codes: Iterable[str] = session.scalars(query)
    return sorted(set(codes))


__all__ = ["TransferFilter", "export_filtered", "list_filtered", "other_gemeenten"]
