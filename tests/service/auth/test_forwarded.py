"""Forwarded client addresses are believed only from configured proxies (issue 19, S8).

The login delays count per client address. Behind a municipal reverse proxy every request
comes from the proxy, so the address must come from X-Forwarded-For; but only when the proxy
is named in WPB_TRUSTED_PROXIES, or any client could pick the address it is counted under.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from wpb.service.app import create_app

PROXY = "10.0.0.5"


class RecordingThrottle:
    """Stands in for the login throttle and records the address each attempt came from."""

    def __init__(self) -> None:
        self.addresses: list[str | None] = []

    def retry_after(self, gebruikersnaam: str, adres: str | None) -> int:
        self.addresses.append(adres)
        return 0

    def failed(self, gebruikersnaam: str, adres: str | None) -> None:
        pass

    def succeeded(self, gebruikersnaam: str) -> None:
        pass


def _attempt_address(app, forwarded_for: str) -> str | None:
    throttle = RecordingThrottle()
    app.state.wpb.throttle = throttle
    with TestClient(app, client=(PROXY, 40000)) as client:
        answer = client.post(
            "/api/v1/tokens",
            json={"gebruikersnaam": "user-b", "wachtwoord": "fout-wachtwoord"},
            headers={"X-Forwarded-For": forwarded_for},
        )
    assert answer.status_code == 401
    return throttle.addresses[-1]


def test_a_forwarded_address_is_ignored_unless_the_proxy_is_trusted(
    sqlite_engine, settings, sqlite_tenants
):
    untrusted = create_app(settings, engine=sqlite_engine, pages=False, seal_audit=False)
    assert _attempt_address(untrusted, "203.0.113.7") == PROXY
    trusted = create_app(
        settings.with_(trusted_proxies=("10.0.0.0/24",)), engine=sqlite_engine, pages=False,
        seal_audit=False,
    )
    assert _attempt_address(trusted, "203.0.113.7") == "203.0.113.7"
