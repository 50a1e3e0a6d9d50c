"""The station's label print queue as a pure state machine: order, states, and what happens after a crash.

No storage here (the durable queue in the station database is a later piece): the station keeps one row per
job and applies these transitions in the same transaction as the rest of its state. The rules:

- jobs print in the order they were queued; the oldest unfinished job is the only one that may be sent;
- a job is marked ``sending`` (and that mark committed) *before* its bytes go to the printer;
- the printer taking the whole job makes it ``printed``; a printer that took nothing (`PrinterUnavailable`)
  puts it back to ``queued`` to go out when the printer returns;
- a send interrupted part-way (`PrintInterrupted`), or a job found ``sending`` when the station starts again
  after a crash, becomes ``may_have_printed``: it is **never sent again by itself**. It holds the queue (a
  label printed out of order could go on the wrong parcel) until the packer scans the label
  (`confirm_printed`) or presses R (`reprint`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class JobState(StrEnum):
    """Where a print job is."""

    QUEUED = "queued"
    SENDING = "sending"
    PRINTED = "printed"
    MAY_HAVE_PRINTED = "may_have_printed"


class PrintQueueError(Exception):
    """A transition the rules do not allow (a bug in the caller, never an operator's mistake)."""


@dataclass(frozen=True, slots=True)
class PrintJob:
    """One label to print: its id (the station's row), its place in the queue, and the parcel it is for."""

    job_id: str
    seq: int
    parcel: str
    state: JobState = JobState.QUEUED
    #: how many times its bytes were handed to the printer (started sending)
    attempts: int = 0
    #: the printed job this one reprints, if any
    reprint_of: str | None = None


@dataclass(frozen=True, slots=True)
class PrintQueue:
    """Every job of the station in queue order; each method returns the new queue."""

    jobs: tuple[PrintJob, ...] = ()

    def enqueue(self, job_id: str, parcel: str, *, reprint_of: str | None = None) -> PrintQueue:
        """Add a job at the end; a reprint of a printed label is a new job naming the old one."""
        if any(j.job_id == job_id for j in self.jobs):
            raise PrintQueueError(f"job {job_id} is already queued")
        if reprint_of is not None and self.job(reprint_of).state is not JobState.PRINTED:
            raise PrintQueueError(f"job {reprint_of} is not printed; answer its question instead")
        seq = max((j.seq for j in self.jobs), default=0) + 1
        return PrintQueue((*self.jobs, PrintJob(job_id, seq, parcel, reprint_of=reprint_of)))

    def job(self, job_id: str) -> PrintJob:
        """The job with `job_id`; PrintQueueError when there is none."""
        for j in self.jobs:
            if j.job_id == job_id:
                return j
        raise PrintQueueError(f"no job {job_id}")

    @property
    def unfinished(self) -> tuple[PrintJob, ...]:
        """Jobs not printed yet, oldest first."""
        return tuple(sorted((j for j in self.jobs if j.state is not JobState.PRINTED), key=lambda j: j.seq))

    def next_to_send(self) -> PrintJob | None:
        """The job to send now: the oldest unfinished one if it is queued (None while sending or held)."""
        head = next(iter(self.unfinished), None)
        return head if head is not None and head.state is JobState.QUEUED else None

    def held_by(self) -> PrintJob | None:
        """The job that may have printed and holds the queue until the packer answers, if any."""
        return next((j for j in self.unfinished if j.state is JobState.MAY_HAVE_PRINTED), None)

    def start_sending(self, job_id: str) -> PrintQueue:
        """Mark the next job as being sent; commit this before handing its bytes to the printer."""
        nxt = self.next_to_send()
        if nxt is None or nxt.job_id != job_id:
            raise PrintQueueError(f"job {job_id} is not the next to send")
        return self._set(job_id, JobState.SENDING, attempts=nxt.attempts + 1)

    def sent(self, job_id: str) -> PrintQueue:
        """The printer took the whole job."""
        return self._move(job_id, JobState.SENDING, JobState.PRINTED)

    def not_sent(self, job_id: str) -> PrintQueue:
        """The printer took nothing (offline, refused): back to queued, first in line."""
        return self._move(job_id, JobState.SENDING, JobState.QUEUED)

    def interrupted(self, job_id: str) -> PrintQueue:
        """The send broke off part-way: the label may or may not have printed."""
        return self._move(job_id, JobState.SENDING, JobState.MAY_HAVE_PRINTED)

    def after_crash(self) -> PrintQueue:
        """At start-up: a job still marked sending was cut off by the crash; it may have printed."""
        return PrintQueue(
            tuple(
                replace(j, state=JobState.MAY_HAVE_PRINTED) if j.state is JobState.SENDING else j
                for j in self.jobs
            )
        )

    def confirm_printed(self, job_id: str) -> PrintQueue:
        """The packer scanned the label: it did print."""
        return self._move(job_id, JobState.MAY_HAVE_PRINTED, JobState.PRINTED)

    def reprint(self, job_id: str) -> PrintQueue:
        """The packer pressed R: send it again, in its own place (first in line)."""
        return self._move(job_id, JobState.MAY_HAVE_PRINTED, JobState.QUEUED)

    def _move(self, job_id: str, from_: JobState, to: JobState) -> PrintQueue:
        state = self.job(job_id).state
        if state is not from_:
            raise PrintQueueError(f"job {job_id} is {state}, not {from_}")
        return self._set(job_id, to)

    def _set(self, job_id: str, state: JobState, attempts: int | None = None) -> PrintQueue:
        return PrintQueue(
            tuple(
                replace(j, state=state, attempts=j.attempts if attempts is None else attempts)
                if j.job_id == job_id
                else j
                for j in self.jobs
            )
        )


def packer_line(queue: PrintQueue, *, printer_ready: bool) -> str:
    """What the packer's screen says about printing, or "" when there is nothing to say."""
    held = queue.held_by()
    if held is not None:
        return f"label for {held.parcel} may not have printed: scan it, or press R to reprint"
    waiting = len(queue.unfinished)
    if waiting and not printer_ready:
        return f"printer offline: {waiting} label{'s' if waiting != 1 else ''} waiting"
    return ""
