"""Writes for notifications: fill the outbox in the caller's transaction, and send it.

Sent exactly once
-----------------
1. A notification row is written in the same transaction as the change that causes it, under a
   unique idempotency key (event, object, occurrence, recipient): a rolled-back change leaves no
   row, and a periodic job that runs twice writes nothing new.
2. After commit, one `notifications_send_task` receives the ids of every row the transaction
   wrote (the sweeper's backlog goes in tasks of NOTIFICATIONS_SEND_BATCH ids). Publishing it is
   bounded (CELERY_PUBLISH_TIMEOUT) and may fail (broker down or silent): the rows are committed
   already, so they stay pending and the sweeper enqueues them after NOTIFICATIONS_SWEEP_AFTER
   (see publishing.py); the change that wrote them is not undone and its request does not fail.
   `notifications_deliver` claims them in one conditional UPDATE (pending -> sending,
   claimed_at = now, attempts + 1; rows locked by someone else are skipped). The rows it returns
   are this worker's; the others are sent, failed, waiting for their retry time, or someone else
   is on them. A second delivery of the same task message therefore sends nothing.
3. Each claimed row is then sent in its own transaction, over one mail connection per batch: an
   UPDATE marks it sent (checked against the claim time, which locks the row), the backend
   sends, and the commit follows right after the backend accepted the message. While a worker is
   sending, nobody can re-claim the row. An error rolls back that row's mark only: a transient
   one leaves it pending with a next-try time (exponential backoff), after the last attempt it
   is failed; the rows already sent stay sent and the rest of the batch goes on.
4. A database error (connection lost, server restarting, failover) is the database's fault,
   never the message's: the row is never failed for it. If the backend had not accepted the
   message yet, the row goes back to pending with a next-try time and the claim does not count
   as an attempt. If the backend had accepted it and only the commit of "sent" failed, the
   message was most likely delivered: the row is marked "delivery unknown" (on a new connection;
   retried for about two seconds), which nothing sends again by itself; "send again" in the
   outbox asks for a confirmation first. If the database stays away, the batch stops and its
   rows keep their claims: point 5 applies.
5. A worker that dies mid-batch (SIGKILL, lost machine) leaves the row it was sending and the
   rows it had not reached yet in "sending"; the database rolls back its open transaction.
   After NOTIFICATIONS_CLAIM_TIMEOUT the claims are stale: the sweeper re-enqueues those rows and
   the next claim takes them over. Every claim counts as an attempt, so a message that kills its
   worker every time ends "failed".
6. Two windows remain, which no outbox can close with SMTP. (a) The server accepted the message
   and the worker died (or the database stayed away) before "sent" or "delivery unknown" could
   be committed: the message is sent again after the claim timeout. (b) With
   NOTIFICATIONS_ASYNCHRONOUS_COMMIT (the default), a crash of PostgreSQL itself or of its
   machine forgets the sender's commits of the last moments before it (at most three times
   wal_writer_delay, 600 ms by default): their messages are sent again too. A lost connection,
   a worker crash or a clean database restart forget nothing. Every message carries a
   Message-ID derived from its idempotency key, so a copy is recognisable as the same message.
   With a transactional sink (a database table written in the same transaction, as the worker
   tests use) delivery is exactly once.
"""

import datetime
import hashlib
import logging
import smtplib
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification, NotificationStatus
from .outbox import NOT_RENDERED, outbox_enqueue_on_commit
from .rendering import TemplateTooLarge, max_chars

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


# --- Sending ------------------------------------------------------------------------------------

SENT, SKIPPED, RETRY, FAILED, UNKNOWN = "sent", "skipped", "retry", "failed", "unknown"


def message_id(notification: Notification) -> str:
    digest = hashlib.sha256(notification.idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}@{settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN}>"


def notification_email(notification: Notification, backend=None) -> EmailMessage:
    """The email of an outbox row, with its .ics invite when it has one."""
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": message_id(notification), "X-Hireloop-Notification": str(notification.pk)},
        connection=backend,
    )
    if notification.ics:
        message.attach("invite.ics", notification.ics, "text/calendar")
    return message


@contextmanager
def _asynchronous_commit():
    """Let PostgreSQL confirm the sender's commits before their WAL reaches the disk.

    Only a crash of the database server itself (not of a worker) can then forget the last
    fraction of a second of commits: a lost "sent" mark sends the message again (rows of a
    transactional sink are forgotten with it; a lost claim is a claim never made). In exchange
    the sender does not wait for a disk flush per email. Set for the session while a batch is
    sent (two statements per batch instead of one per transaction), then reset.
    """
    if not (settings.NOTIFICATIONS_ASYNCHRONOUS_COMMIT and connection.vendor == "postgresql"):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:  # a broken connection is closed anyway
            cursor.execute("RESET synchronous_commit")


def _claim(notification_ids: list[int], now: datetime.datetime) -> dict[int, int]:
    """pending -> sending (or take over a stale claim) for a batch, counting an attempt.

    One statement; returns {id: attempts} of the rows this worker now owns. Rows locked by
    another transaction (being claimed or sent right now) are skipped, not waited for, so two
    workers claiming overlapping batches neither wait nor deadlock. A row waiting for its retry
    time is left alone.
    """
    if connection.vendor != "postgresql":  # SQLite (tests): no SKIP LOCKED, one writer anyway
        stale = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT)
        rows = Notification.objects.filter(
            _claimable(now, stale), pk__in=notification_ids, attempts__lt=settings.NOTIFICATIONS_MAX_ATTEMPTS
        )
        ids = list(rows.values_list("pk", flat=True))
        Notification.objects.filter(_claimable(now, stale), pk__in=ids).update(
            status=NotificationStatus.SENDING,
            claimed_at=now,
            updated_at=now,
            retry_at=None,
            attempts=F("attempts") + 1,
        )
        return dict(Notification.objects.filter(pk__in=ids, claimed_at=now).values_list("pk", "attempts"))
    table = Notification._meta.db_table
    at = connection.ops.adapt_datetimefield_value
    stale = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH mine AS (SELECT id FROM {table} WHERE id = ANY(%s) AND attempts < %s "  # noqa: S608
            "AND ((status = %s AND (retry_at IS NULL OR retry_at <= %s)) "
            "OR (status = %s AND claimed_at < %s)) "
            "ORDER BY id FOR UPDATE SKIP LOCKED) "
            f"UPDATE {table} AS n SET status = %s, claimed_at = %s, updated_at = %s, retry_at = NULL, "
            "attempts = n.attempts + 1 FROM mine WHERE n.id = mine.id RETURNING n.id, n.attempts",
            [
                list(notification_ids),
                settings.NOTIFICATIONS_MAX_ATTEMPTS,
                NotificationStatus.PENDING,
                at(now),
                NotificationStatus.SENDING,
                at(stale),
                NotificationStatus.SENDING,
                at(now),
                at(now),
            ],
        )
        return dict(cursor.fetchall())


def _claimable(now: datetime.datetime, stale: datetime.datetime) -> Q:
    return (
        Q(status=NotificationStatus.PENDING, retry_at__isnull=True)
        | Q(status=NotificationStatus.PENDING, retry_at__lte=now)
        | Q(status=NotificationStatus.SENDING, claimed_at__lt=stale)
    )


def _mark_sent_returning(notification_id: int, claimed_at: datetime.datetime) -> Notification | None:
    """Inside the send transaction: mark our claimed row sent (which locks it) and read it back.

    One statement (UPDATE ... RETURNING). None when the claim is no longer ours.
    """
    table = Notification._meta.db_table
    columns = (
        "id",
        "company_id",
        "event",
        "recipient",
        "subject",
        "body",
        "ics",
        "idempotency_key",
        "attempts",
    )
    at = connection.ops.adapt_datetimefield_value
    sent, claimed_at = at(timezone.now()), at(claimed_at)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, updated_at = %s, last_error = '' "  # noqa: S608
            f"WHERE id = %s AND status = %s AND claimed_at = %s RETURNING {', '.join(columns)}",
            [NotificationStatus.SENT, sent, sent, notification_id, NotificationStatus.SENDING, claimed_at],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Notification(**dict(zip(columns, row, strict=True)))


@dataclass
class Delivery:
    """What a batch delivery did: an outcome per id, and when each row to retry is due."""

    outcomes: dict[int, str] = field(default_factory=dict)
    retry_in: dict[int, int] = field(default_factory=dict)  # id -> seconds

    def retries_by_countdown(self) -> dict[int, list[int]]:
        grouped: dict[int, list[int]] = {}
        for pk, seconds in sorted(self.retry_in.items()):
            grouped.setdefault(seconds, []).append(pk)
        return grouped


def notifications_deliver(*, notification_ids: list[int]) -> Delivery:
    """Claim a batch of outbox rows in one statement, then send each once over one mail connection.

    Not atomic as a whole on purpose: the claim commits first (see the module docstring). Each
    row is then sent in its own transaction that has already marked it sent: the row stays
    locked while the backend sends, "sent" commits right after the backend accepted it, and an
    error rolls the mark back for that row only. A worker killed mid-batch leaves the rows it
    had not sent yet claimed: the sweeper hands them to another worker after the claim timeout.
    """
    delivery = Delivery(outcomes=dict.fromkeys(notification_ids, SKIPPED))
    now = timezone.now()
    with _asynchronous_commit():
        claimed = _claim(notification_ids, now)
        if not claimed:
            return delivery
        backend = get_connection()
        _open_quietly(backend)
        try:
            for pk in sorted(claimed):
                try:
                    outcome, retry_in = _send_claimed(pk, now, claimed[pk], backend)
                except DatabaseError:
                    # Not even the row's release could be written: the database is away. This
                    # row and the rest of the batch stay claimed; the sweeper hands them to a
                    # worker after the claim timeout, once the database answers again.
                    logger.warning(
                        "Notifications %s: the database is unreachable; left for the sweeper",
                        [p for p in sorted(claimed) if p >= pk],
                        exc_info=True,
                    )
                    break
                delivery.outcomes[pk] = outcome
                if retry_in is not None:
                    delivery.retry_in[pk] = retry_in
                if outcome in (RETRY, FAILED):  # the SMTP session is in doubt: start a new one
                    _close_quietly(backend)
                    _open_quietly(backend)
        finally:
            _close_quietly(backend)
    return delivery


def _send_claimed(pk: int, claimed_at: datetime.datetime, attempts: int, backend) -> tuple[str, int | None]:
    """Send one claimed row: its outcome, and in how many seconds to try it again (or None)."""
    accepted = False
    try:
        with transaction.atomic():
            notification = _mark_sent_returning(pk, claimed_at)
            if notification is None:  # our claim went stale and another worker took over
                return SKIPPED, None
            _check_size(notification)
            notification_email(notification, backend).send()
            accepted = True
        return SENT, None
    except TemplateTooLarge as exc:  # a row written under a larger limit: never sent, not retried
        logger.warning("Notification %s not sent: %s", pk, exc)
        _release(pk, claimed_at, exc, failed=True)
        return FAILED, None
    except DatabaseError as exc:
        # The database failed, not the message (connection lost, server restarting, failover).
        _drop_broken_connection()
        if accepted:  # the mail server has the message; only its "sent" mark was lost
            _mark_delivery_unknown(pk, claimed_at, exc)
            return UNKNOWN, None
        # Nothing left the building: the row goes back to pending, and this claim does not count
        # as an attempt (a database outage never uses up a message's attempts).
        countdown = retry_countdown(max(attempts - 1, 1))
        _release(pk, claimed_at, exc, failed=False, retry_in=countdown, refund_attempt=True)
        logger.warning("Notification %s: database error before sending, retry in %ss: %s", pk, countdown, exc)
        return RETRY, countdown
    except TRANSIENT_ERRORS as exc:
        give_up = attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
        countdown = None if give_up else retry_countdown(attempts)
        _release(pk, claimed_at, exc, failed=give_up, retry_in=countdown)
        logger.warning("Notification %s: %s (attempt %s)", pk, exc, attempts)
        return (FAILED, None) if give_up else (RETRY, countdown)
    except Exception as exc:  # a bug or a message the backend refuses for good: no retry
        logger.exception("Notification %s failed", pk)
        _release(pk, claimed_at, exc, failed=True)
        return FAILED, None


def _drop_broken_connection() -> None:
    """After a database error outside any transaction, start the next statement on a new
    connection (Django reconnects on use) instead of a connection the server may have closed."""
    if not connection.in_atomic_block:
        with suppress(DatabaseError):
            connection.close()
        if settings.NOTIFICATIONS_ASYNCHRONOUS_COMMIT and connection.vendor == "postgresql":
            with suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")


UNKNOWN_ERROR = (
    "The mail server accepted this message, but the database connection was lost before it "
    "could be marked sent ({error}). It was most likely delivered; sending it again may deliver "
    "a duplicate."
)


def _mark_delivery_unknown(pk: int, claimed_at: datetime.datetime, exc: Exception) -> None:
    """Record that the row's message may have been delivered, so nobody sends it again unasked.

    Tried a few times over about two seconds (a new connection each time); if the database is
    still away, the error propagates and the row stays claimed: after the claim timeout it is
    sent again (the one remaining duplicate, with the same Message-ID), as after a worker crash.
    """
    delays = (0.2, 0.5, 1.0, None)
    for delay in delays:
        try:
            marked = Notification.objects.filter(
                pk=pk, status=NotificationStatus.SENDING, claimed_at=claimed_at
            ).update(
                status=NotificationStatus.UNKNOWN,
                claimed_at=None,
                retry_at=None,
                updated_at=timezone.now(),
                last_error=UNKNOWN_ERROR.format(error=f"{type(exc).__name__}: {exc}".strip())[:2000],
            )
        except DatabaseError:
            if delay is None:
                logger.error(
                    "Notification %s: accepted by the mail server, but neither 'sent' nor 'delivery "
                    "unknown' could be saved; it will be sent again after the claim timeout",
                    pk,
                )
                raise
            _drop_broken_connection()
            time.sleep(delay)
        else:
            if marked:
                logger.warning("Notification %s: delivery unknown (%s)", pk, exc)
            else:  # the commit had reached the server after all: the row is sent
                logger.info("Notification %s: sent, although its commit reported %s", pk, exc)
            return


def _check_size(notification: Notification) -> None:
    """Refuse to send a subject or body above HIRELOOP_TEMPLATE_MAX_CHARS (an older row)."""
    for name in ("subject", "body"):
        size = len(getattr(notification, name))
        if size > max_chars():
            raise TemplateTooLarge(
                f"Not sent: the {name} holds {size:,} characters, more than "
                f"HIRELOOP_TEMPLATE_MAX_CHARS ({max_chars():,}). Shorten the template."
            )


def _open_quietly(backend) -> None:
    try:
        backend.open()
    except TRANSIENT_ERRORS:
        pass  # the server is away: the next send opens the connection again and reports it per row


def _close_quietly(backend) -> None:
    try:
        backend.close()
    except Exception:  # noqa: BLE001 - closing a broken SMTP session may fail; it is gone either way
        logger.debug("Closing the mail connection failed", exc_info=True)


def _release(
    notification_id: int,
    claimed_at: datetime.datetime,
    exc: Exception,
    *,
    failed: bool,
    retry_in: int | None = None,
    refund_attempt: bool = False,
) -> None:
    now = timezone.now()
    Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.SENDING, claimed_at=claimed_at
    ).update(
        status=NotificationStatus.FAILED if failed else NotificationStatus.PENDING,
        claimed_at=None,
        retry_at=None if retry_in is None else now + datetime.timedelta(seconds=retry_in),
        updated_at=now,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
        **({"attempts": F("attempts") - 1} if refund_attempt else {}),
    )


def retry_countdown(attempts: int) -> int:
    """Exponential backoff in seconds: base, 2x base, 4x base ... capped at ten minutes."""
    return min(settings.NOTIFICATIONS_RETRY_BASE * 2 ** max(attempts - 1, 0), 600)


@transaction.atomic
def notifications_retry(*, notification_ids: list[int], include_unknown: bool = False) -> int:
    """Put failed notifications back in the queue with a fresh set of attempts.

    Rows whose delivery is unknown (probably delivered) are queued only with include_unknown,
    once the person asking has confirmed that a duplicate is acceptable. A row whose template was
    too large to render has nothing to send: it stays failed.
    """
    statuses = [NotificationStatus.FAILED, *([NotificationStatus.UNKNOWN] if include_unknown else [])]
    ids = list(
        Notification.objects.filter(pk__in=notification_ids, status__in=statuses)
        .exclude(last_error__startswith=NOT_RENDERED)
        .values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids, status__in=statuses).update(
        status=NotificationStatus.PENDING,
        attempts=0,
        claimed_at=None,
        retry_at=None,
        updated_at=timezone.now(),
    )
    outbox_enqueue_on_commit(ids)
    return len(ids)


@transaction.atomic
def notifications_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Re-enqueue rows whose message was lost (pending too long, or claimed by a worker that
    died) and rows whose retry time has come."""
    now = now or timezone.now()
    pending_before = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_SWEEP_AFTER)
    claimed_before = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT)
    max_attempts = settings.NOTIFICATIONS_MAX_ATTEMPTS
    # A row whose worker died on every attempt is not tried again: it may be what kills them.
    Notification.objects.filter(
        status=NotificationStatus.SENDING, claimed_at__lt=claimed_before, attempts__gte=max_attempts
    ).update(
        status=NotificationStatus.FAILED,
        claimed_at=None,
        updated_at=now,
        last_error=f"Gave up after {max_attempts} attempts: the worker stopped while sending.",
    )
    ids = list(
        Notification.objects.filter(
            Q(status=NotificationStatus.PENDING, retry_at__isnull=True, updated_at__lt=pending_before)
            | Q(status=NotificationStatus.PENDING, retry_at__lte=now)
            | Q(status=NotificationStatus.SENDING, claimed_at__lt=claimed_before)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.NOTIFICATIONS_SWEEP_BATCH]
    )
    # Mark them as re-queued so that the next sweep does not enqueue them again right away.
    Notification.objects.filter(pk__in=ids, status=NotificationStatus.PENDING).update(
        updated_at=now, retry_at=None
    )
    outbox_enqueue_on_commit(ids)
    return ids
