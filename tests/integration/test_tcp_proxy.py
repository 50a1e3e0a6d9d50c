"""The fault-injecting TCP proxy used by the sync fault tests forwards, cuts and blackholes."""

from __future__ import annotations

import socket
import threading

import pytest

from tests.support.tcp_proxy import TcpProxy


@pytest.fixture
def echo_port():
    srv = socket.create_server(("127.0.0.1", 0))
    srv.settimeout(5)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                while data := conn.recv(1024):
                    conn.sendall(data)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    srv.close()


def _roundtrip(port: int, payload: bytes, timeout: float = 2.0) -> bytes:
    """Send and read the answer; a connection closed or reset by the proxy answers b""."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(payload)
            return s.recv(1024)
        except ConnectionResetError:
            return b""


def test_proxy_forwards_bytes_both_ways(echo_port: int) -> None:
    with TcpProxy(echo_port) as proxy:
        assert _roundtrip(proxy.port, b"hello") == b"hello"


def test_cut_link_closes_connections_and_heal_restores_them(echo_port: int) -> None:
    with TcpProxy(echo_port) as proxy:
        proxy.cut()
        assert _roundtrip(proxy.port, b"x") == b""  # closed without an answer
        proxy.heal()
        assert _roundtrip(proxy.port, b"back") == b"back"


def test_blackhole_swallows_requests_until_timeout(echo_port: int) -> None:
    with TcpProxy(echo_port) as proxy:
        proxy.blackhole()
        with pytest.raises(socket.timeout):
            _roundtrip(proxy.port, b"lost", timeout=0.3)
