"""Benchmark: gait's pose pipeline against the naive loop a user would write.

Run from the repository root::

    python benchmarks/bench_pose.py --quick      # 10 s clips, a few minutes
    python benchmarks/bench_pose.py              # 60 s clips (the README table)
    python benchmarks/bench_pose.py --memory     # also a 10-minute 1080p clip
    python benchmarks/bench_pose.py --quick --batch   # gait batch on all clips at once

For each clip it runs, each in a fresh Python process,

(a) naive: ``cv2.VideoCapture.read()`` -> BGR to RGB -> MediaPipe
    ``solutions.pose.Pose.process`` on the full frame -> next frame, with the
    same MediaPipe settings as gait (full model, tracking, no smoothing), so
    any difference in the answers comes from the pipeline alone;
(b) gait: ``gait.pose.estimate_pose`` with the cache off (probing and hashing
    the file included),

and prints frames per second, wall time per minute of video, CPU use (CPU
seconds of the process and its children per wall second; 2.0 = both cores
busy) and peak memory (resident set of the process tree, sampled with
psutil), the throughput ratio b/a, and how far the answers are apart:
cadence (`gait.pipeline.analyze_track` on both tracks), initial contact,
toe-off and contact time of every detected contact in frames (contacts
matched by foot and nearest initial contact), and the landmark RMS
difference in pixels.

Synthetic clips (720p and 1080p at 30 and 60 fps) are rendered once with
`gait.synth.render_video` into ``--clips-dir`` (default
``/tmp/gait-bench``), never into the repository. The real clips in
``../shared/videos`` are used where present.

The machine is shared by other work while you run this? The load average is
printed with every run; timings are only comparable on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED_VIDEOS = REPO.parent / "shared" / "videos"
#: Real treadmill clips to use when present (the walking clips leave the frame).
REAL_CLIPS = ("treadmill_side_30fps.mp4",)
SYNTH = (  # (name, width, height, fps)
    ("synth_720p30", 1280, 720, 30.0),
    ("synth_720p60", 1280, 720, 60.0),
    ("synth_1080p30", 1920, 1080, 30.0),
    ("synth_1080p60", 1920, 1080, 60.0),
)


# --- measured runs, each in its own process ----------------------------------------------


def _child_naive(video: str, out: str) -> None:
    """The naive loop; writes landmarks (pixels) and timings to `out`."""
    import cv2

    t0 = time.perf_counter()
    import mediapipe as mp

    pose = mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1,
                                  smooth_landmarks=False, enable_segmentation=False,
                                  min_detection_confidence=0.5, min_tracking_confidence=0.5)
    cap = cv2.VideoCapture(video)
    xy, vis = [], []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        h, w = frame.shape[:2]
        res = pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
        if res.pose_landmarks is None:
            xy.append(np.full((33, 2), np.nan))
            vis.append(np.full(33, np.nan))
        else:
            a = np.array([(p.x * w, p.y * h, p.visibility) for p in res.pose_landmarks.landmark])
            xy.append(a[:, :2])
            vis.append(a[:, 2])
    cap.release()
    pose.close()
    _save(out, t0, np.array(xy), np.array(vis))


def _child_gait(video: str, out: str, workers: int | None) -> None:
    """gait's parallel pipeline: probe + chunked estimate_pose without cache."""
    from gait.pose import estimate_pose
    from gait.pose.chunks import DEFAULT_CHUNK_S
    from gait.video import probe_video

    t0 = time.perf_counter()
    info = probe_video(video)
    track = estimate_pose(info, use_cache=False, progress=False, min_detected_fraction=0.0,
                          workers=workers or os.cpu_count() or 1, chunk_s=DEFAULT_CHUNK_S)
    _save(out, t0, track.xy_px, track.visibility)


def _save(out: str, t0: float, xy_px: np.ndarray, visibility: np.ndarray) -> None:
    import resource

    wall_s = time.perf_counter() - t0
    cpu_s = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        ru = resource.getrusage(who)
        cpu_s += ru.ru_utime + ru.ru_stime
    np.savez(out, xy_px=xy_px, visibility=visibility, wall_s=wall_s, cpu_s=cpu_s)


def _child_env() -> dict[str, str]:
    """Environment of a measured child process: this checkout's gait, quiet MediaPipe logs."""
    return {**os.environ, "GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}


def _measure(mode: str, video: Path, workers: int | None) -> dict:
    """Run one mode in a fresh process; timings, peak tree memory and landmarks."""
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "run.npz")
        cmd = [sys.executable, __file__, "--_child", mode, str(video), out]
        if workers is not None:
            cmd += ["--workers", str(workers)]
        env = _child_env()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak_rss = _watch_memory(proc)
        _, err = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"{mode} run on {video.name} failed:\n{err.decode()[-2000:]}")
        data = np.load(out)
        return {"wall_s": float(data["wall_s"]), "cpu_s": float(data["cpu_s"]),
                "peak_rss_mb": peak_rss / 2**20, "xy_px": data["xy_px"],
                "visibility": data["visibility"]}


def _watch_memory(proc: subprocess.Popen) -> float:
    """Peak summed RSS (bytes) of `proc` and its descendants, sampled every 50 ms."""
    try:
        import psutil
    except ImportError:  # fall back to the largest single process (no sum)
        proc.wait()
        import resource
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024.0
    peak = 0.0
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        total = 0.0
        try:
            for p in [root, *root.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.05)
    return peak


# --- comparison ----------------------------------------------------------------------------


def _compare(video: Path, naive: dict, ours: dict) -> dict:
    """Cadence, contact and landmark differences between the two tracks."""
    from gait.errors import GaitError
    from gait.pipeline import analyze_track
    from gait.track import PoseTrack
    from gait.video import probe_video

    info = probe_video(video)
    n = min(len(naive["xy_px"]), len(ours["xy_px"]), info.n_frames)
    d = np.linalg.norm(naive["xy_px"][:n] - ours["xy_px"][:n], axis=-1)
    out = {"rms_px": float(np.sqrt(np.nanmean(d ** 2))), "frames": n,
           "frames_compared": int(np.isfinite(d).all(axis=1).sum())}
    results = []
    for run in (naive, ours):
        track = PoseTrack(t_s=info.t_s[:n], xy_px=run["xy_px"][:n],
                          visibility=run["visibility"][:n], fps=info.fps,
                          size_px=(info.width_px, info.height_px), source=video.name)
        try:
            results.append(analyze_track(track))
        except GaitError as exc:
            out["analysis_error"] = f"{type(exc).__name__}: {exc}"
            return out
    a, b = results
    out["cadence_naive_spm"] = a.summary["cadence_spm"]["value"]
    out["cadence_gait_spm"] = b.summary["cadence_spm"]["value"]
    out["cadence_diff_spm"] = abs(out["cadence_naive_spm"] - out["cadence_gait_spm"])
    out.update(_match_contacts(a.events, b.events, fps=info.fps))
    truth_path = video.with_suffix(".truth.json")
    if truth_path.is_file():  # synthetic clip: both against the exact events
        truth = json.loads(truth_path.read_text())
        out["truth_cadence_spm"] = truth["cadence_spm"]
        for name, res in (("naive", a), ("gait", b)):
            out[f"truth_err_{name}"] = _truth_errors(res.events, truth["events"], fps=info.fps)
    return out


def _truth_errors(events: list[dict], truth: list[dict], *, fps: float) -> dict:
    """Largest |error| in frames of detected IC and TO times against the truth."""
    ic, to = [], []
    for c in events:
        same = [t for t in truth if t["foot"] == c["foot"]]
        if not same:
            continue
        t = min(same, key=lambda t: abs(t["ic_s"] - c["ic_s"]))
        ic.append(abs(c["ic_s"] - t["ic_s"]) * fps)
        if np.isfinite(c["to_s"] if c["to_s"] is not None else np.nan):
            to.append(abs(c["to_s"] - t["to_s"]) * fps)
    return {"max_ic_err_frames": max(ic, default=None), "max_to_err_frames": max(to, default=None)}


def _match_contacts(naive: list[dict], ours: list[dict], *, fps: float) -> dict:
    """Pair contacts by foot and nearest initial contact; differences in frames."""
    d_ic, d_to, d_ct, unmatched = [], [], [], 0
    for c in naive:
        same = [o for o in ours if o["foot"] == c["foot"]]
        if not same:
            unmatched += 1
            continue
        o = min(same, key=lambda o: abs(o["ic_s"] - c["ic_s"]))
        if abs(o["ic_s"] - c["ic_s"]) * fps > 5:  # more than 5 frames: a different contact
            unmatched += 1
            continue
        d_ic.append(abs(o["ic_idx"] - c["ic_idx"]))
        if c["to_idx"] >= 0 and o["to_idx"] >= 0:
            d_to.append(abs(o["to_idx"] - c["to_idx"]))
            d_ct.append(abs((o["to_idx"] - o["ic_idx"]) - (c["to_idx"] - c["ic_idx"])))
    return {"contacts_naive": len(naive), "contacts_gait": len(ours),
            "contacts_unmatched": unmatched,
            "max_ic_diff_frames": max(d_ic, default=None),
            "max_to_diff_frames": max(d_to, default=None),
            "max_contact_time_diff_frames": max(d_ct, default=None)}


# --- clips ---------------------------------------------------------------------------------


def _synth_clips(clips_dir: Path, duration_s: float) -> list[Path]:
    from gait.synth import SynthParams, render_video

    clips_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, width, height, fps in SYNTH:
        path = clips_dir / f"{name}_{duration_s:g}s.mp4"
        if not path.exists():
            print(f"rendering {path} ...", flush=True)
            tmp = path.with_name(".tmp-" + path.name)
            render_video(tmp, SynthParams(width_px=width, height_px=height, fps=fps,
                                          duration_s=duration_s))
            tmp.replace(path)
            tmp.with_name(tmp.stem + ".truth.json").replace(path.with_suffix(".truth.json"))
        paths.append(path)
    return paths


def _long_clip(clips_dir: Path, minutes: float) -> Path:
    """A `minutes`-long 1080p30 clip: a seamless 20 s render (cadence 180 steps/min,
    exactly 30 strides) repeated, written with cv2.VideoWriter (no re-render)."""
    import cv2

    from gait.synth import SynthParams, render_video

    path = clips_dir / f"synth_1080p30_{minutes:g}min.mp4"
    if path.exists():
        return path
    base = clips_dir / "synth_1080p30_loop20s.mp4"
    if not base.exists():
        print(f"rendering {base} ...", flush=True)
        render_video(base, SynthParams(width_px=1920, height_px=1080, fps=30.0, duration_s=20.0,
                                       cadence_spm=180.0))
    print(f"writing {path} ({minutes:g} min) ...", flush=True)
    tmp = path.with_name(".tmp-" + path.name)
    writer = cv2.VideoWriter(str(tmp), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (1920, 1080))
    for _ in range(int(round(minutes * 60 / 20))):
        cap = cv2.VideoCapture(str(base))
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            writer.write(frame)
        cap.release()
    writer.release()
    tmp.replace(path)
    return path


# --- report --------------------------------------------------------------------------------


def _fmt(value, spec: str = ".2f") -> str:
    return "n/a" if value is None else format(value, spec)


def bench_clip(video: Path, workers: int | None) -> dict:
    from gait.video import probe_video

    info = probe_video(video)
    row = {"clip": video.name, "size": f"{info.width_px}x{info.height_px}",
           "fps": info.fps, "frames": info.n_frames, "duration_s": info.duration_s,
           "load_before": os.getloadavg()}
    print(f"\n{video.name}: {row['size']}, {info.fps:.0f} fps, {info.n_frames} frames "
          f"({info.duration_s:.0f} s); load {_load()}", flush=True)
    runs = {}
    for mode in ("naive", "gait"):
        runs[mode] = r = _measure(mode, video, workers if mode == "gait" else None)
        row[mode] = {"fps": info.n_frames / r["wall_s"], "wall_s": r["wall_s"],
                     "wall_s_per_video_min": r["wall_s"] * 60.0 / info.duration_s,
                     "cpu_use": r["cpu_s"] / r["wall_s"], "peak_rss_mb": r["peak_rss_mb"]}
        m = row[mode]
        print(f"  {mode:5s}: {m['fps']:6.1f} frames/s, {m['wall_s_per_video_min']:6.1f} s per "
              f"video minute, CPU use {m['cpu_use']:.2f}, peak memory {m['peak_rss_mb']:.0f} MB; "
              f"load {_load()}", flush=True)
    row["ratio"] = row["gait"]["fps"] / row["naive"]["fps"]
    # What an idle machine would give if the naive loop keeps one core busy and
    # gait all of its workers': only a hint when the machine is busy.
    n_workers = min(workers or os.cpu_count(), os.cpu_count())
    row["cpu_ratio_estimate"] = n_workers * runs["naive"]["cpu_s"] / runs["gait"]["cpu_s"]
    row["accuracy"] = acc = _compare(video, runs["naive"], runs["gait"])
    print(f"  ratio gait/naive = {row['ratio']:.2f}x (from CPU time per frame, an idle "
          f"{n_workers}-core machine would give about {row['cpu_ratio_estimate']:.2f}x)",
          flush=True)
    if "analysis_error" in acc:
        print(f"  answers: analysis failed ({acc['analysis_error']}); landmark RMS "
              f"{acc['rms_px']:.1f} px")
    else:
        print(f"  answers: cadence {acc['cadence_naive_spm']:.2f} vs {acc['cadence_gait_spm']:.2f} "
              f"steps/min (diff {acc['cadence_diff_spm']:.2f}); contacts {acc['contacts_naive']} vs "
              f"{acc['contacts_gait']} ({acc['contacts_unmatched']} unmatched); max diff in frames: "
              f"IC {_fmt(acc['max_ic_diff_frames'], 'd')}, TO {_fmt(acc['max_to_diff_frames'], 'd')}, "
              f"contact time {_fmt(acc['max_contact_time_diff_frames'], 'd')}; landmark RMS "
              f"{acc['rms_px']:.1f} px", flush=True)
        if "truth_err_naive" in acc:
            tn, tg = acc["truth_err_naive"], acc["truth_err_gait"]
            print(f"  against the synthetic truth, largest IC / TO error in frames: naive "
                  f"{_fmt(tn['max_ic_err_frames'], '.1f')} / {_fmt(tn['max_to_err_frames'], '.1f')}, "
                  f"gait {_fmt(tg['max_ic_err_frames'], '.1f')} / "
                  f"{_fmt(tg['max_to_err_frames'], '.1f')}", flush=True)
    return row


def bench_batch(clips: list[Path], jobs: int | None) -> dict:
    """A folder of clips: the naive loop on each clip in turn against ``gait batch``.

    ``gait batch`` (whole CLI process, cache off) analyses ``jobs`` clips at
    once, each tracked in one uninterrupted MediaPipe run, and writes every
    clip's results; the naive loop only estimates the pose. The answers are
    compared clip by clip as in `bench_clip`.
    """
    jobs = jobs or os.cpu_count() or 1
    print(f"\nbatch of {len(clips)} clips: naive loop clip after clip, then gait batch "
          f"--jobs {jobs}; load {_load()}", flush=True)
    naive = {}
    for video in clips:
        naive[video] = _measure("naive", video, None)
        print(f"  naive {video.name}: {naive[video]['wall_s']:.1f} s; load {_load()}", flush=True)
    naive_wall_s = sum(r["wall_s"] for r in naive.values())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "clips"
        folder.mkdir()
        for video in clips:
            (folder / video.name).symlink_to(video.resolve())
        env = _child_env()
        cmd = [sys.executable, "-m", "gait.cli", "batch", str(folder), "-o", str(Path(tmp) / "out"),
               "--no-cache", "-q", "--jobs", str(jobs)]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak = _watch_memory(proc)
        _, err = proc.communicate()
        batch_wall_s = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"gait batch failed:\n{err.decode()[-2000:]}")
        answers = {}
        for video in clips:
            with np.load(Path(tmp) / "out" / video.stem / "pose_track.npz") as saved:
                ours = {"xy_px": saved["xy_px"], "visibility": saved["visibility"]}
            answers[video.name] = _compare(video, naive[video], ours)
    n_frames = sum(len(r["xy_px"]) for r in naive.values())
    row = {"clips": [c.name for c in clips], "jobs": jobs, "frames": n_frames,
           "naive_wall_s": naive_wall_s, "batch_wall_s": batch_wall_s,
           "naive_fps": n_frames / naive_wall_s, "batch_fps": n_frames / batch_wall_s,
           "ratio": naive_wall_s / batch_wall_s, "batch_peak_rss_mb": peak / 2**20,
           "answers": answers}
    print(f"  naive {naive_wall_s:.1f} s ({row['naive_fps']:.1f} frames/s), gait batch "
          f"{batch_wall_s:.1f} s ({row['batch_fps']:.1f} frames/s, peak memory "
          f"{row['batch_peak_rss_mb']:.0f} MB): ratio {row['ratio']:.2f}x; load {_load()}",
          flush=True)
    for name, acc in answers.items():
        print(f"  {name}: landmark RMS {acc['rms_px']:.3f} px, cadence diff "
              f"{_fmt(acc.get('cadence_diff_spm'))} steps/min, max IC / TO diff "
              f"{_fmt(acc.get('max_ic_diff_frames'), 'd')} / "
              f"{_fmt(acc.get('max_to_diff_frames'), 'd')} frames", flush=True)
    return row


def bench_reanalysis(video: Path) -> dict:
    """Wall and CPU time of `gait analyze` (whole CLI process) on a clip whose pose is
    cached, with new options: the analysis alone (``--no-report``), with the report into a
    new folder, and again into that folder with another belt speed (``--force``: the
    overlay, whose frames do not change, is kept)."""
    import resource

    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = _child_env()
        base = [sys.executable, "-m", "gait.cli", "analyze", str(video), "--cache-dir", str(cache),
                "-q"]
        subprocess.run(base + ["-o", str(Path(tmp) / "first"), "--no-report"], env=env,
                       check=True, stderr=subprocess.DEVNULL)
        runs = (("analysis", "analysis", ["--no-report", "--belt-speed", "11"]),
                ("with_report", "report", ["--belt-speed", "11"]),
                ("report_again", "report", ["--belt-speed", "12", "--force"]))
        for name, folder, extra in runs:
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(base + ["-o", str(Path(tmp) / folder), "--height-cm", "180", *extra],
                           env=env, check=True, stderr=subprocess.DEVNULL)
            wall_s = time.perf_counter() - t0
            cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu_s = (cpu_after.ru_utime + cpu_after.ru_stime
                     - cpu_before.ru_utime - cpu_before.ru_stime)
            times[name] = {"wall_s": wall_s, "cpu_s": cpu_s}
    print(f"\nre-analysis of {video.name} with cached pose and new options (gait analyze, whole "
          f"process): {times['analysis']['wall_s']:.2f} s wall / {times['analysis']['cpu_s']:.2f} "
          f"s CPU with --no-report, {times['with_report']['wall_s']:.2f} s / "
          f"{times['with_report']['cpu_s']:.2f} s with the report, "
          f"{times['report_again']['wall_s']:.2f} s / {times['report_again']['cpu_s']:.2f} s "
          f"re-analysed into the same folder; load {_load()}", flush=True)
    return {"clip": video.name, **times}


def bench_memory(video: Path, workers: int | None) -> dict:
    """Peak memory of a whole `gait analyze` run (pose + analysis) on a long clip."""
    with tempfile.TemporaryDirectory() as tmp:
        env = _child_env()
        cmd = [sys.executable, "-m", "gait.cli", "analyze", str(video), "-o", str(Path(tmp) / "o"),
               "--no-cache", "-q", "--workers", str(workers or os.cpu_count() or 1)]
        print(f"\nanalysing {video.name} for peak memory; load {_load()}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE)
        peak = _watch_memory(proc)
        _, err = proc.communicate()
        wall_s = time.perf_counter() - t0
    status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {err.decode()[-300:]}"
    print(f"  peak memory {peak / 2**20:.0f} MB (process tree), {wall_s:.0f} s, {status}; "
          f"load {_load()}", flush=True)
    return {"clip": video.name, "peak_rss_mb": peak / 2**20, "wall_s": wall_s, "status": status}


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def _table(rows: list[dict]) -> str:
    head = ("| clip | size, fps | naive frames/s | gait frames/s | ratio | s per video min "
            "(naive / gait) | CPU use (naive / gait) | peak MB (naive / gait) | cadence diff "
            "steps/min | max IC / TO / contact diff (frames) | landmark RMS px |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|")
    lines = [head]
    for r in rows:
        a, b, acc = r["naive"], r["gait"], r["accuracy"]
        if "analysis_error" in acc:
            answers = "n/a (analysis failed) | n/a"
        else:
            answers = (f"{acc['cadence_diff_spm']:.2f} | {_fmt(acc['max_ic_diff_frames'], 'd')} / "
                       f"{_fmt(acc['max_to_diff_frames'], 'd')} / "
                       f"{_fmt(acc['max_contact_time_diff_frames'], 'd')}")
        lines.append(
            f"| {r['clip']} | {r['size']}, {r['fps']:.0f} | {a['fps']:.1f} | {b['fps']:.1f} | "
            f"**{r['ratio']:.2f}x** | {a['wall_s_per_video_min']:.0f} / "
            f"{b['wall_s_per_video_min']:.0f} | {a['cpu_use']:.2f} / {b['cpu_use']:.2f} | "
            f"{a['peak_rss_mb']:.0f} / {b['peak_rss_mb']:.0f} | {answers} | {acc['rms_px']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 s synthetic clips")
    parser.add_argument("--duration", type=float, help="synthetic clip length in s "
                                                         "(default 60, --quick 10)")
    parser.add_argument("--clips-dir", type=Path, default=Path(tempfile.gettempdir()) / "gait-bench")
    parser.add_argument("--workers", type=int, help="gait workers (default: all cores)")
    parser.add_argument("--only", help="run only clips whose name contains this")
    parser.add_argument("--no-real", action="store_true", help="skip ../shared/videos")
    parser.add_argument("--memory", action="store_true",
                        help="also analyse a 10-minute 1080p clip and report peak memory")
    parser.add_argument("--batch", action="store_true",
                        help="instead of clip by clip, time gait batch on all clips at once "
                             "against the naive loop on each in turn")
    parser.add_argument("--jobs", type=int, help="gait batch --jobs (default: all cores)")
    parser.add_argument("--json", type=Path, help="also write all numbers to this JSON file")
    parser.add_argument("--_child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._child:
        mode, video, out = args._child
        if mode == "naive":
            _child_naive(video, out)
        else:
            _child_gait(video, out, args.workers)
        return 0

    duration_s = args.duration or (10.0 if args.quick else 60.0)
    print(f"gait pose benchmark: {platform.platform()}, {platform.processor() or 'cpu'}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; load {_load()}")
    clips = _synth_clips(args.clips_dir, duration_s)
    if not args.no_real and SHARED_VIDEOS.is_dir():
        clips += [SHARED_VIDEOS / n for n in REAL_CLIPS if (SHARED_VIDEOS / n).is_file()]
    if args.only:
        clips = [c for c in clips if args.only in c.name]
    machine = {"platform": platform.platform(), "cores": os.cpu_count(),
               "python": platform.python_version()}
    if args.batch:
        report = {"machine": machine, "batch": bench_batch(clips, args.jobs)}
        if args.json:
            args.json.write_text(json.dumps(report, indent=1, default=float) + "\n")
        return 0
    rows = [bench_clip(c, args.workers) for c in clips]
    report = {"machine": machine, "clips": rows}
    report["reanalysis"] = bench_reanalysis(clips[0])
    if args.memory:
        report["memory"] = bench_memory(_long_clip(args.clips_dir, 10.0), args.workers)
    print("\n" + _table(rows))
    ratios = [r["ratio"] for r in rows]
    print(f"\nthroughput ratio gait/naive: min {min(ratios):.2f}x, max {max(ratios):.2f}x; "
          f"load at the end {_load()}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=float) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
