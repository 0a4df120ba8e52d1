"""Command-line entry points of the transfer service (Typer), wired into ``wpb`` by :mod:`wpb.cli.main`.

- ``serve`` — migrate the database, load the sample data into a new default SQLite
  database, print the address and the demo logins, and run the web server (uvicorn).
- ``db upgrade`` / ``db status`` — bring the database to the newest schema / show where it is.
- ``audit verify`` — recompute the audit log's hash chain and report every break.
- ``audit seal`` — seal the entries still waiting (the running service does this itself).
- ``audit kop`` — print the newest entry's number and hash, to keep outside the database.
- ``beheer organisatie`` / ``beheer gebruiker`` / ``beheer token`` — create organisations,
  users and API tokens for a real installation.
- ``openapi`` — write the OpenAPI document (:func:`wpb.service.openapi_export.openapi_command`).

Settings come from the environment (see :mod:`wpb.service.settings`); ``--host`` and
``--port`` override ``WPB_HOST`` and ``WPB_PORT``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine, select

from wpb.service import migrations, sample_data, sample_data_caseload, sample_data_extra
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Soort
from wpb.service.components.beheer.accounts import (
    TenancyError,
    create_gebruiker,
    create_organisatie,
)
from wpb.service.components.beheer.models import Gebruiker, Organisatie
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.db import make_engine, make_sessionmaker, transaction
from wpb.service.openapi_export import openapi_command
from wpb.service.settings import Settings, SettingsError

out = Console(soft_wrap=True)
err = Console(stderr=True)

db_app = typer.Typer(help="Database van de overdrachtendienst.", no_args_is_help=True)
audit_app = typer.Typer(help="Het auditlog van de overdrachtendienst.", no_args_is_help=True)
beheer_app = typer.Typer(help="Organisaties, gebruikers en API-tokens beheren.", no_args_is_help=True)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


def _factory(settings: Settings, engine: Engine | None = None):
    return make_sessionmaker(engine or make_engine(settings.database_url))


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def prepare_database(settings: Settings, engine: Engine) -> tuple[sample_data.DemoUser, ...] | None:
    """Migrate; seed the sample data where the settings allow. Returns the demo logins, if any."""
    migrations.upgrade(engine)
    if settings.sample_data == "nee":
        return None
    factory = _factory(settings, engine)
    with transaction(factory) as session:
        wanted = settings.sample_data == "ja" or settings.default_database
        seeding = wanted and sample_data.is_empty(session)
        if seeding:
            sample_data.seed(session)
            sample_data_extra.seed(session, settings)  # iJw messages, invoices and claims
        demo = sample_data.DEMO_USERS if sample_data.has_demo_users(session) else None
    if seeding:  # caseloads, their BRP data (local proefomgeving) and the first signalen
        sample_data_caseload.seed(factory, settings)
    audit.seal_all(factory, audit.current_key(settings))
    return demo


def serve(
    host: Annotated[str | None, typer.Option(help="Adres (standaard WPB_HOST of 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Poort (standaard WPB_PORT of 8000).")] = None,
) -> None:
    """Start de overdrachtendienst (web-API en pagina's)."""
    import uvicorn

    from wpb.service.app import API_PREFIX, create_app

    settings = _settings()
    settings = settings.with_(host=host or settings.host, port=port or settings.port)
    engine = make_engine(settings.database_url)
    demo = prepare_database(settings, engine)
    proef = None
    if demo and not settings.brp_base_url:  # the demo's own BRP: the local proefomgeving
        settings, proef = sample_data_caseload.proefomgeving(_factory(settings, engine), settings)
    app = create_app(settings, engine=engine)
    if proef is not None:
        app.mount(sample_data_caseload.PAD, proef)
    address = f"http://{settings.host}:{settings.port}"
    out.print(f"[bold]wpb overdrachtendienst[/bold] op {address}")
    out.print(f"  API: {address}{API_PREFIX}  (OpenAPI: {address}{API_PREFIX}/openapi.json)")
    out.print(f"  database: {_safe_url(settings.database_url)}")
    if proef is not None:
        out.print(f"  BRP-proefomgeving (synthetisch): {settings.brp_base_url}")
    if demo:
        out.print("  demo-gebruikers (synthetische voorbeelddata; alleen voor een lokale demo):")
        for user in demo:
            out.print(f"    {user.gebruikersnaam:<15} {user.wachtwoord:<24} {user.organisatie}")
    if not settings.audit_sleutel and not demo:
        out.print(
            "[yellow]waarschuwing:[/yellow] WPB_AUDIT_SLEUTEL is niet gezet. De auditketen is dan "
            "een gewone hashketen: wie de database kan schrijven, kan haar geheel herschrijven "
            "zonder dat `wpb audit verify` het ziet. Zet een sleutel van minstens 32 tekens."
        )
    # No "server: uvicorn" header: it tells an attacker which software to aim at. uvicorn's own
    # proxy headers are off (it would trust 127.0.0.1 by default); the app trusts only the
    # proxies in WPB_TRUSTED_PROXIES.
    uvicorn.run(
        app, host=settings.host, port=settings.port, log_level="info", server_header=False,
        proxy_headers=False,
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Breng de database naar het nieuwste schema (leeg of ouder)."""
    settings = _settings()
    engine = make_engine(settings.database_url)
    migrations.upgrade(engine)
    out.print(
        f"database {_safe_url(settings.database_url)} is bij: {migrations.current_revision(engine)}"
    )


@db_app.command("status")
def db_status() -> None:
    """Toon de schemaversie van de database en of die bij is."""
    settings = _settings()
    engine = make_engine(settings.database_url)
    current, head = migrations.current_revision(engine), migrations.head_revision(engine)
    out.print(f"database: {_safe_url(settings.database_url)}")
    out.print(f"schema: {current or '(leeg)'}; nieuwste: {head}")
    if current != head:
        raise typer.Exit(1)


@db_app.command("woonplaatscheck")
def db_woonplaatscheck(
    peildatum: Annotated[str | None, typer.Option(help="JJJJ-MM-DD; standaard vandaag.")] = None,
    brp_ophalen: Annotated[bool, typer.Option(
        "--brp-ophalen", help="Haal eerst de BRP-gegevens van de lopende cliënten opnieuw op "
        "(WPB_BRP_BASE_URL), per gemeente in haar eigen opslag.")] = False,
) -> None:
    """Voer de woonplaatscheck uit voor het cliëntenbestand van elke gemeente (voor cron of
    een systemd-timer); de signalen staan daarna in de dienst."""
    from datetime import date

    from wpb.refdata import gemeente_register
    from wpb.service.components.clientenbestand.planning import run_every_gemeente
    from wpb.service.context import Context

    settings = _settings()
    try:
        day = date.fromisoformat(peildatum) if peildatum else None
    except ValueError:
        err.print(f"[red]--peildatum {peildatum!r} is geen datum (JJJJ-MM-DD)[/red]")
        raise typer.Exit(2) from None
    ctx = Context(settings=settings, register=gemeente_register())
    done = run_every_gemeente(_factory(settings), ctx, day, brp_ophalen=brp_ophalen)
    for u in done:
        fetched = (f"BRP {u.ophaling.opgeslagen}/{u.ophaling.gevraagd} opgehaald; "
                   if u.ophaling else "")
        out.print(f"gemeente {u.gemeente}: {fetched}{u.run.beslist} beslist, {u.run.nieuw} nieuwe "
                  f"signalen, {u.run.niet_opgehaald} zonder BRP-gegevens")
    out.print(f"woonplaatscheck op {(day or ctx.today()).isoformat()} voor {len(done)} gemeente(n)")


@audit_app.command("verify")
def audit_verify(
    anker: Annotated[
        list[str] | None,
        typer.Option(help="VOLGNUMMER:HASH zoals `wpb audit kop` het gaf, buiten de database bewaard; "
                          "mag vaker."),
    ] = None,
) -> None:
    """Controleer de hashketen van het auditlog; exit 1 bij een breuk.

    Met WPB_AUDIT_SLEUTEL (en WPB_AUDIT_OUDE_SLEUTELS) worden de regels met sleutel
    gecontroleerd; met --anker ook dat eerder bewaarde koppen nog in de keten staan.
    """
    settings = _settings()
    try:
        anchors = [audit.parse_anchor(a) for a in anker or []]
        keys = audit.verification_keys(settings)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    with transaction(_factory(settings)) as session:
        report = audit.verify_chain(session, keys, anchors)
    if report.intact:
        protection = (
            f"{report.keyed} met sleutel, {report.entries - report.keyed} zonder"
            if keys else "zonder sleutel (zet WPB_AUDIT_SLEUTEL om de keten te beveiligen)"
        )
        out.print(f"auditlog intact: {report.entries} regels; {protection}")
        if report.waiting:
            out.print(f"  {report.waiting} regel(s) wachten op verzegeling (oudste van "
                      f"{report.oldest_waiting:%Y-%m-%d %H:%M:%S} UTC); `wpb audit seal` verzegelt ze")
        if anchors:
            out.print(f"  {len(anchors)} anker(s) gevonden")
        return
    err.print(f"[red]auditlog NIET intact ({len(report.problems)} probleem/problemen):[/red]")
    for problem in report.problems:
        err.print(f"  - {problem}")
    raise typer.Exit(1)


@audit_app.command("seal")
def audit_seal() -> None:
    """Verzegel de auditregels die nog wachten (de dienst doet dit zelf elke halve seconde)."""
    settings = _settings()
    done = audit.seal_all(_factory(settings), audit.current_key(settings))
    out.print(f"{done} auditregel(s) verzegeld")


@audit_app.command("kop")
def audit_kop() -> None:
    """Druk VOLGNUMMER:HASH van de nieuwste regel af, om buiten de database te bewaren.

    Bewaar de uitvoer (bijvoorbeeld dagelijks) in opslag die niet te wijzigen is en geef
    haar later aan `wpb audit verify --anker`.
    """
    with transaction(_factory(_settings())) as session:
        out.print(audit.head_anchor(session))


@beheer_app.command("organisatie")
def add_organisatie(
    soort: Annotated[Soort, typer.Argument(help="gemeente, aanbieder of coordinator")],
    code: Annotated[str, typer.Argument(help="gemeentecode (4 cijfers), AGB-code (8) of vrije code")],
    naam: Annotated[str, typer.Argument()],
) -> None:
    """Voeg een organisatie toe."""
    factory = _factory(_settings())
    try:
        with transaction(factory) as session:
            org = create_organisatie(session, soort, code, naam)
            out.print(f"organisatie {org.soort}:{org.code} ({org.naam}) toegevoegd")
    except TenancyError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


@beheer_app.command("gebruiker")
def add_gebruiker(
    soort: Annotated[Soort, typer.Argument()],
    code: Annotated[str, typer.Argument(help="code van de organisatie")],
    gebruikersnaam: Annotated[str, typer.Argument()],
    naam: Annotated[str, typer.Option(help="Volledige naam.")] = "",
) -> None:
    """Voeg een gebruiker toe; het wachtwoord wordt gevraagd (niet als argument)."""
    wachtwoord = typer.prompt("wachtwoord", hide_input=True, confirmation_prompt=True)
    factory = _factory(_settings())
    try:
        with transaction(factory) as session:
            org = session.scalar(
                select(Organisatie).where(Organisatie.soort == soort.value, Organisatie.code == code)
            )
            if org is None:
                raise TenancyError(f"organisatie {soort.value}:{code} bestaat niet")
            create_gebruiker(session, org, gebruikersnaam, naam or gebruikersnaam, wachtwoord)
            out.print(f"gebruiker {gebruikersnaam} toegevoegd aan {soort.value}:{code}")
    except TenancyError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


@beheer_app.command("token")
def add_token(
    gebruikersnaam: Annotated[str, typer.Argument()],
    dagen: Annotated[int, typer.Option(min=1, help="Geldigheid in dagen.")] = 90,
    omschrijving: Annotated[str, typer.Option()] = "",
) -> None:
    """Maak een API-token voor een gebruiker; het token wordt één keer getoond."""
    factory = _factory(_settings())
    with transaction(factory) as session:
        user = session.scalar(select(Gebruiker).where(Gebruiker.gebruikersnaam == gebruikersnaam))
        if user is None:
            err.print(f"[red]gebruiker {gebruikersnaam!r} bestaat niet[/red]")
            raise typer.Exit(2)
        token = issue_token(
            session, user.id, omschrijving=omschrijving, geldig=timedelta(days=dagen)
        )
    out.print(token)


__all__ = ["audit_app", "beheer_app", "db_app", "openapi_command", "prepare_database", "serve"]
