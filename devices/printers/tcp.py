"""Raw TCP printers (``tcp://HOST:9100``): the job is written to the socket as is, one connection per job.

A raw port gives no acknowledgement of its own, so "the printer has it" is decided like this: after the last
byte the driver waits (up to `confirm_timeout`) until the kernel's send queue is empty, that is every byte was
acknowledged by the printer's TCP stack (Linux; elsewhere this step is skipped); then it shuts its sending
side (end of job) and waits `close_wait` for the printer's answer: a clean close or silence means it has the
job, a reset means it closed with bytes unread (unplugged, switched off, buffer error): `PrintInterrupted`. A
printer that lost power after acknowledging the bytes may still not print them; the station's label scan
catches that.
"""

from __future__ import annotations

import fcntl
import os
import socket
import struct
import sys
import termios
import time

from devices.printers.base import PrinterStatus, PrinterUnavailable, PrintInterrupted
from devices.printers.host_status import HS_QUERY, answer_complete, status_from_answer

ADVICE_OFFLINE = "check the printer is switched on, cabled and at that address; the job stays queued"
ADVICE_CHECK = "look at the printer: if the label did not come out, reprint it"


class TcpPrinter:
    """A printer on a raw TCP port (Zebra and most thermal printers listen on 9100)."""

    def __init__(
        self,
        host: str,
        port: int = 9100,
        *,
        connect_timeout: float = 3.0,
        status_timeout: float = 1.0,
        confirm_timeout: float = 5.0,
        close_wait: float = 0.2,
    ) -> None:
        self.host, self.port = host, port
        self.spec = f"tcp://{host}:{port}"
        self.connect_timeout = connect_timeout
        self.status_timeout = status_timeout
        self.confirm_timeout = confirm_timeout
        self.close_wait = close_wait

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as exc:
            raise PrinterUnavailable(
                f"cannot connect to {self.spec} ({reason(exc)})", ADVICE_OFFLINE
            ) from exc

    def send(self, job: bytes) -> None:
        """Write `job` and wait until the printer has it (see the module docstring); raises PrinterError."""
        sock = self._connect()
        try:
            try:
                sock.settimeout(self.confirm_timeout)
                sock.sendall(job)
            except OSError as exc:
                raise PrintInterrupted(
                    f"{self.spec} went away mid-job ({reason(exc)})", ADVICE_CHECK
                ) from exc
            self._confirm(sock)
        finally:
            sock.close()

    def _confirm(self, sock: socket.socket) -> None:
        deadline = time.monotonic() + self.confirm_timeout
        while (unsent := unacknowledged_bytes(sock)) and time.monotonic() < deadline:
            if error := sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):  # reset while we wait
                raise PrintInterrupted(
                    f"{self.spec} dropped the connection mid-job ({os.strerror(error)})", ADVICE_CHECK
                )
            time.sleep(0.002)
        if unsent:
            raise PrintInterrupted(
                f"{self.spec} stopped taking data ({unsent} bytes not acknowledged)", ADVICE_CHECK
            )
        try:
            sock.shutdown(socket.SHUT_WR)  # end of job; a printer that read it all may now close its side
            sock.settimeout(self.close_wait)
            while sock.recv(4096):  # anything the printer says back is not ours to read
                pass
        except TimeoutError:
            pass  # still open: every byte was acknowledged, which is all a raw port promises
        except OSError as exc:
            raise PrintInterrupted(
                f"{self.spec} dropped the connection before reading the whole job ({reason(exc)})",
                ADVICE_CHECK,
            ) from exc

    def status(self) -> PrinterStatus:
        """Connect (reachable or not), then ask ``~HS`` and wait `status_timeout` for the answer."""
        try:
            sock = self._connect()
        except PrinterUnavailable as exc:
            return PrinterStatus(reachable=False, detail=exc.problem)
        answer = b""
        try:
            sock.sendall(HS_QUERY)
            deadline = time.monotonic() + self.status_timeout
            while not answer_complete(answer) and time.monotonic() < deadline:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = sock.recv(1024)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass  # no (whole) answer: reachable, the status stays unknown
        finally:
            sock.close()
        return status_from_answer(answer)

    def close(self) -> None:
        """Nothing held between jobs."""


def unacknowledged_bytes(sock: socket.socket) -> int:
    """Bytes the kernel still holds for `sock` (sent, not acknowledged); 0 where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        raw = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    except OSError:
        return 0
    return int(struct.unpack("i", raw)[0])


def reason(exc: OSError) -> str:
    """An OSError in words, without the errno prefix."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    return exc.strerror or type(exc).__name__
