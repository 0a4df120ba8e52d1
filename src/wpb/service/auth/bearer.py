"""Who calls the REST API: the principal of the bearer token, as a dependency of every route.

A valid token is remembered for a short while (:class:`~wpb.service.auth.token_cache.TokenCache`)
so most requests need no query for it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from wpb.service.auth.credentials import check_token
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.errors import Unauthorized
from wpb.service.state import Ctx, State

bearer = HTTPBearer(auto_error=False, description="API-token uit POST /tokens.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def current_principal(
    state: State, ctx: Ctx,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        raise Unauthorized("Log in met een API-token: Authorization: Bearer <token>.")
    now = utc_naive(ctx.now())
    remembered = state.tokens.get(credentials.credentials, now)
    if remembered is not None:
        return remembered
    with state.transaction() as session:
        found = check_token(session, credentials.credentials, now=now)
    if found is None:
        raise Unauthorized("Het API-token is ongeldig, ingetrokken of verlopen.")
    state.tokens.put(credentials.credentials, found)
    return found.principal


Who = Annotated[Principal, Depends(current_principal)]
