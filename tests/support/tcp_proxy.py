"""A small TCP proxy for fault tests: forwards loopback traffic and can cut, blackhole or slow the link.

Runs its own asyncio loop in a daemon thread so synchronous tests can use it:

    with TcpProxy(target_port=server_port) as proxy:
        station_url = f"http://127.0.0.1:{proxy.port}"
        proxy.cut()          # close every connection and refuse new ones
        proxy.blackhole()    # accept, read and drop: half-open connections, requests time out
        proxy.heal(delay_s=0.05)  # forward again, each chunk delayed
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Self


class TcpProxy:
    """Forward 127.0.0.1:<port> → 127.0.0.1:<target_port> with switchable faults."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.mode = "forward"  # forward | cut | blackhole
        self.delay_s = 0.0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self.connections = 0

    def __enter__(self) -> Self:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(5)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    # --- faults -------------------------------------------------------------------------------------------
    def cut(self) -> None:
        """Close every open connection and refuse new ones (a dead link)."""
        self._call(self._set_mode("cut"))

    def blackhole(self) -> None:
        """Accept connections and swallow bytes without answering (a half-open link)."""
        self._call(self._set_mode("blackhole"))

    def heal(self, delay_s: float = 0.0) -> None:
        """Forward again, delaying every chunk by `delay_s` (a slow link when > 0)."""
        self.delay_s = delay_s
        self._call(self._set_mode("forward"))

    # --- internals ------------------------------------------------------------------------------------------
    def _call(self, coro: object) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(5)  # type: ignore[arg-type]

    async def _set_mode(self, mode: str) -> None:
        self.mode = mode
        if mode != "forward":
            for w in list(self._writers):
                w.close()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        if self._server:
            self._server.close()
        for w in list(self._writers):
            w.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        if self.mode == "cut":
            writer.close()
            return
        if self.mode == "blackhole":
            self._writers.add(writer)
            with contextlib.suppress(Exception):
                while await reader.read(65536):
                    pass
            self._writers.discard(writer)
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self._writers.difference_update((writer, up_writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                if self.mode != "forward":
                    break
                if self.delay_s:
                    await asyncio.sleep(self.delay_s)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()
