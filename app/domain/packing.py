"""Pack verification: every unit verified against the order again, a box suggested, the weight checked,
then sealed.

No label before verification: `seal` refuses while units are unverified or the weight is off, unless a
supervisor override with a reason is given; the override is recorded as its own event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.events import Event, OrderSealed, PackStarted, ScanRefused, SealOverridden, UnitVerified
from app.domain.scanning import ProductScan
from app.domain.work import Expect, ExpectKind, Verdict


class PackState(StrEnum):
    VERIFYING = "verifying"
    SEALED = "sealed"


@dataclass(slots=True)
class PackLine:
    """What the order holds of one SKU, and how many units the packer verified so far."""

    sku: str
    product_name: str
    qty: int
    weight_g: int = 0
    dims_mm: tuple[int, int, int] = (0, 0, 0)
    verified: int = 0

    @property
    def label(self) -> str:
        return f"{self.product_name} ({self.sku})"


@dataclass(frozen=True, slots=True)
class BoxType:
    """A shipping box: code, empty weight and inner size (l, w, h mm)."""

    code: str
    tare_g: int
    inner_mm: tuple[int, int, int]

    @property
    def volume(self) -> int:
        length, width, height = self.inner_mm
        return length * width * height


@dataclass(frozen=True, slots=True)
class WeightTolerance:
    """A weight matches when it is within the larger of `grams` and `percent` of the expected weight."""

    grams: int = 50
    percent: float = 5.0

    def allowed(self, expected_g: int) -> int:
        return max(self.grams, round(expected_g * self.percent / 100))


@dataclass(frozen=True, slots=True)
class PackBench:
    """What a pack bench seals with: its boxes and the weight tolerance (the seal step's expectation)."""

    boxes: tuple[BoxType, ...] = ()
    tolerance: WeightTolerance = field(default_factory=WeightTolerance)

    def box(self, code: str | None) -> BoxType | None:
        return next((b for b in self.boxes if code and b.code.lower() == code.lower()), None)


@dataclass(frozen=True, slots=True)
class Override:
    """A supervisor's permission to seal despite a failed check, with the reason recorded."""

    supervisor: str
    reason: str


@dataclass(slots=True)
class PackOrder:
    """An order on the pack bench: its lines, the tote it came in, and whether it was sealed."""

    order_id: str
    lines: list[PackLine]
    tote: str | None = None
    state: PackState = PackState.VERIFYING
    box: str | None = None
    weight_g: int | None = None
    extra: dict[str, int] = field(default_factory=dict)  # refused wrong items, by sku (for the supervisor)

    def unverified(self) -> list[PackLine]:
        return [ln for ln in self.lines if ln.verified < ln.qty]

    def progress(self) -> tuple[int, int]:
        """(units verified, units in the order)."""
        return sum(ln.verified for ln in self.lines), sum(ln.qty for ln in self.lines)

    def contents_weight_g(self) -> int:
        return sum(ln.qty * ln.weight_g for ln in self.lines)


def suggest_box(order: PackOrder, boxes: list[BoxType], fill: float = 0.8) -> BoxType | None:
    """The smallest box whose volume holds the contents at `fill` and whose sides fit the largest item."""
    volume = sum(ln.qty * ln.dims_mm[0] * ln.dims_mm[1] * ln.dims_mm[2] for ln in order.lines)
    biggest = max((sorted(ln.dims_mm) for ln in order.lines), default=[0, 0, 0])
    for box in sorted(boxes, key=lambda b: (b.volume, b.code)):
        if box.volume * fill >= volume and all(
            a <= b for a, b in zip(biggest, sorted(box.inner_mm), strict=True)
        ):
            return box
    return max(boxes, key=lambda b: b.volume, default=None)


def weight_range(order: PackOrder, box: BoxType, tolerance: WeightTolerance) -> tuple[int, int]:
    """The weights (g) that pass at the seal: contents + the box's tare, give or take the tolerance."""
    expected = order.contents_weight_g() + box.tare_g
    allowed = tolerance.allowed(expected)
    return expected - allowed, expected + allowed


def expect_next(order: PackOrder | None, bench: PackBench | None = None) -> Expect:
    """What the packer must do next; at the seal, with `bench`, the box and the weight range that passes."""
    if order is None or order.state is PackState.SEALED:
        return Expect(ExpectKind.ORDER_LABEL, "Scan a tote or an order label.")
    missing = order.unverified()
    if missing:
        ln = missing[0]
        done, total = order.progress()
        prompt = f"Scan the next unit ({done} of {total} verified): {ln.qty - ln.verified} × {ln.label}"
        if len(missing) > 1:
            prompt += f" and {len(missing) - 1} more item(s)"
        return Expect(
            ExpectKind.UNIT,
            prompt + ".",
            sku=ln.sku,
            product=ln.product_name,
            qty=ln.qty - ln.verified,
            order_id=order.order_id,
            tote=order.tote,
        )
    prompt = "All units verified: choose the box, weigh it and seal."
    if bench is None:
        return Expect(ExpectKind.SEAL, prompt, order_id=order.order_id)
    suggested = suggest_box(order, list(bench.boxes))
    box = bench.box(order.box) or suggested
    low, high = weight_range(order, box, bench.tolerance) if box else (None, None)
    return Expect(
        ExpectKind.SEAL,
        prompt,
        order_id=order.order_id,
        box=box.code if box else None,
        suggested_box=suggested.code if suggested else None,
        weight_min_g=low,
        weight_max_g=high,
    )


def _verdict(
    order: PackOrder,
    accepted: bool,
    code: str,
    message: str,
    events: list[Event],
    bench: PackBench | None = None,
) -> Verdict:
    expect = expect_next(order, bench)
    text = message if expect.prompt in message else f"{message} Next: {expect.prompt}"
    if not accepted:
        events = [*events, ScanRefused(order_id=order.order_id, code=code, message=text)]
    return Verdict(accepted, code, text, expect, tuple(events), None, order.order_id)


def start(order: PackOrder, bench: PackBench | None = None) -> Verdict:
    """The packer scanned the tote or order label: verification of this order begins (or resumes)."""
    if order.state is PackState.SEALED:
        return _verdict(
            order, False, "already_sealed", f"Order {order.order_id} is already sealed.", [], bench
        )
    ev = PackStarted(order_id=order.order_id, tote=order.tote)
    done, total = order.progress()
    return _verdict(
        order,
        True,
        "pack_started",
        f"Packing order {order.order_id}: {done} of {total} verified.",
        [ev],
        bench,
    )


def verify_unit(order: PackOrder, scan: ProductScan, bench: PackBench | None = None) -> Verdict:
    """A product scan at the bench: counts when the order holds it and still needs it; else refused."""
    product = scan.product
    scanned = f"{product.name} ({product.sku})"
    if order.state is PackState.SEALED:
        return _verdict(
            order, False, "already_sealed", f"Order {order.order_id} is already sealed.", [], bench
        )
    line = next((ln for ln in order.lines if ln.sku == product.sku), None)
    if line is None:
        order.extra[product.sku] = order.extra.get(product.sku, 0) + scan.units
        msg = (
            f"Wrong item: scanned {scanned}. Order {order.order_id} has none; put it aside for a supervisor."
        )
        return _verdict(order, False, "wrong_item", msg, [], bench)
    if line.verified + scan.units > line.qty:
        msg = (
            f"Too many: scanned {scan.units} more {scanned}, but the order has {line.qty} and "
            f"{line.verified} are verified. Put the extra aside."
        )
        return _verdict(order, False, "over_scan", msg, [], bench)
    line.verified += scan.units
    done, total = order.progress()
    ev = UnitVerified(
        order_id=order.order_id,
        sku=line.sku,
        units=scan.units,
        verified=line.verified,
        qty=line.qty,
        lot=scan.lot,
    )
    msg = f"Verified {line.label}: {line.verified} of {line.qty} ({done} of {total} units)."
    return _verdict(order, True, "unit_verified", msg, [ev], bench)


def seal(
    order: PackOrder,
    box: BoxType,
    weight_g: int,
    tolerance: WeightTolerance,
    override: Override | None = None,
    bench: PackBench | None = None,
) -> Verdict:
    """Seal when every unit is verified and the weight matches, or with a supervisor override and reason."""
    if order.state is PackState.SEALED:
        return _verdict(
            order, False, "already_sealed", f"Order {order.order_id} is already sealed.", [], bench
        )
    problems: list[str] = []
    missing = order.unverified()
    if missing:
        what = ", ".join(f"{ln.label} ×{ln.qty - ln.verified}" for ln in missing)
        problems.append(f"{sum(ln.qty - ln.verified for ln in missing)} unit(s) not verified ({what})")
    expected = order.contents_weight_g() + box.tare_g
    low, high = weight_range(order, box, tolerance)
    if not low <= weight_g <= high:
        problems.append(
            f"weight {weight_g} g is outside {low}–{high} g "
            f"(contents {order.contents_weight_g()} g + box {box.code} {box.tare_g} g)"
        )
    events: list[Event] = []
    if problems and (override is None or not override.reason.strip()):
        msg = f"Cannot seal: {'; '.join(problems)}. Fix it, or ask a supervisor to override with a reason."
        return _verdict(order, False, "seal_refused", msg, [], bench)
    if problems and override is not None:
        events.append(
            SealOverridden(
                order_id=order.order_id,
                supervisor=override.supervisor,
                reason=override.reason.strip(),
                problems=tuple(problems),
            )
        )
    order.state, order.box, order.weight_g = PackState.SEALED, box.code, weight_g
    events.append(
        OrderSealed(
            order_id=order.order_id,
            box=box.code,
            weight_g=weight_g,
            expected_weight_g=expected,
            overridden=bool(problems),
        )
    )
    how = " with a supervisor override" if problems else ""
    return _verdict(
        order, True, "order_sealed", f"Order {order.order_id} sealed in box {box.code}{how}.", events, bench
    )
