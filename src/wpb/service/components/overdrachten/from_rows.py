"""A transfer draft from rows another component prepared, such as a signal of the
woonplaatscheck (``andere_gemeente``) with its rows for the upload.

The rows carry the upload's columns (:data:`~upload_file.ALL_COLUMNS`, with ``vanaf``). They
are written as one CSV in memory and go through the upload's own check and store
(:func:`~upload_check.check_upload`, :func:`~upload_store.store_upload`): the same checks, the
same ``controle`` code shown for confirmation, the same all-or-nothing storing and audit. The
latende gemeente is the caller, as for an uploaded file. The rows are built again from their
source for the confirmation, so nothing is held between the two requests.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from wpb.law.gemeenten import GemeenteRegister
from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten.upload_check import UploadCheck, check_upload
from wpb.service.components.overdrachten.upload_file import ALL_COLUMNS, Limits
from wpb.service.components.overdrachten.upload_store import StoredUpload, store_upload
from wpb.service.errors import InvalidRequest


def rows_csv(rows: Sequence[Mapping[str, str]]) -> bytes:
    """The rows as the upload's CSV (``;``, UTF-8), columns in the upload's order."""
    if not rows:
        raise InvalidRequest("Er zijn geen regels om aan te leveren.")
    present = {k for r in rows for k in r}
    unknown = sorted(present - set(ALL_COLUMNS))
    if unknown:
        raise ValueError(f"onbekende kolommen voor de aanlevering: {', '.join(unknown)}")
    columns = [c for c in ALL_COLUMNS if c in present]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def check_rows(session: Session, principal: Principal, rows: Sequence[Mapping[str, str]],
               naam: str, *, register: GemeenteRegister, limits: Limits,
               now: datetime) -> UploadCheck:
    """The upload's check of the rows; nothing is stored."""
    return check_upload(session, principal, rows_csv(rows), f"{naam}.csv", register=register,
                        limits=limits, now=now)


def store_rows(session: Session, principal: Principal, rows: Sequence[Mapping[str, str]],
               naam: str, controle: str, *, register: GemeenteRegister, limits: Limits,
               now: datetime) -> StoredUpload:
    """Store the rows as the upload does, when ``controle`` is the code of their check."""
    return store_upload(session, principal, rows_csv(rows), f"{naam}.csv", controle,
                        register=register, limits=limits, now=now)


__all__ = ["check_rows", "rows_csv", "store_rows"]
