"""The transfer pages' own helpers: filtered lists, the detail page, acting on a transfer
and showing an upload's errors. The routes are in :mod:`.pages`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.service.auth.principal import Principal
from wpb.service.auth.web_session import CSRF_FIELD
from wpb.service.components.overdrachten import (
    access,
    confirm,
    list_page,
    listing,
    tasks,
    upload_file,
)
from wpb.service.components.overdrachten.filters import TransferFilter
from wpb.service.components.overdrachten.listing import Richting
from wpb.service.components.overdrachten.pending_uploads import PendingUploads
from wpb.service.components.overdrachten.wmo_form import WMO_FORM_FIELDS
from wpb.service.errors import (
    NotFound,
    Problem,
)
from wpb.service.web.forms import (
    FieldError,
    errors_of,
    field_message,
    merge_errors,
    text_of,
)
from wpb.service.web.labels import (
    FIELD_LABELS,
    PARTIJ_LABELS,
)
from wpb.service.web.pages import (
    Acting,
    Pages,
    Viewer,
)

# The actions of the transfer page that ask for confirmation first (:mod:`.confirm`).
CONFIRM_ACTIONS = frozenset({"accepteren", "afwijzen", "afronden", "doorsturen", "corrigeren",
                             "intrekken", "heroverwegen", "terugnemen"})


class TransferPages:
    """The transfer pages' own helpers (lists, detail, actions, uploads), on the shared pages."""

    def __init__(self, pages: Pages):
        self.pages = pages
        self.ctx = pages.ctx
        self.pending = PendingUploads()
        self.lists = list_page.ListPages(pages)

    @staticmethod
    def can_mark(principal: Principal, taak: dict) -> bool:
        if taak.get("partij") == "aanbieder":
            return principal.is_aanbieder
        gemeente = (taak.get("gemeente") or {}).get("code")
        return principal.is_gemeente and gemeente == principal.code

    def parse_filter(self, request: Request, richting: Richting | None, bsn: str | None = None, *,
                     paged: bool = True) -> TransferFilter:
        return list_page.parse_filter(request, richting, bsn, paged=paged)

    def list_page(
        self,
        request: Request,
        viewer: Viewer,
        richting: Richting | None,
        problem: Problem | None = None,
    ) -> Response:
        return self.lists.render(request, viewer, richting, problem)

    DETAIL_ANCHORS = {
        "onderbouwing": "onderbouwing",
        "gebruikWoonplaatsbeslissing": "gebruikWoonplaatsbeslissing",
        "toewijzingIngangsdatum": "toewijzingIngangsdatum",
        "toewijzingReferentie": "toewijzingReferentie",
        "gemeente": "doorsturen-gemeente",
        "document": "brp-document",
        "brp": "brp-document",
        "jeugdige.burgerservicenummer": "brp-document",
        "peildatum": "woonplaats-peildatum",
        "verantwoordelijkPeildatum": "verantwoordelijk-peildatum",
        "versie": "acties",
        **{name: f"wmo-{name}" for name in WMO_FORM_FIELDS},
    }
    FORM_ANCHORS = {
        "accepteren": "acties",
        "afwijzen": "afwijzen",
        "afronden": "afronden",
        "doorsturen": "doorsturen",
        "brp": "woonplaatstoets",
        "woonplaats": "woonplaatstoets",
        "taken": "taken",
    }

    def act(
        self,
        request: Request,
        act: Acting,
        overdracht_id: int,
        form_name: str,
        own_problems: list[tuple[str, str]],
        run: Callable[[Any], Any] | None,
        melding: str,
        *,
        goto: Callable[[Any], int] | None = None,
        outside: Callable[[], Any] | None = None,
    ) -> Response:
        """Carry out one action on a transfer through the service, then show the result.

        Success: redirect (303) to the transfer with a message code. A refusal the user can
        act on (invalid input, a conflict with the current state, not this party's action,
        BRP unavailable): the transfer page again with the errors and the values typed.
        Not visible: the 404 page, as for any transfer the user may not see.
        """
        problem: Problem | None = None
        result: Any = None
        try:
            if form_name in CONFIRM_ACTIONS and text_of(act.form, confirm.CONFIRMED) != "ja":
                # The first step: check as the service would, then ask (nothing is stored).
                problem = merge_errors(own_problems, self._dry_problem(act, overdracht_id, run))
                if problem is None:
                    return self.confirm_page(request, act, overdracht_id, form_name)
            elif own_problems:
                # Run the service anyway (it may know more errors), but never let it act.
                problem = merge_errors(own_problems, self._dry_problem(act, overdracht_id, run))
            elif outside is not None:
                result = outside()
            else:
                assert run is not None
                with self.pages.transaction() as db:
                    result = run(db)
        except NotFound:
            raise
        except Problem as exc:
            problem = exc
        if problem is not None:
            return self.detail_page(
                request, act, overdracht_id, problem=problem, form=act.form, open_form=form_name,
                status=problem.status,
            )
        target = goto(result) if goto else overdracht_id
        return RedirectResponse(f"/overdrachten/{target}?melding={melding}", status_code=303)

    def confirm_page(self, request: Request, act: Acting, overdracht_id: int, form_name: str) -> Response:
        """The confirmation step of ``form_name``: what will happen, and the same form again
        with ``bevestigd=ja``."""
        with self.pages.transaction() as db:
            o = access.get_visible(db, act.principal, overdracht_id)
            fields = {k: v for k, v in act.form.items() if isinstance(v, str)}
            what = confirm.describe(form_name, o, self.ctx, fields)
        return self.render_confirmation(request, act, what, f"/overdrachten/{overdracht_id}")

    def render_confirmation(self, request: Request, act: Acting, what: confirm.Confirmation,
                            terug: str) -> Response:
        hidden = [(k, v) for k, v in act.form.multi_items()
                  if isinstance(v, str) and k not in (CSRF_FIELD, confirm.CONFIRMED)]
        return self.pages.render(request, "bevestigen.html", viewer=act, bevestiging=what,
                                 velden=hidden, actie=request.url.path, terug=terug)

    def _dry_problem(self, act: Acting, overdracht_id: int, run) -> Problem | None:
        """What the service says about the input, in a transaction that is always rolled back."""
        if run is None:
            return None
        with self.pages.state.factory() as db:
            try:
                run(db)
            except Problem as exc:
                if isinstance(exc, NotFound):
                    raise
                return exc
            finally:
                db.rollback()
        return None

    def detail_page(
        self,
        request: Request,
        viewer: Viewer,
        overdracht_id: int,
        *,
        problem: Problem | None = None,
        form: FormData | None = None,
        open_form: str | None = None,
        peildatum: date | None = None,
        status: int = 200,
    ) -> Response:
        with self.pages.transaction() as db:
            view = listing.read_transfer(db, viewer.principal, self.ctx, overdracht_id)
            op_peildatum = (
                tasks.read_responsibility(db, viewer.principal, self.ctx, overdracht_id, peildatum)
                if peildatum
                else None
            )
        anchors = dict(self.DETAIL_ANCHORS)
        anchors[""] = self.FORM_ANCHORS.get(open_form or "", "acties")
        values = {k: v for k, v in (form or FormData()).items() if isinstance(v, str) and k != CSRF_FIELD}
        today = self.ctx.today()
        gemeenten = []
        if "doorsturen" in view["mogelijkeActies"]:
            skip = {RNI_CODE, UNKNOWN_CODE, view["latendeGemeente"]["code"],
                    view["ontvangendeGemeente"]["code"]}
            # By name, as people look for a municipality; never one's own nor the one that refused.
            gemeenten = sorted(
                ((g.code, g.naam) for g in self.ctx.register.on(today) if g.code not in skip),
                key=lambda item: (item[1].casefold(), item[0]),
            )
        taken_groepen: dict[str, list[dict]] = {}
        for taak in view["taken"]:
            taken_groepen.setdefault(taak["partij"], []).append(taak)
        return self.pages.render(
            request, "overdracht.html", viewer=viewer, status=status,
            errors=errors_of(problem, anchors) if problem else (),
            probleem=problem, o=view, waarden=values, open_form=open_form or "",
            op_peildatum=op_peildatum,
            peildatum_waarde=request.query_params.get("peildatum", ""),
            doorstuur_gemeenten=gemeenten,
            brp_ophalen=self.pages.state.settings.brp_configured,
            taken_groepen=[(p, taken_groepen[p]) for p in PARTIJ_LABELS if p in taken_groepen],
            kan_afvinken=lambda taak: self.can_mark(viewer.principal, taak),
        )

    def upload_error(
        self, request: Request, viewer: Viewer, exc: Problem, status: int | None = None
    ) -> Response:
        # Every problem of an upload (a missing column, an unreadable file) is about the
        # file, so each one links to the file field.
        def message(name: str, reason: str) -> str:
            if name in upload_file.COLUMNS:
                return f"Kolom {name}: {reason}"
            return field_message(name, reason) if name in FIELD_LABELS else f"{name}: {reason}"

        errors = [
            FieldError("bestand", "bestand", message(name, reason))
            for name, reason in exc.invalid_params
        ] or [FieldError("bestand", "bestand", exc.detail)]
        return self.pages.render(
            request, "aanleveren.html", viewer=viewer, status=status or exc.status,
            errors=errors, probleem=exc.detail if exc.invalid_params else "",
        )




def get_transfer_ui(request: Request) -> TransferPages:
    return request.app.state.wpb_transfer_ui


TransferUI = Annotated[TransferPages, Depends(get_transfer_ui)]


def install(app, pages: Pages) -> TransferPages:
    """Put the transfer pages' helpers (and their pending uploads) on ``app``."""
    ui = TransferPages(pages)
    app.state.wpb_transfer_ui = ui
    return ui
