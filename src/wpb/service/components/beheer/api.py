"""The REST API of tokens and the caller's profile (tag ``toegang``)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response

from wpb.service.api_base import ProblemRoute
from wpb.service.auth.bearer import Credentials, Who
from wpb.service.auth.credentials import authenticate_password
from wpb.service.clock import utc_naive
from wpb.service.components.beheer import schemas
from wpb.service.components.beheer.tokens import issue_token, revoke_token
from wpb.service.errors import TooManyRequests, Unauthorized
from wpb.service.problems import problem_responses
from wpb.service.state import Ctx, State

router = APIRouter(route_class=ProblemRoute)


@router.post(
    "/tokens", status_code=201, response_model=schemas.Token, tags=["toegang"],
    summary="Vraag een API-token aan met gebruikersnaam en wachtwoord",
    responses=problem_responses(400, 401, 429),
)
def create_token(state: State, ctx: Ctx, body: schemas.TokenAanvraag, request: Request) -> dict:
    """Geeft een API-token voor de gebruiker; na herhaalde mislukte pogingen volgt een groeiende wachttijd (429 met Retry-After, hoogstens een halve minuut per account)."""
    address = request.client.host if request.client else None
    wait = state.throttle.retry_after(body.gebruikersnaam, address)
    if wait:
        raise TooManyRequests("Te veel mislukte pogingen; probeer het later opnieuw.", wait)
    with state.transaction() as session:
        found = authenticate_password(session, body.gebruikersnaam, body.wachtwoord)
        if found is None:
            state.throttle.failed(body.gebruikersnaam, address)
            raise Unauthorized("Gebruikersnaam of wachtwoord onjuist.")
        geldig = timedelta(days=state.settings.token_days)
        now = utc_naive(ctx.now())
        token = issue_token(
            session, found.gebruiker_id, omschrijving=body.omschrijving, geldig=geldig, now=now
        )
    state.throttle.succeeded(body.gebruikersnaam)
    return {"token": token, "tokenType": "Bearer", "verlooptOp": (now + geldig).isoformat() + "Z"}


@router.delete(
    "/tokens/huidig", status_code=204, tags=["toegang"],
    summary="Trek het token in waarmee dit verzoek is gedaan",
    responses=problem_responses(401),
)
def delete_token(
    state: State, ctx: Ctx,
    who: Who, credentials: Credentials
) -> Response:
    """Het token waarmee dit verzoek is gedaan werkt daarna niet meer."""
    assert credentials is not None
    state.tokens.forget(credentials.credentials)
    with state.transaction() as session:
        revoke_token(session, credentials.credentials, now=utc_naive(ctx.now()))
    return Response(status_code=204)


@router.get(
    "/gebruikersprofiel", response_model=schemas.Gebruikersprofiel, tags=["toegang"],
    summary="Wie bent u: gebruiker en organisatie", responses=problem_responses(401),
)
def profile(who: Who) -> dict:
    """De ingelogde gebruiker en de organisatie (gemeente, aanbieder of coördinator) waarvoor die werkt."""
    return {
        "gebruikersnaam": who.gebruikersnaam,
        "naam": who.naam,
        "organisatie": {"soort": who.soort.value, "code": who.code, "naam": who.organisatie_naam},
    }
