"""Handing send tasks to the broker after commit, without letting a broker outage break the change.

The outbox rows are already committed when their task is published, so a publish that fails
loses nothing: the rows stay pending and the sweeper enqueues them once the broker is back. A
failure is therefore caught and logged, never raised into the request that made the change.

- Publishing is bounded by the broker settings (`CELERY_PUBLISH_TIMEOUT`: connection and socket
  timeouts, a publish retry policy of two quick retries), so a broker that refuses answers in
  well under a second and one that accepts connections and never answers in about that timeout.
- After a failure this process does not wait on the broker again for `SKIP_AFTER_FAILURE`
  seconds: a bulk action of many moves waits once, not once per move.
- The time of the last failure is kept in the cache (cleared by the next successful publish) for
  the admin's banner, and the current request is told, so it can warn that emails are delayed.
"""

import contextvars
import datetime
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

BROKER_DOWN_KEY = "hireloop:notifications:broker-unreachable-since"
BROKER_DOWN_TTL = 15 * 60  # seconds the banner stays after the last failure, unless a publish succeeds
SKIP_AFTER_FAILURE = 10.0  # seconds during which this process does not try the broker again

# Rows whose task could not be published during the current request (or task), for its warning.
_delayed: contextvars.ContextVar[int] = contextvars.ContextVar("notifications_delayed", default=0)
_skip_until = 0.0
# Ids gathered per task name while a batch of changes shares one transaction (see `together`).
_together: contextvars.ContextVar[dict[str, list[int]] | None] = contextvars.ContextVar(
    "notifications_together", default=None
)


def enqueue_on_commit(task_name: str, batches: list[list[int]]) -> None:
    """After the current transaction commits, publish one message per batch of ids to the task
    registered under `task_name` (inside `together()`, with the ids of the other changes)."""
    if not batches:
        return
    gathered = _together.get()
    if gathered is not None:
        # Added at commit only, so that the ids of a change rolled back to its savepoint never are.
        ids = [pk for batch in batches for pk in batch]
        transaction.on_commit(lambda: gathered.setdefault(task_name, []).extend(ids))
        return
    transaction.on_commit(lambda: publish(task_name, batches))


@contextmanager
def together() -> Iterator[None]:
    """Inside one transaction: the send tasks of every change made meanwhile are published as one
    after commit, in messages of NOTIFICATIONS_SEND_BATCH ids (a bulk action of 50 moves publishes
    one message, or sends its emails in one inline task, instead of 50)."""
    gathered: dict[str, list[int]] = {}
    token = _together.set(gathered)
    try:
        yield
    finally:
        _together.reset(token)
    # Registered after the changes' own callbacks: it runs once they have all added their ids.
    transaction.on_commit(lambda: _publish_gathered(gathered))


@contextmanager
def withheld() -> Iterator[None]:
    """Inside one transaction: the send tasks of the changes made meanwhile are never published (the
    demo writes the emails of its history and marks them sent, without sending them)."""
    token = _together.set({})
    try:
        yield
    finally:
        _together.reset(token)


def _publish_gathered(gathered: dict[str, list[int]]) -> None:
    size = settings.NOTIFICATIONS_SEND_BATCH
    for task_name, ids in gathered.items():
        publish(task_name, [ids[start : start + size] for start in range(0, len(ids), size)])


def publish(task_name: str, batches: list[list[int]]) -> int:
    """Publish one message per batch; returns how many rows were left for the sweeper."""
    global _skip_until
    task = current_app.tasks[task_name]  # registered: the app config imports the tasks module
    if task.app.conf.task_always_eager:  # no broker: the task runs here, its errors are the caller's
        for ids in batches:
            task.apply_async((ids,))
        return 0
    for i, ids in enumerate(batches):
        left = sum(len(b) for b in batches[i:])
        if time.monotonic() < _skip_until:
            logger.warning("Broker unreachable a moment ago: %s notifications left for the sweeper", left)
            _note_delayed(left)
            return left
        try:
            task.apply_async((ids,))
        except Exception:  # noqa: BLE001 - whatever the broker did, the rows are safe in the outbox
            logger.exception("Could not enqueue notifications %s: left pending for the sweeper", ids)
            _skip_until = time.monotonic() + SKIP_AFTER_FAILURE
            _note_delayed(left)
            _cache_call(cache.set, BROKER_DOWN_KEY, timezone.now().isoformat(), BROKER_DOWN_TTL)
            return left
    _skip_until = 0.0
    if _cache_call(cache.get, BROKER_DOWN_KEY):
        _cache_call(cache.delete, BROKER_DOWN_KEY)
    return 0


def broker_unreachable_since() -> datetime.datetime | None:
    """When publishing last failed, while no publish has succeeded since (a cache read, no
    network call to the broker)."""
    value = _cache_call(cache.get, BROKER_DOWN_KEY)
    return datetime.datetime.fromisoformat(value) if value else None


def delayed_in_this_context() -> int:
    """How many notifications the current request (or task) could not hand to the broker."""
    return _delayed.get()


def delayed_reset() -> None:
    _delayed.set(0)


def _note_delayed(count: int) -> None:
    _delayed.set(_delayed.get() + count)


def _cache_call(method, *args):
    try:
        return method(*args)
    except Exception:  # noqa: BLE001 - a cache on the same failed server must not fail the change
        logger.warning("Cache unavailable for the broker status", exc_info=True)
        return None
