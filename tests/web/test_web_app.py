"""Pages and security of the web app through Starlette's TestClient (no browser)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from gait.cli import main
from gait.errors import InvalidOptionError
from gait.web import WebConfig
from web_helpers import job_id_of


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
        "queue_position": 0, "worker_running": False}  # run_pending above, not the thread
    page = client.get(f"/jobs/{job_id}").text
    cadence = synthetic_result.summary["cadence_spm"]["value"]
    assert f'<span class="value">{cadence:.1f}</span>' in page
    assert f"/jobs/{job_id}/files/results.json?download=1" in page
    assert f'src="/jobs/{job_id}/files/figures/cadence.svg"' in page
    assert "fingerprint" not in page  # the overlay's working file is not offered
    assert client.get(f"/jobs/{job_id}/files/overlay.fingerprint.json").status_code == 404
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


def test_every_analysis_of_a_reanalysed_video_is_linked_from_the_athlete_page(
        make_client, upload, tiny_video):
    client = make_client()
    ids = []
    for speed in ("9", "10.5", "10"):  # the belt speed corrected, then corrected again
        ids.append(job_id_of(upload(client, tiny_video, belt_speed=speed)))
        client.app.state.worker.run_pending()
    first, second, newest = ids
    page = client.get("/athlete", params={"name": "Jane Doe"}).text
    row = page[page.index("<tr data-session="):]
    row = row[:row.index("</tr>")]
    assert "analysed 3 times; latest shown; earlier:" in row
    assert f'href="/jobs/{newest}">Open report' in row
    earlier = row[row.index('<ul class="earlier'):row.index("</ul>")]
    assert [part.split('"', 1)[0] for part in earlier.split('href="/jobs/')[1:]] == [
        second, first]  # newest first
    assert row.index("belt 10.5 km/h") < row.index("belt 9.0 km/h")
    for job_id in ids:
        assert "<h1>Gait report</h1>" in client.get(f"/jobs/{job_id}").text


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


def test_step_length_scaled_from_body_height_is_marked_on_the_athlete_page(make_client, tmp_path):
    from gait.history import HistoryStore
    from gait.pipeline import AnalysisOptions, analyze_track
    from gait.synth import SynthParams, synthetic_track

    client = make_client()
    track, truth = synthetic_track(SynthParams(duration_s=8.0, fps=60))
    with HistoryStore(tmp_path / "data" / "history.sqlite") as store:
        for file, options in (("belt.mp4", AnalysisOptions(belt_speed_ms=10 / 3.6)),
                              ("height.mp4", AnalysisOptions(height_m=truth["height_m"]))):
            data = analyze_track(track, options=options).to_dict()
            data["video"] = {"file": file, "sha256": file[0] * 64}
            store.record("Bo", data, label=file)
    page = client.get("/athlete", params={"name": "Bo"}).text
    rows = {name: row for row in page.split("<tr data-session=")[1:]
            for name in ("belt.mp4", "height.mp4") if f">{name}<" in row}
    assert "scaled from body height" in rows["height.mp4"]
    assert "scaled from body height" not in rows["belt.mp4"]
    assert "step length without a belt speed is scaled from body height" in page


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


# -- the worker thread ----------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_pages_say_when_the_worker_thread_has_died(make_client, upload, tiny_video):
    client = make_client(start_worker=True)
    worker = client.app.state.worker
    assert worker.running

    def fatal():
        raise SystemExit("a bug the loop cannot catch")

    worker.run_pending = fatal
    worker.wake()
    deadline = time.monotonic() + 10
    while worker.running and time.monotonic() < deadline:
        time.sleep(0.02)
    job_id = job_id_of(upload(client, tiny_video))
    status = client.get(f"/jobs/{job_id}/status").json()
    assert status["status"] == "queued" and status["worker_running"] is False
    assert "The analysis worker is not running" in client.get(f"/jobs/{job_id}").text


def test_a_locked_database_is_reported_not_crashed(make_client, upload, tiny_video, tmp_path,
                                                   monkeypatch):
    import sqlite3

    from gait.web import _db

    client = make_client()
    client.post("/athletes", data={"name": "Jane Doe"})
    monkeypatch.setattr(_db, "_BUSY_TIMEOUT_S", 0.2)
    lock = sqlite3.connect(tmp_path / "data" / "web.sqlite", isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        response = upload(client, tiny_video)
    finally:
        lock.execute("ROLLBACK")
    assert response.status_code == 503
    assert "database is not usable right now (database is locked); nothing was changed" in (
        response.text)
    assert not any((tmp_path / "data" / "jobs").iterdir())  # the saved video was removed


@pytest.mark.parametrize("path, fields, store, method", [
    ("/upload", {"belt_speed": "10", "speed_unit": "kmh"}, "sessions", "find"),
    ("/athlete/delete", {"confirm_name": "Jane Doe"}, "sessions", "find"),
    ("/athletes", {"name": "Jane Doe"}, "athletes", "create"),
])
def test_other_requests_are_served_while_a_post_waits_for_the_database(
        make_client, tiny_video, monkeypatch, path, fields, store, method):
    import threading

    client = make_client()
    client.post("/athletes", data={"name": "Jane Doe"})
    target = getattr(client.app.state, store)
    database_call = getattr(target, method)
    entered, released, waits, responses = threading.Event(), threading.Event(), [], []

    def locked_call(*args, **kwargs):  # as while another writer holds the database's lock
        entered.set()
        waits.append(released.wait(5))  # False: the other request was not served meanwhile
        return database_call(*args, **kwargs)

    def post():
        files = {"video": ("clip.mp4", tiny_video.read_bytes(), "video/mp4")}
        responses.append(client.post(path, params={"name": "Jane Doe"}, data=fields,
                                     files=files if path == "/upload" else None))

    monkeypatch.setattr(target, method, locked_call)
    poster = threading.Thread(target=post)
    poster.start()
    try:
        assert entered.wait(10)
        assert client.get("/login").status_code == 200
    finally:
        released.set()
        poster.join(10)
    assert waits == [True]
    assert [r.status_code for r in responses] == [303]


# -- a full disk ----------------------------------------------------------------------------


@pytest.fixture()
def file_size_limit():
    """``set(n_bytes)``: files this process writes may not grow past n_bytes (as ``ulimit -f``)."""
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    yield lambda n_bytes: resource.setrlimit(resource.RLIMIT_FSIZE, (n_bytes, hard))
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def test_a_full_disk_is_reported_with_507_and_nothing_is_kept(make_client, upload, tmp_path,
                                                              file_size_limit):
    client = make_client()
    client.post("/athletes", data={"name": "Jane Doe"})
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\0" * 900_000)  # kept in memory by the form parser (< 1 MB)
    file_size_limit(300 * 1024)  # the stored copy hits the limit, as on a full disk
    try:
        response = upload(client, video)
        json_response = client.post("/upload", params={"name": "Jane Doe"},
                                    headers={"accept": "application/json"},
                                    data={"belt_speed": "10", "speed_unit": "kmh"},
                                    files={"video": ("clip.mp4", video.read_bytes(), "video/mp4")})
    finally:
        file_size_limit(-1)
    assert response.status_code == 507
    assert "the video could not be saved on the server" in response.text
    assert "nothing was kept" in response.text and 'id="upload-form"' in response.text
    assert json_response.status_code == 507
    assert "could not be saved" in json_response.json()["error"]
    assert not any((tmp_path / "data" / "jobs").iterdir())
    assert client.app.state.jobs.for_athlete("Jane Doe") == []


@pytest.mark.parametrize("errno_name", ["ENOSPC", "EDQUOT", "EFBIG"])
def test_save_upload_says_the_disk_is_full(tmp_path, monkeypatch, errno_name):
    import errno
    import io

    from gait.web.uploads import StorageFullError, save_upload

    class FullDisk(io.BytesIO):
        def write(self, data):
            if self.tell() > 1000:
                code = getattr(errno, errno_name)
                raise OSError(code, f"simulated {errno_name}")
            return super().write(data)

    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, mode="r", *a, **k: (
        FullDisk() if mode == "xb" else real_open(self, mode, *a, **k)))
    monkeypatch.setattr("gait.web.uploads._CHUNK_BYTES", 600)
    dest = tmp_path / "video.mp4"
    dest.write_bytes(b"partial")  # as the failed write leaves it
    with pytest.raises(StorageFullError, match="could not be saved on the server"):
        save_upload(io.BytesIO(b"x" * 3000), dest, max_bytes=10_000)
    assert not dest.exists()


def test_uploads_are_refused_before_reading_when_the_disk_has_no_room(make_client, upload,
                                                                      tiny_video, tmp_path,
                                                                      monkeypatch):
    import shutil
    from collections import namedtuple

    from gait.web import uploads

    client = make_client()
    usage = namedtuple("usage", "total used free")
    size = tiny_video.stat().st_size
    real_disk_usage = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage",
                        lambda path: usage(10**12, 10**12, size + uploads.FREE_SPACE_MARGIN_BYTES))
    response = upload(client, tiny_video)
    assert response.status_code == 507
    assert "the server&#39;s disk is nearly full" in response.text
    assert not (tmp_path / "data" / "jobs").exists() or not any(
        (tmp_path / "data" / "jobs").iterdir())
    monkeypatch.setattr(shutil, "disk_usage", real_disk_usage)
    assert upload(client, tiny_video).status_code == 303


# -- a deleted athlete stays deleted --------------------------------------------------------


def assert_gone(client, tmp_path, name: str) -> None:
    from gait.history import HistoryStore

    assert f"?name={name}" not in client.get("/").text
    assert client.get("/athlete", params={"name": name}).status_code == 404
    assert client.app.state.jobs.for_athlete(name) == []
    with HistoryStore(tmp_path / "data" / "history.sqlite") as store:
        assert name not in [n for n, _ in store.athletes()]
    jobs_dir = tmp_path / "data" / "jobs"
    assert not jobs_dir.exists() or not any(jobs_dir.iterdir())


def test_an_upload_finishing_after_its_athlete_was_deleted_is_refused(make_client, upload,
                                                                     tiny_video, tmp_path,
                                                                     monkeypatch):
    client = make_client()
    from gait.web.routes import upload as upload_routes

    real_check = upload_routes.check_video
    deletions = []

    def check_while_deleted(*args, **kwargs):  # the body is read; meanwhile, in another tab:
        deletions.append(client.post("/athlete/delete", params={"name": "Ghost"},
                                     data={"confirm_name": "Ghost"}))
        return real_check(*args, **kwargs)

    monkeypatch.setattr(upload_routes, "check_video", check_while_deleted)
    response = upload(client, tiny_video, athlete="Ghost")
    assert [d.status_code for d in deletions] == [303]
    assert response.status_code == 410
    assert "Ghost was deleted while this video was being uploaded; nothing was kept" in (
        response.text)
    client.app.state.worker.run_pending()
    assert_gone(client, tmp_path, "Ghost")


def test_the_result_of_an_athlete_deleted_during_the_analysis_is_not_recorded(
        make_client, upload, tiny_video, tmp_path):
    client = make_client()
    worker = client.app.state.worker
    analyse_fake = worker.analyse
    refusals = []

    def analyse(video, outdir, **kwargs):
        refusals.append(client.post("/athlete/delete", params={"name": "Ghost"},
                                    data={"confirm_name": "Ghost"}))
        ghost = client.app.state.athletes.find("Ghost")
        client.app.state.athletes.delete(ghost.id)  # deleted nevertheless (say, by a bug)
        analyse_fake(video, outdir, **kwargs)

    worker.analyse = analyse
    job_id = job_id_of(upload(client, tiny_video, athlete="Ghost"))
    client.app.state.worker.run_pending()
    assert refusals[0].status_code == 400 and "is running" in refusals[0].text
    job = client.app.state.jobs.get(job_id)
    assert job.status == "failed"
    assert job.error == "Ghost was deleted during this analysis; its result was not kept"
    assert not (tmp_path / "data" / "jobs" / job_id).exists()  # video and outputs removed
    client.app.state.jobs.delete(job_id)
    assert_gone(client, tmp_path, "Ghost")


def test_pages_read_during_a_deletion_do_not_bring_the_athlete_back(make_client, upload,
                                                                   tiny_video, tmp_path,
                                                                   monkeypatch):
    import threading

    client = make_client()
    job_id_of(upload(client, tiny_video, athlete="Ghost"))
    client.app.state.worker.run_pending()  # Ghost has a session in the history
    sessions = client.app.state.sessions
    from gait.web import sessions as sessions_module

    real_rmtree = sessions_module.shutil.rmtree
    readers = []

    def slow_rmtree(path, *args, **kwargs):  # the home page is loaded during the deletion
        reader = threading.Thread(target=sessions.athlete_names)
        reader.start()
        reader.join(0.5)
        readers.append(reader)
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(sessions_module.shutil, "rmtree", slow_rmtree)
    assert client.post("/athlete/delete", params={"name": "Ghost"},
                       data={"confirm_name": "ghost"}).status_code == 303
    for reader in readers:
        reader.join(10)
    monkeypatch.setattr(sessions_module.shutil, "rmtree", real_rmtree)
    assert readers
    assert_gone(client, tmp_path, "Ghost")


def test_the_athlete_page_shows_the_history_trend_from_two_sessions(
        make_client, upload, tiny_video, other_tiny_video, tmp_path):
    from gait.history import HistoryStore
    from gait.history.trend import trend_figure_png

    client = make_client()
    job_id_of(upload(client, tiny_video, label="before"))
    client.app.state.worker.run_pending()
    assert 'id="trend"' not in client.get("/athlete", params={"name": "Jane Doe"}).text
    assert client.get("/athlete/trend.png", params={"name": "Jane Doe"}).status_code == 404
    job_id_of(upload(client, other_tiny_video, label="after"))
    client.app.state.worker.run_pending()
    page = client.get("/athlete", params={"name": "jane doe"}).text
    assert '<img id="trend" src="/athlete/trend.png?name=Jane%20Doe"' in page
    response = client.get("/athlete/trend.png", params={"name": "Jane Doe"})
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    with HistoryStore(tmp_path / "data" / "history.sqlite") as store:
        sessions = store.sessions("Jane Doe")
    assert len(sessions) == 2  # the figure of `gait history`, of both sessions
    assert response.content == trend_figure_png(sessions, athlete="Jane Doe")
    assert client.get("/athlete/trend.png", params={"name": "Nobody"}).status_code == 404
