"""A mail sink the worker processes and the test share: a table in the test database.

The backend inserts through Django's connection, so the insert belongs to the transaction in
which the worker marks the notification sent: a worker killed in between leaves neither.

Recipients steer failures, to exercise the retry path:
- ``flaky-N@...`` fails with SMTPServerDisconnected while the row has made fewer than N+1 attempts;
- ``down@...`` always fails.
"""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

TABLE = "worker_mail_sink"


def sink_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id serial PRIMARY KEY, notification_id integer, "
            "recipient text, subject text, message_id text, pid integer, at timestamptz DEFAULT now())"
        )
        cursor.execute(f"TRUNCATE {TABLE}")


def sink_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def sink_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT notification_id, recipient, subject, message_id FROM {TABLE} ORDER BY id")
        return cursor.fetchall()


def sink_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def sink_duplicates() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT notification_id, count(*) FROM {TABLE} GROUP BY notification_id HAVING count(*) > 1"
        )
        return cursor.fetchall()


class SinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        import os

        from interviews.models import Notification

        for message in email_messages:
            recipient = message.to[0]
            pk = int(message.extra_headers["X-Hireloop-Notification"])
            if recipient.startswith("down@"):
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            if recipient.startswith("flaky-"):
                failures = int(recipient.split("@")[0].split("-")[1])
                if Notification.objects.get(pk=pk).attempts <= failures:
                    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {TABLE} (notification_id, recipient, subject, message_id, pid) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [pk, recipient, message.subject, message.extra_headers["Message-ID"], os.getpid()],
                )
        return len(email_messages)


class CuttingSinkBackend(BaseEmailBackend):
    """A mail server outside the worker's transaction (as SMTP is): each message is recorded at
    once over a connection of its own, so a delivery stays recorded whatever the worker's
    transaction does next. For ``cut-...@`` recipients, right after accepting the message it
    terminates the worker's own database connection (as a restart or failover would), before the
    worker could commit its "sent" mark."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.server = None

    def _server(self):
        if self.server is None:
            self.server = connection.get_new_connection(connection.get_connection_params())
            self.server.autocommit = True
        return self.server

    def close(self):
        if self.server is not None:
            self.server.close()
            self.server = None

    def send_messages(self, email_messages):
        import os
        import time

        for message in email_messages:
            recipient = message.to[0]
            pk = int(message.extra_headers["X-Hireloop-Notification"])
            with self._server().cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {TABLE} (notification_id, recipient, subject, message_id, pid) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [pk, recipient, message.subject, message.extra_headers["Message-ID"], os.getpid()],
                )
                if recipient.startswith("cut-"):
                    pid = connection.connection.info.backend_pid
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                    for _ in range(100):
                        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                        if cursor.fetchone()[0] == 0:
                            break
                        time.sleep(0.02)
        return len(email_messages)
