"""`make test`: lint, migration check, SQLite, then PostgreSQL: required under CI, skipped otherwise."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOWHERE = "postgres://postgres@127.0.0.1:1/nowhere"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make(*args, **env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "DATABASE_URL"}}
    env.update(env_extra)
    # -o: treat the installed virtualenv as up to date, so nothing is (re)installed
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_postgresql_fails_the_run_under_ci():
    result = _make("pytest-postgres", f"PG_TEST_URL={NOWHERE}", CI="true")
    assert result.returncode != 0
    assert f"PostgreSQL is required under CI=true but does not answer at {NOWHERE}" in result.stdout


def test_a_missing_postgresql_is_skipped_with_a_reason_outside_ci():
    result = _make("pytest-postgres", f"PG_TEST_URL={NOWHERE}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Skipping the PostgreSQL run" in result.stdout


def test_a_non_postgresql_database_url_falls_back_to_the_default_server():
    result = _make("pytest-postgres", f"PG_TEST_URL={NOWHERE}", DATABASE_URL="sqlite:///x.sqlite3", CI="true")
    assert NOWHERE in result.stdout


def test_make_test_runs_lint_migrations_sqlite_then_postgresql():
    result = _make("-n", "test")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    steps = [
        out.index("ruff check"),
        out.index("makemigrations --check --dry-run"),
        out.index("env -u DATABASE_URL"),
        out.index("pytest on PostgreSQL"),
    ]
    assert steps == sorted(steps)
