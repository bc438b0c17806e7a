"""The persistent analysis queue: one row per uploaded video.

A job is ``queued`` when its upload is stored, ``running`` while the worker
analyses it, then ``done`` or ``failed`` (with a one-line reason). Jobs live
in SQLite, so a restart loses nothing: `JobStore.recover` puts jobs that
were running when the server stopped back in the queue, and fails them with
the reason once they have been interrupted `MAX_ATTEMPTS` times (a clip that
crashes the server must not crash it forever).

Every job belongs to a row of the ``athletes`` table in the same database
(`gait.web.athletes`). Adding a job and deleting an athlete check each other
in one transaction, so an upload never brings a deleted athlete back and an
athlete is never deleted under a running analysis.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..errors import GaitError
from ._db import connect, transaction, utc_now

STATUSES = ("queued", "running", "done", "failed")
#: How often a job may be started before a restart marks it failed.
MAX_ATTEMPTS = 2
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")
#: Seconds a progress update waits for another writer's lock before it is skipped.
PROGRESS_BUSY_TIMEOUT_S = 0.5

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    athlete TEXT NOT NULL COLLATE NOCASE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    stage TEXT NOT NULL DEFAULT 'queued',
    fraction REAL NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    label TEXT NOT NULL DEFAULT '',
    options_json TEXT NOT NULL,
    checklist_json TEXT NOT NULL,
    original_name TEXT NOT NULL,
    video_file TEXT NOT NULL,
    video_sha256 TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    started_utc TEXT,
    finished_utc TEXT,
    session_id INTEGER
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, created_utc);
CREATE INDEX IF NOT EXISTS jobs_athlete ON jobs (athlete, created_utc);
"""


class AthleteDeletedError(GaitError):
    """The athlete a job is for was deleted (while its video was uploaded or analysed)."""


class AnalysisRunningError(GaitError):
    """An analysis is running, so its job or athlete cannot be deleted now."""


def new_job_id() -> str:
    """A random job id (32 hex digits); also the job's folder name."""
    return uuid.uuid4().hex


def is_job_id(text: str) -> bool:
    """True when `text` has the shape of a job id (guards every path built from one)."""
    return bool(_JOB_ID.match(text))


@dataclass(frozen=True)
class Job:
    """One analysis request and its state (a row of the ``jobs`` table)."""

    id: str
    athlete: str
    status: str
    stage: str
    fraction: float
    attempts: int
    error: str | None
    label: str
    options: dict
    checklist: dict
    original_name: str
    video_file: str
    video_sha256: str
    created_utc: str
    started_utc: str | None
    finished_utc: str | None
    session_id: int | None

    @property
    def finished(self) -> bool:
        """True once the job is done or has failed (it will not change by itself)."""
        return self.status in ("done", "failed")

    @property
    def percent(self) -> int:
        """Overall progress 0-100 (pose estimation is most of the work)."""
        return overall_percent(self.status, self.stage, self.fraction)

    @classmethod
    def from_row(cls, row) -> "Job":
        data = dict(row)
        data["options"] = json.loads(data.pop("options_json"))
        data["checklist"] = json.loads(data.pop("checklist_json"))
        return cls(**data)


#: Share of the whole analysis each stage takes, in order (measured: pose
#: estimation dominates; the report renders the overlay video afterwards).
STAGE_WEIGHTS = (("queued", 0.0), ("probe", 0.02), ("pose", 0.78), ("analysis", 0.05),
                 ("report", 0.15))


def overall_percent(status: str, stage: str, fraction: float) -> int:
    """Progress of a job in percent from its stage and the fraction done within it."""
    if status == "done":
        return 100
    done = 0.0
    for name, weight in STAGE_WEIGHTS:
        if name == stage:
            return int(min(99.0, 100 * (done + weight * max(0.0, min(1.0, fraction)))))
        done += weight
    return 0


class JobStore:
    """The ``jobs`` table of the web app's database.

    Parameters
    ----------
    db_path : Path
        SQLite file (created with its tables if missing).
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        with connect(self.db_path) as con:
            con.executescript(_SCHEMA)

    def add(self, *, job_id: str, athlete: str, options: dict, checklist: dict, label: str,
            original_name: str, video_file: str, video_sha256: str,
            athlete_id: int | None = None) -> Job:
        """Queue a new job whose video is already stored; returns it.

        Parameters
        ----------
        athlete_id : int, optional
            The athlete's row in the ``athletes`` table: the job is queued only
            if that row still exists, checked in the same transaction.

        Raises
        ------
        AthleteDeletedError
            The athlete `athlete_id` was deleted (nothing is queued).
        """
        with transaction(self.db_path) as con:
            if athlete_id is not None and con.execute(
                    "SELECT 1 FROM athletes WHERE id = ?", (athlete_id,)).fetchone() is None:
                raise AthleteDeletedError(f"{athlete} was deleted while this video was being "
                                          "uploaded; nothing was kept")
            con.execute(
                "INSERT INTO jobs (id, athlete, status, options_json, checklist_json, label, "
                "original_name, video_file, video_sha256, created_utc) "
                "VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)",
                (job_id, athlete, json.dumps(options), json.dumps(checklist), label,
                 original_name, video_file, video_sha256, utc_now()))
        return self.get(job_id)

    def get(self, job_id: str) -> Job | None:
        """The job with this id, or None."""
        if not is_job_id(job_id):
            return None
        with connect(self.db_path) as con:
            row = con.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else Job.from_row(row)

    def for_athlete(self, athlete: str) -> list[Job]:
        """The athlete's jobs (name matched case-insensitively), oldest first."""
        with connect(self.db_path) as con:
            rows = con.execute("SELECT * FROM jobs WHERE athlete = ? "
                               "ORDER BY created_utc, rowid", (athlete,)).fetchall()
        return [Job.from_row(r) for r in rows]

    def queue_position(self, job_id: str) -> int:
        """How many queued or running jobs are ahead of this queued job (0: next)."""
        with connect(self.db_path) as con:
            row = con.execute(
                "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running') AND "
                "rowid < (SELECT rowid FROM jobs WHERE id = ?)", (job_id,)).fetchone()
        return int(row[0])

    def claim_next(self) -> Job | None:
        """Mark the oldest queued job running and return it; None when the queue is empty."""
        with transaction(self.db_path) as con:
            row = con.execute("SELECT id FROM jobs WHERE status = 'queued' "
                              "ORDER BY rowid LIMIT 1").fetchone()
            if row is None:
                return None
            con.execute("UPDATE jobs SET status = 'running', stage = 'probe', fraction = 0, "
                        "attempts = attempts + 1, started_utc = ? WHERE id = ?",
                        (utc_now(), row["id"]))
        return self.get(row["id"])

    def set_progress(self, job_id: str, stage: str, fraction: float) -> None:
        """Record the stage and the fraction (0-1) done within it of a running job.

        Progress is not worth waiting for: another writer's lock is waited
        for only `PROGRESS_BUSY_TIMEOUT_S` seconds.

        Raises
        ------
        sqlite3.OperationalError
            The database stayed locked (the caller may skip this update).
        """
        with connect(self.db_path) as con:
            con.execute(f"PRAGMA busy_timeout = {int(PROGRESS_BUSY_TIMEOUT_S * 1000)}")
            con.execute("UPDATE jobs SET stage = ?, fraction = ? "
                        "WHERE id = ? AND status = 'running'", (stage, float(fraction), job_id))

    def finish(self, job_id: str, *, error: str | None = None,
               session_id: int | None = None) -> None:
        """Mark a job done (recorded as history session `session_id`), or failed with the
        one-line `error`."""
        status = "done" if error is None else "failed"
        with transaction(self.db_path) as con:
            con.execute("UPDATE jobs SET status = ?, error = ?, finished_utc = ?, "
                        "session_id = COALESCE(?, session_id), "
                        "stage = CASE WHEN ? = 'done' THEN 'done' ELSE stage END "
                        "WHERE id = ?", (status, error, utc_now(), session_id, status, job_id))

    def recover(self) -> tuple[list[str], list[str]]:
        """After a restart: re-queue interrupted jobs, or fail them after `MAX_ATTEMPTS`.

        Returns
        -------
        requeued, failed : list of str
            Ids of the jobs put back in the queue and of those marked failed.
        """
        with transaction(self.db_path) as con:
            rows = con.execute("SELECT id, attempts FROM jobs WHERE status = 'running'").fetchall()
            requeued = [r["id"] for r in rows if r["attempts"] < MAX_ATTEMPTS]
            failed = [r["id"] for r in rows if r["attempts"] >= MAX_ATTEMPTS]
            con.executemany("UPDATE jobs SET status = 'queued', stage = 'queued', fraction = 0 "
                            "WHERE id = ?", [(i,) for i in requeued])
            reason = (f"the server stopped during this analysis {MAX_ATTEMPTS} times; "
                      "upload the video again, or analyse it with `gait analyze` to see the error")
            con.executemany("UPDATE jobs SET status = 'failed', error = ?, finished_utc = ? "
                            "WHERE id = ?", [(reason, utc_now(), i) for i in failed])
        return requeued, failed

    def delete(self, job_id: str) -> bool:
        """Remove a queued or failed job's row (its files are removed by the caller).

        Returns
        -------
        bool
            False when nothing was removed: the job is running or done (a done
            job is part of the history, erased with the athlete), or gone.
        """
        with transaction(self.db_path) as con:
            removed = con.execute("DELETE FROM jobs WHERE id = ? AND status IN "
                                  "('queued', 'failed')", (job_id,)).rowcount
        return removed > 0

    def delete_athlete(self, athlete_id: int, athlete: str) -> list[Job]:
        """Remove an athlete's row and all their jobs' rows in one transaction.

        The caller removes the jobs' files and the athlete's history.

        Parameters
        ----------
        athlete_id : int
            The athlete's row in the ``athletes`` table.
        athlete : str
            Their name (jobs are matched case-insensitively).

        Returns
        -------
        list of Job
            The removed jobs.

        Raises
        ------
        AnalysisRunningError
            One of their jobs is running (nothing is removed).
        """
        with transaction(self.db_path) as con:
            rows = con.execute("SELECT * FROM jobs WHERE athlete = ? ORDER BY rowid",
                               (athlete,)).fetchall()
            if any(r["status"] == "running" for r in rows):
                raise AnalysisRunningError("An analysis for this athlete is running; delete "
                                           "after it has finished.")
            con.execute("DELETE FROM jobs WHERE athlete = ?", (athlete,))
            con.execute("DELETE FROM athletes WHERE id = ?", (athlete_id,))
        return [Job.from_row(r) for r in rows]

    def remove_files(self, job: Job, *, jobs_dir: Path, pose_cache_dir: Path) -> None:
        """Remove a job's folder, and its pose cache when no other job holds that video.

        Parameters
        ----------
        job : Job
        jobs_dir : Path
            Folder of the job folders (``<jobs_dir>/<job id>``).
        pose_cache_dir : Path
            Folder of the pose caches, one per video content hash.
        """
        shutil.rmtree(jobs_dir / job.id, ignore_errors=True)
        if self.others_with_video(job.video_sha256, excluding=job.id) == 0:
            shutil.rmtree(pose_cache_dir / job.video_sha256, ignore_errors=True)

    def others_with_video(self, sha256: str, *, excluding: str) -> int:
        """Number of other jobs holding a video with this content hash."""
        with connect(self.db_path) as con:
            row = con.execute("SELECT COUNT(*) FROM jobs WHERE video_sha256 = ? AND id != ?",
                              (sha256, excluding)).fetchone()
        return int(row[0])
