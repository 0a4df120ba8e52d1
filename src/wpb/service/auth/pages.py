"""The login pages: logging in and out with a signed session cookie (see
:mod:`wpb.service.auth.web_session`) backed by a server-side session
(:mod:`wpb.service.auth.sessions`), and the home page that sends a user to their own list.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from wpb.service import text_guard
from wpb.service.auth import sessions, web_session
from wpb.service.auth.credentials import authenticate_password
from wpb.service.auth.web_session import CSRF_FIELD, WebSession
from wpb.service.web.dutch import minutes_of
from wpb.service.web.forms import (
    FieldError,
    field_message,
    safe_next,
    text_of,
)
from wpb.service.web.pages import (
    Act,
    CsrfRejected,
    PageRoute,
    Web,
    Who,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/")
def home(pages: Web, request: Request) -> Response:
    viewer = pages._viewer(request)
    if viewer is None:
        return RedirectResponse("/inloggen", status_code=303)
    return RedirectResponse(pages.home_of(viewer.principal), status_code=303)


@router.get("/inloggen")
def login_form(pages: Web, request: Request) -> Response:
    viewer = pages._viewer(request)
    if viewer is not None:
        return RedirectResponse(pages.home_of(viewer.principal), status_code=303)
    session = pages.codec.read(request) or web_session.anonymous()
    if session.logged_in:  # a user who no longer exists or was deactivated
        session = web_session.anonymous()
    response = pages.render(
        request, "inloggen.html", session=session,
        volgende=safe_next(request.query_params.get("volgende")) or "",
        waarden={"gebruikersnaam": ""},
    )
    pages.codec.write(response, request, session)
    return response


async def login_post_form(pages: Web, request: Request) -> tuple[WebSession, FormData]:
    session = pages.codec.read(request)
    form = await request.form()
    if not web_session.csrf_matches(session, form.get(CSRF_FIELD)):
        raise CsrfRejected()
    assert session is not None
    text_guard.refuse(text_guard.fields_problems(form.multi_items()))  # S5: 400 naming the field
    return session, form


@router.post("/inloggen")
def login(
    pages: Web,
    request: Request,
    posted: Annotated[tuple[WebSession, FormData], Depends(login_post_form)],
) -> Response:
    session, form = posted
    naam = text_of(form, "gebruikersnaam").strip()[:100]
    wachtwoord = text_of(form, "wachtwoord")[:1000]
    volgende = safe_next(text_of(form, "volgende"))
    problems = []
    if not naam:
        problems.append(("gebruikersnaam", "verplicht"))
    if not wachtwoord:
        problems.append(("wachtwoord", "verplicht"))
    status = 400
    principal = None
    if not problems:
        address = request.client.host if request.client else None
        wait = pages.state.throttle.retry_after(naam, address)
        if wait:
            problems.append(
                ("", f"Te veel mislukte pogingen. Probeer het over {minutes_of(wait)} opnieuw.")
            )
            status = 429
        else:
            with pages.transaction() as db:
                principal = authenticate_password(db, naam, wachtwoord)
            if principal is None:
                pages.state.throttle.failed(naam, address)
                problems.append(("", "De gebruikersnaam of het wachtwoord klopt niet."))
                status = 401
            else:
                pages.state.throttle.succeeded(naam)
    if principal is None:
        errors = [
            FieldError(
                name, name or "gebruikersnaam",
                field_message(name, reason) if name else reason,
            )
            for name, reason in problems
        ]
        return pages.render(
            request, "inloggen.html", session=session, status=status, errors=errors,
            volgende=volgende or "", waarden={"gebruikersnaam": naam},
        )
    with pages.transaction() as db:
        secret = sessions.start(db, principal.gebruiker_id, pages.codec.max_age)
    new = session.logged_in_as(principal.gebruiker_id, secret)
    response = RedirectResponse(volgende or pages.home_of(principal), status_code=303)
    pages.codec.write(response, request, new)
    return response


@router.get("/uitloggen")
def logout_form(pages: Web, request: Request, viewer: Who) -> Response:
    return pages.render(request, "uitloggen.html", viewer=viewer)


@router.post("/uitloggen")
def logout(pages: Web, request: Request, act: Act) -> Response:
    with pages.transaction() as db:
        sessions.end(db, act.session.sessie)  # every copy of the cookie is logged out (S7)
    response = RedirectResponse("/uitgelogd", status_code=303)
    web_session.clear(response, request)
    return response


@router.get("/uitgelogd")
def logged_out(pages: Web, request: Request) -> Response:
    return pages.render(request, "uitgelogd.html")
