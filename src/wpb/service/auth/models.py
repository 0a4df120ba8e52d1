"""The table of the browser sessions (issue 19, finding S7: sessions revocable server-side)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from wpb.service.base import Base


class WebSessie(Base):
    """One logged-in browser session. ``id`` is the SHA-256 of the session's secret (the
    cookie carries the secret, the table only its hash, as with API tokens). Logging out
    deletes the row, so every copy of the cookie stops working at once."""

    __tablename__ = "web_sessies"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruikers.id"), index=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime)
    verloopt_op: Mapped[datetime] = mapped_column(DateTime)
