"""Public identifiers (issue 19, finding S10): what an API, a page, a link or a download name
calls a stored resource.

The integer primary keys are handed out in sequence across all tenants: shown, they would
tell a gemeente how many transfers, messages or invoices the others made between two of its
own. So every resource the service shows by id also has ``publiek_id``, a random UUID4 (122
random bits) in a unique column, and only that ever leaves the service. The integer keys
stay for joins and foreign keys inside.

Functions that find a resource for a caller accept either: the public id (a ``str``, as it
comes from a URL or a body) or the internal key (an ``int``, only ever passed by the service's
own code). An old integer URL is a string of digits, which is no public id: 404.
"""

from __future__ import annotations

import uuid

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

PUBLIC_ID_LENGTH = 36


def new_public_id() -> str:
    return str(uuid.uuid4())


def public_id_column() -> Mapped[str]:
    """The ``publiek_id`` column of a model: a new random UUID4 for every row."""
    return mapped_column(String(PUBLIC_ID_LENGTH), unique=True, index=True, default=new_public_id)


def internal_id(session: Session, model, ref: int | str | None) -> int | None:
    """The internal key of the row ``ref`` names (a public id, or already an internal key);
    None when no row has that public id."""
    if ref is None or isinstance(ref, int):
        return ref
    return session.scalar(select(model.id).where(model.publiek_id == ref))


def public_ids(session: Session, model, ids) -> dict[int, str]:
    """The public ids of internal keys (for references to other rows in a view)."""
    wanted = [i for i in set(ids) if i is not None]
    if not wanted:
        return {}
    return {key: public for key, public in session.execute(
        select(model.id, model.publiek_id).where(model.id.in_(wanted)))}


def path_id(what: str) -> object:
    """The metadata of a path parameter that names a resource by its public id. No pattern:
    an old integer URL reaches the look-up and gets the same 404 as an unknown id."""
    from fastapi import Path

    return Path(max_length=64, description=f"De publieke id (UUID) van {what}.")
