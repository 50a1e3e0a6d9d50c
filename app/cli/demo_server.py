"""The demo's central server: uvicorn in a background thread, so the station can run in the same terminal."""

from __future__ import annotations

import logging
import socket
import threading
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Self

import httpx

from app.config import load_settings


def free_port(host: str = "127.0.0.1", prefer: int = 0) -> int:
    """`prefer` when it is free, else any free port (a second demo must not fail on a busy port)."""
    for candidate in (prefer, 0) if prefer else (0,):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((host, candidate))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise OSError(f"no free TCP port on {host}")


class BackgroundServer:
    """The Aisle server on `database_url`, served by uvicorn from a daemon thread; logs go to `log_file`."""

    def __init__(self, database_url: str, host: str, port: int, log_file: Path | None = None) -> None:
        import uvicorn  # lazy: the web server's stack, only when the demo serves

        from app.bootstrap.server import server_app  # lazy: SQLAlchemy, FastAPI, as uvicorn

        settings = load_settings()
        server = settings.server.model_copy(update={"database_url": database_url, "host": host, "port": port})
        app = server_app(settings, server)
        self.url = f"http://{host}:{port}"
        self.log_file = log_file
        self.log_max_bytes = int(settings.station.log_max_mb * 1024 * 1024)
        self.log_backups = settings.station.log_backups
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="info",
            access_log=False,
            log_config=None,
            timeout_graceful_shutdown=1,  # the demo ends with its terminal: do not wait on open requests
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="demo-server", daemon=True)

    def __enter__(self) -> Self:
        if self.log_file is not None:
            self._log_to_file(self.log_file, self.log_max_bytes, self.log_backups)
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if not self.thread.is_alive():
                break
            time.sleep(0.1)
        raise RuntimeError(f"the demo server did not start on {self.url}; see {self.log_file}")

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.thread.join(5)

    def stop(self) -> None:
        """Ask uvicorn to stop serving (thread-safe; the daemon thread ends with the process anyway)."""
        self.server.should_exit = True

    def serve_forever(self) -> int:
        """Serve in this thread until Ctrl+C."""
        self.server.run()
        return 0

    def release_work(self, admin_token: str) -> int:
        """Release every accepted order to the floor as work units; the number of orders released."""
        resp = httpx.post(
            f"{self.url}/api/v1/work/release",
            json={},
            headers={"Authorization": f"Bearer {admin_token}"},
            timeout=30,
        )
        resp.raise_for_status()
        return int(resp.json().get("released", 0))

    @staticmethod
    def _log_to_file(path: Path, max_bytes: int, backups: int) -> None:
        """Server and station logs into a file: they would draw over the terminal UI. The file rotates at
        `max_bytes`, keeping `backups` old ones ([station] log_max_mb, log_backups): a demo left running
        for weeks must not fill the disk."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        # "aisle": the station's own loggers (aisle.sync, aisle.station) in the same process
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "sync", "app", "aisle"):
            logger = logging.getLogger(name)
            logger.handlers[:] = [handler]
            logger.propagate = False
            logger.setLevel(logging.INFO)
