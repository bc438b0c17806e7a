"""Pages and security of the web app through Starlette's TestClient (no browser)."""

from __future__ import annotations

import json

import pytest

from gait.cli import main
from gait.errors import InvalidOptionError
from gait.web import WebConfig


def job_id_of(response) -> str:
    assert response.status_code == 303, response.text[:500]
    location = response.headers["location"]
    assert location.startswith("/jobs/")
    return location.rsplit("/", 1)[1]


def test_upload_queues_a_job_and_the_report_shows_results_json(make_client, upload, tiny_video,
                                                              synthetic_result):
    client = make_client()
    job_id = job_id_of(upload(client, tiny_video, label="before retraining",
                               weekly_distance_km="30", pain_settled_next_morning="yes"))
    status = client.get(f"/jobs/{job_id}/status").json()
    assert status["status"] == "queued" and status["percent"] == 0
    progress = client.get(f"/jobs/{job_id}")
    assert "Waiting in the queue" in progress.text and "<progress" in progress.text

    job = client.app.state.jobs.get(job_id)
    assert job.options["belt_speed_ms"] == pytest.approx(10 / 3.6)
    assert job.checklist == {"weekly_distance_km": 30.0, "pain_settled_next_morning": True}
    assert job.label == "before retraining"

    assert client.app.state.worker.run_pending() == 1
    assert client.get(f"/jobs/{job_id}/status").json() == {
        "status": "done", "stage": "done", "stage_text": "Done", "percent": 100, "error": None,
        "queue_position": 0}
    page = client.get(f"/jobs/{job_id}").text
    cadence = synthetic_result.summary["cadence_spm"]["value"]
    assert f'<span class="value">{cadence:.1f}</span>' in page
    assert f"/jobs/{job_id}/files/results.json?download=1" in page
    assert f'src="/jobs/{job_id}/files/figures/cadence.svg"' in page
    served = client.get(f"/jobs/{job_id}/files/results.json").json()
    assert served["summary"]["cadence_spm"]["value"] == pytest.approx(cadence)
    attachment = client.get(f"/jobs/{job_id}/files/steps.csv", params={"download": "1"})
    assert attachment.headers["content-disposition"].startswith("attachment")
    history = client.get("/athlete", params={"name": "jane doe"}).text
    assert "before retraining" in history and f"{cadence:.1f} steps/min" in history


def test_several_uploads_queue_and_report_their_position(make_client, upload, tiny_video):
    client = make_client()
    ids = [job_id_of(upload(client, tiny_video)) for _ in range(3)]
    assert [client.get(f"/jobs/{i}/status").json()["queue_position"] for i in ids] == [0, 1, 2]
    assert "Waiting in the queue: 2 analyses ahead" in client.get(f"/jobs/{ids[2]}").text
    assert client.app.state.worker.run_pending() == 3


def test_a_renamed_non_video_is_refused_with_a_clear_message(make_client, upload, tmp_path):
    client = make_client()
    fake = tmp_path / "notes.mp4"
    fake.write_text("Patient notes: knee pain after 5 km.\n" * 50)
    response = upload(client, fake)
    assert response.status_code == 400
    assert "&#39;notes.mp4&#39; is not a video gait can read" in response.text
    assert "not a video file (it is a text file)" in response.text
    assert not any((tmp_path / "data" / "jobs").iterdir())  # nothing kept
    assert client.app.state.jobs.for_athlete("Jane Doe") == []


def test_uploads_over_the_limit_are_refused_before_reading(make_client, upload, tmp_path):
    client = make_client(max_upload_mb=0.5)
    big = tmp_path / "big.mp4"
    big.write_bytes(b"\0" * 900_000)
    response = upload(client, big)
    assert response.status_code == 413
    assert ("the upload is 0.9 MB; this server accepts videos up to 0.5 MB. Trim the clip to "
            "20-30 s, or start the server with a larger --max-upload-mb") in response.text
    assert not (tmp_path / "data" / "jobs").exists() or not any(
        (tmp_path / "data" / "jobs").iterdir())
    json_response = client.post("/upload", params={"name": "Jane Doe"},
                                headers={"accept": "application/json"},
                                files={"video": ("big.mp4", big.read_bytes(), "video/mp4")})
    assert json_response.status_code == 413 and "--max-upload-mb" in json_response.json()["error"]


def test_save_upload_counts_bytes_even_without_a_length(tmp_path):
    import io

    from gait.web.uploads import UploadTooLargeError, save_upload

    with pytest.raises(UploadTooLargeError, match="accepts videos up to"):
        save_upload(io.BytesIO(b"x" * 3000), tmp_path / "v.mp4", max_bytes=2000)
    assert not (tmp_path / "v.mp4").exists()
    assert save_upload(io.BytesIO(b"x" * 2000), tmp_path / "v.mp4", max_bytes=2000) == 2000


def test_uploads_are_stored_under_generated_names(make_client, upload, tiny_video, tmp_path):
    client = make_client()
    job_id = job_id_of(upload(client, tiny_video, filename="../../../etc/evil name.MOV"))
    job = client.app.state.jobs.get(job_id)
    assert job.video_file == "video.mov"
    assert job.original_name == "evil name.MOV"
    data = tmp_path / "data"
    assert sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()
                  and "sqlite" not in p.name) == [f"jobs/{job_id}/video.mov"]


@pytest.mark.parametrize("path", [
    "../video.mov", "..%2Fvideo.mov", "%2e%2e/%2e%2e/web.sqlite", "../../web.sqlite",
    "/etc/passwd", "%2Fetc%2Fpasswd", "figures/../../video.mov", "..\\video.mov",
    "results.json/../../video.mov", "figures", "."])
def test_no_directory_traversal_through_the_file_route(make_client, upload, tiny_video, path):
    client = make_client()
    job_id = job_id_of(upload(client, tiny_video))
    client.app.state.worker.run_pending()
    assert client.get(f"/jobs/{job_id}/files/results.json").status_code == 200
    response = client.get(f"/jobs/{job_id}/files/{path}", follow_redirects=True)
    assert response.status_code == 404
    assert b"SQLite" not in response.content and b"root:" not in response.content


@pytest.mark.parametrize("job_id", ["..", "..%2F..%2Fweb.sqlite", "0" * 31, "../jobs"])
def test_job_ids_are_checked_before_any_path_is_built(make_client, job_id):
    client = make_client()
    assert client.get(f"/jobs/{job_id}/files/results.json").status_code == 404
    assert client.get(f"/jobs/{job_id}/status").status_code == 404


def test_files_of_unfinished_jobs_are_not_served(make_client, upload, tiny_video):
    client = make_client()
    job_id = job_id_of(upload(client, tiny_video))
    assert client.get(f"/jobs/{job_id}/files/video.mov").status_code == 404
    assert client.get(f"/jobs/{job_id}/files/results.json").status_code == 404


def test_token_is_required_when_set(make_client):
    client = make_client(token="s3cret-token")
    response = client.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/"
    assert client.get("/static/style.css").status_code == 200
    assert client.post("/athletes", data={"name": "X"}).status_code == 401
    assert client.get("/", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
    assert client.get("/", headers={"authorization": "Bearer wrong-token"}).status_code == 303
    wrong = client.post("/login", data={"token": "nope", "next": "/"})
    assert wrong.status_code == 401 and "not right" in wrong.text
    login = client.post("/login", data={"token": "s3cret-token", "next": "//evil.example/"})
    assert login.status_code == 303 and login.headers["location"] == "/"
    assert "httponly" in login.headers["set-cookie"].lower()
    assert client.get("/").status_code == 200  # the cookie is kept by the client


def test_non_local_host_without_token_is_refused(tmp_path, monkeypatch, capsys):
    with pytest.raises(InvalidOptionError, match="without an access token"):
        WebConfig(data_dir=tmp_path, host="0.0.0.0")
    WebConfig(data_dir=tmp_path, host="0.0.0.0", token="long-enough-token")
    monkeypatch.delenv("GAIT_WEB_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)]) == 2
    assert "without an access token" in capsys.readouterr().err


def test_foreign_host_headers_and_cross_site_posts_are_refused(make_client):
    client = make_client()
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    cross = client.post("/athletes", data={"name": "X"},
                        headers={"origin": "http://evil.example"})
    assert cross.status_code == 403
    same = client.post("/athletes", data={"name": "X"}, headers={"origin": "http://testserver"})
    assert same.status_code == 303


def test_security_headers(make_client, upload, tiny_video):
    client = make_client()
    headers = client.get("/").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert "default-src 'self'" in headers["content-security-policy"]
    job_id = job_id_of(upload(client, tiny_video))
    client.app.state.worker.run_pending()
    report = client.app.state.config.jobs_dir / job_id / "out" / "report.html"
    report.write_text("<p>report</p>")
    served = client.get(f"/jobs/{job_id}/files/report.html")
    assert served.headers["content-security-policy"].startswith("default-src 'none'")


def test_deleting_an_athlete_removes_every_file_after_confirmation(make_client, upload, tiny_video,
                                                                  tmp_path):
    client = make_client()
    job_id = job_id_of(upload(client, tiny_video))
    client.app.state.worker.run_pending()
    job = client.app.state.jobs.get(job_id)
    cache = tmp_path / "data" / "pose-cache" / job.video_sha256
    cache.mkdir(parents=True)
    (cache / "landmarks.npz").write_bytes(b"pose")
    confirm = client.get("/athlete/delete", params={"name": "Jane Doe"}).text
    assert "Type the athlete" in confirm
    assert "1 recorded session (every analysis" in confirm and "1 uploaded video with" in confirm
    refused = client.post("/athlete/delete", params={"name": "Jane Doe"},
                          data={"confirm_name": "someone else"})
    assert refused.status_code == 400 and (tmp_path / "data" / "jobs" / job_id).exists()
    done = client.post("/athlete/delete", params={"name": "Jane Doe"},
                       data={"confirm_name": "jane doe"})
    assert done.status_code == 303
    assert not (tmp_path / "data" / "jobs" / job_id).exists() and not cache.exists()
    assert client.get("/athlete", params={"name": "Jane Doe"}).status_code == 404
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert "?name=Jane%20Doe" not in client.get("/").text
    from gait.history import HistoryStore

    with HistoryStore(tmp_path / "data" / "history.sqlite") as store:
        assert store.athletes() == []


def test_bad_form_values_are_shown_beside_the_form(make_client, upload, tiny_video):
    client = make_client()
    response = upload(client, tiny_video, belt_speed="fast")
    assert response.status_code == 400
    assert "Belt speed: expected a number, got &#39;fast&#39;" in response.text
    assert 'value="fast"' in response.text  # the form keeps what was typed
    assert upload(client, tiny_video, pain_0_10="11").status_code == 400
    assert upload(client, tiny_video, strength_sessions_per_week="1.5").status_code == 400


def test_compare_two_sessions_with_the_history_comparison(make_client, upload, tiny_video,
                                                          other_tiny_video, synthetic_result):
    client = make_client()
    a = job_id_of(upload(client, tiny_video, label="before"))
    b = job_id_of(upload(client, other_tiny_video, label="after"))
    client.app.state.worker.run_pending()
    sa, sb = (client.app.state.jobs.get(j).session_id for j in (a, b))
    assert sa is not None and sb is not None and sa != sb
    page = client.get("/compare", params={"name": "Jane Doe", "a": sa, "b": sb}).text
    cadence = f"{synthetic_result.summary['cadence_spm']['value']:.1f}"
    row = page[page.index('data-metric="cadence_spm"'):]
    row = row[:row.index("</tr>")]
    assert row.count(f'<td class="num">{cadence}</td>') == 2 and "+0.0" in row
    assert "within SDC" in row  # the same numbers are not a real change
    folder = f"s{sa}v1-s{sb}v1"
    for name in ("comparison.html", "comparison.pdf", "comparison.json"):
        assert f"/comparisons/{folder}/{name}?download=1" in page
    assert client.get(f"/comparisons/{folder}/comparison.pdf").content.startswith(b"%PDF")
    assert client.get(f"/comparisons/{folder}/../web.sqlite").status_code == 404
    assert client.get("/comparisons/..%2F/web.sqlite").status_code == 404
    assert client.get("/compare", params={"name": "Jane Doe", "a": sa, "b": sa}).status_code == 400


def test_reanalysing_a_video_adds_a_version_not_a_session(make_client, upload, tiny_video):
    client = make_client()
    first = job_id_of(upload(client, tiny_video))
    client.app.state.worker.run_pending()
    second = job_id_of(upload(client, tiny_video))
    client.app.state.worker.run_pending()
    jobs = client.app.state.jobs
    assert jobs.get(first).session_id == jobs.get(second).session_id
    page = client.get("/athlete", params={"name": "Jane Doe"}).text
    assert page.count("<tr data-session=") == 1 and "analysed 2 times" in page
    assert f'href="/jobs/{second}">Open report' in page  # the newest analysis


def test_sessions_recorded_from_the_cli_are_listed(make_client, synthetic_result, tmp_path):
    from gait.history import HistoryStore

    client = make_client()
    data = synthetic_result.to_dict()
    data["video"] = {"file": "lab.mp4", "sha256": "cd" * 32}
    with HistoryStore(tmp_path / "data" / "history.sqlite") as store:
        store.record("Ann Lee", data, label="from the CLI")
    assert "?name=Ann%20Lee" in client.get("/").text
    page = client.get("/athlete", params={"name": "ann lee"}).text
    assert "from the CLI" in page and "recorded with gait analyze" in page


def test_a_restarted_server_keeps_finished_results_and_requeues_running_jobs(
        make_client, upload, tiny_video, tmp_path):
    first = make_client()
    done_id = job_id_of(upload(first, tiny_video))
    first.app.state.worker.run_pending()
    running_id = job_id_of(upload(first, tiny_video))
    first.app.state.jobs.claim_next()  # the server dies while analysing this one
    second = make_client(start_worker=True)  # lifespan: recover, then run the queue
    import time
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and second.get(
            f"/jobs/{running_id}/status").json()["status"] != "done":
        time.sleep(0.05)
    assert second.get(f"/jobs/{running_id}/status").json()["status"] == "done"
    assert second.get(f"/jobs/{done_id}/files/results.json").status_code == 200
    assert json.loads((tmp_path / "data" / "jobs" / done_id / "out" / "results.json").read_text())


def test_user_text_is_escaped_in_pages(make_client, upload, tiny_video):
    client = make_client()
    job_id = job_id_of(upload(client, tiny_video, athlete="<b>Eve</b>",
                              filename="<img src=x onerror=alert(1)>.mp4", label="<i>x</i>"))
    page = client.get("/athlete", params={"name": "<b>Eve</b>"}).text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.mp4" in page
    assert "<b>Eve</b>" not in page and "<i>x</i>" not in page
    assert "&lt;img src=x" in client.get(f"/jobs/{job_id}").text


def test_an_unreadable_history_is_reported_not_crashed(make_client, tmp_path):
    client = make_client()
    (tmp_path / "data" / "history.sqlite").write_bytes(b"this is not a database" * 100)
    response = client.get("/")
    assert response.status_code == 503
    assert "not a usable gait history database" in response.text


def test_serve_shares_the_cli_history_unless_a_data_dir_is_given(tmp_path, monkeypatch):
    import uvicorn

    from gait.web.server import serve

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    monkeypatch.setenv("GAIT_DATA_DIR", str(tmp_path / "web"))
    monkeypatch.setenv("GAIT_DB", str(tmp_path / "cli-history.sqlite"))
    assert main(["serve", "--port", "8123", "-q"]) == 0
    config = started["app"].state.config
    assert (started["host"], started["port"]) == ("127.0.0.1", 8123)
    assert config.data_dir == tmp_path / "web"
    assert config.history_db == tmp_path / "cli-history.sqlite"
    started["app"].state.worker.stop()  # release the data folder's lock
    serve(data_dir=tmp_path / "own", quiet=True)
    assert started["app"].state.config.history_db == tmp_path / "own" / "history.sqlite"
    with pytest.raises(InvalidOptionError, match="another gait server is already using"):
        serve(data_dir=tmp_path / "own", quiet=True)
