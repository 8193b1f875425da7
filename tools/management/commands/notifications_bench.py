"""`python manage.py notifications_bench`: notifications per second through one worker on a broker.

Needs a configured broker (CELERY_BROKER_URL, e.g. Redis) and a database the worker can share
(PostgreSQL). It creates a throw-away company, then measures two things:

1. Throughput: N pipeline moves are made through the service while no worker runs (each move
   writes its outbox rows and enqueues one task on commit), so their emails wait in the queue;
   then one worker starts and drains it. Rate = emails / (last sent - first claimed); the CPU
   time of the worker's processes and of its PostgreSQL backends per email is read from /proc.
2. Latency: with the worker running, moves are made at a steady rate (--rate 0: as fast as this
   process can); for every email, the time from the move (the outbox row is written inside the
   move) to "sent" gives p50 and p95, and emails / (first enqueue - last sent) the end-to-end rate.

The worker's mail backend is chosen with --email-backend (default: Django's dummy backend, which
accepts and drops messages, so the figures measure Hireloop, not an SMTP server).
"""

import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from hiring.models import Application, Candidate, Company, Job, Membership, Role, Stage
from hiring.services import application_advance
from interviews.models import InterviewKit, Notification
from rubrics.models import Rubric

SLUG = "notifications-bench"


def process_cpu(pids) -> float:
    """CPU seconds (user + system) used so far by some processes (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def database_backends() -> list[int]:
    """PostgreSQL backends on this database other than ours (the worker's, when it runs)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class Command(BaseCommand):
    help = "Benchmark notifications: emails per second through one worker, p50/p95 move-to-sent."

    def add_arguments(self, parser):
        parser.add_argument("--moves", type=int, default=500, help="Moves of the throughput run.")
        parser.add_argument("--latency-moves", type=int, default=200, help="Moves of the latency run.")
        parser.add_argument(
            "--rate", type=float, default=40.0, help="Moves per second in the latency run (0: no pause)."
        )
        parser.add_argument("--interviewers", type=int, default=1, help="Interviewers emailed per move.")
        parser.add_argument("--concurrency", type=int, default=4, help="Worker pool processes or threads.")
        parser.add_argument(
            "--pool", default="threads", help="Worker pool: threads (as make worker), prefork, solo."
        )
        parser.add_argument(
            "--prefetch-multiplier", type=int, default=None, help="Worker prefetch (default: the setting)."
        )
        parser.add_argument(
            "--email-backend",
            default="django.core.mail.backends.dummy.EmailBackend",
            help="Worker mail backend.",
        )
        parser.add_argument("--keep", action="store_true", help="Keep the bench company afterwards.")
        parser.add_argument("--queue", default="notifications-bench", help="Broker queue of the bench.")

    def handle(self, *args, **opts):
        from celery import current_app as app  # the project's app (config.celery) is the current one

        if app.conf.task_always_eager or not settings.CELERY_BROKER_URL:
            raise CommandError(
                "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0): the bench needs a worker."
            )
        if connection.vendor != "postgresql":
            raise CommandError("Use PostgreSQL (DATABASE_URL): the worker shares the database.")
        # Its own queue: purging it, and the worker consuming it, leaves other users of the broker alone.
        app.conf.task_default_queue = opts["queue"]
        with app.connection_for_write() as conn:
            conn.default_channel.queue_declare(opts["queue"], durable=True, auto_delete=False)
            conn.default_channel.queue_purge(opts["queue"])
        self._cleanup()
        per_move = 1 + opts["interviewers"]
        worker = None
        try:
            job, stages = self._setup(opts["interviewers"])
            # 1. Throughput: a backlog drained by one worker.
            apps = self._applications(job, stages[0], opts["moves"], "t")
            started = time.monotonic()
            for application in apps:
                application_advance(application=application, actor=None)
            produce = time.monotonic() - started
            expected = len(apps) * per_move
            worker = self._start_worker(opts)
            self._wait(1, timeout=120)
            backends = database_backends()
            cpu_before, db_before = process_tree_cpu(worker.pid), process_cpu(backends)
            self._wait(expected, timeout=600)
            cpu_per_email = (process_tree_cpu(worker.pid) - cpu_before) / max(expected - 1, 1)
            db_per_email = (process_cpu(backends) - db_before) / max(expected - 1, 1)
            load = os.getloadavg()
            span = Notification.objects.filter(company=job.company).aggregate(
                first=Min("claimed_at"), last=Max("sent_at")
            )
            seconds = (span["last"] - span["first"]).total_seconds()
            throughput = expected / seconds if seconds else float("inf")
            # 2. Latency: steady moves while the worker runs.
            marker = timezone.now()
            apps = self._applications(job, stages[0], opts["latency_moves"], "l")
            interval = 1.0 / opts["rate"] if opts["rate"] > 0 else 0.0
            t0 = time.monotonic()
            for i, application in enumerate(apps):
                pause = t0 + i * interval - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                application_advance(application=application, actor=None)
            produce_l = time.monotonic() - t0
            self._wait(expected + len(apps) * per_move, timeout=600)
            rows = list(
                Notification.objects.filter(company=job.company, created_at__gte=marker).values_list(
                    "created_at", "sent_at"
                )
            )
            latencies = sorted((sent - created).total_seconds() * 1000 for created, sent in rows)
            e2e = (max(s for _, s in rows) - min(c for c, _ in rows)).total_seconds()
        finally:
            if worker is not None:
                worker.terminate()  # warm shutdown
                worker.wait(60)
            if not opts["keep"]:
                self._cleanup()
        p50 = statistics.median(latencies)
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        self.stdout.write(
            f"Throughput: {expected} emails from {opts['moves']} moves drained by one worker "
            f"({opts['pool']} pool, concurrency {opts['concurrency']}) in {seconds:.2f}s: "
            f"{throughput:.0f} notifications/s"
        )
        # Processes of a prefork pool use one core each; a solo or threads pool one core in all.
        cores = min(opts["concurrency"], os.cpu_count() or 1) if opts["pool"] == "prefork" else 1
        self.stdout.write(
            f"Worker CPU: {cpu_per_email * 1000:.2f} ms per notification (user + system, pool included), "
            f"its PostgreSQL backends {db_per_email * 1000:.2f} ms (broker not counted): "
            f"{cores / cpu_per_email:.0f} notifications/s if the worker had {cores} "
            f"core{'s' if cores > 1 else ''} to itself. "
            f"Load average during the drain: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
        )
        self.stdout.write(
            f"(the moves themselves ran at {opts['moves'] / produce:.0f}/s before the worker started)"
        )
        self.stdout.write(
            f"Latency: {len(latencies)} emails from {len(apps)} moves at "
            f"{len(apps) / produce_l:.0f} moves/s: "
            f"move to sent p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms; "
            f"{len(rows) / e2e:.0f} notifications/s from the first enqueue to the last sent"
        )
        self.stdout.write(
            f"Broker {settings.CELERY_BROKER_URL.split('@')[-1]}, mail backend {opts['email_backend']}"
        )

    def _setup(self, interviewers: int):
        from django.contrib.auth import get_user_model

        company = Company.objects.create(name="Notifications bench", slug=SLUG)
        job = Job.objects.create(company=company, title="Bench engineer", status="open")
        stages = [
            Stage.objects.create(company=company, job=job, position=i, name=f"Stage {i}", kind="technical")
            for i in range(2)
        ]
        rubric = Rubric.objects.create(company=company, name="Bench rubric")
        kit = InterviewKit.objects.create(
            company=company, stage=stages[1], name="Bench session", rubric=rubric
        )
        User = get_user_model()
        for i in range(interviewers):
            user, _ = User.objects.get_or_create(
                username=f"bench-interviewer-{i}", defaults={"email": f"bench-interviewer-{i}@example.org"}
            )
            kit.default_interviewers.add(
                Membership.objects.create(
                    user=user, company=company, role=Role.INTERVIEWER, display_name=f"I{i}"
                )
            )
        return job, stages

    @transaction.atomic
    def _applications(self, job, stage, n: int, tag: str) -> list[Application]:
        now = timezone.now() - timedelta(days=1)
        candidates = Candidate.objects.bulk_create(
            Candidate(company=job.company, name=f"Candidate {tag}{i}", email=f"bench-{tag}{i}@example.org")
            for i in range(n)
        )
        return Application.objects.bulk_create(
            Application(
                company=job.company, candidate=c, job=job, stage=stage, applied_at=now, stage_entered_at=now
            )
            for c in candidates
        )

    def _start_worker(self, opts) -> subprocess.Popen:
        prefetch = (
            [f"--prefetch-multiplier={opts['prefetch_multiplier']}"] if opts["prefetch_multiplier"] else []
        )
        env = {
            **os.environ,
            "EMAIL_BACKEND": opts["email_backend"],
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "300"),
        }
        return subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING",
                f"--concurrency={opts['concurrency']}", f"--pool={opts['pool']}", "--without-gossip",
                "--without-mingle", "--without-heartbeat", "-n", "bench@%h", "-Q", opts["queue"],
                *prefetch,
            ],
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
        )  # fmt: skip

    def _wait(self, expected: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if Notification.objects.filter(company__slug=SLUG, status="sent").count() >= expected:
                return
            time.sleep(0.2)
        raise CommandError(f"Only part of {expected} notifications were sent within {timeout:.0f}s.")

    def _cleanup(self) -> None:
        company = Company.objects.filter(slug=SLUG).first()
        if company is not None:
            Notification.objects.filter(company=company).delete()
            Application.objects.filter(company=company).delete()
            InterviewKit.objects.filter(company=company).delete()
            company.delete()
