"""The persistent job queue and the worker, without HTTP."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from gait.errors import NoPersonError
from gait.web.jobs import MAX_ATTEMPTS, JobStore, new_job_id, overall_percent
from gait.web.worker import Worker


def add_job(store: JobStore, jobs_dir: Path, athlete: str = "A",
            original_name: str = "clip.mp4") -> str:
    job_id = new_job_id()
    (jobs_dir / job_id).mkdir(parents=True)
    (jobs_dir / job_id / "video.mp4").write_bytes(b"x")
    store.add(job_id=job_id, athlete=athlete, options={"view": "auto"}, checklist={},
              label="", original_name=original_name, video_file="video.mp4",
              video_sha256="ab" * 32)
    return job_id


def test_jobs_run_in_upload_order_and_record_progress(tmp_path):
    store = JobStore(tmp_path / "db.sqlite")
    ids = [add_job(store, tmp_path / "jobs") for _ in range(3)]
    assert [store.queue_position(i) for i in ids] == [0, 1, 2]
    seen, progress = [], []

    def analyse(video, outdir, *, options, checklist, display_name, cache_dir,
                on_progress):
        job_id = video.parent.name
        seen.append(job_id)
        on_progress("pose", 0.5)
        progress.append(store.get(job_id).percent)
        assert store.get(job_id).status == "running"
        assert cache_dir.name == "ab" * 32

    worker = Worker(store, jobs_dir=tmp_path / "jobs", pose_cache_dir=tmp_path / "cache",
                    analyse=analyse)
    assert worker.run_pending() == 3
    assert seen == ids
    assert progress == [overall_percent("running", "pose", 0.5)] * 3
    assert all(store.get(i).status == "done" and store.get(i).percent == 100 for i in ids)


def test_gait_errors_and_crashes_fail_the_job_with_the_reason(tmp_path):
    store = JobStore(tmp_path / "db.sqlite")
    first, second, third = (add_job(store, tmp_path / "jobs") for _ in range(3))

    def analyse(video, outdir, **_):
        if video.parent.name == first:
            raise NoPersonError(f"{video}: pose found in 3 of 900 frames; is the runner in "
                                "frame?")
        if video.parent.name == second:
            raise ZeroDivisionError("division by zero")

    Worker(store, jobs_dir=tmp_path / "jobs", pose_cache_dir=tmp_path / "c",
           analyse=analyse).run_pending()
    assert store.get(first).status == "failed"
    assert store.get(first).error == ("clip.mp4: pose found in 3 of 900 frames; is the runner "
                                      "in frame?")
    assert store.get(second).status == "failed"
    assert "internal error (ZeroDivisionError" in store.get(second).error
    assert store.get(third).status == "done"  # the worker survived the crash


def test_a_failure_names_the_users_file_even_when_it_contains_the_stored_name(tmp_path):
    store = JobStore(tmp_path / "db.sqlite")
    job_id = add_job(store, tmp_path / "jobs", original_name="treadmill video.mp4")

    def analyse(video, outdir, **_):
        raise NoPersonError(f"{video}: pose found in 3 of 900 frames of {video.name}")

    Worker(store, jobs_dir=tmp_path / "jobs", pose_cache_dir=tmp_path / "c",
           analyse=analyse).run_pending()
    assert store.get(job_id).error == ("treadmill video.mp4: pose found in 3 of 900 frames of "
                                       "treadmill video.mp4")


def test_restart_requeues_interrupted_jobs_then_fails_them(tmp_path):
    db = tmp_path / "db.sqlite"
    store = JobStore(db)
    job_id = add_job(store, tmp_path / "jobs")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        claimed = JobStore(db).claim_next()  # a server starts the job ... and dies
        assert claimed.id == job_id and claimed.attempts == attempt
        requeued, failed = JobStore(db).recover()  # the next server starts
        if attempt < MAX_ATTEMPTS:
            assert (requeued, failed) == ([job_id], [])
            assert store.get(job_id).status == "queued"
    assert failed == [job_id]
    job = store.get(job_id)
    assert job.status == "failed" and "server stopped during this analysis" in job.error


def test_worker_thread_recovers_and_runs_queued_jobs_on_start(tmp_path):
    store = JobStore(tmp_path / "db.sqlite")
    interrupted = add_job(store, tmp_path / "jobs")
    store.claim_next()
    waiting = add_job(store, tmp_path / "jobs")
    worker = Worker(store, jobs_dir=tmp_path / "jobs", pose_cache_dir=tmp_path / "c",
                    analyse=lambda video, outdir, **_: None)
    worker.start()
    try:
        import time
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
                store.get(i).status != "done" for i in (interrupted, waiting)):
            time.sleep(0.05)
    finally:
        worker.stop()
    assert store.get(interrupted).status == "done"
    assert store.get(waiting).status == "done"


@pytest.mark.parametrize("status, stage, fraction, expected", [
    ("queued", "queued", 0.0, 0), ("running", "probe", 1.0, 2), ("running", "pose", 0.5, 41),
    ("running", "report", 1.0, 99), ("done", "done", 1.0, 100)])
def test_overall_percent(status, stage, fraction, expected):
    assert overall_percent(status, stage, fraction) == expected


def test_a_second_worker_on_the_same_data_folder_is_refused(tmp_path):
    from gait.errors import InvalidOptionError

    store = JobStore(tmp_path / "db.sqlite")
    running = add_job(store, tmp_path / "jobs")
    store.claim_next()
    first = Worker(store, jobs_dir=tmp_path / "jobs", pose_cache_dir=tmp_path / "c",
                   analyse=lambda video, outdir, **_: None)
    from gait.web.worker import _hold_lock

    lock = _hold_lock(tmp_path / "worker.lock")  # a server already runs here
    with pytest.raises(InvalidOptionError, match="another gait server is already using"):
        first.start()
    assert store.get(running).status == "running"  # not mistaken for an interrupted job
    lock.close()


# -- a locked database (another process holding SQLite's write lock) ----------------------


@pytest.fixture()
def short_busy_timeout(monkeypatch):
    """Database locks give up after 0.2 s instead of 30 s (the lock tests stay quick)."""
    from gait.web import _db

    monkeypatch.setattr(_db, "_BUSY_TIMEOUT_S", 0.2)


def hold_write_lock(db: Path) -> sqlite3.Connection:
    """Take the database's write lock as another process would; ``ROLLBACK`` releases it."""
    con = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    con.execute("BEGIN IMMEDIATE")
    return con


def wait_for(condition, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_the_worker_thread_outlives_a_locked_database(tmp_path, short_busy_timeout, caplog):
    caplog.set_level(logging.WARNING, logger="gait.web")
    db = tmp_path / "db.sqlite"
    store = JobStore(db)
    worker = Worker(store, jobs_dir=tmp_path / "jobs", pose_cache_dir=tmp_path / "c",
                    analyse=lambda video, outdir, **_: None, retry_pause_s=0.05)
    worker.start()
    try:
        lock = hold_write_lock(db)
        worker.wake()  # the idle worker looks at the queue: locked past the busy timeout
        assert wait_for(lambda: "database is locked" in caplog.text), caplog.text
        lock.execute("ROLLBACK")
        assert worker.running
        job_id = add_job(store, tmp_path / "jobs")
        worker.wake()
        assert wait_for(lambda: store.get(job_id).status == "done")
    finally:
        worker.stop()
    assert not worker.running


@pytest.mark.parametrize("crash", [True, False])
def test_a_job_ends_once_the_locked_database_is_writable_again(tmp_path, short_busy_timeout,
                                                               crash):
    db = tmp_path / "db.sqlite"
    store = JobStore(db)
    job_id = add_job(store, tmp_path / "jobs")
    locker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)

    def analyse(video, outdir, *, on_progress, **_):
        locker.execute("BEGIN IMMEDIATE")  # another process locks the database ...
        on_progress("pose", 0.5)  # ... so this progress is not recorded, and that is fine
        threading.Timer(1.0, lambda: locker.execute("ROLLBACK")).start()  # ... for a second
        if crash:
            raise ZeroDivisionError("division by zero")

    worker = Worker(store, jobs_dir=tmp_path / "jobs", pose_cache_dir=tmp_path / "c",
                    analyse=analyse, on_done=lambda job: 7, retry_pause_s=0.05)
    started = time.monotonic()
    assert worker.run_pending() == 1  # returns once the job's end could be written
    assert time.monotonic() - started >= 0.9
    job = store.get(job_id)
    if crash:
        assert job.status == "failed" and "internal error (ZeroDivisionError" in job.error
    else:
        assert job.status == "done" and job.session_id == 7 and job.error is None


def test_a_stopped_worker_leaves_an_unfinishable_job_to_the_next_start(tmp_path,
                                                                      short_busy_timeout):
    db = tmp_path / "db.sqlite"
    store = JobStore(db)
    job_id = add_job(store, tmp_path / "jobs")
    locker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    worker = None

    def analyse(video, outdir, **_):
        locker.execute("BEGIN IMMEDIATE")  # locked until the server stops
        threading.Timer(0.5, worker.stop).start()

    worker = Worker(store, jobs_dir=tmp_path / "jobs", pose_cache_dir=tmp_path / "c",
                    analyse=analyse, retry_pause_s=0.05)
    assert worker.run_pending() == 1  # gave up retrying when asked to stop
    locker.execute("ROLLBACK")
    assert store.get(job_id).status == "running"
    assert store.recover() == ([job_id], [])  # the next start runs it again


# -- jobs of a deleted athlete ------------------------------------------------------------


def test_a_job_is_queued_only_while_its_athlete_exists(tmp_path):
    from gait.web.athletes import AthleteStore
    from gait.web.jobs import AthleteDeletedError

    db = tmp_path / "db.sqlite"
    athletes, store = AthleteStore(db), JobStore(db)
    ghost = athletes.create("Ghost")
    athletes.delete(ghost.id)
    athletes.create("ghost")  # someone else of that name: not the athlete the upload was for
    with pytest.raises(AthleteDeletedError, match="Ghost was deleted"):
        store.add(job_id=new_job_id(), athlete="Ghost", athlete_id=ghost.id, options={},
                  checklist={}, label="", original_name="clip.mp4", video_file="video.mp4",
                  video_sha256="ab" * 32)
    assert store.for_athlete("Ghost") == []


def test_an_athlete_with_a_running_job_is_not_deleted(tmp_path):
    from gait.web.athletes import AthleteStore
    from gait.web.jobs import AnalysisRunningError

    db = tmp_path / "db.sqlite"
    athletes, store = AthleteStore(db), JobStore(db)
    athlete = athletes.create("A")
    queued = add_job(store, tmp_path / "jobs")
    running = store.claim_next()
    assert running.id == queued
    with pytest.raises(AnalysisRunningError, match="is running"):
        store.delete_athlete(athlete.id, athlete.name)
    assert athletes.get(athlete.id) is not None and store.get(queued).status == "running"
    assert store.delete(queued) is False  # nor the running job alone
    store.finish(queued)
    assert [j.id for j in store.delete_athlete(athlete.id, athlete.name)] == [queued]
    assert athletes.get(athlete.id) is None and store.get(queued) is None
