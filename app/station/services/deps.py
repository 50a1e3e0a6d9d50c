"""What every handler gets: the unit-of-work factory, clocks, interpreter, work source and settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.domain.packing import BoxType, PackBench, WeightTolerance
from app.domain.picking import PickContext
from app.domain.scanning import CatalogueLookup, LabelRules, Meaning
from app.station.services.commands import RecordScan
from app.station.services.ports import Clock, UnitOfWorkFactory, WorkSource

Interpreter = Callable[[RecordScan, CatalogueLookup], Meaning]
"""Turns a scan into its meaning against the station's catalogue (app.domain.interpret in production)."""


def domain_interpreter(rules: LabelRules) -> Interpreter:
    """The production interpreter: `app.domain.interpret.interpret` with the configured label rules."""

    def run(scan: RecordScan, catalogue: CatalogueLookup) -> Meaning:
        from app.domain.interpret import interpret  # lazy: biip loads on the first scan, not at start-up

        result: Meaning = interpret(scan.text, gs1=scan.gs1, aim=scan.aim, catalogue=catalogue, rules=rules)
        return result

    return run


DEFAULT_BOXES = (
    BoxType("S", 150, (250, 200, 100)),
    BoxType("M", 250, (350, 250, 150)),
    BoxType("L", 400, (450, 350, 250)),
)


def parse_box(spec: str) -> BoxType:
    """A box from its setting text `CODE:TARE_G:LxWxH`, for example `M:250:350x250x150`."""
    try:
        code, tare, dims = spec.split(":")
        length, width, height = (int(d) for d in dims.lower().split("x"))
        return BoxType(code.strip(), int(tare), (length, width, height))
    except ValueError:
        raise ValueError(
            f"box type {spec!r} is not CODE:TARE_G:LxWxH (for example M:250:350x250x150)"
        ) from None


@dataclass(frozen=True, slots=True)
class StationConfig:
    """The station's identity and the settings its verdicts depend on."""

    station_id: str
    role: str  # picker | packer
    boxes: tuple[BoxType, ...] = DEFAULT_BOXES
    tolerance: WeightTolerance = field(default_factory=WeightTolerance)

    @property
    def bench(self) -> PackBench:
        """The boxes and tolerance the seal step expects (its box and weight range in `Expect`)."""
        return PackBench(self.boxes, self.tolerance)


@dataclass(slots=True)
class StationDeps:
    """The adapters a station runs on; the composition root (CLI, UI app, tests) builds it."""

    uow: UnitOfWorkFactory
    clock: Clock
    interpret: Interpreter
    config: StationConfig
    work_source: WorkSource | None = None

    def pick_context(self) -> PickContext:
        return PickContext(boot_now=self.clock.boot(), today=self.clock.today())

    def box(self, code: str) -> BoxType | None:
        return next((b for b in self.config.boxes if b.code.lower() == code.lower()), None)
