"""A minimal HTTP/1.1 client on asyncio streams, for the load test only.

The load generator shares the machine's two cores with the service and the database.
httpx spends about 1.5 ms of CPU per request, which at 200 requests per second is most of
a core taken from the service under test. This client does only what the load needs: one
keep-alive connection per virtual user, a request with a body, a response with a
``Content-Length`` or chunked body. It is not a general client (no redirects, no TLS, no
pipelining).
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode


class HttpError(Exception):
    """The connection failed or the answer was not HTTP/1.1 as expected."""


@dataclass
class Response:
    status_code: int
    headers: dict[str, str]
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self):
        return jsonlib.loads(self.content)


def multipart(files: dict[str, tuple[str, bytes, str]], data: dict[str, str] | None = None) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in (data or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode() + b"\r\n")
    for name, (filename, content, media) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {media}\r\n\r\n".encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Connection:
    """One keep-alive connection; requests on it go one after the other."""

    def __init__(self, host: str, port: int, timeout: float = 30.0):
        self.host, self.port, self.timeout = host, port, timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._reader = self._writer = None

    async def request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                      params: dict | None = None, json=None, body: bytes = b"",
                      content_type: str | None = None) -> Response:
        try:
            return await asyncio.wait_for(
                self._request(method, path, headers or {}, params, json, body, content_type),
                self.timeout,
            )
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            await self.close()
            raise HttpError(f"{type(exc).__name__}: {exc}") from exc

    async def _request(self, method, path, headers, params, json, body, content_type) -> Response:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        if params:
            path = f"{path}?{urlencode(params)}"
        if json is not None:
            body, content_type = jsonlib.dumps(json).encode(), "application/json"
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(body)}"]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self._writer.drain()
        assert self._reader is not None
        status_line = await self._reader.readuntil(b"\r\n")
        parts = status_line.split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise ValueError("geen HTTP-antwoord")
        status = int(parts[1])
        answer_headers: dict[str, str] = {}
        while True:
            line = await self._reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            answer_headers[name.strip().lower()] = value.strip()
        if answer_headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self._reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            content = b"".join(chunks)
        else:
            content = await self._reader.readexactly(int(answer_headers.get("content-length", "0")))
        if answer_headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, answer_headers, content)
