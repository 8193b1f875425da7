"""Settings from the environment: database, Celery, production requirements, the .env file.

Each case loads the settings in a fresh interpreter with a controlled environment, so neither the
test run's own settings nor a developer's .env file decide the outcome.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
CONTROLLED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DEBUG",
    "ENV_FILE",
    "DJANGO_SETTINGS_MODULE",
}
PROBE = """
import json, django
from django.conf import settings
django.setup()
from config.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER, "celery_eager": app.conf.task_always_eager,
    "broker": settings.CELERY_BROKER_URL, "debug": settings.DEBUG,
    "secret": settings.SECRET_KEY, "hosts": settings.ALLOWED_HOSTS,
}))
"""
PRODUCTION = {"SECRET_KEY": "p" * 60, "ALLOWED_HOSTS": "hireloop.example.com,www.hireloop.example.com"}


def _run(code_or_args, settings_module, **env_extra):
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update({"DJANGO_SETTINGS_MODULE": settings_module, "ENV_FILE": "", **env_extra})
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _settings(settings_module, **env_extra) -> dict:
    result = _run(PROBE, settings_module, **env_extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_local_settings_default_to_sqlite_and_inline_celery():
    values = _settings("config.settings.local")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["eager"] is True and values["celery_eager"] is True
    assert values["debug"] is True
    assert values["secret"] and values["hosts"] == ["127.0.0.1", "localhost"]


def test_database_url_switches_to_postgresql():
    values = _settings("config.settings.local", DATABASE_URL="postgres://hl:pw@db.internal:5433/hireloop")
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"]) == ("hireloop", "db.internal")


def test_a_broker_turns_inline_celery_off():
    values = _settings("config.settings.production", CELERY_BROKER_URL="redis://cache:6379/0", **PRODUCTION)
    assert values["eager"] is False and values["celery_eager"] is False
    assert values["broker"] == "redis://cache:6379/0"


def test_production_without_a_broker_runs_tasks_inline():
    values = _settings("config.settings.production", **PRODUCTION)
    assert values["eager"] is True
    assert values["debug"] is False
    assert values["hosts"] == ["hireloop.example.com", "www.hireloop.example.com"]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_required_variables(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _run(["manage.py", "check"], "config.settings.production", **env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_debug_cannot_be_switched_on_from_the_environment():
    assert _settings("config.settings.production", DEBUG="true", **PRODUCTION)["debug"] is False


def test_the_env_file_fills_what_the_environment_lacks(tmp_path):
    env_file = tmp_path / "hireloop.env"
    env_file.write_text(
        "DATABASE_URL=postgres://hl@from-file:5432/filedb\nCELERY_BROKER_URL=redis://file:6379/1\n"
    )
    values = _settings("config.settings.local", ENV_FILE=str(env_file))
    assert values["host"] == "from-file" and values["eager"] is False
    # the environment wins over the file
    values = _settings(
        "config.settings.local", ENV_FILE=str(env_file), DATABASE_URL="sqlite:////tmp/hl-env-wins.sqlite3"
    )
    assert values["engine"] == "django.db.backends.sqlite3"


def test_the_test_settings_ignore_the_env_file(tmp_path):
    env_file = tmp_path / "hireloop.env"
    env_file.write_text("DATABASE_URL=postgres://hl@from-file:5432/filedb\nSECRET_KEY=from-file\n")
    values = _settings("config.settings.test", ENV_FILE=str(env_file))
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["secret"] == "test-key-not-secret"
    assert values["eager"] is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting (checked by its run)")
@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    # JIT compiled some admin queries for ~300 ms where they ran in ~10 ms.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
