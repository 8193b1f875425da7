"""Production settings: secrets come from the environment and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, env_extra):
    # A production process starts without the test run's variables (the browser journeys lift
    # Django's async-safety check for their own process).
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issues_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "SECRET_KEY": "x" * 64 + "-production-test-key",
            "ALLOWED_HOSTS": "hireloop.example.com",
            "CACHE_URL": "redis://127.0.0.1:6379/1",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_rate_limits_count_per_process():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={"SECRET_KEY": "x" * 64 + "-production-test-key", "ALLOWED_HOSTS": "hireloop.example.com"},
    )
    assert result.returncode != 0
    assert "hireloop.W001" in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_secret_key():
    result = _manage("check", env_extra={"ALLOWED_HOSTS": "hireloop.example.com"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = _manage("check", env_extra={"SECRET_KEY": "y" * 64})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
