"""Django-tasks' immediate backend, able to hold tasks until a story's transaction is over.

Wagtail and its search index enqueue a task on every save: the reference index and the search
index entry of the page, its child rows, a new author... Run at each save, inside the story's
transaction, they would index a page before its child rows (authors, tags) are written, and the
same page again at every save. Within ``held_tasks()`` they are kept instead, each distinct task
once, and run when the block ends without an error; when it fails they are dropped, as the rows
they would index were rolled back. Outside the block, tasks run at once as before.

During an ingest run (``dateline.batch``) the held tasks of committed stories are handed to the
run and done together at its flush (``run_held``): the search index entries in one bulk write,
the reference index with its child rows read in a few queries.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult
from modelcluster.fields import ParentalKey

from dateline import batch

log = logging.getLogger(__name__)

_held: ContextVar[dict | None] = ContextVar("dateline_held_tasks", default=None)
_indexing: ContextVar[dict | None] = ContextVar("dateline_indexing", default=None)

SEARCH_INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"
REFERENCE_INDEX_TASK = "wagtail.tasks.update_reference_index_task"


class HeldTask:
    """A task kept for later, equal to any other of the same function and arguments."""

    def __init__(self, key: tuple, backend: HoldingBackend, result: TaskResult) -> None:
        self.key, self.backend, self.result = key, backend, result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HeldTask) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def run(self) -> None:
        self.backend.run_now(self.result)


class HoldingBackend(ImmediateBackend):
    def _execute_task(self, task_result: TaskResult) -> None:
        held = _held.get()
        if held is None:
            super()._execute_task(task_result)
            return
        key = (task_result.task.module_path, repr(task_result.args), repr(sorted(task_result.kwargs.items())))
        held.setdefault(key, HeldTask(key, self, task_result))

    def run_now(self, task_result: TaskResult) -> None:
        super()._execute_task(task_result)


@contextmanager
def held_tasks() -> Iterator[None]:
    """Tasks enqueued inside run once each when the block succeeds, and are dropped when it raises.

    Inside an ingest run (``dateline.batch.run``) the tasks of a block that succeeded outside any
    transaction (its story committed) go to the run instead, and run with those of the run's other
    stories (``run_held``: the search index in bulk)."""
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
    committed = not transaction.get_connection().in_atomic_block  # only committed work goes to the run
    for task in held.values():
        if not (committed and batch.defer(run_held, task)):
            task.run()


def run_held(tasks: list[HeldTask]) -> None:
    """Run tasks kept for a run of stories: search index entries in one bulk write a model, the rest one by one."""
    to_index: dict[tuple[str, str], list] = defaultdict(list)
    to_reference: dict[tuple[str, str], list] = defaultdict(list)
    referenced = {_args(task) for task in tasks if task.key[0] == REFERENCE_INDEX_TASK}
    for task in tasks:
        args = _args(task)
        if task.key[0] == SEARCH_INDEX_TASK and args is not None:
            to_index[args[:2]].append(args[2])
        elif task.key[0] == REFERENCE_INDEX_TASK and args is not None and not _parental_keys(args):
            to_reference[args[:2]].append(args[2])
        elif task.key[0] == REFERENCE_INDEX_TASK and args is not None and _indexed_through_parent(args, referenced):
            continue  # the task of the parent (the story of an author link) indexes the child's references
        else:
            task.run()
    for (app_label, model_name), pks in to_reference.items():
        reference_in_bulk(apps.get_model(app_label, model_name), pks)
    for (app_label, model_name), pks in to_index.items():
        index_in_bulk(apps.get_model(app_label, model_name), pks)


def _args(task: HeldTask) -> tuple[str, str, str] | None:
    """(app label, model name, pk) of an index task, None for any other."""
    args = task.result.args
    if len(args) != 3 or task.result.kwargs:
        return None
    return str(args[0]), str(args[1]), str(args[2])


def _parental_keys(args: tuple[str, str, str]) -> list:
    model = apps.get_model(args[0], args[1])
    return [field for field in model._meta.get_fields() if isinstance(field, ParentalKey)]


def _indexed_through_parent(args: tuple[str, str, str], referenced: set) -> bool:
    """Wagtail's reference-index task for a child row (a ParentalKey) indexes its parent: True when the
    parent's own task is among REFERENCED, so running the child's would do the same work again."""
    model = apps.get_model(args[0], args[1])
    keys = _parental_keys(args)
    if not keys:
        return False
    parent_pk = model._default_manager.filter(pk=args[2]).values_list(keys[0].attname, flat=True).first()
    parent = keys[0].related_model._meta
    return parent_pk is not None and (parent.app_label, parent.model_name, str(parent_pk)) in referenced


def reference_in_bulk(model, pks: list) -> None:
    """What update_reference_index_task does for each of PKS (rows of a model with no parent), reading
    them and their child rows (the story's author links, corrections...) in a few queries."""
    from modelcluster.models import get_all_child_relations
    from wagtail.models import ReferenceIndex

    if not ReferenceIndex.is_indexed(model):
        return
    relations = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    for instance in model._default_manager.filter(pk__in=pks).prefetch_related(*relations):
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(instance)


def index_in_bulk(model, pks: list) -> None:
    """What insert_or_update_object_task does for each of PKS, in one write a search backend."""
    from modelsearch import index

    rows = model.objects.filter(pk__in=pks).prefetch_related(*getattr(model, "search_prefetch", ()))
    index_pages([index.get_indexed_instance(obj, check_exists=False) for obj in rows])


def once_while_indexing(value: Any, compute):
    """COMPUTE(), once for VALUE during ``index_pages`` (which reads each search field for the title,
    the body and the autocomplete columns in turn, so a story's body text three times); at other
    times computed on each call, as the value may change between calls."""
    memo = _indexing.get()
    if memo is None:
        return compute()
    found = memo.get(id(value))
    if found is None or found[0] is not value:  # held with its value, so the id is not reused meanwhile
        found = memo[id(value)] = (value, compute())
    return found[1]


def index_pages(objects: list) -> None:
    """Index OBJECTS (as read or as just written, with their related rows) in one write a search backend."""
    token = _indexing.set({})
    try:
        _index_pages(objects)
    finally:
        _indexing.reset(token)


def _index_pages(objects: list) -> None:
    from modelsearch import index

    by_model: dict[Any, list] = defaultdict(list)
    for obj in objects:
        if obj is not None:
            by_model[type(obj)].append(obj)
    for indexed_model, instances in by_model.items():
        wanted = set(
            indexed_model.get_indexed_objects().filter(pk__in=[o.pk for o in instances]).values_list("pk", flat=True)
        )
        instances = [obj for obj in instances if obj.pk in wanted]
        if not instances:
            continue
        for name, backend in index.get_search_backends_with_name(with_auto_update=True):
            try:
                backend.add_bulk(indexed_model, instances)
            except Exception:
                log.exception(
                    "could not index %d %s in the %r search backend", len(instances), indexed_model.__name__, name
                )
                if not backend.catch_indexing_errors:
                    raise
