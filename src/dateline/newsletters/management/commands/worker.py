"""`dateline worker [--burst]`: send newsletters, and keep the newsletters' clock.

A worker of the task-queue library (django-tasks-db's, or RQ's with REDIS_URL) runs the queued
tasks; beside it a thread ticks each minute (clock.py). With --burst it works until nothing is
left to do, then exits: the clock ticks once first, and again after the queue is empty, until a
tick finds nothing more to queue."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections

from dateline.newsletters import clock
from dateline.newsletters.sending import sweep, worker_name

log = logging.getLogger("dateline.newsletters")

BACKEND = "newsletters"
QUEUE = "newsletters"


class Command(BaseCommand):
    help = "Run a newsletter worker: send queued editions; assemble briefings and digests on time."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="work until the queue is empty, then exit")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue (default 1)"
        )
        parser.add_argument("--tick", type=float, default=60.0, help="seconds between the clock's ticks (default 60)")

    def handle(self, *args, burst: bool = False, interval: float = 1.0, tick: float = 60.0, **options):
        if interval <= 0 or tick <= 0:
            raise CommandError("--interval and --tick must be more than 0 seconds")
        backend = settings.TASKS[BACKEND]["BACKEND"]
        self.stdout.write(
            f"newsletter worker {worker_name()} on {backend.rsplit('.', 1)[-1]}{' (burst)' if burst else ''}"
        )
        if burst:
            clock.tick()
            while True:
                self.work(backend, burst=True, interval=interval)
                close_old_connections()
                if not sweep():
                    break
            self.stdout.write("queue empty")
            return
        stop = threading.Event()
        threading.Thread(target=self.keep_time, args=(stop, tick), name="newsletter-clock", daemon=True).start()
        try:
            self.work(backend, burst=False, interval=interval)
        finally:
            stop.set()

    def keep_time(self, stop: threading.Event, every: float) -> None:
        while not stop.is_set():
            try:
                clock.tick()
            except Exception:  # noqa: BLE001 - a tick that fails is logged; the next one tries again
                log.exception("the newsletters' clock failed")
            finally:
                connections.close_all()
            stop.wait(every)

    @staticmethod
    def schedule_rq(stop: threading.Event, every: float = 5.0) -> None:
        """What RQ's scheduler does, in a thread: each EVERY seconds, the delayed jobs whose time has
        come go to the queue (one worker at a time does it, under RQ's lock)."""
        import django_rq
        from rq.scheduler import RQScheduler

        queue = django_rq.get_queue(QUEUE)
        while not stop.wait(every):
            try:
                scheduler = RQScheduler([queue], connection=queue.connection)
                scheduler.acquire_locks()
                if scheduler.acquired_locks:
                    try:
                        scheduler.enqueue_scheduled_jobs()
                    finally:
                        scheduler.release_locks()
            except Exception:  # noqa: BLE001 - Redis away for a moment: the next pass tries again
                log.exception("moving delayed newsletter jobs to the queue failed")

    def work(self, backend: str, burst: bool, interval: float) -> None:
        if backend == "django_tasks_rq.RQBackend":
            import django_rq
            from django_tasks_rq.backend import Job
            from rq.worker import SimpleWorker

            rq_worker = django_rq.get_worker(QUEUE, job_class=Job, worker_class=SimpleWorker)  # type: ignore[arg-type]
            if burst:  # RQ moves the due delayed jobs (retries) to the queue once, in this process
                rq_worker.work(burst=True, with_scheduler=True, logging_level="WARNING")
                return
            # Not RQ's scheduler process: it is forked, and outlives a worker killed with SIGKILL. A
            # thread of this process moves due delayed jobs to the queue instead, and dies with it.
            stop = threading.Event()
            threading.Thread(target=self.schedule_rq, args=(stop,), name="rq-delayed-jobs", daemon=True).start()
            try:
                rq_worker.work(burst=False, with_scheduler=False, logging_level="WARNING")
            finally:
                stop.set()
            return
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=[QUEUE],
            interval=interval,
            batch=burst,
            backend_name=BACKEND,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_name()[:64],
        )
        if not burst:
            worker.configure_signals()
        worker.run()
