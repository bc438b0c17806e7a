"""Module-level stand-ins for `gait.pipeline.analyze` that a spawned batch
process can unpickle (tests/test_batch.py)."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import signal
import time

from gait.pipeline import AnalysisOptions, analyze_track
from gait.synth import SynthParams, synthetic_track
from gait.video import probe_video

#: Seconds each fake analysis takes, so that clips analysed at once overlap.
FAKE_ANALYSIS_S = 1.5


def fake_analyze(video, *, options, cache_dir, use_cache, progress, on_progress, workers):
    """Real probing (bad files fail as they would), a synthetic track instead
    of MediaPipe, real analysis; notes its start and end time in
    ``<video>.timing.json``. A clip named ``crash*`` kills its process."""
    if video.name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    started = time.time()
    info = probe_video(video, capture_fps=options.capture_fps)
    for fraction in (0.0, 0.5, 1.0):
        on_progress("pose", fraction)
        time.sleep(FAKE_ANALYSIS_S / 3)
    result, track = synthetic_analysis(options)
    video.with_suffix(".timing.json").write_text(json.dumps(
        {"start": started, "end": time.time(), "pid": os.getpid()}))
    video_facts = {"file": video.name, "sha256": info.content_sha256}
    return dataclasses.replace(result, video=video_facts), track


@functools.lru_cache(maxsize=None)
def synthetic_analysis(options: AnalysisOptions):
    """One synthetic 6 s analysis with these options (cached per process)."""
    track, _ = synthetic_track(SynthParams(duration_s=6.0, fps=30.0))
    return analyze_track(track, options=options), track
