"""`aisle simulate` throughput: 4 picker then 4 packer headless stations (real subprocesses) against one
server process on SQLite, 40 orders, 2% wrong scans; prints scans/s, lines/s, orders picked and packed per
minute, the stations' scan-to-verdict times, and whether every invariant held.

The drain of 10,000 queued events after reconnect (target <= 3 s) is in bench_sync.
"""

from __future__ import annotations

from app.cli.simulation.run import SimulationConfig, simulate


def run() -> None:
    """Print the figures of a small simulation."""
    report = simulate(SimulationConfig(stations=4, orders=40, seed=1, error_rate=0.02), echo=lambda _s: None)
    print("\n".join(report.lines_text()))
    if not report.ok:
        raise RuntimeError("aisle simulate found a broken invariant (see above)")


if __name__ == "__main__":
    run()
