"""At the pack bench once everything is verified: the box, the weight and whether it is in tolerance."""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class SealInfo:
    """What the seal panel shows; computed by the packer screen from the pack view and the box settings."""

    box: str | None
    suggested: bool
    weight_g: int | None
    weight_source: str  # "scale", "typed", "scanned" or ""
    expected_g: int | None
    allowed_g: int | None
    ready: bool  # every unit verified


class SealPanel(Static):
    """One or two lines: box, weight, the expected range; green when sealing would pass."""

    DEFAULT_CSS = """
    SealPanel { height: 2; padding: 0 1; background: $boost; }
    SealPanel.-ready { background: $success-darken-2; }
    """

    def show(self, info: SealInfo) -> None:
        box = f"BOX [b]{info.box or '—'}[/]" + (" (suggested)" if info.suggested and info.box else "")
        if info.weight_g is None:
            weight = "WEIGHT [b]—[/] (G to type it)"
        else:
            weight = f"WEIGHT [b]{info.weight_g} g[/] ({info.weight_source})"
        expected = ""
        if info.expected_g is not None and info.allowed_g is not None:
            expected = f"expected {info.expected_g - info.allowed_g}–{info.expected_g + info.allowed_g} g"
        state = "[b]READY TO SEAL (S)[/]" if info.ready else "verify every unit before sealing"
        self.update(f"{box}   {weight}   {expected}\n{state}")
        self.set_class(info.ready, "-ready")
