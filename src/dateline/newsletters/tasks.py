"""The newsletters' background tasks, run by `dateline worker` through django-tasks (the database
queue, or Redis with REDIS_URL: settings TASKS["newsletters"]). Each is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from . import sending


@task(backend="newsletters", queue_name="newsletters")
def prepare_edition(edition_id: int) -> None:
    sending.prepare(edition_id)


@task(backend="newsletters", queue_name="newsletters")
def send_edition(edition_id: int) -> int:
    return sending.send(edition_id)
