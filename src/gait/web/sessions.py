"""Athletes and their sessions as the pages list, record and compare them.

Finished analyses are recorded in gait's athlete history (`gait.history`,
the same SQLite store ``gait analyze --athlete`` writes), so sessions recorded
from the command line show up here and the web's show up in ``gait history``.
Comparisons are `gait.history`'s: the same smallest-detectable-change rule and
the same comparison report as ``gait compare``. The web app's own tables keep
what the history does not: athletes who have no session yet, and the jobs
(queued, running, failed, and which job produced which session).

A deleted athlete stays deleted: the web rows go first, in one transaction
that an upload's `JobStore.add` cannot interleave with; the pages that add
athletes known only to the history wait while an athlete is being deleted;
and a finished analysis is recorded only while its athlete and job exist.
"""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import NotInHistoryError
from ..history import HistoryStore, SessionRecord
from ..history.compare import Comparison, compare_results
from .athletes import Athlete, AthleteStore
from .jobs import AthleteDeletedError, Job, JobStore


@dataclass(frozen=True)
class SessionItem:
    """One recorded session and the web jobs that analysed it.

    Attributes
    ----------
    record : SessionRecord
    job : Job or None
        The newest web job of the session (the one that produced its current
        analysis, unless a later one was recorded with ``gait analyze``).
    earlier : tuple of Job
        The session's earlier web jobs (re-analyses of the same video), newest first.
    """

    record: SessionRecord
    job: Job | None
    earlier: tuple[Job, ...] = ()

    @property
    def title(self) -> str:
        """Date and label (or video name) for menus and headings."""
        return (f"#{self.record.id} · {self.record.session_date[:10]} · "
                f"{self.record.label or self.record.video_file or 'video'}")


@dataclass(frozen=True)
class ComparisonView:
    """A comparison and the folder holding its report files."""

    before: SessionItem
    after: SessionItem
    comparison: Comparison
    folder: str


class Sessions:
    """Athletes, their recorded sessions and their jobs.

    Parameters
    ----------
    athletes : AthleteStore
    jobs : JobStore
    history_db : Path
        The athlete history database (`gait.history.HistoryStore`).
    jobs_dir : Path
        Parent of the per-job folders.
    comparisons_dir : Path
        Where comparison reports are written (one folder per pair of analyses).
    """

    def __init__(self, athletes: AthleteStore, jobs: JobStore, *, history_db: Path,
                 jobs_dir: Path, comparisons_dir: Path) -> None:
        self.athletes = athletes
        self.jobs = jobs
        self.history_db = history_db
        self.jobs_dir = jobs_dir
        self.comparisons_dir = comparisons_dir
        # held while an athlete is deleted, and while athletes are taken over from the
        # history (which, read before a deletion, would bring the athlete back after it)
        self._deleting = threading.Lock()

    def _store(self) -> HistoryStore:
        return HistoryStore(self.history_db)

    # -- athletes ---------------------------------------------------------------------------

    def athlete_names(self) -> list[tuple[str, int]]:
        """Every athlete (web-created or recorded from the CLI) with their number of sessions."""
        with self._deleting, self._store() as store:
            recorded = dict(store.athletes())
            for name in recorded:
                self.athletes.create(name)
        return [(a.name, recorded.get(a.name, 0)) for a in self.athletes.list()]

    def find(self, name: str) -> Athlete | None:
        """The athlete of that name (case-insensitive), also one only the history knows."""
        athlete = self.athletes.find(name)
        if athlete is None:
            with self._deleting, self._store() as store:
                known = [n for n, _ in store.athletes() if n.lower() == name.strip().lower()]
                if known:
                    athlete = self.athletes.create(known[0])
        return athlete

    # -- sessions ---------------------------------------------------------------------------

    def record(self, job: Job) -> int:
        """Record a finished job's result in the history; returns the session id.

        Re-analysing a video already recorded for this athlete adds a version
        to that session (the earlier result is kept by the history) and keeps
        the session's date; a new session is dated by the job's upload. The
        caller stores the session id with the job (`JobStore.finish`).

        Raises
        ------
        AthleteDeletedError
            The athlete (or the job) was deleted during the analysis; nothing
            is recorded, so the deletion is not undone.
        """
        if self.athletes.find(job.athlete) is None or self.jobs.get(job.id) is None:
            raise AthleteDeletedError(f"{job.athlete} was deleted during this analysis; its "
                                      "result was not kept")
        outdir = self.jobs_dir / job.id / "out"
        outputs = {p.relative_to(outdir).as_posix(): p for p in sorted(outdir.rglob("*"))
                   if p.is_file()}
        result = json.loads((outdir / "results.json").read_text())
        with self._store() as store:
            recorded = store.sessions_for_video(result["video"]["sha256"], athlete=job.athlete)
            done = store.record(job.athlete, result, label=job.label or None,
                                session_date=None if recorded else job.created_utc[:10],
                                video_path=self.jobs_dir / job.id / job.video_file,
                                outputs=outputs)
        return done.session.id

    def sessions(self, athlete: str) -> list[SessionItem]:
        """The athlete's recorded sessions, oldest first, each with its web jobs."""
        with self._store() as store:
            try:
                records = store.sessions(athlete)
            except NotInHistoryError:
                records = []
        done: dict[int, list[Job]] = {}  # oldest first
        for job in self.jobs.for_athlete(athlete):
            if job.status == "done" and job.session_id is not None:
                done.setdefault(job.session_id, []).append(job)
        items = []
        for record in records:
            *earlier, newest = done.get(record.id) or [None]
            items.append(SessionItem(record, newest, tuple(reversed(earlier))))
        return items

    def pending(self, athlete: str) -> list[Job]:
        """The athlete's jobs that are queued, running or failed."""
        return [j for j in self.jobs.for_athlete(athlete) if j.status != "done"]

    # -- comparison -------------------------------------------------------------------------

    def compare(self, before: SessionItem, after: SessionItem) -> ComparisonView:
        """Compare two sessions and write the comparison report (HTML, PDF, JSON) once.

        The report folder is named after both sessions and their analysis
        versions, so a re-analysis gets a fresh comparison.
        """
        from ..history.compare_report import write_comparison_report
        from ..history.keyframes import key_frame_pairs
        from ..history.resolve import resolve

        with self._store() as store:
            rb = resolve(str(before.record.id), store)
            ra = resolve(str(after.record.id), store)
        comparison = compare_results(rb.result, ra.result, before_name=rb.name,
                                     after_name=ra.name)
        folder = (f"s{before.record.id}v{before.record.version}-"
                  f"s{after.record.id}v{after.record.version}")
        target = self.comparisons_dir / folder
        if not (target / "comparison.html").is_file():
            pairs, note = key_frame_pairs(rb, ra)
            write_comparison_report(target, comparison, pairs, key_frame_note=note,
                                    subtitle=f"{before.record.athlete} · {rb.name} → {ra.name}",
                                    overwrite=True)
        return ComparisonView(before, after, comparison, folder)

    # -- deletion ---------------------------------------------------------------------------

    def delete_athlete(self, athlete: Athlete, *, pose_cache_dir: Path) -> None:
        """Erase the athlete: jobs, videos, results, history records, comparisons, pose caches.

        The athlete's and their jobs' rows go first, in one transaction, so
        neither an upload nor the worker can add to them afterwards. Should
        the history then fail (e.g. locked), the error is raised and the
        athlete shows up again with their recorded sessions: delete again.

        Raises
        ------
        AnalysisRunningError
            An analysis of theirs is running (nothing is deleted).
        """
        with self._deleting:
            for job in self.jobs.delete_athlete(athlete.id, athlete.name):
                self.jobs.remove_files(job, jobs_dir=self.jobs_dir, pose_cache_dir=pose_cache_dir)
            with self._store() as store:
                session_ids = [s.id for s in self._records(store, athlete.name)]
                try:
                    store.delete_athlete(athlete.name)
                except NotInHistoryError:  # nothing recorded
                    pass
            if self.comparisons_dir.is_dir():
                for folder in self.comparisons_dir.iterdir():
                    ids = {part.split("v")[0] for part in folder.name.split("-")}
                    if ids & {f"s{i}" for i in session_ids}:
                        shutil.rmtree(folder)

    def delete_job(self, job: Job, *, pose_cache_dir: Path) -> bool:
        """Remove a queued or failed job: its row, its folder, and its pose cache when no
        other job has that video.

        Returns
        -------
        bool
            False when nothing was removed (the job is running or done by now).
        """
        if not self.jobs.delete(job.id):
            return False
        self.jobs.remove_files(job, jobs_dir=self.jobs_dir, pose_cache_dir=pose_cache_dir)
        return True

    @staticmethod
    def _records(store: HistoryStore, name: str) -> list[SessionRecord]:
        try:
            return store.sessions(name)
        except NotInHistoryError:
            return []
