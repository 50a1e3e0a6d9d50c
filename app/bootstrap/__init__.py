"""The composition root: the one place where settings, adapters and services are wired together.

- `app.bootstrap.station`: a picker or packer station (SQLite store, services, sync client and worker), as the
  headless `aisle station`, the floor terminal, the load simulator and the test rigs run it;
- `app.bootstrap.terminal`: the floor terminal (Textual) on such a station, for `aisle station`, `aisle demo`
  and `aisle supervisor`;
- `app.bootstrap.devices`: scanners and scales from their specs and config.toml's [scanner] and [camera];
- `app.bootstrap.server`: the central server's database and FastAPI app, for `aisle server` and the demo.

The `aisle` command (`app.cli`) only parses arguments, calls one of these and runs what it gets. This package
imports no submodule itself, so a command loads only the stack it runs.
"""
