"""Figures computed by the worker once per change of their records, kept and served as snapshots.

The one way celltrace serves anything computed over many records (the outcome report,
outcomes/snapshots.py; the manager's figures of a site, web/site_figures.py): a request
never computes it. It finds the snapshot of its question and scope, serves it when the
records have not changed since (`data_stamp`), and otherwise queues one refresh on the task
queue (Django's tasks, run by `celltrace worker`) while it serves the last snapshot, labelled
with its time. A commit that writes one of the records queues the refresh of the snapshots
it changed (`after_commit`), so the next view finds them current.

The data stamp is the newest audit-history id of each table a kind of snapshot reads: every
change to one of those records writes a history row, so an equal stamp means nothing read
has changed. One query of indexed MAX()es, whatever the number of records. Edits the stamp
does not see (a site's name, a catalog entry, a bulk `update()` that bypasses the history)
show at the next change of the records; figures that age with the clock alone (a request's
wait) say how long a snapshot stays current (`Kind.fresh_for`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from functools import cached_property, partial

from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone

# A queued refresh that has not finished after this long is taken as lost (a worker killed
# mid-task) and queued again.
LOST_AFTER = dt.timedelta(minutes=15)
# How long a snapshot is left to stand after its computation before the next is run.
SETTLE_FOR = dt.timedelta(minutes=2)


class Snapshot(models.Model):
    """What every kind of snapshot holds besides its figures: its key, scope, stamp and state.

    Not clinical data (derived, recomputed at will): no history.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "A computation is queued or running"
        READY = "ready", "Ready"
        FAILED = "failed", "The last computation failed"

    key = models.CharField(max_length=255, unique=True)
    site = models.ForeignKey(
        "accounts.Site", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    data_stamp = models.CharField(max_length=500, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    asked_stamp = models.CharField(max_length=500, blank=True)  # the records when last queued
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True


Status = Snapshot.Status


@dataclasses.dataclass(frozen=True)
class Kind:
    """One kind of snapshot: where it is kept, what it reads, and the task that computes it."""

    model: type[Snapshot]
    stamped: tuple  # the audited models whose changes it depends on
    task: object  # a django.tasks Task taking the snapshot's pk
    reads: tuple[str, ...]  # the snapshot's columns its computation reads (its question)
    fresh_for: dt.timedelta | None = None  # current this long at most, for figures that age
    # A refresh waits until the last computation is this old (where the queue can defer):
    # records that change every few seconds (public requests) cost one computation per
    # `settle_for`, not one each, and the snapshot served meanwhile says it is not current.
    settle_for: dt.timedelta = SETTLE_FOR

    def stamp(self) -> str:
        return data_stamp(self.stamped)


def data_stamp(stamped) -> str:
    """The newest history id of each of these tables, in one query."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote('history_id')}) FROM {quote(m.history.model._meta.db_table)})"  # noqa: S608
        for m in stamped
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # the table names are the models' own
        newest = cursor.fetchone()
    return ".".join(str(value or 0) for value in newest)


# -- Whose records: a snapshot is of one site, or of every site (an administrator's).


@dataclasses.dataclass(frozen=True)
class SiteReader:
    """One site's view of the records (every site's for None): what a user is, without a user."""

    site_id: int | None

    @property
    def sees_every_site(self) -> bool:
        return self.site_id is None

    @cached_property
    def site(self):
        from celltrace.accounts.models import Site

        return None if self.site_id is None else Site.objects.get(pk=self.site_id)


def site_of(user) -> int | None:
    """The scope of a user's snapshots: their site, or None for every site (an administrator)."""
    if user.sees_every_site:
        return None
    if user.site_id is None:
        raise PermissionDenied("These figures are of a site: this account has none.")
    return user.site_id


# -- Serving: the request side.


@dataclasses.dataclass(frozen=True)
class Served:
    """What a request is given: the latest snapshot of its key, if any, and whether current."""

    snapshot: Snapshot | None  # None, or never computed: the first one is being prepared
    current: bool  # computed from the records as they are now

    @property
    def preparing(self) -> bool:
        return self.snapshot is None or self.snapshot.computed_at is None

    @property
    def failed(self) -> bool:
        return self.snapshot is not None and self.snapshot.status == Status.FAILED


def serve(kind: Kind, key: str, defaults: dict, fields: tuple[str, ...]) -> Served:
    """The snapshot of `key` with `fields` read; a refresh queued when the records moved on.

    Two queries when current (the stamp, the snapshot). Otherwise one refresh is queued (a
    backend that runs tasks at once, the tests', has computed it on return) and the last
    snapshot, if any, is served as it is.
    """
    fields = ("status", "data_stamp", "computed_at", "error", *fields)
    stamp = kind.stamp()
    snapshot = kind.model.objects.only(*fields).filter(key=key).first()
    if snapshot is not None and _current(kind, snapshot, stamp):
        return Served(snapshot, current=True)
    if request_refresh(kind, key, defaults, stamp):
        return Served(kind.model.objects.only(*fields).get(key=key), current=True)
    if snapshot is not None:
        snapshot.refresh_from_db(fields=["status", "error"])
    return Served(snapshot, current=False)


def _current(kind: Kind, snapshot: Snapshot, stamp: str) -> bool:
    if snapshot.computed_at is None or snapshot.data_stamp != stamp:
        return False
    return kind.fresh_for is None or timezone.now() - snapshot.computed_at < kind.fresh_for


def request_refresh(kind: Kind, key: str, defaults: dict, stamp: str) -> bool:
    """Queue one computation of this snapshot unless one waits already; True if it ran at once.

    The snapshot row is the lock: only the request whose UPDATE turns it to "queued" enqueues,
    so many page views of a stale snapshot queue one task. A computation that failed on these
    very records is not tried again until they change.
    """
    now = timezone.now()
    snapshot, created = kind.model.objects.get_or_create(
        key=key,
        defaults={**defaults, "status": Status.QUEUED, "queued_at": now, "asked_stamp": stamp},
    )
    if not created and not claim(kind, snapshot.pk, stamp, now):
        return False
    return enqueue(kind, snapshot.pk)


def claim(kind: Kind, pk: int, stamp: str, now) -> bool:
    """Mark a snapshot queued for these records, unless a refresh waits or failed on them."""
    waiting = Q(status=Status.QUEUED, queued_at__gte=now - LOST_AFTER)
    failed_on_these = Q(status=Status.FAILED, asked_stamp=stamp)
    claimed = (
        kind.model.objects.filter(pk=pk)
        .exclude(waiting | failed_on_these)
        .update(status=Status.QUEUED, queued_at=now, asked_stamp=stamp)
    )
    return claimed == 1


def enqueue(kind: Kind, pk: int) -> bool:
    """Queue the computation of one snapshot: at once, or once the last one has settled."""
    task = kind.task
    if task.get_backend().supports_defer:  # the database queue; not the tests' immediate one
        last = kind.model.objects.filter(pk=pk).values_list("computed_at", flat=True).first()
        if last is not None and last + kind.settle_for > timezone.now():
            task = task.using(run_after=last + kind.settle_for)
    result = task.enqueue(pk)
    return result.status == TaskResultStatus.SUCCESSFUL  # only a backend that runs at once


# -- Computing: the worker side.


def refresh(kind: Kind, pk: int, compute: Callable[[Snapshot], dict]) -> str:
    """Compute one snapshot's fields with `compute` and keep them with the stamp they saw."""
    snapshot = kind.model.objects.only(*kind.reads).get(pk=pk)
    stamp = kind.stamp()  # before reading: a change made meanwhile leaves the snapshot stale
    try:
        fields = compute(snapshot)
    except Exception as error:
        kind.model.objects.filter(pk=pk).update(
            status=Status.FAILED, error=f"{type(error).__name__}: {error}"
        )
        raise
    kind.model.objects.filter(pk=pk).update(
        **fields, data_stamp=stamp, computed_at=timezone.now(), status=Status.READY, error=""
    )
    return stamp


def refresh_each(kind: Kind, pks) -> int:
    """Queue the refresh of these snapshots (after a change), each unless one waits already."""
    pks = list(pks)
    stamp = kind.stamp() if pks else ""
    now = timezone.now()
    queued = 0
    for pk in pks:
        if claim(kind, pk, stamp, now):
            enqueue(kind, pk)
            queued += 1
    return queued


# -- After a change: gather what a transaction changed, refresh once after it commits.


def after_commit(refresh_changed: Callable[[dict], object], what: str, value) -> None:
    """Note that `value` (of `what`: a patient, a site...) changed, for `refresh_changed`.

    `refresh_changed(changes)` runs once after the commit with every value noted in the
    transaction (`changes[what]`, a set), or at once outside a transaction (committed already).
    """
    if connection.in_atomic_block:
        _pending(refresh_changed).setdefault(what, set()).add(value)
    else:
        refresh_changed({what: {value}})


def _pending(refresh_changed) -> dict:
    """The changes of the current transaction, with one on_commit callback to refresh them.

    Kept on the connection's own list of callbacks, so a rolled-back transaction takes its
    changes with it and a transaction of ten thousand writes registers one callback.
    """
    for _sids, func, _robust in connection.run_on_commit:
        ours = getattr(func, "func", None) is _run and func.args[0] is refresh_changed
        if ours and not func.args[1]["done"]:
            return func.args[1]["changes"]
    noted = {"done": False, "changes": {}}
    transaction.on_commit(partial(_run, refresh_changed, noted), robust=True)
    return noted["changes"]


def _run(refresh_changed, noted: dict) -> None:
    noted["done"] = True
    refresh_changed(noted["changes"])
