"""The composition root: the one place where settings, adapters and services are wired together.

- `app.bootstrap.station`: a picker or packer station (SQLite store, services, sync client and worker), as the
  headless `aisle station`, the floor terminal, the load simulator and the test rigs run it;
- `app.bootstrap.terminal`: the floor terminal (Textual) on such a station, for `aisle station` and the demo;
  `app.bootstrap.supervisor`: the supervisor's floor view alone (`aisle supervisor`);
- `app.bootstrap.demo`: `aisle demo`'s seeded server database and its station terminal with the autopilot;
- `app.bootstrap.server`: the central server's database and FastAPI app, for `aisle server` and the demo;
- `app.bootstrap.devices` and `app.bootstrap.config`: scanners and scales from their specs, and config.toml's
  sections turned into the plain values the domain and the drivers take (devices read no configuration).

The `aisle` command (`app.cli`) only parses arguments, calls one of these and runs what it gets. This package
imports no submodule itself, so a command loads only the stack it runs.
"""
