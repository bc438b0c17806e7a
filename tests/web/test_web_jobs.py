"""The persistent job queue and the worker, without HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from gait.errors import NoPersonError
from gait.web.jobs import MAX_ATTEMPTS, JobStore, new_job_id, overall_percent
from gait.web.worker import Worker


def add_job(store: JobStore, jobs_dir: Path, athlete: str = "A") -> str:
    job_id = new_job_id()
    (jobs_dir / job_id).mkdir(parents=True)
    (jobs_dir / job_id / "video.mp4").write_bytes(b"x")
    store.add(job_id=job_id, athlete=athlete, options={"view": "auto"}, checklist={},
              label="", original_name="clip.mp4", video_file="video.mp4", video_sha256="ab" * 32)
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
