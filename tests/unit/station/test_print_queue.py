"""The label print queue's rules (pure; the SQLite-backed queue is a later piece)."""

from __future__ import annotations

import pytest

from app.station.services.print_queue import JobState, PrintQueue, PrintQueueError, packer_line


def three() -> PrintQueue:
    return PrintQueue().enqueue("j1", "P-1").enqueue("j2", "P-2").enqueue("j3", "P-3")


def print_next(q: PrintQueue) -> tuple[PrintQueue, str]:
    job = q.next_to_send()
    assert job is not None
    return q.start_sending(job.job_id).sent(job.job_id), job.job_id


def test_jobs_print_in_the_order_they_were_queued() -> None:
    q, order = three(), []
    for _ in range(3):
        q, job_id = print_next(q)
        order.append(job_id)
    assert order == ["j1", "j2", "j3"]
    assert q.next_to_send() is None and q.unfinished == ()


def test_only_the_oldest_unfinished_job_may_be_sent() -> None:
    q = three()
    with pytest.raises(PrintQueueError, match="not the next"):
        q.start_sending("j2")
    q = q.start_sending("j1")
    assert q.next_to_send() is None, "nothing else goes out while j1 is being sent"
    with pytest.raises(PrintQueueError):
        q.start_sending("j2")


def test_a_printer_that_took_nothing_keeps_the_job_first_in_line() -> None:
    q = three().start_sending("j1").not_sent("j1")
    nxt = q.next_to_send()
    assert nxt is not None and (nxt.job_id, nxt.state, nxt.attempts) == ("j1", JobState.QUEUED, 1)
    assert packer_line(q, printer_ready=False) == "printer offline: 3 labels waiting"
    q = q.start_sending("j1").sent("j1")
    assert packer_line(q, printer_ready=False) == "printer offline: 2 labels waiting"
    assert packer_line(q, printer_ready=True) == ""


def test_an_interrupted_job_is_never_sent_again_by_itself_and_holds_the_queue() -> None:
    q = three().start_sending("j1").interrupted("j1")
    assert q.job("j1").state is JobState.MAY_HAVE_PRINTED
    assert q.next_to_send() is None, "neither j1 again nor j2 before it is answered"
    assert q.held_by() == q.job("j1")
    assert (
        packer_line(q, printer_ready=True)
        == "label for P-1 may not have printed: scan it, or press R to reprint"
    )


def test_after_a_crash_a_job_marked_sending_may_have_printed_and_waits_for_the_packer() -> None:
    before_crash = three().start_sending("j1")
    restarted = before_crash.after_crash()
    assert restarted.job("j1").state is JobState.MAY_HAVE_PRINTED
    assert restarted.next_to_send() is None
    assert restarted.after_crash() == restarted, "starting again twice changes nothing more"


def test_the_label_scanned_counts_as_printed_and_the_queue_goes_on() -> None:
    q = three().start_sending("j1").after_crash().confirm_printed("j1")
    assert q.job("j1").state is JobState.PRINTED
    nxt = q.next_to_send()
    assert nxt is not None and nxt.job_id == "j2"


def test_r_sends_the_same_job_again_in_its_own_place() -> None:
    q = three().start_sending("j1").interrupted("j1").reprint("j1")
    nxt = q.next_to_send()
    assert nxt is not None and (nxt.job_id, nxt.attempts) == ("j1", 1)
    q = q.start_sending("j1")
    assert q.job("j1").attempts == 2


def test_printed_jobs_are_not_resent_and_a_reprint_of_one_is_a_new_job() -> None:
    q, _ = print_next(three())
    with pytest.raises(PrintQueueError):
        q.reprint("j1")
    with pytest.raises(PrintQueueError):
        q.sent("j1")
    q = q.enqueue("j1-r", "P-1", reprint_of="j1")
    assert [j.job_id for j in q.unfinished] == ["j2", "j3", "j1-r"]
    with pytest.raises(PrintQueueError, match="not printed"):
        q.enqueue("j2-r", "P-2", reprint_of="j2")


def test_illegal_transitions_are_refused() -> None:
    q = three()
    for step in (q.sent, q.not_sent, q.interrupted, q.confirm_printed, q.reprint):
        with pytest.raises(PrintQueueError):
            step("j1")
    with pytest.raises(PrintQueueError, match="already"):
        q.enqueue("j1", "P-9")
    with pytest.raises(PrintQueueError, match="no job"):
        q.job("nope")
