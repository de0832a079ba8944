"""In CI a PostgreSQL test that cannot reach its server fails; elsewhere it skips, saying why."""

from __future__ import annotations

import pytest

from tests import postgres

UNREACHABLE = "host=127.0.0.1 port=1 dbname=test user=postgres connect_timeout=1"


@pytest.mark.parametrize(
    ("value", "ci"),
    [("true", True), ("True", True), ("1", True), ("yes", True), ("", False), ("false", False)],
)
def test_ci_is_read_from_the_ci_variable(value: str, ci: bool) -> None:
    assert postgres.in_ci({"CI": value}) is ci
    assert postgres.in_ci({}) is False


def test_an_unreachable_server_fails_the_test_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "DSN", UNREACHABLE)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)unreachable.*CI=true"):
        next(postgres.postgres_schema("citest"))


def test_an_unreachable_server_skips_the_test_elsewhere_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(postgres, "DSN", UNREACHABLE)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"127\.0\.0\.1:5432 .* is unreachable"):
        next(postgres.postgres_schema("citest"))


def test_a_missing_driver_fails_in_ci_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_psycopg(name: str, *args: object, **kwargs: object) -> object:
        if name == "psycopg":
            raise ImportError("No module named 'psycopg'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="psycopg is not installed"):
        next(postgres.postgres_schema("citest"))
