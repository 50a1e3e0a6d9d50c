"""Simulated operators: read what a station expects next, scan it (now and then a wrong scan first), and
check the verdict. One thread drives one station process.
"""

from __future__ import annotations

import itertools
import queue
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from app.cli.simulation.processes import ProcessError, StationProcess
from app.cli.simulation.warehouse import Catalogue

Outcome = dict[str, Any]


@dataclass
class Tally:
    """What one simulated operator did."""

    scans: int = 0
    wrong_scans: int = 0
    lines_done: int = 0
    orders_picked: list[str] = field(default_factory=list)
    orders_packed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    scan_ms: list[float] = field(default_factory=list)


class Floor:
    """State the operators share: tote labels, and the totes waiting for a packer."""

    def __init__(self, catalogue: Catalogue, orders: dict[int, list[tuple[str, int]]], box: tuple[str, int]):
        self.catalogue, self.orders, self.box = catalogue, orders, box
        self._totes = itertools.count(1)
        self._lock = threading.Lock()
        self.to_pack: queue.Queue[tuple[str, str]] = queue.Queue()

    def new_tote(self) -> str:
        with self._lock:
            return f"T-{next(self._totes):06d}"

    def parcel_weight(self, order_id: str) -> int:
        """What the sealed parcel weighs: contents plus the tare of the box the packer takes."""
        lines = self.orders[int(order_id)]
        return sum(qty * self.catalogue.weights[sku] for sku, qty in lines) + self.box[1]


class OutOfScans(ProcessError):
    """The operator used up the scans a test allowed it (`Operator.budget`)."""


class Operator:
    """Common part: scanning with verdict checks and occasional wrong scans.

    `pace_s` pauses before each scan (a human pace, so faults can land mid-work); `budget` stops the operator
    (OutOfScans) after that many scans, so a test can interrupt work at a chosen point.
    """

    badge = ""
    pace_s = 0.0
    budget: int | None = None

    def __init__(self, station: StationProcess, floor: Floor, rng: random.Random, error_rate: float) -> None:
        self.station, self.floor, self.rng, self.error_rate = station, floor, rng, error_rate
        self.tally = Tally()
        self.last: Outcome = {}
        self.waiting_scans = 0  # badge scans before the station knew the operator

    def run(self) -> Tally:
        """Work until the floor has nothing left for this role (Picker, Packer)."""
        raise NotImplementedError

    def scan(self, text: str, *, expect_ok: bool | None = True) -> Outcome:
        """Scan `text` and return its verdict; one a real operator would not expect is noted as a problem."""
        if self.budget is not None and self.tally.scans - self.waiting_scans >= self.budget:
            raise OutOfScans(f"{self.station.station_id} used its {self.budget} scans")
        if self.pace_s:
            time.sleep(self.pace_s)
        out = self.station.scan(text)
        if not out:
            raise ProcessError(f"station {self.station.station_id} ended while scanning {text!r}")
        self.tally.scans += 1
        verdict = out[0]
        if "ms" in verdict:
            self.tally.scan_ms.append(float(verdict["ms"]))
        if expect_ok is True and verdict["verdict"] != "accepted":
            self.problem(f"{text!r} refused: {verdict['code']}: {verdict['message']}")
        elif expect_ok is False and verdict["verdict"] == "accepted":
            self.problem(f"wrong scan {text!r} was accepted ({verdict['code']})")
        self.last = out[-1]  # what the station expects now (after the claim that may follow)
        return verdict

    def maybe_wrong(self, wrong: str) -> None:
        """With probability error_rate, scan something wrong first: it must be refused and change nothing."""
        if self.rng.random() >= self.error_rate:
            return
        before = self.last.get("expected", {}).get("kind")
        self.tally.wrong_scans += 1
        self.scan(wrong, expect_ok=False)
        if (after := self.last.get("expected", {})).get("kind") != before:
            self.problem(f"wrong scan {wrong!r} changed what is expected ({before} → {after})")

    def problem(self, text: str) -> None:
        self.tally.problems.append(f"{self.station.station_id}: {text}")
        if len(self.tally.problems) > 25:
            raise ProcessError(f"station {self.station.station_id}: too many unexpected verdicts")

    def sign_in(self, timeout: float = 60.0) -> None:
        """Scan the badge until the station knows the operator (its first pull brings the operators)."""
        deadline = time.monotonic() + timeout
        while self.scan(self.badge, expect_ok=None).get("code") in ("unknown_badge", "reference_loading"):
            self.waiting_scans += 1  # the station has not learnt the operators yet: not work, not budgeted
            if time.monotonic() > deadline:
                raise ProcessError(
                    f"station {self.station.station_id} never learnt badge {self.badge}: is it syncing?"
                )
            time.sleep(0.2)


class Picker(Operator):
    """Picks work until the server has none left: totes, locations, items, puts, close."""

    badge = "OP-1001"

    #: "no work" must last this long before the picker goes home: a claim whose answer was lost comes
    #: back with the next pull (the lease is in the station's pull log), so ask again for a moment
    settle_s = 1.5

    def run(self) -> Tally:
        self.sign_in()
        totes: dict[str, str] = {}
        idle_since: float | None = None
        while True:  # problem() gives up after too many unexpected verdicts
            exp = self.last.get("expected", {})
            kind = exp.get("kind")
            if kind == "work":
                if self.last.get("code") == "no_work":
                    offline = self.last.get("message", "").startswith("Offline")
                    idle_since = idle_since or time.monotonic()
                    if not offline and time.monotonic() - idle_since > self.settle_s:
                        break  # nothing left to claim
                    time.sleep(0.3)
                self.scan(self.badge, expect_ok=None)  # signing in again resumes local work or claims
                continue
            idle_since = None
            if kind == "badge":
                self.sign_in()
            elif kind == "tote":
                totes[exp["order_id"]] = tote = self.floor.new_tote()
                self.scan(tote)
            elif kind == "location":
                self.maybe_wrong(self.floor.catalogue.other_location(self.rng, exp["location"]))
                self.scan(exp["location"])
            elif kind == "product":
                self.maybe_wrong(self.floor.catalogue.other_barcode(self.rng, {exp["sku"]}))
                if self.scan(self.floor.catalogue.barcode(exp["sku"])).get("code") == "line_done":
                    self.tally.lines_done += 1
            elif kind == "put":
                if self.scan(exp["tote"]).get("code") == "line_done":
                    self.tally.lines_done += 1
            elif kind == "close":
                if self.scan("CMD-DONE").get("code") == "totes_closed":
                    for order_id, tote in totes.items():
                        self.tally.orders_picked.append(order_id)
                        self.floor.to_pack.put((order_id, tote))
                    totes.clear()
            elif kind == "resume":
                self.scan("CMD-RESUME")
            elif kind == "short_reason":
                self.scan("CMD-CANCEL")
            else:
                self.problem(f"the picker cannot handle expected {exp}")
                break
        return self.tally


class Packer(Operator):
    """Packs totes as pickers close them: tote, every unit, box, weight, seal."""

    badge = "OP-1003"

    def __init__(self, *args: Any, pickers_done: threading.Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pickers_done = pickers_done

    def next_tote(self) -> tuple[str, str] | None:
        while True:
            try:
                return self.floor.to_pack.get(timeout=0.2)
            except queue.Empty:
                if self.pickers_done.is_set() and self.floor.to_pack.empty():
                    return None

    def run(self) -> Tally:
        self.sign_in()
        while (job := self.next_tote()) is not None:
            self.pack(*job)
        return self.tally

    def pack(self, order_id: str, tote: str) -> None:
        for _ in range(50):  # the tote's close may still be on its way to the server
            if self.scan(tote, expect_ok=None).get("code") != "order_unknown":
                break
            time.sleep(0.2)
        if self.last.get("code") != "pack_started":
            self.problem(f"tote {tote} of order {order_id} did not open: {self.last.get('message')}")
            return
        box_code, _tare = self.floor.box
        in_order = {sku for sku, _ in self.floor.orders[int(order_id)]}
        while (exp := self.last.get("expected", {})).get("kind") == "unit":
            self.maybe_wrong(self.floor.catalogue.other_barcode(self.rng, in_order))
            self.scan(self.floor.catalogue.barcode(exp["sku"]))
        if exp.get("kind") != "seal":
            self.problem(f"order {order_id}: expected to seal, the station expects {exp}")
            return
        self.scan(f"CMD-BOX-{box_code}")
        self.scan(f"CMD-WEIGHT-{self.floor.parcel_weight(order_id)}")
        if self.scan("CMD-DONE").get("code") == "order_sealed":
            self.tally.orders_packed.append(order_id)
