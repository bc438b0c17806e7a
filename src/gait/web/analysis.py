"""One analysis as the web worker runs it: video in, output folder filled."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..pipeline import AnalysisOptions, analyze
from ..report import RunnerInputs, write_report
from .uploads import link_or_copy

ProgressCallback = Callable[[str, float], None]
#: Outputs an analysis may reuse from its folder, or from an earlier analysis of the same
#: video: the overlay video and its fingerprint. The report keeps the overlay only when the
#: fingerprint shows it was made from the same inputs (`gait.report.overlay.write_overlay`),
#: and encodes it again otherwise.
REUSABLE_OUTPUTS = ("overlay.mp4", "overlay.fingerprint.json")


def empty_output_folder(outdir: Path) -> None:
    """Create `outdir`, or remove everything in it except the `REUSABLE_OUTPUTS`."""
    outdir.mkdir(parents=True, exist_ok=True)
    for path in outdir.iterdir():
        if path.name in REUSABLE_OUTPUTS and path.is_file() and not path.is_symlink():
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def seed_reusable_outputs(earlier_outdir: Path, outdir: Path) -> list[str]:
    """Link the `REUSABLE_OUTPUTS` of an earlier analysis of the same video into `outdir`.

    Parameters
    ----------
    earlier_outdir : Path
        Output folder of a finished analysis of the same video.
    outdir : Path
        The new analysis's output folder (created if missing).

    Returns
    -------
    list of str
        Names of the files linked (or copied: `gait.web.uploads.link_or_copy`).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    seeded = []
    for name in REUSABLE_OUTPUTS:
        if (earlier_outdir / name).is_file() and not (outdir / name).exists():
            link_or_copy(earlier_outdir / name, outdir / name)
            seeded.append(name)
    return seeded


def run_analysis(video: Path, outdir: Path, *, options: dict, checklist: dict,
                 display_name: str, cache_dir: Path, on_progress: ProgressCallback) -> None:
    """Analyse `video` and write every output into `outdir` (emptied first).

    Writes what ``gait analyze`` writes, with the same functions: results.json,
    steps.csv, pose_track.npz and the report (`gait.report.write_report`:
    report.html, report.pdf, figures/, metronome tracks, overlay.mp4). An
    overlay already in `outdir` (`REUSABLE_OUTPUTS`: left by an interrupted
    run, or seeded from an earlier analysis of the video) is kept if it was
    made from the same inputs.

    Parameters
    ----------
    video : Path
        The stored upload.
    outdir : Path
        The job's output folder; whatever lands here is served on the report page.
    options : dict
        Keyword arguments of `gait.pipeline.AnalysisOptions`.
    checklist : dict
        The runner's answers for the return-to-run checklist: keyword
        arguments of `gait.report.RunnerInputs`.
    display_name : str
        The file name the user uploaded; recorded in the result and the report
        instead of the generated name the upload is stored under.
    cache_dir : Path
        Pose landmark cache for this video.
    on_progress : callable
        ``on_progress(stage, fraction)`` with stage "probe", "pose",
        "analysis", "report".

    Raises
    ------
    GaitError
        The video cannot be analysed (the message says why).
    """
    empty_output_folder(outdir)
    result, track = analyze(video, options=AnalysisOptions(**options), cache_dir=cache_dir,
                            progress=False, on_progress=lambda s, f: on_progress(s, f)
                            if s != "done" else None)
    result = replace(result, source=display_name, video={**result.video, "file": display_name})
    on_progress("report", 0.0)
    result.save_json(outdir / "results.json")
    result.save_steps_csv(outdir / "steps.csv")
    track.save(outdir / "pose_track.npz")
    write_report(outdir, result, track=track, video_path=video,
                 inputs=RunnerInputs(**checklist), overlay=True, progress=False, overwrite=True)
    on_progress("report", 1.0)
