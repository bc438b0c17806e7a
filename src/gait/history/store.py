"""`HistoryStore`: an embedded SQLite store of athletes, sessions and analyses.

One *session* is one video of one athlete (identified by the video's SHA-256
content hash). Each time that video is analysed for that athlete a new
*analysis* row is added with the next version number; the session's current
result is its newest analysis, and earlier ones are kept, never overwritten.

Tables (schema version `SCHEMA_VERSION`, kept in ``PRAGMA user_version``):

- ``athletes(id, name UNIQUE COLLATE NOCASE, created_utc)``
- ``sessions(id, athlete_id -> athletes ON DELETE CASCADE, video_sha256,
  video_file, video_path, session_date, label, created_utc)``, unique per
  athlete and video hash
- ``analyses(id, session_id -> sessions ON DELETE CASCADE, version,
  analysed_utc, gait_version, view, belt_speed_ms, fps, capture_fps,
  options_json, result_json, outputs_json, cadence_spm, step_length_m,
  contact_time_ms, step_time_si_pct)``: the full ``results.json`` of every
  analysis and the paths of the files it wrote; the last four columns
  (schema 2) copy headline metrics out of the JSON for listing.

Data safety: every write runs in one ``BEGIN IMMEDIATE`` transaction (all or
nothing, also when the process is killed); the database is in WAL mode with
a busy timeout, so several processes can write at once (SQLite serialises
the writers); deletions overwrite the freed pages (``secure_delete``) and
the write-ahead log is truncated afterwards, because this is health data a
user must be able to erase. Schema changes are applied by `MIGRATIONS`, one
function per version step, inside the same kind of transaction.

The database lives at ``$GAIT_DB`` if set, else
``$XDG_DATA_HOME/gait/history.sqlite``, else
``~/.local/share/gait/history.sqlite`` (see `default_db_path`).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import HistoryStoreError, InvalidOptionError, NotInHistoryError
from ..result import GaitResult, _clean
from ..sqlite_locks import retry_while_locked
from .headline import headline_values

#: Current schema version (``PRAGMA user_version``).
SCHEMA_VERSION = 2
#: Seconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 30.0
#: How `HistoryStore` may open its file: its ``mode`` parameter.
OPEN_MODES = ("create", "write", "read")


def default_db_path() -> Path:
    """The user's history database path (not created here).

    Returns
    -------
    Path
        ``$GAIT_DB``, else ``$XDG_DATA_HOME/gait/history.sqlite``, else
        ``~/.local/share/gait/history.sqlite``.
    """
    explicit = os.environ.get("GAIT_DB")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "gait" / "history.sqlite"


def _now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


# ------------------------------------------------------------------------------ migrations


def _migrate_0_to_1(db: sqlite3.Connection) -> None:
    """Create the athletes, sessions and analyses tables."""
    db.execute("""CREATE TABLE athletes(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_utc TEXT NOT NULL)""")
    db.execute("""CREATE TABLE sessions(
        id INTEGER PRIMARY KEY,
        athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
        video_sha256 TEXT NOT NULL,
        video_file TEXT,
        video_path TEXT,
        session_date TEXT NOT NULL,
        label TEXT,
        created_utc TEXT NOT NULL,
        UNIQUE(athlete_id, video_sha256))""")
    db.execute("""CREATE TABLE analyses(
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        analysed_utc TEXT NOT NULL,
        gait_version TEXT,
        view TEXT,
        belt_speed_ms REAL,
        fps REAL,
        capture_fps REAL,
        options_json TEXT NOT NULL,
        result_json TEXT NOT NULL,
        outputs_json TEXT NOT NULL,
        UNIQUE(session_id, version))""")


def _migrate_1_to_2(db: sqlite3.Connection) -> None:
    """Headline-metric columns (backfilled from each stored result) and a date index."""
    for column in ("cadence_spm", "step_length_m", "contact_time_ms", "step_time_si_pct"):
        db.execute(f"ALTER TABLE analyses ADD COLUMN {column} REAL")
    rows = db.execute("SELECT id, result_json FROM analyses").fetchall()
    for analysis_id, result_json in rows:
        values = headline_values(json.loads(result_json))
        db.execute("UPDATE analyses SET cadence_spm=?, step_length_m=?, contact_time_ms=?, "
                   "step_time_si_pct=? WHERE id=?", (*values, analysis_id))
    db.execute("CREATE INDEX sessions_by_athlete_date ON sessions(athlete_id, session_date)")


#: ``MIGRATIONS[v]`` turns a version-``v`` database into version ``v + 1``.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_migrate_0_to_1, _migrate_1_to_2)
assert len(MIGRATIONS) == SCHEMA_VERSION


# ------------------------------------------------------------------------------ records


@dataclass(frozen=True)
class SessionRecord:
    """One session with its current (newest) analysis.

    Attributes
    ----------
    id : int
        Session id (stable; what ``gait compare`` takes).
    athlete : str
    session_date : str
        ISO date (or date-time) of the run.
    label : str or None
    video_sha256, video_file, video_path : str
        Content hash, file name and absolute path at the time of analysis.
    version : int
        Version number of the current analysis (1 for the first).
    n_versions : int
        Number of analyses kept for this session.
    analysed_utc : str
    view : str or None
    belt_speed_ms, fps, capture_fps : float or None
        Belt speed in m/s, analysed frame rate and user-given capture rate in Hz.
    cadence_spm, step_length_m, contact_time_ms, step_time_si_pct : float or None
        Headline metrics of the current analysis.
    result : dict
        The full ``results.json`` of the current analysis.
    outputs : dict
        Paths of the files that analysis wrote (name -> path).
    """

    id: int
    athlete: str
    session_date: str
    label: str | None
    video_sha256: str
    video_file: str | None
    video_path: str | None
    version: int
    n_versions: int
    analysed_utc: str
    view: str | None
    belt_speed_ms: float | None
    fps: float | None
    capture_fps: float | None
    cadence_spm: float | None
    step_length_m: float | None
    contact_time_ms: float | None
    step_time_si_pct: float | None
    result: dict = field(repr=False)
    outputs: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready dict of every attribute."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class RecordOutcome:
    """What `HistoryStore.record` did.

    Attributes
    ----------
    session : SessionRecord
        The session as stored now.
    created : bool
        True for a new session, False when an existing session got a new
        analysis version (the earlier ones are kept).
    """

    session: SessionRecord
    created: bool


_SESSION_SELECT = """
SELECT s.id, a.name, s.session_date, s.label, s.video_sha256, s.video_file, s.video_path,
       n.version, n.n_versions, n.analysed_utc, n.view, n.belt_speed_ms, n.fps, n.capture_fps,
       n.cadence_spm, n.step_length_m, n.contact_time_ms, n.step_time_si_pct,
       n.result_json, n.outputs_json
FROM sessions s
JOIN athletes a ON a.id = s.athlete_id
JOIN (SELECT x.*, c.n_versions FROM analyses x
      JOIN (SELECT session_id, MAX(version) AS v, COUNT(*) AS n_versions
            FROM analyses GROUP BY session_id) c
        ON c.session_id = x.session_id AND c.v = x.version) n
  ON n.session_id = s.id
"""


def _session_from_row(row: tuple) -> SessionRecord:
    *head, result_json, outputs_json = row
    return SessionRecord(*head, result=json.loads(result_json), outputs=json.loads(outputs_json))


def check_athlete_name(name: str) -> str:
    """The name stripped of surrounding blanks; `InvalidOptionError` if empty or odd."""
    name = (name or "").strip()
    if not name:
        raise InvalidOptionError("athlete name is empty; give a name, e.g. --athlete 'Ann Lee'")
    if len(name) > 200 or any(ord(ch) < 32 for ch in name):
        raise InvalidOptionError(f"athlete name {name[:40]!r} is too long or holds control "
                                 "characters; use a plain name of at most 200 characters")
    return name


def check_label(label: str | None) -> str | None:
    """A session label stripped of surrounding blanks (None or empty: no label).

    Raises
    ------
    InvalidOptionError
        Longer than 200 characters or holding control characters (it is
        printed in tables and reports).
    """
    label = (label or "").strip()
    if len(label) > 200 or any(ord(ch) < 32 for ch in label):
        raise InvalidOptionError(f"session label {label[:40]!r} is too long or holds control "
                                 "characters; use plain text of at most 200 characters")
    return label or None


# ------------------------------------------------------------------------------ the store


class HistoryStore:
    """The history database; open with ``with HistoryStore(path) as store:``.

    Parameters
    ----------
    path : str or Path, optional
        Database file; default `default_db_path`.
    busy_timeout_s : float
        How long a write waits for another process's transaction, in seconds.
    mode : {"create", "write", "read"}
        ``"create"`` (recording): open for writing, creating the file and its
        folder if missing. ``"write"`` (deleting): open an existing database
        for writing. ``"read"``: open an existing database read-only. In the
        last two modes no file is ever created: a missing or empty file at
        the default location (`path` None) reads as an empty history, and
        at a given `path` it is a `HistoryStoreError`. A database of an
        older gait is upgraded in place in every mode; a file that is not a
        gait history database is never written to.

    Attributes
    ----------
    path : Path
        The database file (it may not exist in modes "write" and "read").
    read_only : bool
        Opened in mode "read".

    Raises
    ------
    HistoryStoreError
        The file is missing (modes "write" and "read" with a `path`), is not a
        gait history database, is corrupt, was written by a newer gait (schema
        above `SCHEMA_VERSION`), or stayed locked too long.
    """

    def __init__(self, path: str | Path | None = None, *,
                 busy_timeout_s: float = BUSY_TIMEOUT_S, mode: str = "create") -> None:
        if mode not in OPEN_MODES:
            raise ValueError(f"mode must be one of {OPEN_MODES}, got {mode!r}")
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self.read_only = mode == "read"
        self._busy_timeout_s = busy_timeout_s
        version = self._inspect() if self.path.exists() else None
        if mode == "create":
            self._open("rwc")
        elif not version:  # no file, or an empty one: nothing was ever recorded here
            if path is not None:
                what = "there is no such file" if version is None else "the file is empty"
                raise HistoryStoreError(
                    f"{self.path}: not a gait history database ({what}); check --db (gait "
                    "analyze VIDEO -o OUTDIR --athlete NAME --db PATH records into a new one)")
            self._open(":memory:")  # an empty history, without creating a file
        else:
            self._open("ro" if self.read_only and version == SCHEMA_VERSION else "rw")

    def _inspect(self) -> int:
        """Schema version of the existing file, read without writing to it.

        Returns
        -------
        int
            0 for an empty database (nothing recorded yet), else the gait schema version.

        Raises
        ------
        HistoryStoreError
            Not a SQLite database, a database of another program, or a newer schema.
        """
        found: list[tuple[int, int]] = []

        def read() -> None:
            db = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True,
                                 timeout=self._busy_timeout_s)
            try:  # one statement, so both come from the same snapshot
                found[:] = [db.execute("SELECT (SELECT user_version FROM pragma_user_version), "
                                       "(SELECT COUNT(*) FROM sqlite_master)").fetchone()]
            finally:
                db.close()

        try:
            retry_while_locked(read, timeout_s=self._busy_timeout_s)
        except sqlite3.Error as exc:
            raise HistoryStoreError(self._unusable_message(exc)) from None
        [(version, n_objects)] = found
        if version > SCHEMA_VERSION:
            raise HistoryStoreError(self._newer_message(version))
        if version == 0 and n_objects:
            raise HistoryStoreError(f"{self.path}: a database of another program, not a gait "
                                    "history database; choose another --db")
        return version

    def _open(self, how: str) -> None:
        """Connect: ``how`` is ":memory:" or a SQLite URI mode ("ro", "rw", "rwc")."""
        if how == "rwc":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HistoryStoreError(f"{self.path.parent}: cannot create the history folder "
                                        f"({exc.strerror}); choose another --db") from None
        target = how if how == ":memory:" else f"{self.path.resolve().as_uri()}?mode={how}"
        try:
            self._db = sqlite3.connect(target, uri=True, timeout=self._busy_timeout_s,
                                       isolation_level=None)
        except sqlite3.Error as exc:
            raise HistoryStoreError(f"{self.path}: cannot open the history database ({exc}); "
                                    "check the path and its permissions, or choose another --db"
                                    ) from None
        try:
            if how == "ro":
                self._db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_s * 1000)}")
            else:
                retry_while_locked(self._set_up, timeout_s=self._busy_timeout_s)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise HistoryStoreError(self._unusable_message(exc)) from None
        except BaseException:
            self._db.close()
            raise

    def _unusable_message(self, exc: Exception) -> str:
        return (f"{self.path}: not a usable gait history database ({exc}); move it aside or "
                "choose another --db (gait export can save its contents while it still opens)")

    def _newer_message(self, version: int) -> str:
        return (f"{self.path}: history schema {version} was written by a newer gait (this one "
                f"reads up to {SCHEMA_VERSION}); upgrade gait or choose another --db")

    def _set_up(self) -> None:
        """Connection settings, write-ahead logging and schema migration."""
        self._db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_s * 1000)}")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA secure_delete = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    # -- life cycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._db.close()

    def __enter__(self) -> "HistoryStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any error."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise HistoryStoreError(f"{self.path}: the history database stayed busy ({exc}); "
                                    "another gait process holds it, try again") from None
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    def schema_version(self) -> int:
        """``PRAGMA user_version`` of the open database."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        if self.schema_version() == SCHEMA_VERSION:
            return
        with self._write() as db:
            version = self.schema_version()  # re-read: another process may have migrated
            if version > SCHEMA_VERSION:
                raise HistoryStoreError(self._newer_message(version))
            for step in MIGRATIONS[version:]:
                step(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` answer ("ok" when sound)."""
        return "; ".join(r[0] for r in self._db.execute("PRAGMA integrity_check").fetchall())

    # -- writing ----------------------------------------------------------------------------

    def record(self, athlete: str, result: GaitResult | dict, *, label: str | None = None,
               session_date: str | None = None, video_path: str | Path | None = None,
               outputs: dict | None = None) -> RecordOutcome:
        """Store one analysis; re-analysing a video adds a version to its session.

        Parameters
        ----------
        athlete : str
            Athlete name (created if new; matched case-insensitively).
        result : GaitResult or dict
            The analysis (``results.json`` content); ``result["video"]["sha256"]``
            identifies the session.
        label : str, optional
            Session label ("before retraining"); replaces an earlier label
            when given, keeps it otherwise.
        session_date : str, optional
            ISO date of the run (YYYY-MM-DD); default the analysis date for a new session,
            unchanged for an existing one.
        video_path : str or Path, optional
            Where the video is (for key frames in comparisons).
        outputs : dict, optional
            Files written by the analysis, name -> path.

        Returns
        -------
        RecordOutcome
        """
        name = check_athlete_name(athlete)
        data = result.to_dict() if isinstance(result, GaitResult) else _clean(dict(result))
        sha = (data.get("video") or {}).get("sha256")
        if not sha:
            raise InvalidOptionError("the result has no video content hash (video.sha256); "
                                     "only analyses of a video file can be recorded")
        if session_date is not None:
            session_date = check_session_date(session_date)
        label = check_label(label)
        options = data.get("options") or {}
        now = _now_utc()
        with self._write() as db:
            row = db.execute("SELECT id FROM athletes WHERE name = ?", (name,)).fetchone()
            athlete_id = row[0] if row else db.execute(
                "INSERT INTO athletes(name, created_utc) VALUES (?, ?)", (name, now)).lastrowid
            row = db.execute("SELECT id FROM sessions WHERE athlete_id = ? AND video_sha256 = ?",
                             (athlete_id, sha)).fetchone()
            created = row is None
            if created:
                session_id = db.execute(
                    "INSERT INTO sessions(athlete_id, video_sha256, video_file, video_path, "
                    "session_date, label, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (athlete_id, sha, data["video"].get("file"),
                     str(Path(video_path).resolve()) if video_path else None,
                     session_date or (data.get("created_utc") or now)[:10], label, now),
                ).lastrowid
            else:
                session_id = row[0]
                db.execute(
                    "UPDATE sessions SET label = COALESCE(?, label), "
                    "session_date = COALESCE(?, session_date), "
                    "video_path = COALESCE(?, video_path) WHERE id = ?",
                    (label, session_date,
                     str(Path(video_path).resolve()) if video_path else None, session_id))
            version = db.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM analyses "
                                 "WHERE session_id = ?", (session_id,)).fetchone()[0]
            db.execute(
                "INSERT INTO analyses(session_id, version, analysed_utc, gait_version, view, "
                "belt_speed_ms, fps, capture_fps, options_json, result_json, outputs_json, "
                "cadence_spm, step_length_m, contact_time_ms, step_time_si_pct) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, version, data.get("created_utc") or now, data.get("gait_version"),
                 (data.get("view") or {}).get("view"), options.get("belt_speed_ms"),
                 (data.get("pose") or {}).get("fps"), options.get("capture_fps"),
                 json.dumps(options), json.dumps(data, allow_nan=False),
                 json.dumps({k: str(v) for k, v in (outputs or {}).items()}),
                 *headline_values(data)))
        return RecordOutcome(self.session(session_id), created)

    def delete_athlete(self, athlete: str) -> tuple[int, int]:
        """Erase an athlete with every session and analysis.

        Freed pages are overwritten (``secure_delete``) and the write-ahead
        log is checkpointed and truncated, so the data does not linger in
        the files.

        Returns
        -------
        n_sessions, n_analyses : int
            How many sessions and analyses were deleted.

        Raises
        ------
        NotInHistoryError
            No athlete of that name.
        """
        name = check_athlete_name(athlete)
        with self._write() as db:
            row = db.execute("SELECT id FROM athletes WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise NotInHistoryError(self._unknown_athlete_message(name))
            n_sessions, n_analyses = db.execute(
                "SELECT COUNT(DISTINCT s.id), COUNT(a.id) FROM sessions s "
                "JOIN analyses a ON a.session_id = s.id WHERE s.athlete_id = ?",
                (row[0],)).fetchone()
            db.execute("DELETE FROM athletes WHERE id = ?", (row[0],))
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(n_sessions), int(n_analyses)

    def delete_session(self, athlete: str, session_id: int) -> int:
        """Erase one session of an athlete with every analysis of it.

        The athlete and their other sessions stay. Freed pages are
        overwritten and the write-ahead log truncated, as in `delete_athlete`.

        Parameters
        ----------
        athlete : str
            The session's athlete (a check that the right session is erased).
        session_id : int
            The session's id, as `gait history NAME` lists it.

        Returns
        -------
        int
            How many analyses (versions) of the session were deleted.

        Raises
        ------
        NotInHistoryError
            No athlete of that name, or no session with that id of theirs.
        """
        session = self.session(session_id)
        name = check_athlete_name(athlete)
        if session.athlete.casefold() != name.casefold():
            self.sessions(name)  # raises NotInHistoryError for an unknown athlete
            raise NotInHistoryError(f"{self.path}: session #{session_id} is not {name}'s; "
                                    f"`gait history {name}` lists their session ids")
        with self._write() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (int(session_id),))
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return session.n_versions

    # -- reading ----------------------------------------------------------------------------

    def athletes(self) -> list[tuple[str, int]]:
        """Every athlete's name and number of sessions, by name."""
        return [(n, int(c)) for n, c in self._db.execute(
            "SELECT a.name, COUNT(s.id) FROM athletes a LEFT JOIN sessions s "
            "ON s.athlete_id = a.id GROUP BY a.id ORDER BY a.name")]

    def sessions(self, athlete: str) -> list[SessionRecord]:
        """An athlete's sessions, oldest first (by session date, then id).

        Raises
        ------
        NotInHistoryError
            No athlete of that name.
        """
        name = check_athlete_name(athlete)
        if self._db.execute("SELECT 1 FROM athletes WHERE name = ?", (name,)).fetchone() is None:
            raise NotInHistoryError(self._unknown_athlete_message(name))
        rows = self._db.execute(_SESSION_SELECT + " WHERE a.name = ? "
                                "ORDER BY s.session_date, s.id", (name,)).fetchall()
        return [_session_from_row(r) for r in rows]

    def session(self, session_id: int) -> SessionRecord:
        """One session with its current analysis.

        Raises
        ------
        NotInHistoryError
            No session with that id.
        """
        row = self._db.execute(_SESSION_SELECT + " WHERE s.id = ?", (int(session_id),)).fetchone()
        if row is None:
            raise NotInHistoryError(f"{self.path}: no session #{session_id}; `gait history NAME` "
                                    "lists an athlete's session ids")
        return _session_from_row(row)

    def sessions_for_video(self, video_sha256: str, *, athlete: str | None = None
                           ) -> list[SessionRecord]:
        """Sessions of a video (by content hash), optionally of one athlete only."""
        sql = _SESSION_SELECT + " WHERE s.video_sha256 = ?"
        params: tuple = (video_sha256,)
        if athlete is not None:
            sql += " AND a.name = ?"
            params += (check_athlete_name(athlete),)
        return [_session_from_row(r) for r in self._db.execute(sql + " ORDER BY s.id", params)]

    def versions(self, session_id: int) -> list[dict]:
        """Every analysis of a session, oldest first, with its full result.

        Each item has ``version``, ``analysed_utc``, ``gait_version``,
        ``belt_speed_ms``, ``fps``, ``capture_fps``, ``result`` and ``outputs``.
        """
        rows = self._db.execute(
            "SELECT version, analysed_utc, gait_version, belt_speed_ms, fps, capture_fps, "
            "result_json, outputs_json FROM analyses WHERE session_id = ? ORDER BY version",
            (int(session_id),)).fetchall()
        if not rows:
            self.session(session_id)  # raises NotInHistoryError
        keys = ("version", "analysed_utc", "gait_version", "belt_speed_ms", "fps", "capture_fps")
        return [{**dict(zip(keys, r[:6])), "result": json.loads(r[6]),
                 "outputs": json.loads(r[7])} for r in rows]

    def _unknown_athlete_message(self, name: str) -> str:
        known = [n for n, _ in self.athletes()]
        hint = (f"known athletes: {', '.join(known[:8])}{' ...' if len(known) > 8 else ''}"
                if known else "the history is empty; record with gait analyze VIDEO --athlete NAME")
        return f"{self.path}: no athlete named {name!r}; {hint}"


#: Earliest session date accepted.
EARLIEST_SESSION_DATE = _dt.date(1900, 1, 1)


def latest_session_date() -> _dt.date:
    """Today's date where it is latest on Earth (UTC+14): no run can be dated after it."""
    return (_dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(hours=14)).date()


def check_session_date(text: str) -> str:
    """A session date as ``YYYY-MM-DD``, checked before it is recorded.

    Parameters
    ----------
    text : str
        ISO date of the run, e.g. ``"2026-03-31"``.

    Returns
    -------
    str
        The date in ISO form.

    Raises
    ------
    InvalidOptionError
        Not a real calendar date (2024-13-45, 2024-02-30), before 1900, or in
        the future (a typo such as 9999-12-31).
    """
    try:
        date = _dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidOptionError(f"session date must look like 2026-03-31, got {text!r}") from None
    if date < EARLIEST_SESSION_DATE:
        problem = "is before 1900"
    elif date > latest_session_date():
        problem = "is in the future"
    else:
        return date.isoformat()
    raise InvalidOptionError(f"session date {date.isoformat()} {problem}; give the date of the "
                             "run, e.g. --date 2026-03-31")
