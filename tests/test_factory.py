"""The app factory: configuration layering, folders, safety in production."""
import pytest

from directory import create_app
from directory.config import ConfigurationError


def test_testing_flag_comes_from_test_config(app):
    assert app.testing


def test_production_refuses_missing_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(production=True)


def test_production_refuses_placeholder_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "dev")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    with pytest.raises(ConfigurationError):
        create_app(production=True)


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@127.0.0.1:5432/dir")
    monkeypatch.setenv("SEARCH_INDEX_DIR", str(tmp_path / "idx"))
    monkeypatch.setenv("PUBLIC_URL", "https://ceo.example.org/")
    app = create_app(production=True)
    assert app.config["PUBLIC_URL"] == "https://ceo.example.org"
    assert app.config["TRUSTED_HOSTS"] == ["ceo.example.org"]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@127.0.0.1:5432/dir"
    assert app.config["SEARCH_INDEX_DIR"] == str(tmp_path / "idx")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SEARCH_BACKEND"] == "whoosh"
    monkeypatch.setenv("SEARCH_BACKEND", "postgres")
    assert create_app(production=True).extensions["search_index"].backend == "postgres"


@pytest.mark.parametrize("backend, database, message", [
    ("postgres", "sqlite:///{tmp}/x.sqlite", "needs DATABASE_URL to be a PostgreSQL database"),
    ("elastic", "sqlite:///{tmp}/x.sqlite", "choose whoosh or postgres"),
])
def test_a_search_backend_that_cannot_work_stops_the_start(monkeypatch, tmp_path, backend, database, message):
    monkeypatch.setenv("SEARCH_BACKEND", backend)
    monkeypatch.setenv("DATABASE_URL", database.format(tmp=tmp_path))
    with pytest.raises(ConfigurationError, match=message):
        create_app()


def test_static_stylesheet_is_served(client):
    with client.get("/static/css/site.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
