"""The background worker: takes queued jobs one at a time and analyses them.

Analyses run in one daemon thread, never in a request. One at a time,
because pose estimation already uses every core it is given; further
uploads wait in the queue (`gait.web.jobs`).

The thread outlives database errors: another process holding SQLite's write
lock past the busy timeout (or a full disk) makes it log, wait and try again.
Progress updates are skipped while the database is locked; the end of a job
(done or failed) is retried until it is written, so no job stays "running".
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import IO, Callable

try:  # POSIX; elsewhere two servers on one data folder are not detected
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

from ..errors import GaitError, InvalidOptionError
from .analysis import run_analysis
from .jobs import AthleteDeletedError, Job, JobStore
from .uploads import with_original_name

log = logging.getLogger("gait.web")

#: Seconds between progress writes to the database within one stage.
PROGRESS_INTERVAL_S = 0.5
#: Seconds the idle worker sleeps before looking at the queue again.
IDLE_POLL_S = 2.0
#: Seconds the worker waits after a database error before trying again.
RETRY_PAUSE_S = 5.0

Analyse = Callable[..., None]


def _hold_lock(path: Path) -> IO:
    """Open `path` and hold an exclusive lock on it (released when the file is closed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a")
    if fcntl is not None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise InvalidOptionError(
                f"another gait server is already using {path.parent}; stop it, or start this "
                "one with another --data-dir") from None
    return handle


def job_dir(jobs_dir: Path, job: Job) -> Path:
    """The folder holding a job's stored video and its ``out/`` folder."""
    return jobs_dir / job.id


class Worker:
    """Runs queued jobs in a background thread.

    Parameters
    ----------
    store : JobStore
    jobs_dir : Path
        Parent of the per-job folders.
    pose_cache_dir : Path
        Parent of the per-video pose caches.
    analyse : callable
        ``analyse(video, outdir, options=..., checklist=..., display_name=...,
        cache_dir=..., on_progress=...)``; `gait.web.analysis.run_analysis` by
        default.
    on_done : callable, optional
        ``on_done(job)`` after a successful analysis records it in the history
        and returns the session id, stored with the job. An error it raises
        fails the job with that reason; `AthleteDeletedError` also removes the
        job's files (the athlete was deleted meanwhile).
    retry_pause_s : float
        Seconds to wait after a database error before trying again.
    """

    def __init__(self, store: JobStore, *, jobs_dir: Path, pose_cache_dir: Path,
                 analyse: Analyse = run_analysis,
                 on_done: Callable[[Job], int | None] | None = None,
                 retry_pause_s: float = RETRY_PAUSE_S) -> None:
        self.store = store
        self.on_done = on_done
        self.jobs_dir = jobs_dir
        self.pose_cache_dir = pose_cache_dir
        self.analyse = analyse
        self.retry_pause_s = retry_pause_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock: IO | None = None

    def lock_data_folder(self) -> None:
        """Take the data folder's worker lock (held until `stop`); idempotent.

        Raises
        ------
        InvalidOptionError
            Another gait server already runs a worker on this data folder (its
            running job would otherwise be taken for an interrupted one).
        """
        if self._lock is None:
            self._lock = _hold_lock(self.jobs_dir.parent / "worker.lock")

    def start(self) -> None:
        """Take the worker lock, recover interrupted jobs, then start the thread."""
        self.lock_data_folder()
        requeued, failed = self.store.recover()
        if requeued or failed:
            log.warning("after restart: %d interrupted job(s) re-queued, %d marked failed",
                        len(requeued), len(failed))
        self._thread = threading.Thread(target=self._loop, name="gait-web-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Tell the worker a job was queued."""
        self._wake.set()

    @property
    def running(self) -> bool:
        """True while the worker thread is alive (False before `start`, after `stop`, and
        if it died: queued jobs then wait until the server is restarted)."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Ask the thread to stop after the current job and wait up to `timeout_s`.

        A job still running when the process exits is re-queued on the next start.
        """
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def run_pending(self) -> int:
        """Run queued jobs in the calling thread until the queue is empty; returns how many.

        Raises
        ------
        sqlite3.Error
            The queue could not be read (the thread's loop waits and tries again).
        """
        n = 0
        while not self._stop.is_set():
            job = self.store.claim_next()
            if job is None:
                return n
            self._run(job)
            n += 1
        return n

    def _loop(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self.run_pending()
                except sqlite3.Error as exc:  # e.g. locked by another process past the timeout
                    log.warning("worker: cannot read the job queue (%s); trying again in %g s",
                                exc, self.retry_pause_s)
                    self._stop.wait(self.retry_pause_s)
                    continue
                except Exception:  # a bug: log it, keep serving the queue
                    log.exception("worker: unexpected error; trying again in %g s",
                                  self.retry_pause_s)
                    self._stop.wait(self.retry_pause_s)
                    continue
                self._wake.wait(IDLE_POLL_S)
                self._wake.clear()
        finally:
            if not self._stop.is_set():
                log.critical("the analysis worker stopped; uploads stay queued until the "
                             "server is restarted")

    def _finish(self, job_id: str, *, error: str | None = None,
                session_id: int | None = None) -> None:
        """Write the end of a job, again and again while the database is not writable.

        Gives up only when the worker is stopped: the job is then still
        "running", and the next start re-queues it (`JobStore.recover`).
        """
        while True:
            try:
                self.store.finish(job_id, error=error, session_id=session_id)
                return
            except sqlite3.Error as exc:
                log.warning("job %s: cannot record its end (%s); trying again in %g s",
                            job_id, exc, self.retry_pause_s)
                if self._stop.wait(self.retry_pause_s):
                    return

    def _run(self, job: Job) -> None:
        folder = job_dir(self.jobs_dir, job)
        next_write = {"stage": "", "t": 0.0}

        def on_progress(stage: str, fraction: float) -> None:
            now = time.monotonic()
            if stage == next_write["stage"] and now < next_write["t"] and fraction < 1:
                return
            try:
                self.store.set_progress(job.id, stage, fraction)
                next_write.update(stage=stage, t=now + PROGRESS_INTERVAL_S)
            except sqlite3.Error as exc:  # progress is best effort; the analysis goes on
                log.warning("job %s: progress not recorded (%s)", job.id, exc)
                next_write.update(stage=stage, t=now + self.retry_pause_s)

        log.info("analysing job %s", job.id)
        video = folder / job.video_file
        try:
            self.analyse(video, folder / "out", options=job.options,
                         checklist=job.checklist, display_name=job.original_name,
                         cache_dir=self.pose_cache_dir / job.video_sha256,
                         on_progress=on_progress)
            session_id = self.on_done(job) if self.on_done is not None else None
        except AthleteDeletedError as exc:
            self.store.remove_files(job, jobs_dir=self.jobs_dir,
                                    pose_cache_dir=self.pose_cache_dir)
            self._finish(job.id, error=str(exc))
            log.info("job %s discarded: %s", job.id, exc)
        except GaitError as exc:
            self._finish(job.id, error=with_original_name(str(exc), video,
                                                          original_name=job.original_name))
            log.info("job %s failed: %s", job.id, exc)
        except Exception as exc:  # a bug: keep the worker alive and say so on the page
            log.exception("job %s crashed", job.id)
            self._finish(job.id, error=f"internal error ({type(exc).__name__}: {exc}); "
                                       "please report it with the video if you can")
        else:
            self._finish(job.id, session_id=session_id)
            log.info("job %s done", job.id)
