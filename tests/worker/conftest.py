"""Real Celery workers against Redis and PostgreSQL.

These tests start `celery worker` subprocesses that share the test's PostgreSQL database (the
tests use committed transactions) and a Redis database. Under CI=true they must run: an
unreachable Redis fails them. Elsewhere they skip with the reason.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.worker import sink

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _redis_problem() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"Redis does not answer at {REDIS_URL} ({exc})"
    return None


def pytest_collection_modifyitems(config, items):
    worker_items = [i for i in items if i.get_closest_marker("worker")]
    if not worker_items:
        return
    if connection.vendor != "postgresql":
        reason = "worker tests need PostgreSQL shared with the worker process (set DATABASE_URL)"
    else:
        reason = _redis_problem()
        if reason and os.environ.get("CI") == "true":
            return  # required under CI: the redis_broker fixture fails them with the reason
    if reason:
        print(f"\nSkipping the worker tests: {reason}.", file=sys.stderr)
        for item in worker_items:
            item.add_marker(pytest.mark.skip(reason=reason))


# One queue per test process, so that parallel runs (pytest-xdist) sharing a Redis database never
# consume each other's messages.
QUEUE = f"hireloop-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"


@pytest.fixture
def redis_broker():
    """Point this process's Celery app at Redis (not inline), publishing to this run's own queue."""
    import redis

    from config.celery import app

    problem = _redis_problem()
    if problem:
        pytest.fail(f"{problem}; the worker tests are required under CI=true")
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(QUEUE)
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False, task_default_queue=QUEUE)
    app._pool = None
    app.amqp._producer_pool = None
    yield client
    app.conf.update(**saved)
    app._pool = None
    app.amqp._producer_pool = None
    client.delete(QUEUE)


@pytest.fixture
def mail_sink(transactional_db):
    sink.sink_create()
    yield sink
    sink.sink_drop()


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Workers:
    """Start and kill `celery worker` processes on the test database and broker."""

    def __init__(self, env_overrides: dict):
        self.procs: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "false",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": REDIS_URL,
            "EMAIL_BACKEND": "tests.worker.sink.SinkBackend",
            "NOTIFICATIONS_CLAIM_TIMEOUT": "3",
            "NOTIFICATIONS_RETRY_BASE": "1",
            "NOTIFICATIONS_MAX_ATTEMPTS": "3",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "300",
            "PYTHONPATH": str(ROOT),
            **env_overrides,
        }

    def start(self, name: str = "w1", concurrency: int = 2, pool: str = "prefork") -> subprocess.Popen:
        proc = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING",
                f"--concurrency={concurrency}", f"--pool={pool}", "--prefetch-multiplier=1",
                "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}-{QUEUE}@%h",
                "-Q", QUEUE,
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,  # its own process group: SIGKILL reaches the pool too
        )  # fmt: skip
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool processes, as a crashed machine would."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()  # warm shutdown: the main process stops its pool
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


@pytest.fixture
def workers(redis_broker, mail_sink):
    pool = Workers({})
    yield pool
    pool.stop_all()
    connection.close()


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
