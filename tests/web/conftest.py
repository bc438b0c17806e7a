"""Fixtures of the web app tests: an app on a temporary data folder, tiny videos, results."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web app needs fastapi (pip install -e .)")

from fastapi.testclient import TestClient  # noqa: E402

from gait.pipeline import AnalysisOptions, analyze_track  # noqa: E402
from gait.synth import SynthParams, render_video, synthetic_track  # noqa: E402
from gait.web import WebConfig, create_app  # noqa: E402
from web_helpers import fake_analysis  # noqa: E402


@pytest.fixture(scope="session")
def tiny_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1 s rendered clip: a real, decodable video file (not analysed by these tests)."""
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    render_video(path, SynthParams(duration_s=1.0, fps=30, width_px=160, height_px=120))
    return path


@pytest.fixture(scope="session")
def other_tiny_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another 1 s clip (a different video: another session of the same athlete)."""
    path = tmp_path_factory.mktemp("video") / "clip2.mp4"
    render_video(path, SynthParams(duration_s=1.0, fps=30, width_px=160, height_px=120,
                                   cadence_spm=180.0))
    return path


@pytest.fixture(scope="session")
def synthetic_result():
    """A real `GaitResult` of a synthetic runner at 172 steps/min (no video needed)."""
    params = SynthParams(cadence_spm=172.0, duration_s=8.0, fps=60)
    track, _ = synthetic_track(params)
    return analyze_track(track, options=AnalysisOptions(belt_speed_ms=10 / 3.6))


@pytest.fixture()
def make_client(tmp_path: Path, synthetic_result) -> Iterator[Callable[..., TestClient]]:
    """Factory ``make_client(**config)`` -> TestClient of an app on ``tmp_path/data``.

    The worker thread is off unless ``start_worker=True``; tests run queued jobs with
    ``client.app.state.worker.run_pending()``. Jobs write `synthetic_result`.
    """
    clients = []

    def make(analyse=None, **overrides) -> TestClient:
        settings = {"data_dir": tmp_path / "data", "allowed_hosts": ("testserver",),
                    "start_worker": False, **overrides}
        app = create_app(WebConfig(**settings),
                         analyse=analyse or fake_analysis(synthetic_result))
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture()
def upload() -> Callable:
    """``upload(client, path, athlete=..., filename=..., **fields)``: create the athlete
    if needed and post `path` to the upload form; returns the response."""

    def post(client: TestClient, path: Path, *, athlete: str = "Jane Doe",
             filename: str | None = None, **fields):
        client.post("/athletes", data={"name": athlete})
        data = {"belt_speed": "10", "speed_unit": "kmh", "view": "auto", **fields}
        with path.open("rb") as fh:
            return client.post("/upload", params={"name": athlete}, data=data,
                               files={"video": (filename or path.name, fh, "video/mp4")})

    return post
