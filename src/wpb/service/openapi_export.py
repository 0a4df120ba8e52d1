"""Write the REST API's OpenAPI document to a file, without a running server or a database.

The document is fetched from ``/api/v1/openapi.json`` of an in-process application (the
same route a client reads), so what CI lints is exactly what the service publishes. The
application gets throw-away settings: a SQLite URL in a temporary directory that is never
connected to (building the document touches no database) and a fixed secret key, so
exporting needs no environment and leaves nothing behind.

Fetching it also checks ADR /core/publish-openapi, which a linter cannot see in the
document itself: the request carries no credentials and a foreign ``Origin``, and the
answer must be JSON with ``Access-Control-Allow-Origin: *``.

Used by ``scripts/lint-openapi.sh`` (``python -m wpb.service.openapi_export --out FILE``)
and by the ``wpb openapi`` command (:func:`openapi_command`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer


class PublishError(RuntimeError):
    """The document is not published as /core/publish-openapi asks."""


def export_openapi() -> dict[str, Any]:
    """The OpenAPI document as the service publishes it at ``/api/v1/openapi.json``."""
    with warnings.catch_warnings():
        # Starlette's notice about its test client's HTTP library is not ours to act on.
        warnings.filterwarnings("ignore", message=".*httpx.*")
        from fastapi.testclient import TestClient

    from wpb.service.app import API_PREFIX, create_app
    from wpb.service.settings import Settings

    location = f"{API_PREFIX}/openapi.json"
    with tempfile.TemporaryDirectory(prefix="wpb-openapi-") as tmp:
        data_dir = Path(tmp)
        settings = Settings(
            data_dir=data_dir,
            database_url=f"sqlite:///{data_dir / 'wpb.sqlite'}",
            # Not a secret: the pages are left out and nothing is ever signed with it.
            secret_key="openapi-export",
            sample_data="nee",
        )
        app = create_app(settings, pages=False)
        try:
            # No ``with``: the lifespan (and so any database work) is not needed here.
            response = TestClient(app).get(location, headers={"Origin": "https://elders.example"})
        finally:
            app.state.wpb.engine.dispose()
    if response.status_code != 200:
        raise PublishError(f"GET {location} zonder inloggen gaf status {response.status_code}")
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if media_type != "application/json":
        raise PublishError(f"GET {location} gaf {media_type!r}, geen application/json")
    if response.headers.get("access-control-allow-origin") != "*":
        raise PublishError(
            f"GET {location} mist Access-Control-Allow-Origin: * (ADR /core/publish-openapi)"
        )
    return response.json()


def render(document: dict[str, Any]) -> str:
    """Stable, readable JSON (key order as generated, UTF-8 kept) with a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(out: Path | None) -> None:
    """Export the document to ``out`` (stdout when None)."""
    text = render(export_openapi())
    if out is None:
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


def openapi_command(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Schrijf naar dit bestand in plaats van naar stdout."),
    ] = None,
) -> None:
    """Schrijf het OpenAPI-document van de REST-API (zoals gepubliceerd op /api/v1/openapi.json)."""
    try:
        write(out)
    except PublishError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wpb.service.openapi_export",
        description="Schrijf het OpenAPI-document van de wpb REST-API.",
    )
    parser.add_argument("--out", "-o", type=Path, help="bestand (standaard: stdout)")
    args = parser.parse_args(argv)
    try:
        write(args.out)
    except PublishError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
