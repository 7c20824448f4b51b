"""The kernel connection a batch worker hands papermill for one notebook after another."""

from __future__ import annotations

from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient


class ReusedClient(BlockingKernelClient):
    """Started and found ready once, then taken up again by each notebook's execution: a new
    connection would wait for the kernel's output channel to settle before every notebook.
    Messages of an earlier notebook cannot mix in: each execution reads only the replies to the
    requests it sent."""

    _ready = False

    def start_channels(self, *args: Any, **kwargs: Any) -> None:
        """Start the channels unless they are running already: later notebooks keep using the same ones."""
        if not self.channels_running:
            super().start_channels(*args, **kwargs)

    def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait for the kernel once (up to `timeout` seconds; None waits without limit); later calls return at once."""
        if not self._ready:
            super().wait_for_ready(timeout=timeout)
            self._ready = True
