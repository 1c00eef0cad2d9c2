"""Django-tasks' immediate backend, able to hold tasks until a story's transaction is over.

Wagtail and its search index enqueue a task on every save: the reference index and the search
index entry of the page, its revision, its log entry... An imported story is saved three times
(created, revised, published), so each of those tasks ran three times, inside the story's
transaction. Within ``held_tasks()`` they are kept instead, each distinct task once, and run when
the block ends without an error (the story committed); when it fails they are dropped, as the
rows they would index were rolled back. Outside the block, tasks run at once as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult

_held: ContextVar[dict | None] = ContextVar("dateline_held_tasks", default=None)


class HoldingBackend(ImmediateBackend):
    def _execute_task(self, task_result: TaskResult) -> None:
        held = _held.get()
        if held is None:
            super()._execute_task(task_result)
            return
        key = (task_result.task.module_path, repr(task_result.args), repr(sorted(task_result.kwargs.items())))
        held.setdefault(key, (self, task_result))

    def run_now(self, task_result: TaskResult) -> None:
        super()._execute_task(task_result)


@contextmanager
def held_tasks() -> Iterator[None]:
    """Tasks enqueued inside run once each when the block succeeds, and are dropped when it raises."""
    if _held.get() is not None:  # already holding: the outer block runs them
        yield
        return
    token = _held.set({})
    try:
        yield
    except BaseException:
        _held.reset(token)
        raise
    held = _held.get() or {}
    _held.reset(token)
    for backend, task_result in held.values():
        backend.run_now(task_result)
