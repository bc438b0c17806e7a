"""SQLite connections for the web app's own tables (jobs, athletes)."""

from __future__ import annotations

import datetime as _dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..sqlite_locks import retry_while_locked

_BUSY_TIMEOUT_S = 30.0


def utc_now() -> str:
    """Current UTC time as an ISO 8601 string with seconds."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode with WAL and foreign keys, closed on exit.

    One connection per operation keeps threads (request handlers and the
    worker) independent; write transactions use ``BEGIN IMMEDIATE``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    try:
        con.row_factory = sqlite3.Row
        retry_while_locked(lambda: con.execute("PRAGMA journal_mode=WAL"),
                           timeout_s=_BUSY_TIMEOUT_S)
        con.execute("PRAGMA foreign_keys=ON")
        yield con
    finally:
        con.close()


@contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """A write transaction (``BEGIN IMMEDIATE``) committed on success, rolled back on error."""
    with connect(path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
