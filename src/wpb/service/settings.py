"""Settings of the transfer service, read from environment variables.

Every setting has a safe default so ``wpb serve`` runs without any configuration: a SQLite
file in the data directory, filled with the bundled synthetic sample data on first start.

| variable | default | meaning |
|---|---|---|
| ``WPB_DATA_DIR`` | ``$XDG_DATA_HOME/wpb`` (``~/.local/share/wpb``) | directory for the default SQLite database and the generated secret key |
| ``WPB_DATABASE_URL`` | ``sqlite:///<WPB_DATA_DIR>/wpb.sqlite`` | SQLAlchemy URL; PostgreSQL as ``postgresql://user:pw@host:5432/db`` (driven by psycopg 3) |
| ``WPB_SECRET_KEY`` | random, kept in ``<WPB_DATA_DIR>/secret_key`` | key that signs browser sessions; set it explicitly when running more than one process |
| ``WPB_SAMPLE_DATA`` | ``auto`` | ``auto``: load the synthetic sample data only into a new default SQLite database; ``ja``: load it into an empty database whatever the URL; ``nee``: never |
| ``WPB_BRP_BASE_URL`` | (empty: BRP lookups off) | base URL of a Haal Centraal BRP historie API, e.g. ``https://brp.example.nl/haalcentraal/api/brphistorie``; ``/verblijfplaatshistorie`` is appended |
| ``WPB_BRP_PERSONEN_URL`` | (empty: the same as ``WPB_BRP_BASE_URL``) | base URL of the Haal Centraal personen API (``/personen`` is appended), used with the historie API to fetch a caseload in bulk; the local proefomgeving answers both under one URL |
| ``WPB_BRP_PROEF_GBA`` | (empty) | a GBA-V extract (LO GBA layout) whose persoonslijsten the demo's local BRP proefomgeving (``/brp-proef``, mounted by ``wpb serve`` when ``WPB_BRP_BASE_URL`` is empty) answers for too, such as the official proefomgeving test set; read once at start-up |
| ``WPB_BRP_API_KEY`` | (empty) | API key sent in the ``X-API-KEY`` header to the BRP API |
| ``WPB_BRP_TIMEOUT`` | ``10`` | seconds before a BRP request is given up |
| ``WPB_MAX_UPLOAD_BYTES`` | ``5242880`` (5 MiB) | largest accepted upload file (CSV/XLSX, BRP JSON document) |
| ``WPB_MAX_UPLOAD_ROWS`` | ``10000`` | most data rows in one upload |
| ``WPB_HOST`` | ``127.0.0.1`` | address ``wpb serve`` listens on |
| ``WPB_TRUSTED_PROXIES`` | (empty: no proxy trusted) | addresses or networks (``10.1.2.3``, ``10.0.0.0/8``), separated by commas, of the reverse proxies whose ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed; from any other peer these headers are ignored, so a client cannot pick its own address to dodge the login delays |
| ``WPB_PORT`` | ``8000`` | port ``wpb serve`` listens on |
| ``WPB_TOKEN_DAYS`` | ``90`` | days an API token issued by ``POST /api/v1/tokens`` stays valid |
| ``WPB_TOKEN_CACHE_SECONDS`` | ``5`` | seconds a process remembers a checked API token (saves a database round trip per request). A token revoked through the API stops at once in the process that revoked it; in other worker processes, and for a user deactivated in the database, within this many seconds. ``0`` checks every request |
| ``WPB_AUDIT_SLEUTEL`` | (empty: unkeyed chain) | secret of at least 32 characters, kept outside the database, under which every new audit entry gets an HMAC-SHA-256 instead of a plain hash, so someone who can write the database cannot rewrite the chain undetected (``wpb audit verify`` needs the same key) |
| ``WPB_AUDIT_OUDE_SLEUTELS`` | (empty) | earlier audit keys, separated by commas, so entries made with them still verify after the key is changed |
| ``WPB_PSEUDONIEM_SLEUTEL`` | (empty: settlement off) | secret of at least 16 characters behind the youths' pseudonyms (such as ``J-U77X-C3IB-LMIL-36IT``) in claims and statements; the same key as ``wpb verreken`` uses. Without it the settlement endpoints answer 503 |
| ``WPB_WOONPLAATSCHECK_WERKERS`` | ``1`` (in the service's own process) | processes that share the woonplaatscheck of a caseload (``POST /clientenbestand/woonplaatscheck``, ``wpb db woonplaatscheck``): the service's own and N-1 worker processes; the same result for any number. From the web process (which runs threads) they are spawned, never forked; a caseload under 2,000 clients is checked in-process anyway |
| ``WPB_VANGNET_MAANDEN`` | ``6`` | calendar months a claim may stay unsettled before it is listed as a vangnet claim |
| ``WPB_IJW_XSD_DIR`` | (empty: no XSD check) | directory with the iJw 3.2 XSD files; when set, every received iJw message is also validated against them (a directory that is not usable answers 503) |
| ``WPB_API_CONTACT_NAME`` | ``wpb`` | ``info.contact.name`` of the published OpenAPI document: who runs this installation (ADR /core/doc-openapi-contact) |
| ``WPB_API_CONTACT_URL`` | ``https://wpb.example.org`` | ``info.contact.url``: where API users reach the people who run it; an ``http(s)://`` URL |
| ``WPB_API_CONTACT_EMAIL`` | (empty: left out) | ``info.contact.email``: an e-mail address for API users |

A bad value (a port that is no number, an unknown ``WPB_SAMPLE_DATA`` choice) stops the
service with a message naming the variable; nothing is guessed.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from wpb.brp.wmo_case import inwerkingtreding_instelling
from wpb.errors import InvalidInput

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_UPLOAD_ROWS = 10_000
SAMPLE_DATA_CHOICES = ("auto", "ja", "nee")
DEFAULT_API_CONTACT_NAME = "wpb"
# A reserved example domain (RFC 2606): a neutral placeholder until the operator sets one.
DEFAULT_API_CONTACT_URL = "https://wpb.example.org"


class SettingsError(ValueError):
    """An environment variable with a value the service cannot use."""


def default_data_dir(env: dict[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "wpb"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str = field(repr=False)
    sample_data: str = "auto"
    brp_base_url: str = ""
    brp_api_key: str = field(default="", repr=False)
    brp_timeout: float = 10.0
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    max_upload_rows: int = DEFAULT_MAX_UPLOAD_ROWS
    host: str = "127.0.0.1"
    port: int = 8000
    token_days: int = 90
    pseudoniem_sleutel: str = field(default="", repr=False)
    vangnet_maanden: int = 6
    ijw_xsd_dir: Path | None = None
    api_contact_name: str = DEFAULT_API_CONTACT_NAME
    api_contact_url: str = DEFAULT_API_CONTACT_URL
    api_contact_email: str = ""
    token_cache_seconds: float = 5.0
    audit_sleutel: str = field(default="", repr=False)
    audit_oude_sleutels: tuple[str, ...] = field(default=(), repr=False)
    trusted_proxies: tuple[str, ...] = ()
    # WPB_WMO_BW_INWERKINGTREDING: the day bill 36 288 takes effect, None: not in force.
    wmo_bw_inwerkingtreding: date | None = None
    brp_personen_url: str = ""  # the Haal Centraal personen API when not at brp_base_url
    brp_proef_gba: Path | None = None  # a GBA-V extract the demo's proefomgeving also answers for
    woonplaatscheck_werkers: int = 1  # processes sharing a caseload's check (1: in-process)

    @property
    def default_database(self) -> bool:
        """True when the URL is the default SQLite file (so sample data may be seeded)."""
        return self.database_url == default_database_url(self.data_dir)

    @property
    def brp_configured(self) -> bool:
        return bool(self.brp_base_url)

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("WPB_DATA_DIR") or default_data_dir(env)).expanduser()
        database_url = env.get("WPB_DATABASE_URL") or default_database_url(data_dir)
        sample = (env.get("WPB_SAMPLE_DATA") or "auto").strip().lower()
        if sample not in SAMPLE_DATA_CHOICES:
            raise SettingsError(
                f"WPB_SAMPLE_DATA={sample!r}: kies een van {', '.join(SAMPLE_DATA_CHOICES)}"
            )
        secret = env.get("WPB_SECRET_KEY") or ""
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            secret_key=secret,
            sample_data=sample,
            brp_base_url=(env.get("WPB_BRP_BASE_URL") or "").rstrip("/"),
            brp_api_key=env.get("WPB_BRP_API_KEY") or "",
            brp_personen_url=(env.get("WPB_BRP_PERSONEN_URL") or "").rstrip("/"),
            brp_proef_gba=Path(env["WPB_BRP_PROEF_GBA"]).expanduser()
            if env.get("WPB_BRP_PROEF_GBA") else None,
            brp_timeout=_number(env, "WPB_BRP_TIMEOUT", 10.0, float, minimum=0.1),
            max_upload_bytes=_number(env, "WPB_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES, int, minimum=1),
            max_upload_rows=_number(env, "WPB_MAX_UPLOAD_ROWS", DEFAULT_MAX_UPLOAD_ROWS, int, minimum=1),
            host=env.get("WPB_HOST") or "127.0.0.1",
            port=_number(env, "WPB_PORT", 8000, int, minimum=1, maximum=65535),
            token_days=_number(env, "WPB_TOKEN_DAYS", 90, int, minimum=1),
            pseudoniem_sleutel=_pseudoniem_sleutel(env),
            vangnet_maanden=_number(env, "WPB_VANGNET_MAANDEN", 6, int, minimum=0, maximum=120),
            woonplaatscheck_werkers=_number(env, "WPB_WOONPLAATSCHECK_WERKERS", 1, int, minimum=1,
                                            maximum=64),
            ijw_xsd_dir=Path(env["WPB_IJW_XSD_DIR"]).expanduser()
            if (env.get("WPB_IJW_XSD_DIR") or "").strip() else None,
            api_contact_name=(env.get("WPB_API_CONTACT_NAME") or "").strip()
            or DEFAULT_API_CONTACT_NAME,
            api_contact_url=_contact_url(env),
            api_contact_email=_contact_email(env),
            token_cache_seconds=_number(env, "WPB_TOKEN_CACHE_SECONDS", 5.0, float, minimum=0, maximum=300),
            audit_sleutel=_audit_key(env, "WPB_AUDIT_SLEUTEL"),
            audit_oude_sleutels=tuple(
                _checked_audit_key(part.strip(), "WPB_AUDIT_OUDE_SLEUTELS")
                for part in (env.get("WPB_AUDIT_OUDE_SLEUTELS") or "").split(",") if part.strip()
            ),
            trusted_proxies=_trusted_proxies(env),
            wmo_bw_inwerkingtreding=_wmo_bw_inwerkingtreding(env),
        )

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and kept (mode 0600) in the data dir."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(key)
        return key


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir).expanduser().resolve() / 'wpb.sqlite'}"


def _wmo_bw_inwerkingtreding(env: dict[str, str]) -> date | None:
    """Read once at startup; a bad value stops the service, naming the variable."""
    try:
        return inwerkingtreding_instelling(environ=env)
    except InvalidInput as exc:
        raise SettingsError("; ".join(str(e) for e in exc.errors)) from None


def _trusted_proxies(env: dict[str, str]) -> tuple[str, ...]:
    """Proxy addresses or networks, each checked, so a typo cannot silently trust nobody or all."""
    found = []
    for part in (env.get("WPB_TRUSTED_PROXIES") or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise SettingsError(
                f"WPB_TRUSTED_PROXIES: {part!r} is geen IP-adres of netwerk (zoals 10.0.0.0/8)"
            ) from None
        found.append(part)
    return tuple(found)


AUDIT_KEY_MIN_LENGTH = 32


def _checked_audit_key(value: str, name: str) -> str:
    if len(value) < AUDIT_KEY_MIN_LENGTH:
        raise SettingsError(f"{name}: een auditsleutel moet minstens {AUDIT_KEY_MIN_LENGTH} tekens hebben")
    return value


def _audit_key(env, name: str) -> str:
    value = (env.get(name) or "").strip()
    return _checked_audit_key(value, name) if value else ""


def _pseudoniem_sleutel(env) -> str:
    # The same minimum as the core's (wpb.law.verrekening.pseudoniem.MIN_SLEUTEL_BYTES):
    # a short key would let the references be reversed by trying every BSN.
    raw = (env.get("WPB_PSEUDONIEM_SLEUTEL") or "").strip()
    if raw and len(raw.encode("utf-8")) < 16:
        raise SettingsError("WPB_PSEUDONIEM_SLEUTEL is te kort: gebruik minstens 16 tekens")
    return raw


def _contact_url(env) -> str:
    raw = (env.get("WPB_API_CONTACT_URL") or "").strip()
    if not raw:
        return DEFAULT_API_CONTACT_URL
    if not re.fullmatch(r"https?://[^\s/]+\S*", raw):
        raise SettingsError(f"WPB_API_CONTACT_URL={raw!r} is geen http(s)-URL")
    return raw


def _contact_email(env) -> str:
    raw = (env.get("WPB_API_CONTACT_EMAIL") or "").strip()
    if raw and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", raw):
        raise SettingsError(f"WPB_API_CONTACT_EMAIL={raw!r} is geen e-mailadres")
    return raw


def _number(env, name, default, kind, *, minimum=None, maximum=None):
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is geen getal") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise SettingsError(f"{name}={raw!r} ligt buiten het toegestane bereik")
    return value
