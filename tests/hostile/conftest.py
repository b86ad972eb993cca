from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    """A regression that backtracks or hangs fails here instead of hanging the suite."""

    def expire(*_: object) -> None:
        raise TimeoutError("still running after 20 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
