"""A private PostgreSQL cluster for one test, so a test may stop, restart or crash PostgreSQL without
touching the shared cluster other tests (and other people) use.

`PrivateCluster()` runs `initdb` into a fresh temporary directory, `start()`s a postmaster on a free loopback
port (unix socket in the same directory, trust auth), and `close()`s it and removes everything. Faults:
`restart("fast")` (clients are disconnected, a clean checkpoint), `restart("immediate")` (a crash: the next
start runs WAL recovery), and `stop()`/`start()` for an outage of any length.

The binaries come from `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin. PostgreSQL refuses
to run as root, so as root every command runs as the `postgres` OS user (`runuser`), in a directory under the
system temp dir that it owns (pytest's tmp_path is private to root). Missing binaries raise
`PostgresUnavailable`, like an unreachable shared server (tests.support.pg).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

from tests.support.live_server import free_port
from tests.support.pg import PostgresUnavailable

#: the OS user the cluster runs as when the tests run as root
PG_OS_USER = "postgres"


def find_bindir() -> Path:
    """The directory holding initdb and pg_ctl; PostgresUnavailable when there is none."""
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
            candidates.append(Path(out.stdout.strip()))
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version(p.parent.name))
    candidates += reversed(versions)
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise PostgresUnavailable("no PostgreSQL server binaries (initdb, pg_ctl): install postgresql")


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit())


class PrivateCluster:
    """A throw-away PostgreSQL cluster on 127.0.0.1:`port`; use as a context manager or call `close()`."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="aisle-pg-"))
        self.data, self.log = self.root / "data", self.root / "postgres.log"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            try:
                user = pwd.getpwnam(PG_OS_USER)
            except KeyError:
                shutil.rmtree(self.root, ignore_errors=True)
                raise PostgresUnavailable(f"running as root needs the OS user {PG_OS_USER!r}") from None
            os.chown(self.root, user.pw_uid, user.pw_gid)
        try:
            self._pg("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
                     "--no-sync")  # fmt: skip
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def _pg(self, tool: str, *args: object, timeout: float = 60.0) -> None:
        cmd = [str(self.bindir / tool), *map(str, args)]
        if self._as_postgres:
            cmd = ["runuser", "-u", PG_OS_USER, "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.root)
        if proc.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}\n{log}")

    def _ctl(self, action: str, *args: object) -> None:
        # fsync=off only skips flushing the OS cache to disk: a crash of PostgreSQL (immediate) loses nothing
        # it acknowledged, just as with fsync on; only a crash of the machine would.
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", action, "-D", self.data, "-l", self.log, "-w", "-t", "60", "-o", options, *args)

    def start(self) -> PrivateCluster:
        """Start the postmaster and wait until it accepts connections."""
        self._ctl("start")
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop: `fast` disconnects clients cleanly, `immediate` is a crash (recovery on the next start)."""
        self._ctl("stop", "-m", mode)

    def restart(self, mode: str = "fast") -> None:
        """Stop with `mode` and start again, waiting until it accepts connections."""
        self._ctl("restart", "-m", mode)

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of `database` on this cluster (TCP on loopback, like a remote server)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database `name` and return its SQLAlchemy URL."""
        conninfo = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def close(self) -> None:
        """Stop the cluster (if it runs) and remove its directory."""
        with contextlib.suppress(RuntimeError, subprocess.SubprocessError):
            self._pg("pg_ctl", "stop", "-D", self.data, "-m", "immediate", "-w", timeout=30)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PrivateCluster:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
