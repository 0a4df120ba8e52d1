"""What the API and the pages share, built once per application, and the dependencies that
hand it to a route: the state itself, the rule context and a database session.

``create_app`` puts the :class:`ServiceState` on the application (and on the mounted API);
a route asks for what it needs with ``Depends`` instead of closing over it, so every route
is defined at import time and can be found, imported and tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from wpb.service.auth.throttle import LoginThrottle
from wpb.service.auth.token_cache import TokenCache
from wpb.service.context import Context
from wpb.service.db import transaction
from wpb.service.settings import Settings


@dataclass
class ServiceState:
    """What the API and the pages share: settings, database, rule context, login throttle."""

    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]
    ctx: Context
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    tokens: TokenCache = field(default_factory=lambda: TokenCache(0))

    def transaction(self):
        return transaction(self.factory)


def get_state(request: Request) -> ServiceState:
    return request.app.state.wpb


State = Annotated[ServiceState, Depends(get_state)]


def get_context(state: State) -> Context:
    return state.ctx


Ctx = Annotated[Context, Depends(get_context)]


def get_session(state: State) -> Iterator[Session]:
    """One transaction around the route: committed when the route returns, rolled back when
    it raises, and in both cases before the response is sent."""
    with state.transaction() as session:
        yield session


Db = Annotated[Session, Depends(get_session, scope="function")]
