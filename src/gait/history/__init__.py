"""Athlete history: every analysis kept per person, trends and honest before/after comparisons.

- `store`: the SQLite store (`HistoryStore`, `default_db_path`).
- `headline`: the headline metrics of a stored result.
- `sdc`: smallest detectable change of each metric between two sessions.
- `compare`: metric-by-metric comparison of two results (`compare_results`).
- `trend`: the trend figure of an athlete's sessions.
- `compare_report`: the comparison as HTML/PDF/JSON (on `gait.report`'s page skeletons);
  `keyframes`: side-by-side key frames at initial contact for it.
- `resolve`: what ``gait compare`` arguments name; `export`: JSON/CSV export;
  `text`: terminal tables; `commands`: the command-line handlers.
"""

from .store import HistoryStore, RecordOutcome, SessionRecord, default_db_path

__all__ = ["HistoryStore", "RecordOutcome", "SessionRecord", "default_db_path"]
