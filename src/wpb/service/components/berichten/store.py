"""The TR056 store on the database: a message is processed once per (berichttype, afzender,
identificatie) and submitting party, guarded by the table's unique constraint.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wpb.ijw import models as m
from wpb.ijw.rules import Ontvangst
from wpb.service.clock import utc_naive
from wpb.service.components.berichten.models import IjwBericht, IjwNummering

# --- the TR056 store on the database ----------------------------------------------------------


class DbBerichtStore:
    """:class:`wpb.ijw.rules.BerichtStore` on the table ``ijw_berichten``.

    :meth:`claim` inserts the row inside a savepoint; the unique constraint decides which
    of two simultaneous claims wins (on PostgreSQL the second insert waits for the first
    transaction and then fails; on SQLite write transactions queue). The loser gets the
    first receipt back. ``velden`` are the other columns of the new row; its
    ``organisatie`` (the submitting party) is part of the key (S2), so one party's
    identification can never block another's message.
    """
    def __init__(self, session: Session, velden: dict[str, Any]):
        self.session = session
        self.velden = velden
        self.row: IjwBericht | None = None

    def claim(self, ontvangst: Ontvangst) -> Ontvangst | None:
        row = IjwBericht(
            berichttype=ontvangst.sleutel.type.value,
            afzender=ontvangst.sleutel.afzender,
            identificatie=ontvangst.sleutel.identificatie,
            inhoud_hash=ontvangst.inhoud_hash,
            ontvangen_op=utc_naive(ontvangst.ontvangen_op),
            **self.velden,
        )
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:
            earlier = self.get(ontvangst.sleutel)
            if earlier is None:  # the constraint fired for another reason
                raise
            return earlier
        self.row = row
        return None

    def get(self, sleutel: m.BerichtSleutel) -> Ontvangst | None:
        row = by_key(self.session, sleutel, self.velden["organisatie"])
        if row is None:
            return None
        return Ontvangst(sleutel, row.inhoud_hash, row.ontvangen_op)


def by_key(session: Session, sleutel: m.BerichtSleutel, organisatie: str) -> IjwBericht | None:
    """The message with this key as submitted by ``organisatie`` (``gemeente:0344``)."""
    return session.scalar(
        select(IjwBericht)
        .where(
            IjwBericht.berichttype == sleutel.type.value,
            IjwBericht.afzender == sleutel.afzender,
            IjwBericht.identificatie == sleutel.identificatie,
            IjwBericht.organisatie == organisatie,
        )
        .execution_options(populate_existing=True)
    )


def volgnummer(session: Session, soort: str) -> int:
    """The next number of a counter: one atomic UPDATE ... RETURNING (SQLite and PostgreSQL)."""
    return session.execute(
        update(IjwNummering)
        .where(IjwNummering.soort == soort)
        .values(laatste=IjwNummering.laatste + 1)
        .returning(IjwNummering.laatste)
    ).scalar_one()  # the migrations create every counter
