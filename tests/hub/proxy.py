"""A loopback TCP proxy that can drop a connection after the hub has answered."""

from __future__ import annotations

import contextlib
import socket
import threading

from tests.hub.support import free_port


class DroppingProxy:
    """Forwards 127.0.0.1:port to a hub; `drop` responses are swallowed and the client cut off."""

    def __init__(self, upstream_port: int, drop: int = 0) -> None:
        self.upstream_port = upstream_port
        self.drop = drop
        self.dropped = 0
        self.port = free_port()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _should_drop(self) -> bool:
        with self._lock:
            if self.dropped < self.drop:
                self.dropped += 1
                return True
            return False

    def _pipe(self, src: socket.socket, dst: socket.socket, responses: bool) -> None:
        try:
            while data := src.recv(65536):
                if responses and self._should_drop():
                    break  # the hub has answered; the terminal never hears it
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
