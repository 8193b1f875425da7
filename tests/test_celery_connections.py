"""A worker task is treated like a web request for database connections (config/celery.py)."""

import time

import pytest
from celery.signals import task_postrun, task_prerun
from django.db import connection

from config.celery import app
from interviews.tasks import notifications_send_task

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQLite test database never closes"),
]


@pytest.fixture
def kept_connection():
    """The default connection opened as a worker's would be, with CONN_MAX_AGE=300."""
    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 300
    connection.ensure_connection()
    yield connection
    connection.settings_dict["CONN_MAX_AGE"] = saved
    connection.close()


def _run_task_signals() -> None:
    task = notifications_send_task
    task.push_request(is_eager=False)  # as in a worker
    try:
        task_prerun.send(sender=task, task_id="t", task=task)
        task_postrun.send(sender=task, task_id="t", task=task)
    finally:
        task.pop_request()


@pytest.mark.django_db(transaction=True)
def test_a_worker_keeps_its_connection_between_tasks_until_conn_max_age(kept_connection):
    # Celery's own Django fix-up would close it around every task without this setting
    assert app.conf.get("CELERY_DB_REUSE_MAX")
    raw = kept_connection.connection
    # when two tasks run
    _run_task_signals()
    _run_task_signals()
    # then they used the same connection
    assert kept_connection.connection is raw
    # and once it is older than CONN_MAX_AGE, the next task closes it (and opens a new one on use)
    kept_connection.close_at = time.monotonic() - 1
    _run_task_signals()
    assert kept_connection.connection is None


@pytest.mark.django_db(transaction=True)
def test_a_broken_connection_is_closed_before_the_next_task(kept_connection):
    kept_connection.errors_occurred = True
    kept_connection.connection.close()  # the server went away
    _run_task_signals()
    assert kept_connection.connection is None
