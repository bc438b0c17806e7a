"""Analysing a stored video again with other settings (``/jobs/{id}/reanalyse``)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from gait.errors import GaitError
from gait.report.overlay import fingerprint_path
from gait.web.analysis import REUSABLE_OUTPUTS, empty_output_folder, seed_reusable_outputs

from web_helpers import fake_analysis, job_id_of


def job_folder(client, job_id: str) -> Path:
    return client.app.state.config.jobs_dir / job_id


def done_job(client, upload, video, **fields) -> str:
    job_id = job_id_of(upload(client, video, **fields))
    client.app.state.worker.run_pending()
    assert client.app.state.jobs.get(job_id).status == "done"
    return job_id


def test_the_report_offers_the_form_filled_with_the_jobs_settings(make_client, upload,
                                                                  tiny_video):
    client = make_client()
    job_id = done_job(client, upload, tiny_video, belt_speed="10.5", height_cm="172",
                      label="before retraining", weekly_distance_km="30",
                      pain_settled_next_morning="no")
    assert f'href="/jobs/{job_id}/reanalyse"' in client.get(f"/jobs/{job_id}").text
    form = client.get(f"/jobs/{job_id}/reanalyse").text
    for field, value in (("belt_speed", "10.5"), ("height_cm", "172"),
                         ("label", "before retraining"), ("weekly_distance_km", "30")):
        assert f'name="{field}"' in form and f'value="{value}"' in form, field
    assert '<option value="no" selected>' in form
    assert 'name="video"' not in form  # nothing to upload
    assert "clip.mp4" in form


def test_analysing_again_queues_a_new_job_on_the_same_stored_video(make_client, upload,
                                                                   tiny_video):
    client = make_client()
    first = done_job(client, upload, tiny_video, belt_speed="9", label="before")
    (job_folder(client, first) / "out" / "overlay.mp4").write_bytes(b"an overlay")
    response = client.post(f"/jobs/{first}/reanalyse",
                           data={"belt_speed": "10", "speed_unit": "kmh", "label": "before"})
    second = job_id_of(response)
    jobs = client.app.state.jobs
    old, new = jobs.get(first), jobs.get(second)
    assert new.status == "queued" and new.id != old.id
    assert new.options["belt_speed_ms"] == pytest.approx(10 / 3.6)
    assert old.options["belt_speed_ms"] == pytest.approx(9 / 3.6)  # the earlier job unchanged
    assert (new.video_sha256, new.original_name, new.label) == (old.video_sha256, "clip.mp4",
                                                               "before")
    old_video = job_folder(client, first) / old.video_file
    new_video = job_folder(client, second) / new.video_file
    assert new_video.read_bytes() == old_video.read_bytes()
    assert os.path.samefile(new_video, old_video)  # linked: no second copy on disk
    # the earlier overlay and its fingerprint wait in the new output folder, to be kept if
    # the new analysis draws the same (the fake analysis writes no overlay of its own)
    assert sorted(p.name for p in (job_folder(client, second) / "out").iterdir()) == sorted(
        REUSABLE_OUTPUTS)

    client.app.state.worker.run_pending()
    assert jobs.get(second).status == "done"
    assert jobs.get(second).session_id == old.session_id  # a new version of the same session
    assert (job_folder(client, first) / "out" / "overlay.mp4").read_bytes() == b"an overlay"
    page = client.get("/athlete", params={"name": "Jane Doe"}).text
    assert "analysed 2 times" in page and f'href="/jobs/{second}">Open report' in page


def test_analysing_again_keeps_the_sessions_date(make_client, upload, tiny_video, tmp_path):
    client = make_client()
    first = done_job(client, upload, tiny_video)
    session_id = client.app.state.jobs.get(first).session_id
    with sqlite3.connect(tmp_path / "data" / "history.sqlite") as db:  # filmed long ago
        db.execute("UPDATE sessions SET session_date = '2026-01-02' WHERE id = ?", (session_id,))
    job_id_of(client.post(f"/jobs/{first}/reanalyse", data={"belt_speed": "11"}))
    client.app.state.worker.run_pending()
    with sqlite3.connect(tmp_path / "data" / "history.sqlite") as db:
        (date,), = db.execute("SELECT session_date FROM sessions WHERE id = ?", (session_id,))
    assert date == "2026-01-02"


def test_a_failed_analysis_is_run_again_with_the_missing_setting(make_client, upload,
                                                                 tiny_video, synthetic_result):
    write = fake_analysis(synthetic_result)

    def slow_motion_unless_told(video, outdir, *, options, **kwargs):
        if options["capture_fps"] is None:
            raise GaitError("the feet move at about 18 steps/min: probable slow motion; "
                            "pass the capture frame rate")
        write(video, outdir, options=options, **kwargs)

    client = make_client(analyse=slow_motion_unless_told)
    failed = job_id_of(upload(client, tiny_video))
    client.app.state.worker.run_pending()
    page = client.get(f"/jobs/{failed}").text
    assert "probable slow motion" in page and f'href="/jobs/{failed}/reanalyse"' in page
    again = job_id_of(client.post(f"/jobs/{failed}/reanalyse",
                                  data={"belt_speed": "10", "capture_fps": "240"}))
    assert not (job_folder(client, again) / "out").exists()  # a failed job has nothing to reuse
    client.app.state.worker.run_pending()
    job = client.app.state.jobs.get(again)
    assert job.status == "done" and job.options["capture_fps"] == 240.0
    assert "<h1>Gait report</h1>" in client.get(f"/jobs/{again}").text


def test_bad_settings_are_shown_beside_the_form_and_nothing_is_queued(make_client, upload,
                                                                       tiny_video):
    client = make_client()
    first = done_job(client, upload, tiny_video)
    before = set(job_folder(client, first).parent.iterdir())
    response = client.post(f"/jobs/{first}/reanalyse", data={"belt_speed": "fast"})
    assert response.status_code == 400
    assert "Belt speed: expected a number, got &#39;fast&#39;" in response.text
    assert 'value="fast"' in response.text
    # a capture rate below the clip's own (30 fps) does not fit: named by the user's file
    response = client.post(f"/jobs/{first}/reanalyse", data={"capture_fps": "20"},
                           headers={"accept": "application/json"})
    assert response.status_code == 400 and "clip.mp4" in response.json()["error"]
    assert set(job_folder(client, first).parent.iterdir()) == before
    assert len(client.app.state.jobs.for_athlete("Jane Doe")) == 1


def test_unfinished_and_unknown_jobs_are_not_analysed_again(make_client, upload, tiny_video):
    client = make_client()
    queued = job_id_of(upload(client, tiny_video))
    assert client.get(f"/jobs/{queued}/reanalyse").headers["location"] == f"/jobs/{queued}"
    assert client.post(f"/jobs/{queued}/reanalyse", data={}).status_code == 409
    unknown = "0" * 32
    assert client.get(f"/jobs/{unknown}/reanalyse").status_code == 404
    assert client.post(f"/jobs/{unknown}/reanalyse", data={}).status_code == 404
    assert len(client.app.state.jobs.for_athlete("Jane Doe")) == 1


def test_a_job_whose_video_is_gone_says_to_upload_it_again(make_client, upload, tiny_video):
    client = make_client()
    first = done_job(client, upload, tiny_video)
    job = client.app.state.jobs.get(first)
    (job_folder(client, first) / job.video_file).unlink()
    response = client.post(f"/jobs/{first}/reanalyse", data={})
    assert response.status_code == 400
    assert "the stored video of this analysis is gone; upload &#39;clip.mp4&#39; again" in (
        response.text)


def test_a_retried_failed_analysis_is_replaced_and_its_video_and_pose_kept(
        make_client, upload, tiny_video, tmp_path):
    def fail(video, outdir, *, cache_dir, **kwargs):
        cache_dir.mkdir(parents=True, exist_ok=True)
        (cache_dir / "pose.npz").write_bytes(b"landmarks")  # found, then refused
        raise GaitError("no runner found")

    client = make_client(analyse=fail)
    failed = job_id_of(upload(client, tiny_video))
    client.app.state.worker.run_pending()
    assert "replaces the failed one" in client.get(f"/jobs/{failed}/reanalyse").text
    again = job_id_of(client.post(f"/jobs/{failed}/reanalyse", data={}))
    assert client.app.state.jobs.get(failed) is None  # the retry replaced it
    assert not job_folder(client, failed).exists()
    job = client.app.state.jobs.get(again)
    assert (job_folder(client, again) / job.video_file).read_bytes() == tiny_video.read_bytes()
    assert (tmp_path / "data" / "pose-cache" / job.video_sha256 / "pose.npz").is_file()
    page = client.get("/athlete", params={"name": "Jane Doe"}).text
    assert f'data-job="{again}"' in page and f'data-job="{failed}"' not in page


# -- the output folder ----------------------------------------------------------------------


def test_reusable_outputs_are_the_overlay_and_its_fingerprint():
    assert REUSABLE_OUTPUTS == ("overlay.mp4", fingerprint_path("overlay.mp4").name)


def test_emptying_the_output_folder_keeps_only_the_reusable_outputs(tmp_path):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "cadence.svg").write_text("<svg/>")
    for name in ("results.json", "report.html", *REUSABLE_OUTPUTS):
        (out / name).write_text(name)
    (out / "overlay.mp4.tmp").write_text("cut short")
    empty_output_folder(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(REUSABLE_OUTPUTS)
    empty_output_folder(tmp_path / "new")
    assert (tmp_path / "new").is_dir()


def test_seeding_links_what_exists_and_overwrites_nothing(tmp_path):
    earlier, new = tmp_path / "earlier", tmp_path / "new"
    earlier.mkdir()
    (earlier / "overlay.mp4").write_bytes(b"video")
    (earlier / "results.json").write_text("{}")
    assert seed_reusable_outputs(earlier, new) == ["overlay.mp4"]
    assert os.path.samefile(earlier / "overlay.mp4", new / "overlay.mp4")
    assert not (new / "results.json").exists()
    (earlier / "overlay.fingerprint.json").write_text("{}")
    (new / "overlay.fingerprint.json").write_text("mine")
    assert seed_reusable_outputs(earlier, new) == []
    assert (new / "overlay.fingerprint.json").read_text() == "mine"


def test_pages_name_settings_in_words_not_as_command_line_options(make_client, upload,
                                                                  tiny_video):
    from gait.web.present import web_wording

    assert web_wording("probable slow motion; give the capture frame rate (--capture-fps), "
                       "e.g. 240") == "probable slow motion; give the capture frame rate, e.g. 240"
    assert web_wording("check the belt speed and its unit (--speed-unit kmh|mph|ms)") == (
        "check the belt speed and its unit")
    assert web_wording("knee bend (± 5.0) (left)") == "knee bend (± 5.0) (left)"

    def slow_motion(video, outdir, **kwargs):
        raise GaitError("the feet move at about 18 steps/min: probable slow motion; give the "
                        "capture frame rate (--capture-fps), the rate the camera recorded at")

    client = make_client(analyse=slow_motion)
    failed = job_id_of(upload(client, tiny_video))
    client.app.state.worker.run_pending()
    for page in (client.get(f"/jobs/{failed}").text,
                 client.get("/athlete", params={"name": "Jane Doe"}).text):
        assert "give the capture frame rate, the rate the camera recorded at" in page
        assert "--capture-fps" not in page
    assert "--capture-fps" in client.get(f"/jobs/{failed}/status").json()["error"]  # for scripts
