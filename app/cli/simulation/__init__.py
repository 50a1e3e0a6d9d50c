"""`aisle simulate` and the process-level fault tests share this package.

- `processes`: the server and headless stations as real subprocesses on loopback;
- `warehouse`: a seeded server database, tokens, orders taken in over HTTP and released to the floor;
- `operators`: simulated pickers and packers that read a station's JSON lines and scan what it expects;
- `invariants`: the docs/sync.md invariants checked against the server database and the station databases;
- `run`: the simulation itself and its throughput report.
"""
