"""A small network emulator: a TCP forwarder with a bandwidth limit and a latency, shared by every
connection, that counts the bytes it carries.

Chromium's own throttling (DevTools) applies to a page's requests but not always to its service
worker's; putting the slow link in front of the server slows and counts everything, like a real
mobile network would.
"""
from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass

CHUNK = 4096


@dataclass
class Link:
    """One direction of the link: bytes per second (0 = unlimited) and one-way delay in seconds."""

    rate: float = 0
    delay: float = 0
    busy_until: float = 0
    carried: int = 0

    def schedule(self, size: int) -> float:
        now = time.monotonic()
        depart = max(now, self.busy_until) + (size / self.rate if self.rate else 0)
        self.busy_until = depart
        self.carried += size
        return depart + self.delay


class NetworkEmulator:
    def __init__(self, upstream_port: int, *, down_bps: float = 0, up_bps: float = 0, rtt_ms: float = 0):
        self.upstream_port = upstream_port
        self.down = Link(down_bps / 8, rtt_ms / 2000)
        self.up = Link(up_bps / 8, rtt_ms / 2000)
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self.last_activity = time.monotonic()
        started = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(started,), daemon=True)
        self.thread.start()
        started.wait()

    def configure(self, *, down_bps: float, up_bps: float, rtt_ms: float) -> None:
        self.down.rate, self.up.rate = down_bps / 8, up_bps / 8
        self.down.delay = self.up.delay = rtt_ms / 2000

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reset_count(self) -> None:
        self.down.carried = self.up.carried = 0

    def wait_idle(self, quiet: float = 1.0, timeout: float = 30) -> None:
        """Wait until nothing has moved for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and time.monotonic() - self.last_activity < quiet:
            time.sleep(0.05)

    def _run(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._connection, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        started.set()
        self.loop.run_forever()

    async def _connection(self, client_reader, client_writer):
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        await asyncio.gather(self._pipe(client_reader, server_writer, self.up),
                             self._pipe(server_reader, client_writer, self.down), return_exceptions=True)

    async def _pipe(self, reader, writer, link: Link):
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver():
            while (item := await queue.get()) is not None:
                deliver_at, data = item
                await asyncio.sleep(max(0, deliver_at - time.monotonic()))
                writer.write(data)
                await writer.drain()
                self.last_activity = time.monotonic()
            writer.close()

        delivery = asyncio.create_task(deliver())
        try:
            while data := await reader.read(CHUNK):
                self.last_activity = time.monotonic()
                await queue.put((link.schedule(len(data)), data))
        finally:
            await queue.put(None)
            await delivery
