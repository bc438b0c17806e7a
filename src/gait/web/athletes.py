"""Athletes (patients) the web app analyses videos for."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidOptionError
from ._db import connect, transaction, utc_now

#: As `gait.history` allows.
MAX_NAME_CHARS = 200

_SCHEMA = """
CREATE TABLE IF NOT EXISTS athletes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_utc TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Athlete:
    """A person whose sessions are kept together."""

    id: int
    name: str
    created_utc: str


def clean_name(name: str) -> str:
    """An athlete name with surrounding and repeated whitespace removed.

    Raises
    ------
    InvalidOptionError
        Empty, too long, or containing control characters.
    """
    text = " ".join(str(name).split())
    if not text:
        raise InvalidOptionError("enter the athlete's name (or a code such as a patient number)")
    if len(text) > MAX_NAME_CHARS:
        raise InvalidOptionError(f"the name has {len(text)} characters; use at most "
                                 f"{MAX_NAME_CHARS}")
    if any(ord(c) < 32 for c in text):
        raise InvalidOptionError("the name contains control characters")
    return text


class AthleteStore:
    """The ``athletes`` table of the web app's database.

    Parameters
    ----------
    db_path : Path
        SQLite file (tables created if missing).
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        with connect(self.db_path) as con:
            con.executescript(_SCHEMA)

    def list(self) -> list[Athlete]:
        """Every athlete, by name."""
        with connect(self.db_path) as con:
            rows = con.execute("SELECT * FROM athletes ORDER BY name COLLATE NOCASE").fetchall()
        return [Athlete(**dict(r)) for r in rows]

    def get(self, athlete_id: int) -> Athlete | None:
        """The athlete with this id, or None."""
        with connect(self.db_path) as con:
            row = con.execute("SELECT * FROM athletes WHERE id = ?", (athlete_id,)).fetchone()
        return None if row is None else Athlete(**dict(row))

    def find(self, name: str) -> Athlete | None:
        """The athlete with this name (case-insensitive), or None."""
        with connect(self.db_path) as con:
            row = con.execute("SELECT * FROM athletes WHERE name = ?",
                              (clean_name(name),)).fetchone()
        return None if row is None else Athlete(**dict(row))

    def create(self, name: str) -> Athlete:
        """Add an athlete, or return the existing one with the same name."""
        text = clean_name(name)
        with transaction(self.db_path) as con:
            con.execute("INSERT OR IGNORE INTO athletes (name, created_utc) VALUES (?, ?)",
                        (text, utc_now()))
        return self.find(text)

    def delete(self, athlete_id: int) -> None:
        """Remove an athlete's row (the caller removes their jobs and files first)."""
        with transaction(self.db_path) as con:
            con.execute("DELETE FROM athletes WHERE id = ?", (athlete_id,))
