"""The station's sync client (docs/sync.md): push the outbox in order, pull changes, claim work.

Ack safety (I6): an outbox row is marked acknowledged only when a 200 push response answers for it: its
`acked_through` covers it and its results name it (never past the batch sent; a pull acknowledges nothing
by number). On a network error, timeout or 5xx the *same* batch is sent again after a back-off; the server
dedupes by (replica_id, seq). One client object per replica, driven by one thread (sync.worker).

A database restored from an old copy (the server is ahead of it, or refuses a reused seq) re-keys by itself:
a new replica takes over its unacknowledged events (sync.rekey), registers and pushes; nobody has to step in.
A database another server filled (register or pull answers with another server id) is set aside whole and the
station starts clean (sync.identity); a refused token is said in so many words (sync.refused).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.domain.packing import PackOrder
from app.station.services.ports import ClaimedWork, Clock, Offline
from app.station.services.sync_ports import OutboxRow, SyncStore
from sync import convert, faults
from sync import schemas as w
from sync.identity import SetAside
from sync.refused import token_problem
from sync.rekey import ack_bound
from sync.retry import STOPPED_STATES, Backoff, PushState

log = logging.getLogger("aisle.sync")
__all__ = ["STOPPED_STATES", "Backoff", "PushState", "SyncClient", "push_event"]  # where callers import them

API = "/api/v1"
JSON_BODY = {"Content-Type": "application/json"}  # bodies are pre-serialised; say what they are

if TYPE_CHECKING:
    import httpx


def push_event(row: OutboxRow) -> w.PushEvent:
    """An outbox row as the push request carries it."""
    lease = w.LeaseRef(line_id=row.lease[0], token=row.lease[1]) if row.lease else None
    return w.PushEvent(
        seq=row.seq,
        event_id=row.event_id,
        type=row.type,
        v=row.v,
        lease=lease,
        payload=row.payload,
        created_wall=row.created_wall,
        sha256=row.sha256,
    )


class SyncClient:
    """Push, pull and claims for one replica, over an httpx.Client whose base_url is the server.

    `http` is the client, or a function that makes it on first use: a station passes one, so httpx and its
    TLS set-up load in the sync thread after the terminal shows, not before.
    """

    def __init__(
        self,
        http: httpx.Client | Callable[[], httpx.Client],
        store: SyncStore,
        clock: Clock,
        *,
        station_id: str,
        app_version: str,
        margin_s: float = 60.0,
        batch_events: int = w.MAX_BATCH_EVENTS,
        batch_bytes: int = w.MAX_BATCH_BYTES,
    ) -> None:
        self._http, self._http_lock = http, threading.Lock()
        self.store, self.clock = store, clock
        self.station_id, self.app_version, self.margin_s = station_id, app_version, margin_s
        self.batch_events, self.batch_bytes = batch_events, batch_bytes
        self.backoff = Backoff()  # between attempts at the same push batch
        self.pull_backoff = Backoff(cap=10.0)  # pulls also probe the link: after healing, sync resumes soon
        self.inflight: list[OutboxRow] | None = None
        self.send_from: int | None = None  # None: from the first unacknowledged row
        self.stopped: str | None = None
        self.refused: str | None = None  # the server refused the last push with an unexpected 4xx
        self.online = False
        self.last_error = ""
        self.more = False  # the last pull stopped at the server's page limit: pull again at once
        self.retry_in = 0.0  # seconds to wait before the next push attempt after a RETRY
        self.pull_retry_in = 0.0  # seconds to wait before the next pull after a failed one
        self.clock_offset: float | None = None  # server clock minus station wall clock, from the last answer
        self.notice = ""  # something the operator should hear although sync goes on (a re-key)
        self.auth_problem: str | None = None  # the server refuses this station's token: what to do
        self.set_aside: SetAside | None = None  # this run set a database of another server aside
        # re-keys made by this process: a second in one run means re-keying did not cure it (a fresh replica
        # cannot clash with what the server holds), so stop for a person rather than loop
        self.rekeys = 0

    @property
    def http(self) -> httpx.Client:
        """The HTTP client (made now when a factory was given; the sync and station threads may both ask)."""
        with self._http_lock:
            if callable(self._http):
                self._http = self._http()
            return self._http

    @http.setter
    def http(self, client: httpx.Client) -> None:
        self._http = client

    # ---- push ----

    def _batch(self) -> list[OutboxRow]:
        start = self.send_from if self.send_from is not None else self.store.first_unacked_seq()
        if start is None:
            return []
        rows: list[OutboxRow] = []
        size = 0
        for row in self.store.events_from(start, self.batch_events):
            size += len(json.dumps(row.payload)) + 300
            if rows and size > self.batch_bytes:
                break
            rows.append(row)
        if rows and rows[0].seq != start:  # needed rows were pruned: the server can never get them
            self._stop("pruned", f"the server needs events from seq {start}, but they were pruned")
            return []
        return rows

    def push_once(self) -> PushState:
        """Send one batch (the in-flight one again after a failure) and handle the answer."""
        if self.stopped:
            return PushState.STOPPED
        batch = self.inflight or self._batch()
        if not batch:
            return PushState.STOPPED if self.stopped else PushState.IDLE
        self.inflight = batch
        oldest = self.store.oldest_unacked_wall()
        body = w.PushRequest(
            station_id=self.station_id,
            replica_id=self.store.replica_id(),
            app_version=self.app_version,
            outbox_depth=self.store.depth(),
            events=[push_event(r) for r in batch],
            oldest_unacked_age_s=round(self.clock.wall() - oldest, 3) if oldest else None,
            db_bytes=self.store.db_bytes(),
        )
        import httpx  # lazy: ~100 ms of imports, paid on the first sync, after the terminal's screen shows

        faults.reached("before_push")  # fault tests only (sync.faults); off unless AISLE_FAULT is set
        try:
            faults.reached("mid_push")
            resp = self.http.post(f"{API}/sync/push", content=body.model_dump_json(), headers=JSON_BODY)
        except httpx.HTTPError as exc:
            return self._retry(f"push failed: {exc.__class__.__name__}")
        faults.reached("after_response")
        self.refused = None
        return self._on_push(resp, batch)

    def _on_push(self, resp: httpx.Response, batch: list[OutboxRow]) -> PushState:
        if resp.status_code >= 500:
            return self._retry(f"server error {resp.status_code}")
        self.online = True
        if resp.status_code == 200:
            ok = w.PushResponse.model_validate_json(resp.content)
            self.last_error, self.auth_problem = "", None
            self.clock_offset = ok.server_now - self.clock.wall()
            through = ack_bound(ok.acked_through, [r.seq for r in batch], [r.seq for r in ok.results])
            if not through:  # an answer covering none of the batch: wait, as after a failure, then send again
                self.inflight = None
                return self._retry("the server's answer covered none of the batch")
            self.store.mark_acked(through, self.clock.wall(), first=batch[0].seq)
            self.store.record_outcomes(ok.results)
            # Go on after what was answered, never after the server's watermark: seqs between the two are
            # sent too, and the server checks their content (a restored copy reuses them).
            self.inflight, self.send_from = None, max(through, batch[0].seq - 1) + 1
            self.backoff.reset()
            if ok.acked_through > (last := self.store.last_seq()):
                return self._restored("server_ahead", _ahead(ok.acked_through, last))
            return PushState.SENT
        error = _error(resp)
        self.inflight = None
        if resp.status_code == 426:
            self._stop("upgrade_required", "this station must be upgraded; scans stay queued here")
        elif error.get("error") == "gap":
            self.send_from = int(error["expected_next"])
            if self.send_from > (last := self.store.last_seq()) + 1:
                return self._restored("server_ahead", _ahead(self.send_from - 1, last))
            return PushState.SENT
        elif error.get("error") == "seq_reuse_mismatch":
            detail = f"seq {error.get('seq')} was sent before with other content"
            return self._restored("seq_reuse_mismatch", detail)
        elif error.get("error") == "unknown_replica":
            return self.register()
        elif resp.status_code in (401, 403):
            return self._retry(self._token_refused(resp.status_code, error), online=True)
        else:
            # Not a business rejection (those come back as 200 outcomes): a poison event or a server bug.
            # Retried after the back-off like a network failure, and shown to the operator as refused.
            self.refused = f"push refused: {resp.status_code} {error or resp.text[:200]}"
            return self._retry(self.refused, online=True)
        return PushState.STOPPED

    def _restored(self, reason: str, detail: str) -> PushState:
        """This database was restored from an old copy: its seqs from here on may mean other events on the
        server. Re-key (a new replica takes over the unacknowledged events), register it and go on pushing;
        stop and ask for a person only when re-keying already failed to cure it."""
        self.inflight, self.send_from = None, None
        if self.stopped:
            return PushState.STOPPED
        if self.rekeys:
            self._stop(
                reason, f"{detail}; re-keying did not cure it. Scans stay queued here; call a supervisor."
            )
            return PushState.STOPPED
        done = self.store.rekey(reason, detail, self.clock.wall())
        self.rekeys += 1
        self.notice = done.notice()
        log.warning("%s (%s: %s; replica %s retired for %s)", self.notice, reason, detail, done.old, done.new)
        return self.register()

    def _retry(self, why: str, *, online: bool = False) -> PushState:
        self.online, self.last_error = online, why
        self.retry_in = self.backoff.next_delay()
        return PushState.RETRY

    def _pull_failed(self, why: str) -> bool:
        self.online, self.last_error = False, why
        self.pull_retry_in = self.pull_backoff.next_delay()
        return False

    def recheck(self) -> PushState:
        """Push once more although sync stopped, as a restart would (the worker does so rarely): the
        server may have been upgraded, or a supervisor may have sorted the replica out. Stops again if not.
        """
        was = self.stopped
        self.stopped, self.inflight, self.send_from = None, None, None
        state = self.push_once()
        if state is PushState.RETRY and self.stopped is None:
            self.stopped = was  # no answer: stay stopped until the next recheck
        elif state in (PushState.SENT, PushState.IDLE):
            self.store.set_status(online=self.online, status="ok", detail="", clock_offset_s=None)
        return state

    def _stop(self, status: str, detail: str) -> None:
        self.stopped, self.last_error = status, detail
        self.store.set_status(online=self.online, status=status, detail=detail, clock_offset_s=None)

    def register(self, *, first: bool = True) -> PushState:
        """Tell the server about this replica (new, or forgotten after a server restore); keep the outbox.

        The request names the server this database belongs to: another server registers nothing and says
        `wrong_server`; the database is then set aside and the new one registered (once per call).
        """
        import httpx  # lazy: as in push_once

        body = w.RegisterRequest(
            station_id=self.station_id,
            replica_id=self.store.replica_id(),
            app_version=self.app_version,
            retired=self.store.predecessor(),  # the server raises it for the supervisor, once
            server_id=self.store.server_id(),
        )
        try:
            resp = self.http.post(f"{API}/sync/register", content=body.model_dump_json(), headers=JSON_BODY)
        except httpx.HTTPError as exc:
            return self._retry(f"register failed: {exc.__class__.__name__}")
        error = _error(resp) if resp.status_code != 200 else {}
        if error.get("error") == "wrong_server" and body.server_id and first:
            self._foreign(body.server_id, str(error.get("server_id")))
            return self.register(first=False)
        if resp.status_code in (401, 403):
            return self._retry(self._token_refused(resp.status_code, error), online=True)
        if resp.status_code != 200:
            return self._retry(f"register refused: {resp.status_code}")
        ok = w.RegisterResponse.model_validate_json(resp.content)
        self.auth_problem = None
        if not self._same_server(ok.server_id):
            return self.register(first=False) if first else self._retry("register: server changed again")
        self.send_from, self.inflight = ok.expected_next, None
        return PushState.SENT

    def _same_server(self, answered: str | None) -> bool:
        """True when this database may go on with the server that `answered` (an older server names none;
        a database that knows no server yet belongs to this one from now on). Else it is set aside."""
        if answered is None:
            return True
        known = self.store.server_id()
        if known is None:
            self.store.adopt_server(answered)
            return True
        if known == answered:
            return True
        self._foreign(known, answered)
        return False

    def _foreign(self, old: str, new: str) -> None:
        """This database was filled by server `old`, and `new` answers: never mix the two. The database is
        kept whole aside (its unsent scans listed in the log) and the station goes on with a clean one."""
        done = self.store.set_aside(old, new, self.clock.wall())
        self.set_aside, self.notice = done, done.notice()
        self.inflight = self.send_from = self.stopped = self.refused = None
        self.rekeys = 0
        self.backoff.reset()

    def _token_refused(self, status: int, error: dict[str, Any]) -> str:
        """Remember (for the status bar) and log why the server refuses this station's token."""
        problem = token_problem(status, error, self.station_id)
        if problem != self.auth_problem:
            log.warning("token refused (%s): %s", status, problem)
        self.auth_problem = problem
        return problem

    # ---- pull ----

    def pull_once(self, *, first: bool = True) -> bool:
        """Fetch changes since the cursor and apply them with the new cursor in one transaction."""
        import httpx  # lazy: as in push_once

        self.store.note_pull_attempt(self.clock.wall())  # "still loading" says for how long (first pull)
        params = {"station_id": self.station_id, "replica_id": self.store.replica_id()}
        params["wall"] = repr(self.clock.wall())  # reported only: the supervisor sees the clock offset (S13)
        if (cursor := self.store.cursor()) is not None:
            params["cursor"] = cursor
        try:
            resp = self.http.get(f"{API}/sync/pull", params=params)
        except httpx.HTTPError as exc:
            return self._pull_failed(f"pull failed: {exc.__class__.__name__}")
        if resp.status_code != 200:
            if resp.status_code == 409 and _error(resp).get("error") == "unknown_replica":
                if self.register() is PushState.SENT and first:
                    return self.pull_once(first=False)  # registered (S12): pull as the server now knows us
                return self._pull_failed("pull refused: unknown replica")
            if resp.status_code in (401, 403):
                return self._pull_failed(self._token_refused(resp.status_code, _error(resp)))
            return self._pull_failed(f"pull refused: {resp.status_code}")
        pull = w.PullResponse.model_validate_json(resp.content)
        self.auth_problem = None
        if not self._same_server(pull.server_id):  # set aside: pull again as the new, clean database
            if first and self.register(first=False) is PushState.SENT:
                return self.pull_once(first=False)
            return self._pull_failed("pull: this database was set aside; the new one is not registered yet")
        if pull.acked_through < self.store.acked_through() and not self.inflight:
            # The server lost acknowledged events (restored from a backup): send the retained ones again.
            self.send_from = pull.acked_through + 1
        self.store.apply_pull(pull, boot_now=self.clock.boot(), margin_s=self.margin_s)
        self.clock_offset = pull.server_now - self.clock.wall()
        if pull.acked_through > (last := self.store.last_seq()):  # acknowledges nothing by number (I6)
            self._restored("server_ahead", _ahead(pull.acked_through, last))
        self.online, self.more = True, pull.more
        self.pull_backoff.reset()
        return True

    # ---- claims (the WorkSource port) ----

    def _post(self, path: str, body: w._Wire) -> httpx.Response:
        import httpx  # lazy: as in push_once

        try:
            resp = self.http.post(f"{API}/{path}", content=body.model_dump_json(), headers=JSON_BODY)
        except httpx.HTTPError as exc:
            raise Offline(f"server unreachable: {exc.__class__.__name__}") from exc
        if resp.status_code != 200:
            raise Offline(f"server answered {resp.status_code}")
        return resp

    def claim_pick(self, operator: str) -> ClaimedWork | None:
        body = w.ClaimRequest(
            station_id=self.station_id, replica_id=self.store.replica_id(), operator=operator
        )
        got = w.ClaimResponse.model_validate_json(self._post("work/claim", body).content)
        if got.work is None:
            return None
        return convert.work(
            got.work, boot_now=self.clock.boot(), server_now=got.server_now, margin_s=self.margin_s
        )

    def claim_pack(self, label: str, operator: str) -> PackOrder | None:
        body = w.PackClaimRequest(
            station_id=self.station_id, replica_id=self.store.replica_id(), operator=operator, label=label
        )
        got = w.PackClaimResponse.model_validate_json(self._post("work/pack", body).content)
        return convert.pack_order(got.order) if got.order else None


def _error(resp: httpx.Response) -> dict[str, Any]:
    try:
        body = resp.json()
    except (ValueError, ValidationError):
        return {}
    if isinstance(body, dict) and isinstance(body.get("detail"), dict):
        body = body["detail"]  # FastAPI's HTTPException(detail={...})
    return body if isinstance(body, dict) else {}


def _ahead(server_last: int, last: int) -> str:
    return (
        f"the server holds seq {server_last} of this station's database, which only reached {last}: it was "
        "restored from an old copy"
    )
