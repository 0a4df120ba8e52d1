"""Settings from the environment: defaults that run out of the box, clear errors otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from wpb.service.settings import Settings, SettingsError


def test_defaults_are_a_sqlite_file_in_the_data_dir(tmp_path):
    s = Settings.from_env({"XDG_DATA_HOME": str(tmp_path)})
    assert s.data_dir == tmp_path / "wpb"
    assert s.database_url == f"sqlite:///{(tmp_path / 'wpb' / 'wpb.sqlite').resolve()}"
    assert s.default_database and s.sample_data == "auto"
    assert (s.host, s.port, s.brp_configured) == ("127.0.0.1", 8000, False)
    assert s.woonplaatscheck_werkers == 1  # the service checks a caseload in its own process


def test_environment_overrides(tmp_path):
    s = Settings.from_env({
        "WPB_DATA_DIR": str(tmp_path),
        "WPB_DATABASE_URL": "postgresql://wpb@db/wpb",
        "WPB_SECRET_KEY": "k",
        "WPB_BRP_BASE_URL": "https://brp.example/api/",
        "WPB_BRP_API_KEY": "sleutel",
        "WPB_MAX_UPLOAD_BYTES": "1000",
        "WPB_MAX_UPLOAD_ROWS": "10",
        "WPB_HOST": "0.0.0.0",
        "WPB_PORT": "9000",
        "WPB_SAMPLE_DATA": "nee",
        "WPB_WOONPLAATSCHECK_WERKERS": "2",
    })
    assert s.database_url == "postgresql://wpb@db/wpb" and not s.default_database
    assert s.brp_base_url == "https://brp.example/api" and s.brp_configured
    assert (s.max_upload_bytes, s.max_upload_rows, s.host, s.port) == (1000, 10, "0.0.0.0", 9000)
    assert s.woonplaatscheck_werkers == 2
    assert "sleutel" not in repr(s) and "'k'" not in repr(s)


@pytest.mark.parametrize(
    ("name", "value"),
    [("WPB_PORT", "tachtig"), ("WPB_PORT", "70000"), ("WPB_MAX_UPLOAD_ROWS", "0"),
     ("WPB_SAMPLE_DATA", "misschien"), ("WPB_BRP_TIMEOUT", "snel"),
     ("WPB_API_CONTACT_URL", "wpb.example.org"), ("WPB_API_CONTACT_URL", "ftp://wpb.example.org"),
     ("WPB_API_CONTACT_EMAIL", "beheer"), ("WPB_API_CONTACT_EMAIL", "beheer@gemeente"),
     ("WPB_TRUSTED_PROXIES", "proxy.gemeente.nl"), ("WPB_TRUSTED_PROXIES", "10.0.0.0/33"),
     ("WPB_WOONPLAATSCHECK_WERKERS", "0"), ("WPB_WOONPLAATSCHECK_WERKERS", "twee")],
)
def test_bad_values_name_the_variable(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"WPB_DATA_DIR": str(tmp_path), name: value})


def test_generated_secret_key_is_kept_private_and_stable(tmp_path):
    s = Settings.from_env({"WPB_DATA_DIR": str(tmp_path)})
    key = s.resolved_secret_key()
    assert len(key) >= 40 and s.resolved_secret_key() == key
    assert (Path(tmp_path) / "secret_key").stat().st_mode & 0o077 == 0
    assert Settings.from_env({"WPB_DATA_DIR": str(tmp_path), "WPB_SECRET_KEY": "x"}).resolved_secret_key() == "x"


def test_api_contact_defaults_to_the_project_and_a_neutral_url(tmp_path):
    s = Settings.from_env({"WPB_DATA_DIR": str(tmp_path)})
    assert (s.api_contact_name, s.api_contact_url, s.api_contact_email) == (
        "wpb", "https://wpb.example.org", "")


def test_api_contact_from_the_environment_is_published_in_the_openapi_document(tmp_path):
    from fastapi.testclient import TestClient

    from wpb.service.app import API_PREFIX, create_app

    s = Settings.from_env({
        "WPB_DATA_DIR": str(tmp_path), "WPB_SECRET_KEY": "k", "WPB_SAMPLE_DATA": "nee",
        "WPB_API_CONTACT_NAME": " Team Jeugd, gemeente Voorbeeld ",
        "WPB_API_CONTACT_URL": "https://www.voorbeeld.nl/api",
        "WPB_API_CONTACT_EMAIL": "api@voorbeeld.nl",
    })
    app = create_app(s, pages=False)
    try:
        contact = TestClient(app).get(f"{API_PREFIX}/openapi.json").json()["info"]["contact"]
    finally:
        app.state.wpb.engine.dispose()
    assert contact == {"name": "Team Jeugd, gemeente Voorbeeld",
                       "url": "https://www.voorbeeld.nl/api", "email": "api@voorbeeld.nl"}


def test_no_proxy_is_trusted_unless_configured(tmp_path):
    assert Settings.from_env({"WPB_DATA_DIR": str(tmp_path)}).trusted_proxies == ()
    s = Settings.from_env({"WPB_DATA_DIR": str(tmp_path), "WPB_TRUSTED_PROXIES": " 10.1.2.3, 192.168.0.0/16 ,"})
    assert s.trusted_proxies == ("10.1.2.3", "192.168.0.0/16")
