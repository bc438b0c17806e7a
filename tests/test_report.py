"""The report: content equals results.json, citations, PDF pages, figures, overlay, metronome.

Most tests share one report built from a synthetic pose track and a short
rendered clip of the same runner (no pose model needed); one slow test builds
a report from the real treadmill clip.
"""

from __future__ import annotations

import html as htmllib
import json
import math
import re
from pathlib import Path

import av
import numpy as np
import pytest

from gait.cli import main
from gait.errors import InvalidOptionError, OutputExistsError
from gait.evidence import SOURCES
from gait.pipeline import AnalysisOptions, analyze_track
from gait.report import REPORT_FILES, RunnerInputs, build_content, write_report
from gait.report.overlay import draw_overlay, video_codec
from gait.result import GaitResult
from gait.synth import SynthParams, render_video, synthetic_track

pypdf = pytest.importorskip("pypdf")

PARAMS = SynthParams(cadence_spm=170.0, belt_speed_kmh=10.0, fps=30.0, duration_s=7.0,
                     width_px=320, height_px=240)
FIGURES = ("foot_trajectories", "stance_timeline", "cadence_per_step", "left_right",
           "keyframe_left", "keyframe_right")


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    """A full report (with overlay) of a synthetic runner, written once for this module."""
    out = tmp_path_factory.mktemp("report")
    clip = out / "clip.mp4"
    render_video(clip, PARAMS)
    track, truth = synthetic_track(PARAMS)
    result = analyze_track(track, options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"]))
    result.save_json(out / "results.json")
    write_report(out, result, track=track, video_path=clip,
                 inputs=RunnerInputs(weekly_distance_km=20.0, pain_0_10=2.0),
                 metronome_duration_s=20.0)
    return out


def _results(d: Path) -> dict:
    return json.loads((d / "results.json").read_text())


def _html(d: Path) -> str:
    return (d / "report.html").read_text(encoding="utf-8")


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded)."""
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _section(page: str, anchor: str) -> str:
    m = re.search(rf'<section id="{anchor}"[^>]*>(.*?)</section>', page, re.S)
    assert m, f"section {anchor} missing"
    return m.group(1)


def _round_half(x: float) -> float:
    return math.floor(x * 2 + 0.5) / 2


def test_all_outputs_written(report_dir):
    for name in ("report.html", "report.pdf", "overlay.mp4", "metronome_+5pct.mp3",
                 "metronome_+7.5pct.mp3", "metronome_+10pct.mp3"):
        assert (report_dir / name).stat().st_size > 1000, name
    from PIL import Image

    for name in FIGURES:
        with Image.open(report_dir / "figures" / f"{name}.png") as im:
            assert im.width >= 300 and im.height >= 200, name
            # not a blank image: the figure has real contrast
            grey = np.asarray(im.convert("L"), dtype=float)
            assert grey.std() > 10, name


def test_html_is_self_contained(report_dir):
    page = _html(report_dir)
    assert "<script" not in page
    srcs = re.findall(r'\ssrc="([^"]+)"', page)
    images = [s for s in srcs if s.startswith("data:image/png;base64,")]
    assert len(images) == len(FIGURES)
    for s in srcs:
        if not s.startswith("data:"):
            assert "://" not in s and (report_dir / s).is_file(), s
    for href in re.findall(r'href="([^"#][^"]*)"', page):
        assert "://" not in href and (report_dir / href).is_file(), href
    assert "@media print" in page and "size: A4" in page
    assert '<video controls preload="metadata" src="overlay.mp4"' in page


def test_headline_numbers_equal_results_json(report_dir):
    r = _results(report_dir)
    glance = " ".join(_text(_section(_html(report_dir), "overview")).split())
    s = r["summary"]
    assert f"Cadence {s['cadence_spm']['value']:.1f} steps/min" in glance
    assert f"{s['step_length_m']['value']:.2f} m" in glance
    assert f"{s['stride_length_m']['value']:.2f} m" in glance
    assert f"{len(r['events'])} foot contacts" in glance
    for w in r["warnings"]:
        assert " ".join(w.split()) in glance


def test_cadence_targets_equal_results_json(report_dir):
    r = _results(report_dir)
    cadence = r["summary"]["cadence_spm"]["value"]
    belt = r["options"]["belt_speed_ms"]
    section = _section(_html(report_dir), "cadence")
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    cells = [[_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
             for row in rows]
    by_increase = {c[0]: c for c in cells if c and c[0].startswith("+")}
    for inc in (5.0, 7.5, 10.0):
        target = _round_half(cadence * (1 + inc / 100))
        row = by_increase[f"+{inc:g}%"]
        assert row[1] == f"{target:g}" and row[2] == f"{target:g}"
        assert row[3] == f"{belt * 60 / target:.2f} m"
    for inc in ("+5pct", "+7.5pct", "+10pct"):
        assert f'<audio controls preload="none" src="metronome_{inc}.mp3">' in section


def test_key_frame_angles_equal_the_step_table(report_dir):
    r = _results(report_dir)
    captions = re.findall(r"<figcaption>(\w+) foot at initial contact \(step (\d+), ([\d.]+) s, "
                          r"frame (\d+)\): knee bend ([\d.−-]+)°, shin angle ([+\d.−-]+)°",
                          _html(report_dir))
    assert [c[0] for c in captions] == ["Left", "Right"]
    for foot, step, t_s, frame, knee, shin in captions:
        row = next(s for s in r["steps"] if s["index"] == int(step))
        assert row["foot"] == foot.lower()
        assert f"{row['ic_s']:.2f}" == t_s and row["ic_idx"] == int(frame)
        assert f"{row['knee_flexion_ic_deg']:.1f}" == knee.replace("−", "-")
        assert f"{row['shin_angle_deg']:+.1f}" == shin.replace("−", "-")


def test_left_right_table_equals_results_json(report_dir):
    r = _results(report_dir)
    text = " ".join(_text(_section(_html(report_dir), "findings")).split())
    a = r["asymmetry"]["knee_flexion_ic_deg"]
    assert f"Knee bend at contact {a['left']:.1f} {a['right']:.1f} deg" in text
    a = r["asymmetry"]["step_length_m"]
    assert f"Step length {a['left']:.2f} {a['right']:.2f} m" in text


def test_every_load_statement_carries_a_citation(report_dir):
    page = _html(report_dir)
    ref_ids = set(re.findall(r'<li id="ref-(\d+)">', page))
    spans = re.findall(r'<span class="stmt" data-claims="([^"]+)">(.*?)</span>', page, re.S)
    assert len(spans) > 50
    for claims, inner in spans:
        m = re.search(r'<sup class="cite">\[(.*?)\]</sup>$', inner, re.S)
        assert m, f"statement without citation: {inner[:80]}"
        numbers = re.findall(r'href="#ref-(\d+)"', m.group(1))
        assert numbers and set(numbers) <= ref_ids
    # outside cited statements, no load change is stated
    uncited = re.sub(r'<span class="stmt".*?</span>', " ", page, flags=re.S)
    uncited = re.sub(r"<style>.*?</style>", " ", uncited, flags=re.S)
    text = _text(uncited)
    assert not re.search(r"[−-]\s?\d+(\.\d+)?\s?% per (step|km)", text)
    loose = re.search(r"\b(load|force|stress|absorption|work)\b[^.]{0,60}[−-]\s?\d", text)
    assert loose is None, loose
    # the citations named in the reference list are the registered ones
    refs = re.findall(r'<li id="ref-\d+">(.*?)</li>', page)
    known = {htmllib.escape(s.citation()) for s in SOURCES.values()}
    assert refs and set(refs) <= known


def test_load_effects_of_each_target_are_shown_with_sources(report_dir):
    r = _results(report_dir)
    content = build_content(GaitResult.load_json(report_dir / "results.json"))
    page = _html(report_dir)
    for target in content.prescription.targets:
        for effect in target.load_effects:
            if effect.change_pct is not None:
                shown = f"{effect.change_pct:+.1f}%".replace("-", "−")
                assert shown in page
        assert r["summary"]["cadence_spm"]["value"] > 0
    for s in content.prescription.ask_first:
        assert htmllib.escape(s.text) in page


def test_not_detectable_is_not_called_a_finding(report_dir):
    content = build_content(GaitResult.load_json(report_dir / "results.json"))
    page = _html(report_dir)
    found = re.search(r"<h3>Findings \(beyond what the measurement can detect\)</h3>"
                      r"(<table>.*?</table>)", page, re.S)
    labels = [r.label for r in content.findings if r.is_finding]
    if found:
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)[1:]:
            assert any(htmllib.escape(label) in row for label in labels)
            assert "within range" not in row and "not assessed" not in row
    for row in content.findings:
        if row.finding is not None and row.status == "within range":
            assert not row.is_finding
    # asymmetry is never presented as an injury predictor
    for sentence in re.findall(r"[^.]*injury predictor[^.]*", _text(page)):
        assert "not" in sentence, sentence


def test_the_plus_minus_shown_is_the_change_the_status_was_judged_by(report_dir):
    """± after a value is the detectable change used, the published SDD where that is larger."""
    from gait.advice import METRICS

    content = build_content(GaitResult.load_json(report_dir / "results.json"))
    checked = 0
    for row in content.findings:
        f = row.finding
        if f is None or not f.detectable_change_used:
            continue
        shown = float(re.search(r"\(± ([\d.]+)\)", row.value_text).group(1))
        decimals = 0 if f.unit == "ms" else 1
        assert shown == round(f.detectable_change_used, decimals)
        sdd = METRICS[f.metric].literature_sdd if f.metric in METRICS else None
        if sdd is not None:
            assert f.detectable_change_used >= sdd
            checked += 1
    assert checked >= 2  # the knee angles carry a published SDD (3.8°)


def test_checklist_uses_the_runners_answers(report_dir):
    text = " ".join(_text(_section(_html(report_dir), "return-to-run")).split())
    assert "stated 20 km a week with pain 2/10" in text
    assert "measured 170" in text or "steps/min at" in text
    assert text.count(" ask ") >= 4
    with pytest.raises(InvalidOptionError):
        RunnerInputs(pain_0_10=12)
    content = build_content(GaitResult.load_json(report_dir / "results.json"),
                            inputs=RunnerInputs(two_week_distance_increase_pct=40,
                                                strength_sessions_per_week=2,
                                                pain_0_10=3, pain_settled_next_morning=True))
    status = {i.key: (i.status, i.basis) for i in content.checklist}
    assert status["progression"] == ("not met", "stated +40% over two weeks")
    assert status["strength"][0] == "met" and status["pain_response"][0] == "met"


def test_pdf_has_the_expected_pages(report_dir):
    r = _results(report_dir)
    reader = pypdf.PdfReader(report_dir / "report.pdf")
    pages = [p.extract_text() for p in reader.pages]
    assert 6 <= len(pages) <= 20
    w, h = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1  # A4 in points
    first = " ".join(pages[0].split())
    assert "Running form report" in first and "At a glance" in first
    assert f"{r['summary']['cadence_spm']['value']:.1f} steps/min" in first
    starts = {}
    for title in ("Cadence prescription", "Form findings", "Figures", "Return-to-run checklist"):
        hits = [i for i, p in enumerate(pages) if p.lstrip().startswith(title)
                or f"\n{title}\n" in p[:200]]
        assert hits, f"no page starts with {title}"
        starts[title] = hits[0]
    assert sorted(starts.values()) == list(starts.values())
    assert any("References" in p for p in pages[-2:])
    target = _round_half(r["summary"]["cadence_spm"]["value"] * 1.1)
    assert f"{target:g}" in pages[starts["Cadence prescription"]]
    figures_page = reader.pages[starts["Figures"]]
    images = figures_page["/Resources"]["/XObject"]
    assert len(images) >= 2


def test_overlay_is_browser_playable_h264_with_every_frame(report_dir):
    codec, n_frames, fps = video_codec(report_dir / "overlay.mp4")
    assert codec == "h264"
    assert n_frames == PARAMS.n_frames
    assert fps == pytest.approx(PARAMS.fps, rel=1e-3)
    import av

    with av.open(str(report_dir / "overlay.mp4")) as c:
        assert c.streams.video[0].codec_context.pix_fmt == "yuv420p"


def test_overlay_marks_a_frame_whose_pose_was_filled_in(report_dir):
    result = GaitResult.load_json(report_dir / "results.json")
    track, _ = synthetic_track(PARAMS)
    frame = np.full((PARAMS.height_px, PARAMS.width_px, 3), 40, np.uint8)
    drawn = {bridged: draw_overlay(frame, track.xy_px[10], result=result, t_s=track.t_s[10],
                                   cadence_spm=170.0, bridged=bridged)
             for bridged in (False, True)}
    white = {b: (img == 255).all(axis=2) for b, img in drawn.items()}
    label = white[True] & ~white[False]
    assert label[:150, :400].sum() > 500  # the "pose filled in" label, under the cadence
    body = slice(150, PARAMS.height_px - 40)  # below the labels, above the time
    skeleton = {b: int((img[body] != 40).any(axis=2).sum()) for b, img in drawn.items()}
    assert skeleton[True] < 0.8 * skeleton[False]  # thinner bones


def test_overlay_outlines_the_tracked_region_and_the_report_names_it(report_dir):
    from dataclasses import replace

    from gait.report.overlay import drawn_result

    result = GaitResult.load_json(report_dir / "results.json")
    regioned = replace(result, options={**result.options, "region": [0.25, 0.5, 1.0, 1.0]})
    frame = np.full((PARAMS.height_px, PARAMS.width_px, 3), 40, np.uint8)
    no_pose = np.full_like(synthetic_track(PARAMS)[0].xy_px[0], np.nan)
    plain, outlined = (draw_overlay(frame, no_pose, result=r, t_s=0.0, cadence_spm=float("nan"))
                       for r in (result, regioned))
    changed = (plain != outlined).any(axis=2)
    rows, cols = np.nonzero(changed)
    x0, y0 = round(0.25 * PARAMS.width_px), round(0.5 * PARAMS.height_px)
    assert abs(rows.min() - y0) <= 2 and abs(cols.min() - x0) <= 2  # the region's corner
    assert not changed[:y0 - 3].any() and not changed[:, :x0 - 3].any()
    assert drawn_result(regioned) != drawn_result(result)  # a new region draws a new overlay
    facts = dict(build_content(regioned).clip_facts)
    assert facts["Part of frame tracked"] == "x 25-100 %, y 50-100 % of the frame (from top left)"
    assert "Part of frame tracked" not in dict(build_content(result).clip_facts)


def test_report_cleans_the_track_once_for_figures_key_frames_and_overlay(report_dir, tmp_path,
                                                                         monkeypatch):
    """Figures, key frames and overlay share one cleaning, and draw what each drew cleaning the
    track itself (the same PNG bytes, the same landmarks)."""
    from gait.clean import clean_track
    from gait.report import assets, overlay
    from gait.report.figures import foot_trajectories, to_png
    from gait.report.keyframes import initial_contact_frames

    result = GaitResult.load_json(report_dir / "results.json")
    track, _ = synthetic_track(PARAMS)
    cleanings, drawn = [], []

    def clean(*args, **kwargs):
        cleanings.append(args)
        return clean_track(*args, **kwargs)

    def encode(path, result, track, filtered, info, **kwargs):
        drawn.append(filtered)
        path.write_bytes(b"overlay")

    monkeypatch.setattr(assets, "clean_track", clean)
    monkeypatch.setattr(overlay, "encode_overlay", encode)
    write_report(tmp_path, result, track=track, video_path=report_dir / "clip.mp4",
                 metronome_duration_s=2.0)
    assert len(cleanings) == 1 and len(drawn) == 1
    alone, _ = clean_track(track, lowpass_hz=result.options["lowpass_hz"])
    np.testing.assert_array_equal(drawn[0].xy_px, alone.xy_px)
    figures = tmp_path / "figures"
    assert (figures / "foot_trajectories.png").read_bytes() == to_png(
        foot_trajectories(result, track))
    frames = initial_contact_frames(result, track, report_dir / "clip.mp4")
    assert [k.foot for k in frames] == ["left", "right"]
    for k in frames:
        assert (figures / f"keyframe_{k.foot}.png").read_bytes() == k.png


def test_an_unchanged_overlay_is_kept_not_encoded_again(report_dir, tmp_path, monkeypatch):
    """Re-analysis of the same clip (a new result object, new runner answers) keeps the overlay
    the earlier run encoded; a report without an overlay takes it and its fingerprint away."""
    from dataclasses import replace

    from gait.report import overlay

    result = GaitResult.load_json(report_dir / "results.json")
    run = dict(video_path=report_dir / "clip.mp4", metronome_duration_s=2.0, overwrite=True)
    first = write_report(tmp_path / "report", result, track=synthetic_track(PARAMS)[0], **run)
    assert first.kept == frozenset()
    video = (tmp_path / "report" / "overlay.mp4").read_bytes()

    def encode(*args, **kwargs):
        raise AssertionError("the unchanged overlay was encoded again")

    monkeypatch.setattr(overlay, "encode_overlay", encode)
    again = replace(result, created_utc="2031-01-01T00:00:00+00:00")
    out = tmp_path / "report"
    written = write_report(out, again, track=synthetic_track(PARAMS)[0],
                           inputs=RunnerInputs(pain_0_10=5.0), **run)
    assert (out / "overlay.mp4").read_bytes() == video
    assert {"overlay.mp4", "overlay.fingerprint.json"} <= set(written)
    assert written.kept == {"overlay.mp4", "overlay.fingerprint.json"}
    assert '<video controls preload="metadata" src="overlay.mp4"' in _html(out)
    assert overlay.fingerprint_path(out / "overlay.mp4").name in REPORT_FILES
    write_report(out, again, track=synthetic_track(PARAMS)[0], overlay=False, **run)
    assert not (out / "overlay.mp4").exists()
    assert not (out / "overlay.fingerprint.json").exists()


def test_cli_says_whether_it_wrote_or_kept_the_overlay(report_dir, tmp_path, monkeypatch,
                                                       capsys):
    """Analysing the same clip again into the same folder (--force), from the same cached
    landmarks, keeps the overlay, and the command line says so rather than "wrote"."""
    import gait.pipeline

    result = GaitResult.load_json(report_dir / "results.json")
    track, _ = synthetic_track(PARAMS)
    # the pose cache's part: the same landmarks, hence the same result, on every run
    monkeypatch.setattr(gait.pipeline, "analyze", lambda video, **kwargs: (result, track))
    out = tmp_path / "out"
    argv = ["analyze", str(report_dir / "clip.mp4"), "-o", str(out), "--force"]
    printed, made_ns = [], []
    for _ in range(2):
        assert main(argv) == 0
        printed.append(capsys.readouterr().out.splitlines()[-1])
        made_ns.append((out / "overlay.mp4").stat().st_mtime_ns)
    assert printed[0] == (f"wrote {out / 'report.html'}, report.pdf, figures/, "
                          "metronome_+*pct.mp3 and overlay.mp4")
    assert printed[1] == (f"wrote {out / 'report.html'}, report.pdf, figures/ and "
                          "metronome_+*pct.mp3; kept overlay.mp4 (made from the same inputs)")
    assert made_ns[1] == made_ns[0]


def test_the_report_line_names_metronome_tracks_only_when_there_are_some(tmp_path):
    from gait.cli import _report_line
    from gait.report import ReportFiles

    names = {"report.html", "report.pdf", "figures/cadence.png"}
    files = ReportFiles({n: tmp_path / n for n in names})  # e.g. a walking clip
    assert _report_line(tmp_path, files) == (f"wrote {tmp_path / 'report.html'}, report.pdf "
                                             "and figures/")


def _refilmed(folder, result, track, monkeypatch):
    from dataclasses import replace

    # the same run filmed again into the same file: same frames and times, other pixels
    render_video(folder / "clip.mp4", replace(PARAMS, image_noise_std=3.0))
    return result, track


def _landmark_moved(folder, result, track, monkeypatch):
    xy = track.xy_px.copy()
    xy[100, 27, 1] += 1.0  # one ankle, one pixel, one frame
    return result, track.with_changes("test: one landmark moved", xy_px=xy)


def _contact_moved(folder, result, track, monkeypatch):
    from dataclasses import replace

    events = [dict(e) for e in result.events]
    events[3]["ic_s"] += 1.0 / PARAMS.fps
    return replace(result, events=events), track


def _option_changed(folder, result, track, monkeypatch):
    from dataclasses import replace

    return replace(result, options={**result.options, "lowpass_hz": 8.0}), track


def _new_gait_version(folder, result, track, monkeypatch):
    from gait.report import overlay

    monkeypatch.setattr(overlay, "__version__", "99.0")
    return result, track


def _fingerprint_missing(folder, result, track, monkeypatch):
    (folder / "overlay.fingerprint.json").unlink()
    return result, track


def _fingerprint_corrupt(folder, result, track, monkeypatch):
    path = folder / "overlay.fingerprint.json"
    path.write_text(path.read_text()[:40])
    return result, track


def _fingerprint_of_other_inputs(folder, result, track, monkeypatch):
    path = folder / "overlay.fingerprint.json"
    record = json.loads(path.read_text())
    record["inputs"]["track"] = "0" * 64
    path.write_text(json.dumps(record))
    return result, track


def _overlay_replaced(folder, result, track, monkeypatch):
    path = folder / "overlay.mp4"
    path.write_bytes(path.read_bytes()[::-1])  # another file of the same size
    return result, track


def _overlay_cut_short(folder, result, track, monkeypatch):
    path = folder / "overlay.mp4"
    path.write_bytes(path.read_bytes()[:-1])
    return result, track


@pytest.mark.parametrize("change", [
    _refilmed, _landmark_moved, _contact_moved, _option_changed, _new_gait_version,
    _fingerprint_missing, _fingerprint_corrupt, _fingerprint_of_other_inputs, _overlay_replaced,
    _overlay_cut_short], ids=lambda f: f.__name__.strip("_"))
def test_a_changed_input_or_fingerprint_encodes_the_overlay_again(change, report_dir, tmp_path,
                                                                  monkeypatch):
    import shutil

    from gait.report import overlay

    encoded = []

    def encode(path, *args, **kwargs):  # a stand-in for the encoder: fast, and counted
        encoded.append(path)
        path.write_bytes(b"overlay %d" % len(encoded))

    monkeypatch.setattr(overlay, "encode_overlay", encode)
    clip, out = tmp_path / "clip.mp4", tmp_path / "overlay.mp4"
    shutil.copyfile(report_dir / "clip.mp4", clip)
    result = GaitResult.load_json(report_dir / "results.json")
    track, _ = synthetic_track(PARAMS)
    for _ in range(2):
        overlay.write_overlay(out, result, track, clip, overwrite=True)
    assert len(encoded) == 1  # unchanged: kept
    result, track = change(tmp_path, result, track, monkeypatch)
    overlay.write_overlay(out, result, track, clip, overwrite=True)
    assert len(encoded) == 2 and out.read_bytes() == b"overlay 2"
    overlay.write_overlay(out, result, track, clip, overwrite=True)
    assert len(encoded) == 2  # the new fingerprint describes the new overlay


def test_a_new_belt_speed_or_height_keeps_the_overlay(report_dir, tmp_path, monkeypatch):
    """Correcting the belt speed or height changes lengths, not what the frames show."""
    from dataclasses import replace

    from gait.report import overlay

    encoded = []
    monkeypatch.setattr(overlay, "encode_overlay",
                        lambda path, *a, **k: (encoded.append(path), path.write_bytes(b"v")))
    result = GaitResult.load_json(report_dir / "results.json")
    track, out = synthetic_track(PARAMS)[0], tmp_path / "overlay.mp4"
    overlay.write_overlay(out, result, track, report_dir / "clip.mp4")
    summary = {**result.summary, "step_length_m": {**result.summary["step_length_m"],
                                                   "value": 1.5}}
    rescaled = replace(result, options={**result.options, "belt_speed_ms": 4.0,
                                        "height_m": 1.9},
                       summary=summary, steps=[{**s, "step_length_m": 1.5} for s in result.steps])
    overlay.write_overlay(out, rescaled, track, report_dir / "clip.mp4", overwrite=True)
    assert len(encoded) == 1


def test_key_frames_skip_contacts_in_frames_without_the_runner(report_dir):
    from gait.report.keyframes import representative_steps

    result = GaitResult.load_json(report_dir / "results.json")
    typical = representative_steps(result)
    detected = np.ones(PARAMS.n_frames, bool)
    for row in typical.values():
        detected[row["ic_idx"]] = False  # the pose model missed the runner there
    instead = representative_steps(result, detected)
    assert set(instead) == set(typical) == {"left", "right"}
    for side, row in instead.items():
        assert row["ic_idx"] != typical[side]["ic_idx"] and detected[row["ic_idx"]]


def _left_right_rows(page: str) -> dict[str, list[str]]:
    """Cells of the HTML left/right table by measure (visible text)."""
    section = page[page.index("<h3>Left and right</h3>"):]
    section = section[:section.index("</table>")]
    cells = [[htmllib.unescape(re.sub("<[^>]+>", "", c)).strip()
              for c in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in section.split("<tr")]
    return {c[0]: c for c in cells if c}


def test_left_right_table_compares_angles_by_difference_and_times_by_symmetry_index(report_dir):
    """A symmetry index of angles near zero is meaningless (-3.6° vs -0.4° is +161 %)."""
    r = _results(report_dir)
    rows = _left_right_rows(_html(report_dir))
    shin, step = r["asymmetry"]["shin_angle_deg"], r["asymmetry"]["step_time_ms"]
    shin_row, step_row = rows["Shin angle at contact"], rows["Step time"]
    assert float(shin_row[4].replace("−", "-")) == pytest.approx(shin["difference"], abs=0.05)
    assert shin_row[5] == "—"
    assert float(step_row[4].replace("−", "-")) == pytest.approx(step["difference"], abs=0.5)
    assert float(step_row[5].replace("−", "-")) == pytest.approx(step["symmetry_index_pct"],
                                                                 abs=0.05)
    pdf = " ".join(" ".join(p.extract_text().split())
                   for p in pypdf.PdfReader(report_dir / "report.pdf").pages)
    assert "compared by their difference" in pdf and "Left − right" in pdf


def test_left_right_table_prints_negative_values_with_a_true_minus_sign(report_dir):
    """Left and right print a negative angle as the difference beside them does: "−", not "-",
    in the HTML and the PDF alike."""
    shin = _results(report_dir)["asymmetry"]["shin_angle_deg"]
    assert shin["left"] < -0.05 and shin["right"] < -0.05  # the synthetic runner's shins
    left, right = (f"{shin[side]:.1f}".replace("-", "−") for side in ("left", "right"))
    rows = _left_right_rows(_html(report_dir))
    assert rows["Shin angle at contact"][1:3] == [left, right]
    assert not any("-" in cell for row in rows.values() for cell in row[1:3])
    pdf = " ".join(" ".join(p.extract_text().split())
                   for p in pypdf.PdfReader(report_dir / "report.pdf").pages)
    assert f"Shin angle at contact {left} {right} deg" in pdf


def test_metronome_tracks_click_at_the_targets(report_dir):
    r = _results(report_dir)
    cadence = r["summary"]["cadence_spm"]["value"]
    for inc in (5.0, 7.5, 10.0):
        target = _round_half(cadence * (1 + inc / 100))
        path = report_dir / f"metronome_+{inc:g}pct.mp3"
        with av.open(str(path)) as container:
            rate = container.streams.audio[0].sample_rate
            x = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
        assert len(x) / rate == pytest.approx(20.0)
        loud = np.abs(x) > 0.05  # above the codec's noise between clicks
        rises = np.flatnonzero(loud[1:] & ~loud[:-1]) + 1
        onsets = rises[np.r_[True, np.diff(rises) > rate * 0.1]]  # a click's first rise
        # accented (every other) clicks are louder and cross the threshold sooner: compare alike
        stride = np.median(np.diff(onsets[::2])) / rate
        assert stride / 2 == pytest.approx(60.0 / target, abs=2.0 / rate)
        assert path.stat().st_size < 50_000  # 20 s; about 0.3 MB for the default 5 min


def test_metronome_wavs_of_an_earlier_version_are_replaced_not_mixed_in(report_dir, tmp_path):
    """Reports before the tracks became MP3s wrote WAVs: a re-analysis into that folder asks
    for --force and then leaves only the new tracks."""
    result = GaitResult.load_json(report_dir / "results.json")
    old = tmp_path / "metronome_+5pct.wav"
    old.write_bytes(b"RIFF")
    with pytest.raises(OutputExistsError, match="metronome_"):
        write_report(tmp_path, result, metronome_duration_s=2.0)
    written = write_report(tmp_path, result, metronome_duration_s=2.0, overwrite=True)
    assert not old.exists()
    assert sorted(p.name for p in tmp_path.glob("metronome_*")) == sorted(
        n for n in written if n.startswith("metronome_")) == [
        "metronome_+10pct.mp3", "metronome_+5pct.mp3", "metronome_+7.5pct.mp3"]


def test_report_without_video_has_no_key_frames(tmp_path):
    track, truth = synthetic_track(PARAMS)
    result = analyze_track(track, options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"]))
    written = write_report(tmp_path, result, metronome_duration_s=5.0)
    assert "overlay.mp4" not in written and not (tmp_path / "overlay.mp4").exists()
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == [
        "cadence_per_step.png", "left_right.png", "stance_timeline.png"]
    assert "data:image/png;base64," in _html(tmp_path)
    with pytest.raises(OutputExistsError):
        write_report(tmp_path, result, metronome_duration_s=5.0)


def test_walking_clip_gets_no_running_advice(report_dir, tmp_path):
    from dataclasses import replace

    walking = replace(GaitResult.load_json(report_dir / "results.json"), gait_mode="walking")
    content = build_content(walking)
    assert content.prescription is None and content.findings == ()
    assert content.metronome_files == {} and "walking" in content.notes[0]
    written = write_report(tmp_path, walking, metronome_duration_s=5.0)
    assert not any(name.startswith("metronome") for name in written)
    page = _html(tmp_path)
    assert "Walking gait report" in page and 'id="cadence"' not in page
    assert "No measure differs" not in page
    assert "Walking gait report" in pypdf.PdfReader(tmp_path / "report.pdf").pages[0].extract_text()
    assert "Stance and double support" in page and "flight phases" not in page
    # the left/right comparison stands without the runners' asymmetry evidence or reference ranges
    assert content.asymmetry_caveat == () and "Left and right comparison" in page
    # (the return-to-run checklist keeps its running evidence: it is about returning to run)
    for runners_only in ("Healthy trained runners", "recreational runners", "reference range",
                         "measurement error. Asymmetry is not", "and the targets",
                         "running cadence"):
        assert runners_only not in page
    fps = walking.pose["fps"]
    assert f"At {fps:.0f} fps single steps scatter by a frame (about ±{500 / fps:.0f} ms)" in page
    # a walking cadence is no running baseline, and the step-time criterion is a runner's
    items = {i.key: i for i in content.checklist}
    for key in ("baseline_at_speed", "stride_symmetry"):
        assert items[key].status == "unknown"
        assert items[key].basis.startswith("this clip shows walking; a clip of the runner running")
    assert "walking cadence" in items["baseline_at_speed"].basis
    running = build_content(GaitResult.load_json(report_dir / "results.json"))
    assert [s.claims for s in running.asymmetry_caveat] == [("asymmetry.healthy",),
                                                            ("asymmetry.not_predictor",)]


def test_double_support_is_the_overlap_of_left_and_right_stance():
    from gait.report.figures import _double_support, _flights

    left, right = [(0.0, 0.7), (1.1, 1.8)], [(0.55, 1.25), (1.65, 2.35)]
    assert _double_support(left, right) == [pytest.approx((0.55, 0.15)), pytest.approx((1.1, 0.15)),
                                            pytest.approx((1.65, 0.15))]
    # a runner's stances never overlap: the gaps between them are the flights
    running = [(0.0, 0.25), (0.36, 0.61), (0.72, 0.97)]
    assert _double_support(running[::2], running[1:2]) == []
    assert _flights(running) == [pytest.approx((0.25, 0.11)), pytest.approx((0.61, 0.11))]


def test_stance_timeline_shows_only_the_landings_of_a_foot_lost_mid_stance(report_dir):
    """A foot whose stances the pose model cut short (`short_stance_foot`) has no measured
    toe-offs: the timeline marks its landings only, and draws no flight from its lift-offs."""
    from dataclasses import replace

    from gait.report.figures import LANDING_MARK_S, _flights_after, stance_timeline

    result = GaitResult.load_json(report_dir / "results.json")
    cut = [dict(e, to_s=e["ic_s"] + 0.3 * (e["to_s"] - e["ic_s"])) if e["foot"] == "right"
           else e for e in result.events]
    lost = replace(result, events=cut, lost_foot="right")  # as metrics records it
    ax = stance_timeline(lost).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["left stance", "right landings",
                                                             "flight"]
    assert "right toe-offs lost" in ax.get_title(loc="left")
    right_bars = ax.collections[1].get_paths()
    assert all(np.ptp(p.vertices[:, 0]) == pytest.approx(LANDING_MARK_S) for p in right_bars)
    # flights run from a stance's end to the next landing of either foot
    assert _flights_after([(0.0, 0.25), (0.72, 0.97)], [0.0, 0.36, 0.72, 1.08]) == [
        pytest.approx((0.25, 0.11)), pytest.approx((0.97, 0.11))]
    # the overlay video marks the lost foot's landings but never shows it on the belt
    from gait.report.overlay import _stance

    ic = next(e["ic_s"] for e in cut if e["foot"] == "right")
    assert _stance(lost, "right", ic + 0.05) == (False, True)
    assert _stance(result, "right", ic + 0.05) == (True, True)
    whole = stance_timeline(result).axes[0]
    assert [t.get_text() for t in whole.get_yticklabels()] == ["left stance", "right stance",
                                                                "flight"]


def test_cli_does_not_overwrite_an_earlier_report(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("earlier")
    sample = Path(__file__).resolve().parents[1] / "sample_videos" / "runner_side_30fps.mp4"
    assert main(["analyze", str(sample), "-o", str(out), "-q"]) == 6
    assert "report.html" in capsys.readouterr().err
    assert (out / "report.html").read_text() == "earlier"
    assert "report.pdf" in REPORT_FILES and "overlay.mp4" in REPORT_FILES


def test_cli_rejects_pain_outside_0_10(tmp_path, capsys):
    sample = Path(__file__).resolve().parents[1] / "sample_videos" / "runner_side_30fps.mp4"
    assert main(["analyze", str(sample), "-o", str(tmp_path / "o"), "--pain", "12", "-q"]) == 2
    assert "pain" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
@pytest.mark.real
def test_report_of_real_treadmill_clip(real_track, shared_videos, tmp_path):
    name = "treadmill_side_30fps.mp4"
    track = real_track(name)
    result = analyze_track(track)
    write_report(tmp_path, result, track=track, video_path=shared_videos / name, overlay=False,
                 metronome_duration_s=5.0)
    page = _html(tmp_path)
    cadence = result.summary["cadence_spm"]["value"]
    assert f"{cadence:.1f}" in _text(_section(page, "overview"))
    # no belt speed: no step lengths are invented
    assert "Belt speed not given" in " ".join(_text(_section(page, "overview")).split())
    assert len(re.findall(r"data:image/png;base64,", page)) == len(FIGURES)
    reader = pypdf.PdfReader(tmp_path / "report.pdf")
    assert len(reader.pages) >= 6


def test_page_skeletons_are_reusable(tmp_path):
    from gait.report import html as H
    from gait.report import pdf as P

    page = H.render_page("Compare <sessions>", [
        H.Section("One", H.paragraph("a < b & c")),
        H.Section("Two", H.table([], [["<b>x</b>", "1"]]), anchor="two", page_break_before=True),
    ], subtitle="two sessions", footer_html="small print")
    assert "<title>Compare &lt;sessions&gt;</title>" in page and "a &lt; b &amp; c" in page
    assert '<section id="two" class="page-break"><h2>Two</h2>' in page
    assert "<thead>" not in page and "small print" in page
    path = P.render_pdf(tmp_path / "c.pdf", "Compare", [
        P.PdfSection("One", [P.para("cadence ≥ 170 − 5 ± 2°", cite="[1]")]),
        P.PdfSection("Two", [P.table(["a", "b"], [["1", "2"]])], page_break_before=True),
    ], footer_text="gait")
    pages = [p.extract_text() for p in pypdf.PdfReader(path).pages]
    assert len(pages) == 2
    assert "cadence ≥ 170 − 5 ± 2° [1]" in pages[0] and "page 2" in pages[1]


def test_measures_sharing_a_note_share_one_line(report_dir):
    from gait.report.wording import measurement_notes

    content = build_content(GaitResult.load_json(report_dir / "results.json"))
    notes = measurement_notes(content)
    approximate = [n for n in notes if "approximate:" in n]
    assert len(approximate) == len(set(approximate))
    summary = content.result.summary
    shared = {summary[k]["note"] for k in ("contact_time_ms", "flight_time_ms", "duty_factor_pct")
              if summary[k]["approximate"]}
    assert len(shared) == 1  # below 120 fps all three carry the same note, as step time does
    note = shared.pop()
    assert summary["step_time_ms"]["note"] == note
    [line] = [n for n in approximate if note in n]
    assert line.startswith("Step time (ms), Contact time (ms), Flight time (ms) and Duty factor "
                           "(%) are")
    assert not any(n.startswith("step_time_ms") for n in notes)


def test_a_block_shrinks_to_the_space_left_or_moves_whole_to_the_next_page():
    """The key frames on page 1 shrink (to 30 mm) rather than leave the rest of the page blank;
    with even less room they move to the next page at full size."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from gait.report.pdf import ShrinkToFit

    block = ShrinkToFit(lambda size: [Spacer(1, size * mm), Spacer(1, 10 * mm)],
                        largest=54, smallest=30)
    assert block.wrap(400, 200 * mm) == (400, pytest.approx(64 * mm))  # room: full size
    assert block.wrap(400, 50 * mm)[1] == pytest.approx(50 * mm)  # shrunk to fit exactly
    assert block.wrap(400, 41 * mm)[1] == pytest.approx(40 * mm)  # the 2 mm steps
    assert block.wrap(400, 30 * mm)[1] == pytest.approx(64 * mm)  # no room: moved, full size
    assert block.split(400, 30 * mm) == []


def test_step_length_scaled_from_body_height_is_marked_approximate_at_a_glance():
    from gait.report.wording import headline_tiles

    track, truth = synthetic_track(SynthParams(duration_s=6.0))
    by_height = analyze_track(track, options=AnalysisOptions(height_m=truth["height_m"]))
    by_belt = analyze_track(track, options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"]))
    tiles = {label: spread for label, _, _, spread in headline_tiles(build_content(by_height))}
    assert "approximate: scaled from body height" in tiles["Step length"]
    assert "approximate" in tiles["Stride length"] and "approximate" not in tiles["Cadence"]
    belt_tiles = {label: spread for label, _, _, spread in headline_tiles(build_content(by_belt))}
    assert "approximate" not in belt_tiles["Step length"]


def test_stance_timeline_states_the_contact_time_error_not_half_a_frame(report_dir):
    """The timeline's caption gives the stated error of a contact time (pose model, frame rate,
    common timing), which is what a reader needs to judge the bars; half a frame (±2 ms at
    240 fps) would claim far more than the pose model delivers."""
    from gait.report.figures import stance_timeline

    result = GaitResult.load_json(report_dir / "results.json")
    error = result.summary["contact_time_ms"]["expected_error"]
    title = stance_timeline(result).axes[0].get_title(loc="left")
    assert f"contact time ±{error:.0f} ms" in title
    assert f"{result.pose['fps']:.0f} fps" in title


def test_a_clip_over_still_ground_speaks_of_the_ground_not_a_belt(report_dir, tmp_path):
    """A person crossing the frame stands on the ground: the figures, their captions, the
    overlay note and a missing step length say so (they spoke of a belt on every clip)."""
    from gait.report.assets import ReportAssets
    from gait.report.figures import foot_trajectories
    from gait.report.wording import headline_tiles, overlay_note

    params = SynthParams(gait="walking", overground=True, belt_speed_kmh=4.0, duration_s=7,
                         width_px=1920, height_px=540, body_height_frac=0.5,
                         camera_distance_m=10.0)
    track, _ = synthetic_track(params)
    result = analyze_track(track)
    assert result.view["crosses_frame"] and result.stance_surface == "ground"
    write_report(tmp_path, result, track=track, metronome_duration_s=5.0)
    page = _html(tmp_path)
    assert "above the ground" in page and "when each foot is on the ground" in page
    assert "belt" not in page.replace("belt speed", "")
    axes = foot_trajectories(result, track).axes
    assert "ground" in axes[0].get_title(loc="left") and "ground" in axes[1].get_xlabel()
    content = build_content(result)
    assert "foot is on the ground" in overlay_note(content, ReportAssets(overlay_file="o.mp4"))
    tiles = {label: spread for label, _, _, spread in headline_tiles(content)}
    assert tiles["Step length"] == "not measured (no body height given)"
    assert "when each foot is on the belt" in _html(report_dir)  # a treadmill keeps its belt


def test_foot_height_is_measured_from_each_stances_own_ground_level():
    """Where the ground's image row drifts over the clip (a person walking nearer the camera,
    a tilted camera), each stance sits at height zero, not only the clip's lowest one."""
    from gait.report.figures import _stance_level_px

    t = np.arange(0.0, 6.0, 1 / 30)
    ground = 400.0 + 12.0 * t  # px: the ground line moves down the image by 12 px/s
    contacts = [{"ic_s": a, "to_s": a + 0.6} for a in np.arange(0.2, 5.5, 1.1)]
    stance = np.any([(t >= c["ic_s"]) & (t <= c["to_s"]) for c in contacts], axis=0)
    low_y = np.where(stance, ground, ground - 40.0 * np.abs(np.sin(3 * t)) - 5.0)
    level = _stance_level_px(t, low_y, contacts)
    assert np.max(np.abs((level - low_y)[stance & (t > 0.5) & (t < 5.3)])) < 4.0
    one = _stance_level_px(t, low_y, contacts[:1])
    assert np.all(one == np.percentile(low_y, 95))


def test_a_rear_view_says_step_length_needs_a_side_view_not_a_belt_speed():
    from gait.report.wording import headline_tiles
    from gait.synth import rear_track

    track, truth = rear_track(SynthParams(view="rear", width_px=480, height_px=640,
                                          duration_s=8.0, seed=1))
    result = analyze_track(track, options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"]))
    tiles = {label: spread for label, _, _, spread in headline_tiles(build_content(result))}
    assert tiles["Step length"] == "not measured from the rear (film from the side)"
    unknown_belt = analyze_track(track)
    facts = dict(build_content(unknown_belt).clip_facts)
    assert facts["Belt speed"] == "not given"  # giving it would not measure step length either


def test_left_right_chart_stands_under_the_left_right_table(report_dir):
    """The chart of the legs' values follows their table (it was pages later among the
    figures, leaving a walker's one-table section alone on its page)."""
    page = _html(report_dir)
    findings, figures = _section(page, "findings"), _section(page, "figures")
    chart = "Left vs right for each measure on both legs"
    assert chart in findings and chart not in figures
    assert findings.index("Symmetry index") < findings.index(chart)
    assert "Foot trajectories" in figures and "Stance and flight" in figures
    pages = pypdf.PdfReader(report_dir / "report.pdf").pages
    texts = [p.extract_text() for p in pages]
    table_at = max(i for i, t in enumerate(texts) if "Symmetry" in t)
    figures_at = next(i for i, t in enumerate(texts) if "\nFigures\n" in t[:200])
    images = [len(p["/Resources"].get("/XObject", {})) for p in pages]
    assert table_at < figures_at and sum(images[table_at:figures_at]) == 1
    assert images[figures_at] == 3  # foot heights, stances, cadence


def test_step_lengths_from_a_belt_speed_say_they_rest_on_it(report_dir, tmp_path):
    """A treadmill display can be well off the belt's real speed (evidence §6.4), and every
    step length and steps-per-km figure scales with it: the report says so, with its source,
    next to the belt speed; without a belt speed there is nothing to say."""
    page = _html(report_dir)
    overview = _section(page, "overview")
    assert "Step lengths are only as right as the belt speed given" in _text(overview)
    assert 'data-claims="measure.belt_speed_display_secondary"' in overview
    first = pypdf.PdfReader(report_dir / "report.pdf").pages[0].extract_text()
    assert "only as right as the belt speed" in " ".join(first.split())
    track, _ = synthetic_track(SynthParams(duration_s=6.0))
    without = build_content(analyze_track(track))
    assert without.belt_speed_caveat == ()
