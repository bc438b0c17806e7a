"""End-to-end: a real server and headless Chromium, as a clinician uses the app.

Drives Debian's Chromium (``/usr/bin/chromium``) with Playwright; never
downloads a browser. Skips with the reason when Chromium or Playwright is
absent. Analyses two short rendered clips for real (pose estimation
included), so it is marked slow.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gait.synth import SynthParams, render_video
from gait.web import WebConfig, create_app

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the browser fixture skips these tests then
    PlaywrightError = Exception

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
#: Generous: two clips of 5 s each take about 10-20 s to analyse on a busy 2-core machine.
ANALYSIS_TIMEOUT_MS = 240_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_in_thread(app) -> Iterator[str]:
    """Run `app` with uvicorn on a free local port in a thread; yields its base URL."""
    uvicorn = pytest.importorskip("uvicorn")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def expect(locator):
    """Playwright's retrying assertions: text a page script writes after an event is
    awaited (up to 5 s), not read the instant the event is sent."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} "
                    "(apt-get install chromium; .ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="browser tests need playwright (pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    """Two short rendered clips of one runner: 166 and 182 steps/min at 10 km/h."""
    folder = tmp_path_factory.mktemp("clips")
    out = {}
    for name, cadence in (("before.mp4", 166.0), ("after.mp4", 182.0)):
        out[name] = folder / name
        render_video(out[name], SynthParams(cadence_spm=cadence, duration_s=5.0, fps=30,
                                            width_px=480, height_px=360))
    return out


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The real app (real analysis worker) on a free port; yields (URL, data folder)."""
    data = tmp_path_factory.mktemp("web-data")
    app = create_app(WebConfig(data_dir=data))
    for url in serve_in_thread(app):
        yield url, data


def wait_for_report(page) -> None:
    """Wait on the progress page until the report (or a failure) is shown."""
    page.wait_for_selector("h1:text-is('Gait report'), h1:text-is('The analysis failed')",
                           timeout=ANALYSIS_TIMEOUT_MS)
    assert page.locator("h1").inner_text() == "Gait report", page.locator("main").inner_text()


def results_json(page) -> dict:
    href = page.locator("a[href$='results.json?download=1']").first.evaluate("a => a.href")
    return json.loads(page.request.get(href).text())


def open_upload_form(page) -> None:
    """Follow "Upload a video" and wait until the page's deferred script has run: a file
    chosen or dropped before it would be missed (no name shown, no size check)."""
    page.click("text=Upload a video")
    page.wait_for_load_state("load")


def drop_file(page, selector: str, path: Path) -> None:
    """Drop `path` onto `selector` the way a file dragged from the desktop arrives."""
    data = base64.b64encode(path.read_bytes()).decode()
    page.evaluate(
        """([selector, name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name, {type: "video/mp4"}));
            const zone = document.querySelector(selector);
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true,
                                                          cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true,
                                                      cancelable: true}));
        }""", [selector, path.name, data])


@pytest.mark.slow
def test_upload_progress_report_history_compare_delete(browser, live_server, clips):
    url, data = live_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    # pick or create an athlete
    page.goto(url)
    page.fill("input[name=name]", "Ada Runner")
    page.click("text=Create athlete")
    assert page.locator("h1").inner_text() == "Ada Runner"

    # upload with the file input, follow the progress page to the report
    open_upload_form(page)
    page.set_input_files("#video", str(clips["before.mp4"]))
    expect(page.locator("#chosen")).to_contain_text("before.mp4")
    page.fill("input[name=belt_speed]", "10")
    page.fill("input[name=label]", "before retraining")
    page.fill("input[name=weekly_distance_km]", "25")
    page.fill("input[name=pain_0_10]", "2")
    page.click("#submit")
    page.wait_for_url("**/jobs/*")
    seen, percents = set(), []
    deadline = time.monotonic() + ANALYSIS_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:  # read without waiting: the page reloads when done
        try:
            stage = page.locator("#stage").all_inner_texts()
            percent = page.locator("#percent").all_inner_texts()
        except PlaywrightError:  # the reload to the report happened during the read
            break
        if not stage or not percent:
            break
        seen.add(stage[0])
        percents.append(int(percent[0]))
        page.wait_for_timeout(300)
    wait_for_report(page)
    assert seen & {"Waiting in the queue", "Reading the video",
                   "Finding the runner's joints in every frame"}, seen
    assert percents == sorted(percents) and all(0 <= p < 100 for p in percents), percents

    # the report shows what results.json holds
    before = results_json(page)
    cadence_before = f"{before['summary']['cadence_spm']['value']:.1f}"
    shown = page.locator("[data-metric=cadence_spm] .value").inner_text()
    assert shown == cadence_before
    assert abs(float(shown) - 166.0) < 2.0  # and it is right: the clip was rendered at 166
    step = page.locator("[data-metric=step_length_m] .value").inner_text()
    assert step == f"{before['summary']['step_length_m']['value']:.2f}"
    assert "belt 10.0 km/h" in page.locator("#clip-facts").inner_text()
    # the report of `gait analyze` is embedded; its media play in the browser
    frame = page.frame_locator("iframe#report")
    report_text = frame.locator("body").inner_text()
    assert cadence_before in report_text and "before.mp4" in report_text
    video = page.locator("video").first
    assert video.get_attribute("src").endswith("/files/overlay.mp4")
    duration_s = video.evaluate("""v => new Promise((ok, fail) => {
        if (v.readyState >= 1) { ok(v.duration); return; }
        v.addEventListener('loadedmetadata', () => ok(v.duration));
        v.addEventListener('error', () => fail(v.error && v.error.message));
        v.load(); })""")
    assert abs(duration_s - 5.0) < 0.5  # the browser decoded the overlay's header
    audio = page.locator("audio").first
    assert "metronome" in audio.get_attribute("src")
    audio_s = audio.evaluate("""a => new Promise((ok, fail) => {
        a.addEventListener('loadedmetadata', () => ok(a.duration));
        a.addEventListener('error', () => fail(a.error && a.error.message));
        a.preload = 'metadata'; a.load(); })""")
    assert audio_s > 10
    pdf = page.request.get(page.locator("a[href$='report.pdf?download=1']").first
                           .evaluate("a => a.href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    csv = page.request.get(page.locator("a[href$='steps.csv?download=1']").first
                           .evaluate("a => a.href"))
    assert csv.ok and csv.text().startswith("index,foot,ic_s")

    # the belt was faster than typed: analyse the stored video again, nothing to upload
    first_job = page.url.rsplit("/", 1)[1]
    page.click("#reanalyse")
    assert page.locator("input[name=belt_speed]").input_value() == "10"
    assert page.locator("input[name=label]").input_value() == "before retraining"
    assert page.locator("input[name=weekly_distance_km]").input_value() == "25"
    page.fill("input[name=belt_speed]", "12")
    page.click("#submit")
    wait_for_report(page)
    again_job = page.url.rsplit("/", 1)[1]
    assert again_job != first_job
    again = results_json(page)
    assert again["summary"]["cadence_spm"] == before["summary"]["cadence_spm"]
    assert again["summary"]["step_length_m"]["value"] == pytest.approx(
        1.2 * before["summary"]["step_length_m"]["value"], rel=1e-9)
    assert "belt 12.0 km/h" in page.locator("#clip-facts").inner_text()
    # the steps drawn are the same, so the earlier overlay was kept, not encoded again
    assert os.path.samefile(data / "jobs" / first_job / "out" / "overlay.mp4",
                            data / "jobs" / again_job / "out" / "overlay.mp4")

    # second session: drag and drop
    page.click("text=Ada Runner")
    open_upload_form(page)
    drop_file(page, "#dropzone", clips["after.mp4"])
    expect(page.locator("#chosen")).to_contain_text("after.mp4")
    page.fill("input[name=belt_speed]", "12")  # the same belt as the corrected first session
    page.fill("input[name=label]", "after 4 weeks")
    page.click("#submit")
    wait_for_report(page)
    after = results_json(page)
    cadence_after = f"{after['summary']['cadence_spm']['value']:.1f}"
    assert page.locator("[data-metric=cadence_spm] .value").inner_text() == cadence_after

    # history lists both sessions with their cadence
    page.click("text=Ada Runner")
    rows = page.locator("table.sessions tbody tr")
    assert rows.count() == 2
    assert "before retraining" in rows.nth(0).inner_text()
    assert "analysed 2 times" in rows.nth(0).inner_text()  # the re-analysis is a version
    assert f"{cadence_before} steps/min" in rows.nth(0).inner_text()
    assert f"{cadence_after} steps/min" in rows.nth(1).inner_text()

    # compare the two
    page.click("button:text-is('Compare')")
    page.wait_for_url("**/compare?*")
    cells = page.locator("table.compare tr[data-metric=cadence_spm] td").all_inner_texts()
    assert cells[1:3] == [cadence_before, cadence_after]
    change = float(cadence_after) - float(cadence_before)
    assert abs(float(cells[3]) - change) <= 0.11
    assert cells[5].startswith("real change")  # a 16 steps/min change is real
    assert "Cadence" in page.locator("#verdict").inner_text()
    frame_text = page.frame_locator("iframe#comparison").locator("body").inner_text()
    assert "What changed" in frame_text and "Key frames at initial contact" in frame_text
    pdf = page.request.get(page.locator("a[href$='comparison.pdf?download=1']")
                           .evaluate("a => a.href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # delete the athlete's data from the UI
    page.click("text=Ada Runner")
    page.click("text=Delete athlete…")
    page.fill("input[name=confirm_name]", "Ada Runner")
    page.click("text=Delete permanently")
    assert "were deleted" in page.locator(".notice").inner_text()
    assert page.locator("text=Ada Runner").count() == 0
    assert not any((data / "jobs").iterdir())
    assert not any((data / "pose-cache").iterdir())
    page.close()


def test_a_renamed_non_video_is_refused_in_the_browser(browser, live_server, tmp_path):
    url, _ = live_server
    page = browser.new_page(viewport={"width": 820, "height": 1180})  # tablet
    page.goto(url)
    page.fill("input[name=name]", "Bo Tester")
    page.click("text=Create athlete")
    open_upload_form(page)
    fake = tmp_path / "holiday.mp4"
    fake.write_text("not a video at all\n" * 100)
    page.set_input_files("#video", str(fake))
    page.click("#submit")
    expect(page.locator("#form-error")).to_contain_text(
        "'holiday.mp4' is not a video gait can read")
    assert page.locator("input[name=belt_speed]").is_visible()  # the form is still there
    page.close()


def test_a_video_over_the_limit_is_stopped_before_sending(browser, make_client, tmp_path):
    client = make_client(max_upload_mb=0.2)
    big = tmp_path / "long_run.mp4"
    big.write_bytes(b"\0" * 300_000)
    for url in serve_in_thread(client.app):
        page = browser.new_page()
        page.goto(url)
        page.fill("input[name=name]", "Cy")
        page.click("text=Create athlete")
        open_upload_form(page)
        assert "up to 0.2 MB" in page.locator("#dropzone").inner_text()
        page.set_input_files("#video", str(big))
        expect(page.locator("#size-error")).to_have_text(
            "This video is 0.3 MB; the limit is 0.2 MB. Trim the clip to 20-30 s.")
        page.click("#submit")
        assert page.url.endswith("/upload?name=Cy")  # nothing was sent
        page.close()
    assert not (tmp_path / "data" / "jobs").exists() or not any(
        (tmp_path / "data" / "jobs").iterdir())


@pytest.fixture()
def raw_server(make_client, upload, tiny_video) -> Iterator[tuple[str, str]]:
    """A live server (fake analysis) with one finished job; yields (host:port, job id)."""
    client = make_client()
    job_id = upload(client, tiny_video).headers["location"].rsplit("/", 1)[1]
    client.app.state.worker.run_pending()
    for url in serve_in_thread(client.app):
        yield url.removeprefix("http://"), job_id


@pytest.mark.parametrize("path", ["../../web.sqlite", "../video.mov", "%2e%2e/%2e%2e/web.sqlite",
                                  "..%2f..%2fweb.sqlite", "figures/../../../web.sqlite",
                                  "%2fetc%2fpasswd"])
def test_raw_traversal_requests_get_nothing(raw_server, path):
    """Requests sent byte for byte (no client-side URL clean-up) cannot leave out/."""
    address, job_id = raw_server
    conn = http.client.HTTPConnection(address, timeout=10)
    conn.request("GET", f"/jobs/{job_id}/files/results.json")
    assert conn.getresponse().read() and True
    conn.request("GET", f"/jobs/{job_id}/files/{path}")
    response = conn.getresponse()
    body = response.read()
    assert response.status == 404, (response.status, body[:200])
    assert b"SQLite" not in body and b"root:" not in body
    conn.close()


@pytest.mark.slow
@pytest.mark.real
def test_a_new_user_reads_a_correct_report_of_real_footage(browser, live_server, shared_videos):
    """The issue's "done when": upload the real treadmill clip, read a correct cadence."""
    url, _ = live_server
    truth = json.loads((shared_videos / "treadmill_side_30fps.groundtruth.json").read_text())
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url)
    page.fill("input[name=name]", "Real Runner")
    page.click("text=Create athlete")
    open_upload_form(page)
    page.set_input_files("#video", str(shared_videos / "treadmill_side_30fps.mp4"))
    page.fill("input[name=height_cm]", "178")
    page.click("#submit")
    wait_for_report(page)
    result = results_json(page)
    shown = float(page.locator("[data-metric=cadence_spm] .value").inner_text())
    assert shown == round(result["summary"]["cadence_spm"]["value"], 1)
    tolerance = truth["cadence_spm"]["uncertainty"] + result["summary"]["cadence_spm"][
        "expected_error"]
    assert abs(shown - truth["cadence_spm"]["value"]) <= tolerance, (shown, tolerance)
    assert "treadmill_side_30fps.mp4" in page.frame_locator("iframe#report").locator(
        "body").inner_text()
    page.close()


def test_the_access_token_login_in_the_browser(browser, make_client):
    client = make_client(token="clinic-secret-42")
    for url in serve_in_thread(client.app):
        page = browser.new_page()
        page.goto(url + "/athlete?name=Nobody")
        assert page.locator("h1").inner_text() == "Sign in"
        page.fill("input[name=token]", "wrong-guess")
        page.click("button:text-is('Sign in')")
        assert "not right" in page.locator(".error").inner_text()
        page.fill("input[name=token]", "clinic-secret-42")
        page.click("button:text-is('Sign in')")
        assert page.url.endswith("/athlete?name=Nobody")  # back where the user was going
        assert page.locator("h1").inner_text() == "Not found"
        page.goto(url)
        assert page.locator("h1").inner_text() == "Athletes"
        page.close()
