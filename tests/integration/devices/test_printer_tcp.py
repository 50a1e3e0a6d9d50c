"""Raw TCP printers against a thread server on 127.0.0.1 (an ephemeral port): bytes, unplug, ``~HS``."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from devices.printers import PrinterUnavailable, PrintInterrupted, open_printer
from devices.printers.tcp import TcpPrinter
from tests.unit.devices.test_printer_host_status import SAMPLE

Handler = Callable[[socket.socket], None]


class FakeTcpPrinter:
    """A listening socket whose accepted connections are served one at a time by `handler`."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.server.settimeout(0.05)  # so close() is noticed at once
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                self.handler(conn)

    def close(self) -> None:
        """Stop accepting after the connection being served; the port is free afterwards."""
        self.stopping.set()
        self.thread.join(10)
        self.server.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], FakeTcpPrinter]]:
    started: list[FakeTcpPrinter] = []

    def start(handler: Handler) -> FakeTcpPrinter:
        started.append(FakeTcpPrinter(handler))
        return started[-1]

    yield start
    for fake in started:
        fake.close()


def read_all(fake_list: list[bytes]) -> Handler:
    def handler(conn: socket.socket) -> None:
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
        fake_list.append(data)

    return handler


def test_the_printer_receives_the_exact_bytes(serve: Callable[[Handler], FakeTcpPrinter]) -> None:
    got: list[bytes] = []
    fake = serve(read_all(got))
    job = b"^XA^FO50,50^A0N,40,40^FDParcel 1 of 2^FS^XZ\n" + bytes(range(256)) * 64
    open_printer(f"tcp://127.0.0.1:{fake.port}").send(job)
    open_printer(f"tcp://127.0.0.1:{fake.port}").send(b"^XA^XZ")
    fake.close()
    assert got == [job, b"^XA^XZ"]


@pytest.mark.parametrize("size", [2_000, 8_000_000], ids=["fits-in-buffers", "larger-than-buffers"])
def test_a_printer_unplugged_mid_job_is_an_interrupted_send(
    serve: Callable[[Handler], FakeTcpPrinter], size: int
) -> None:
    def half_then_gone(conn: socket.socket) -> None:
        taken = 0
        while taken < size // 2:
            taken += len(conn.recv(min(65536, size // 2 - taken)))
        # closing with unread bytes resets the connection, as a printer switched off or reset mid-job does

    fake = serve(half_then_gone)
    with pytest.raises(PrintInterrupted) as caught:
        open_printer(f"tcp://127.0.0.1:{fake.port}").send(b"x" * size)
    assert caught.value.maybe_printed and "reprint" in caught.value.advice


def test_a_printer_that_stops_taking_data_is_an_interrupted_send(
    serve: Callable[[Handler], FakeTcpPrinter],
) -> None:
    stalled = threading.Event()

    def stall(conn: socket.socket) -> None:
        conn.recv(1000)
        stalled.wait(10)  # the cable is out: nothing read, nothing acknowledged, no close

    fake = serve(stall)
    printer = TcpPrinter("127.0.0.1", fake.port, confirm_timeout=0.5)
    try:
        with pytest.raises(PrintInterrupted, match=r"not acknowledged|mid-job") as caught:
            printer.send(b"x" * 8_000_000)
    finally:
        stalled.set()
    assert caught.value.maybe_printed


def test_nothing_listening_is_unavailable_and_nothing_was_sent(
    serve: Callable[[Handler], FakeTcpPrinter],
) -> None:
    fake = serve(read_all([]))
    fake.close()  # the port is free again: connection refused
    printer = open_printer(f"tcp://127.0.0.1:{fake.port}")
    with pytest.raises(PrinterUnavailable) as caught:
        printer.send(b"^XA^XZ")
    assert not caught.value.maybe_printed and "queued" in caught.value.advice
    status = printer.status()
    assert not status.reachable and "cannot connect" in status.detail


def test_status_reads_the_host_status_answer(serve: Callable[[Handler], FakeTcpPrinter]) -> None:
    def answer(conn: socket.socket) -> None:
        if conn.recv(16) == b"~HS":
            conn.sendall(SAMPLE[:20])  # the answer arrives in pieces
            conn.sendall(SAMPLE[20:])
        conn.recv(16)

    fake = serve(answer)
    status = open_printer(f"tcp://127.0.0.1:{fake.port}").status()
    assert status.reachable and status.paper_out is True and status.paused is False
    assert status.detail == "paper out"


def test_a_printer_that_ignores_host_status_is_reachable_status_unknown(
    serve: Callable[[Handler], FakeTcpPrinter],
) -> None:
    fake = serve(read_all([]))
    printer = TcpPrinter("127.0.0.1", fake.port, status_timeout=0.3)
    status = printer.status()
    assert status.reachable and not status.known
    assert status.detail == "reachable, status unknown (no answer to ~HS)"
