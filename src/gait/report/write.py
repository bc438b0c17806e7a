"""`write_report`: every report output of one analysis into one folder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..advice import STUDIED_INCREASES_PCT, CadenceTarget
from ..errors import OutputExistsError
from ..metronome import write_metronome
from ..output_paths import remove_if_empty, replacing
from ..result import GaitResult
from ..track import PoseTrack
from .assets import (LEFT_RIGHT_CHART, FigureAsset, KeyFrameAsset, ReportAssets,
                     cleaned_track)
from .content import ReportContent, RunnerInputs, build_content, metronome_file_name
from .wording import signed

#: Files `write_report` may create in the output folder (besides ``figures/``); the overlay's
#: fingerprint file is named by `gait.report.overlay.fingerprint_path`.
#: The metronome tracks of reports written before they became MP3s are among them, so a
#: re-analysis removes them.
REPORT_FILES = ("report.html", "report.pdf", "overlay.mp4", "overlay.fingerprint.json",
                *(metronome_file_name(p) for p in STUDIED_INCREASES_PCT),
                *(Path(metronome_file_name(p)).with_suffix(".wav").name
                  for p in STUDIED_INCREASES_PCT))
FIGURES_DIR = "figures"
#: Default length of the metronome tracks, s.
METRONOME_DURATION_S = 300.0


class ReportFiles(dict[str, Path]):
    """Every file of a report by name, as `write_report` returns them, and which were kept.

    A dict of file name ("figures/<name>.png" for figures) to path; `kept`
    names the files an earlier run left there that this run did not write again.

    Parameters
    ----------
    files : mapping of str to Path
        Every file of the report, the kept ones included.
    kept : iterable of str
        Names of files that were already there, made from the same inputs, and
        not written again.

    Attributes
    ----------
    kept : frozenset of str
        ``overlay.mp4`` and its fingerprint file when the overlay was not
        encoded again (`gait.report.overlay.write_overlay`); otherwise empty.
    """

    def __init__(self, files: Mapping[str, Path], *, kept: Iterable[str] = ()) -> None:
        super().__init__(files)
        self.kept = frozenset(kept)


def _side_view(result: GaitResult) -> bool:
    """Whether the clip was filmed from the side.

    Foot height above the belt and stance/flight need a side view: a rear or
    front clip mixes height with distance from the camera and does not time
    toe-off.
    """
    return result.view.get("facing", 0) != 0


def _write_metronomes(outdir: Path, targets: Sequence[CadenceTarget],
                      duration_s: float) -> dict[str, Path]:
    """One MP3 click track per cadence target, encoded side by side (LAME frees the GIL).

    Parameters
    ----------
    outdir : Path
    targets : sequence of CadenceTarget
        The prescription's targets (`increase_pct`, `metronome_bpm`).
    duration_s : float
        Length of each track, s.

    Returns
    -------
    dict of str to Path
        Written tracks by file name, in the targets' order.
    """
    with ThreadPoolExecutor(max_workers=max(1, len(targets))) as pool:
        jobs = {metronome_file_name(t.increase_pct): pool.submit(
                    write_metronome, outdir / metronome_file_name(t.increase_pct),
                    t.metronome_bpm, duration_s=duration_s, overwrite=True)
                for t in targets}
    return {name: job.result() for name, job in jobs.items()}


def make_assets(content: ReportContent, track: PoseTrack | None,
                video_path: str | Path | None, *,
                filtered: PoseTrack | None = None) -> ReportAssets:
    """Render the figures and key frames of a report.

    Parameters
    ----------
    content : ReportContent
    track : PoseTrack or None
        Raw landmarks; without it there are no foot trajectories and no key frames.
    video_path : str or Path or None
        The analysed video; without it there are no key frames.
    filtered : PoseTrack, optional
        `track` already cleaned (`gait.report.assets.cleaned_track`); cleaned
        where needed if not given.

    Returns
    -------
    ReportAssets
    """
    from . import figures as figs  # matplotlib: only when a report is drawn

    result = content.result
    t0, t1 = figs.time_window_s(result)
    window = f"first {t1 - t0:.0f} s of the analysed segment"
    out = []
    side_view = _side_view(result)
    if track is not None and side_view:
        out.append(FigureAsset(
            "foot_trajectories",
            figs.to_png(figs.foot_trajectories(result, track, filtered=filtered)),
            f"Foot trajectories ({window}): heel (solid) and toe (dotted) height above the "
            f"{result.stance_surface}; ▼ initial contact, △ toe-off; shaded while the foot is on "
            f"the {result.stance_surface}."))
    if side_view:
        phase, phases = (("double support", "double-support phases with both feet down")
                         if result.gait_mode == "walking"
                         else ("flight", "flight phases with both feet off"))
        out.append(FigureAsset(
            "stance_timeline", figs.to_png(figs.stance_timeline(result)),
            f"Stance and {phase} ({window}): when each foot is on the {result.stance_surface}, "
            "and the "
            f"{phases}."))
    targets = {} if content.prescription is None else {
        f"+{t.increase_pct:g}%": t.target_spm for t in content.prescription.targets}
    fps = float(result.pose["fps"])
    out.append(FigureAsset(
        "cadence_per_step", figs.to_png(figs.cadence_per_step(result, targets_spm=targets)),
        "Cadence of every step over the clip (60 / step time) and of every stride "
        f"(120 / stride time), with the clip's cadence{' and the targets' if targets else ''}. "
        f"At {fps:.0f} fps single steps scatter by a frame (about ±{500 / fps:.0f} ms); the "
        "stride values are steadier."))
    if content.bilateral:  # shown under the left/right table and its cited caveats
        out.append(FigureAsset(
            LEFT_RIGHT_CHART, figs.to_png(figs.left_right(result, content.bilateral)),
            "Left vs right for each measure on both legs. The word under each panel says "
            "whether the difference is larger than the measurement error."))
    keyframes: list[KeyFrameAsset] = []
    note = ""
    if track is not None and video_path is not None:
        from .keyframes import initial_contact_frames

        for k in initial_contact_frames(result, track, video_path, filtered=filtered):
            keyframes.append(KeyFrameAsset(k.foot, k.png, (
                f"{k.foot.capitalize()} foot at initial contact (step {k.step_index}, "
                f"{k.t_s:.2f} s, frame {k.frame_idx}): knee bend "
                + ("—" if k.knee_flexion_ic_deg is None else f"{k.knee_flexion_ic_deg:.1f}°")
                + ", shin angle "
                + ("—" if k.shin_angle_deg is None else f"{signed(k.shin_angle_deg)}°")
                + ". A typical step; dashed: vertical, dotted: thigh line.")))
    else:
        note = "Key frames need the video and its pose track."
    return ReportAssets(tuple(out), tuple(keyframes), None, note)


def remove_report_files(outdir: str | Path, *, keep: tuple[str, ...] = ()) -> list[Path]:
    """Delete report files of an earlier run that the current run did not rewrite.

    The figures folder goes too once it is empty.

    Parameters
    ----------
    outdir : str or Path
    keep : tuple of str
        Names (as returned by `write_report`) to keep.

    Returns
    -------
    list of Path
        The deleted files.
    """
    outdir = Path(outdir)
    candidates = [outdir / n for n in REPORT_FILES]
    if (outdir / FIGURES_DIR).is_dir():
        candidates += sorted((outdir / FIGURES_DIR).glob("*.png"))
    removed = []
    for path in candidates:
        name = path.relative_to(outdir).as_posix()
        if path.is_file() and name not in keep:
            path.unlink()
            removed.append(path)
    remove_if_empty(outdir / FIGURES_DIR)
    return removed


def write_report(outdir: str | Path, result: GaitResult, *, track: PoseTrack | None = None,
                 video_path: str | Path | None = None, inputs: RunnerInputs = RunnerInputs(),
                 overlay: bool = True, metronome_duration_s: float = METRONOME_DURATION_S,
                 progress: bool = False, overwrite: bool = False) -> ReportFiles:
    """Write report.html, report.pdf, figures, metronome tracks and overlay.mp4.

    Parameters
    ----------
    outdir : str or Path
        Output folder (created if missing), usually beside ``results.json``.
    result : GaitResult
    track : PoseTrack, optional
        Raw pose landmarks of the clip; needed for foot trajectories, key frames
        and the overlay.
    video_path : str or Path, optional
        The analysed video; needed for key frames and the overlay.
    inputs : RunnerInputs
        What the runner states, for the return-to-run checklist.
    overlay : bool
        Write ``overlay.mp4`` and its fingerprint file (needs `track` and
        `video_path`). An overlay already in `outdir` that was made from the
        same inputs is kept, not encoded again (`gait.report.overlay.write_overlay`).
    metronome_duration_s : float
        Length of each metronome track, s.
    progress : bool
        Show a progress bar while encoding the overlay.
    overwrite : bool
        Replace report files already in `outdir`; report files of the earlier run
        that this run does not write (e.g. its overlay) are deleted, so the folder
        never mixes two analyses.

    Returns
    -------
    ReportFiles
        Every file of the report by name ("figures/<name>.png" for figures); its
        `kept` names the overlay and its fingerprint file when they were kept.

    Raises
    ------
    OutputExistsError
        If a report file exists and `overwrite` is False (nothing is written).
    """
    from .report_html import report_html
    from .report_pdf import report_pdf

    outdir = Path(outdir)
    existing = [n for n in REPORT_FILES if (outdir / n).exists()]
    if existing and not overwrite:
        raise OutputExistsError(f"{outdir}: already holds {', '.join(existing)}; choose another "
                                "folder or pass overwrite=True (--force)")
    outdir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    kept: tuple[str, ...] = ()
    content = build_content(result, inputs=inputs)
    # cleaned once for the foot trajectories, key frames and overlay, which all draw it
    drawn = track is not None and (video_path is not None or _side_view(result))
    filtered = cleaned_track(result, track) if drawn else None
    assets = make_assets(content, track, video_path, filtered=filtered)
    fig_dir = outdir / FIGURES_DIR
    fig_dir.mkdir(exist_ok=True)
    for f in [*assets.figures, *(FigureAsset(f"keyframe_{k.foot}", k.png, "")
                                 for k in assets.keyframes)]:
        path = fig_dir / f"{f.name}.png"
        path.write_bytes(f.png)
        written[f"{FIGURES_DIR}/{path.name}"] = path
    if content.prescription is not None:
        written.update(_write_metronomes(outdir, content.prescription.targets,
                                         metronome_duration_s))
    if overlay and track is not None and video_path is not None:
        from .overlay import fingerprint_path, write_overlay

        video_out = outdir / "overlay.mp4"
        fingerprint = fingerprint_path(video_out)
        encoded = write_overlay(video_out, result, track, video_path, filtered=filtered,
                                progress=progress, overwrite=True)
        written.update({video_out.name: video_out, fingerprint.name: fingerprint})
        kept = () if encoded else (video_out.name, fingerprint.name)
        assets = ReportAssets(assets.figures, assets.keyframes, "overlay.mp4",
                              assets.keyframes_note)
    html_path = outdir / "report.html"
    with replacing(html_path) as tmp:
        tmp.write_text(report_html(content, assets), encoding="utf-8")
    written["report.html"] = html_path
    written["report.pdf"] = report_pdf(outdir / "report.pdf", content, assets)
    remove_report_files(outdir, keep=tuple(written))
    return ReportFiles(written, kept=kept)
