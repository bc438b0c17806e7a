"""Export one athlete's history: everything as JSON, or one row per session as CSV.

The JSON export (schema ``gait.history.export/1``) holds every session with
every analysis version and its full ``results.json``, so a user can take all
their data elsewhere; the CSV is the session table for a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
from pathlib import Path

from ..errors import InvalidOptionError, OutputExistsError
from ..output_paths import check_writable_file, replacing
from ..units import KMH_PER_MS
from .store import HistoryStore

EXPORT_SCHEMA = "gait.history.export/1"

#: Columns of the CSV export, in order.
CSV_COLUMNS = ("session_id", "session_date", "label", "video_file", "video_sha256",
               "belt_speed_kmh", "fps", "capture_fps", "view", "cadence_spm", "step_length_m",
               "contact_time_ms", "step_time_si_pct", "version", "n_versions", "analysed_utc")


def export_data(store: HistoryStore, athlete: str) -> dict:
    """Everything stored about one athlete, JSON-ready.

    Returns
    -------
    dict
        ``schema``, ``athlete``, ``exported_utc``, ``database`` and ``sessions``:
        each session's fields plus ``versions`` (every analysis, oldest
        first, with its full result and output paths).
    """
    sessions = store.sessions(athlete)
    out = []
    for s in sessions:
        record = s.to_dict()
        record.pop("result")
        record["versions"] = store.versions(s.id)
        out.append(record)
    return {"schema": EXPORT_SCHEMA, "athlete": sessions[0].athlete if sessions else athlete,
            "exported_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "database": str(store.path), "sessions": out}


def _csv_row(session: dict) -> list:
    speed = session.get("belt_speed_ms")
    values = {**session, "session_id": session["id"],
              "belt_speed_kmh": round(speed * KMH_PER_MS, 3) if speed else None}
    return ["" if values.get(c) is None else values.get(c) for c in CSV_COLUMNS]


def write_export(store: HistoryStore, athlete: str, path: str | Path, *, fmt: str | None = None,
                 overwrite: bool = False) -> Path:
    """Write an athlete's export to a file (atomically).

    Parameters
    ----------
    store : HistoryStore
    athlete : str
    path : str or Path
        Output file.
    fmt : {"json", "csv"}, optional
        Default: from the file suffix.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    Path

    Raises
    ------
    OutputExistsError
        `path` exists and `overwrite` is False.
    InvalidOptionError
        Unknown format, or `path` cannot be written (a folder, or in a folder
        that cannot be created or written); checked before any work.
    NotInHistoryError
        Unknown athlete.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("json", "csv"):
        raise InvalidOptionError(f"{path}: export format must be json or csv (from --format or "
                                 f"the file suffix), got {fmt or 'no suffix'!r}")
    check_writable_file(path, "-o")
    if path.exists() and not overwrite:
        raise OutputExistsError(f"{path}: exists; choose another file or pass --force")
    data = export_data(store, athlete)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        if fmt == "json":
            tmp.write_text(json.dumps(data, indent=1, allow_nan=False) + "\n")
        else:
            with tmp.open("w", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(CSV_COLUMNS)
                for session in data["sessions"]:
                    writer.writerow(_csv_row(session))
    return path
