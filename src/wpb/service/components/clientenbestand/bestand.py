"""An uploaded caseload file to an :class:`~wpb.caseload.read.Inlezing`.

A CSV or XLSX export goes through :func:`wpb.caseload.read.read_content` (its own limits:
100,000 rows, 64 MiB). JW301 messages come as one ``.xml`` file or a ``.zip`` of them; the
archive is bounded in members and unpacked size, and a message sent by another gemeente
is refused, naming the file.
"""

from __future__ import annotations

import io
import zipfile

from wpb.caseload import table
from wpb.caseload.jw301 import uit_jw301
from wpb.caseload.read import Inlezing, RijFout, read_content
from wpb.ijw import models as m
from wpb.ijw.problems import BerichtOngeldig
from wpb.ijw.xml_read import read_bericht
from wpb.law.gemeenten import GemeenteRegister

MAX_BYTES = table.MAX_BYTES  # the caseload's own bound, not the transfer upload's
MAX_BERICHTEN = 20_000


def _onleesbaar(naam: str, reden: str) -> Inlezing:
    return Inlezing(naam, (), (RijFout(None, None, reden),), 0, onleesbaar=True)


def _xml_members(data: bytes, naam: str) -> list[tuple[str, bytes]] | str:
    """(name, bytes) of each XML message, or why the file cannot be read."""
    if naam.lower().endswith(".xml"):
        return [(naam, data)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [i for i in archive.infolist()
                     if not i.is_dir() and i.filename.lower().endswith(".xml")]
            if len(infos) > MAX_BERICHTEN:
                return f"meer dan {MAX_BERICHTEN} berichten in het archief"
            if sum(i.file_size for i in infos) > MAX_BYTES:
                return f"het archief is uitgepakt groter dan {MAX_BYTES} bytes"
            members = []
            for info in infos:
                with archive.open(info) as member:
                    content = member.read(info.file_size + 1)
                if len(content) > info.file_size:
                    return "het archief klopt niet (een bericht is groter dan opgegeven)"
                members.append((info.filename.rsplit("/", 1)[-1], content))
    except (zipfile.BadZipFile, ValueError, OSError):
        return "geen leesbaar ZIP-archief met JW301-berichten"
    if not members:
        return "het archief bevat geen .xml-berichten"
    return members


def read_jw301(data: bytes, naam: str, gemeente: str) -> Inlezing:
    members = _xml_members(data, naam)
    if isinstance(members, str):
        return _onleesbaar(naam, members)
    fouten: list[RijFout] = []
    gelezen: list[tuple[str, m.JW301]] = []
    for member, content in sorted(members):
        try:
            bericht = read_bericht(content, bron=member)
        except BerichtOngeldig as exc:
            fouten += [RijFout(None, member, str(p)) for p in exc.problems]
            continue
        if not isinstance(bericht, m.JW301):
            fouten.append(RijFout(None, member, f"geen JW301 maar {bericht.type.value}"))
        elif bericht.header.afzender != gemeente:
            fouten.append(RijFout(None, member, "verzonden door een andere gemeente "
                                  f"({bericht.header.afzender})"))
        else:
            gelezen.append((member, bericht))
    return uit_jw301(gelezen, fouten)


def read_upload(data: bytes, naam: str, gemeente: str, register: GemeenteRegister) -> Inlezing:
    """The caseload in an uploaded file: an export (CSV/XLSX) or JW301 messages (XML/ZIP)."""
    lower = naam.lower()
    if lower.endswith((".xml", ".zip")):
        return read_jw301(data, naam, gemeente)
    return read_content(data, naam, register)
