"""SQLite locks that its busy timeout does not wait out.

Both gait databases (the history store and the web app's) open with a busy
timeout, which makes a connection wait for another's transaction. A few
lock conflicts bypass it and fail at once with "database is locked";
`retry_while_locked` waits those out too.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable


def retry_while_locked(step: Callable[[], object], *, timeout_s: float) -> None:
    """Run `step`, again after a pause while SQLite reports the database locked.

    SQLite's busy timeout does not cover every lock: switching a new
    database to write-ahead logging takes an exclusive lock without waiting,
    so it fails at once with "database is locked" while another process opens
    the same new database (seen in CI as one of four processes failing to open
    a new history store under full CPU load). Up to `timeout_s` seconds are
    allowed, as for any other lock.

    Parameters
    ----------
    step : callable
        Work on the database; safe to run again after it failed.
    timeout_s : float
        Seconds to keep trying, in pauses of 10 ms doubling up to 0.5 s.

    Raises
    ------
    sqlite3.OperationalError
        Any other error at once, and "database is locked" after `timeout_s`.
    """
    deadline = time.monotonic() + timeout_s
    pause_s = 0.01
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause_s > deadline:
                raise
        time.sleep(pause_s)
        pause_s = min(2 * pause_s, 0.5)


__all__ = ["retry_while_locked"]
