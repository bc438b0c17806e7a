"""Lay out a `ReportContent` as the A4 ``report.pdf``, section for section like the HTML.

Every evidence-backed sentence ends with its numbered reference marker
(``[n]``), numbered in the same order as in the HTML; the reference list is
the last section. Audio players and the overlay video exist only in the HTML;
the PDF names the files instead.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from ..evidence import Statement
from ..frontal.findings import VIEW_PHRASE, frontal_findings
from .assets import ReportAssets
from .citations import CitationIndex
from .content import ReportContent
from .pdf import (FRAME_WIDTH_PT, PdfSection, ShrinkToFit, bullets, image, markup, para,
                  render_pdf, table, text, tiles)
from .wording import (BILATERAL_NOTE, DETECTABLE_NOTE, GROUP_TITLES,
                      bilateral_comparison, bilateral_values, checklist_status, clip_footer, effect_text, finding_groups,
                      findings_title,
                      frontal_facts, frontal_intro, headline_tiles, measurement_notes,
                      overlay_note, page_footer, target_rows)


def cited(statement: Statement, refs: CitationIndex, *, style: str = "body"):
    """A paragraph of the statement's text with its reference marker."""
    return para(statement.text, style=style, cite=refs.marker(statement))


def _cell(statements, refs: CitationIndex, *, prefix: str = "", style: str = "cell") -> Flowable:
    parts = [f"<i>{text(prefix)}</i>"] if prefix else []
    parts += [text(s.text) + f' <font size="6.5" color="#1f4e79">{refs.marker(s)}</font>'
              for s in statements]
    return markup(" ".join(parts), style=style)


def _overview(c: ReportContent, refs: CitationIndex, assets: ReportAssets) -> PdfSection:
    out: list[Flowable] = [tiles(headline_tiles(c)),
                           Spacer(1, 6)]
    out += [para(n, style="callout") for n in c.notes]
    if c.prescription is not None:
        out.append(cited(c.prescription.summary, refs, style="callout"))
    found = [r for r in c.findings if r.is_finding]
    if found:
        out.append(para("Findings beyond measurement error", style="h3"))
        out += bullets([markup(f"<b>{text(r.label)}</b>: {text(r.value_text)} — "
                               f"<i>{text(r.status)}</i>. " + " ".join(
                                   text(s.text) + f' <font size="7" color="#1f4e79">'
                                   f'{refs.marker(s)}</font>' for s in r.meaning[:1]))
                        for r in found])
        out.append(para(DETECTABLE_NOTE, style="small"))
    elif c.findings:
        out.append(para("No measure differs from its reference by more than the measurement "
                        "can detect.", style="small"))
    if c.warnings:
        out.append(para("Capture quality", style="h3"))
        out += [para(w, style="warn") for w in c.warnings]
    out.append(para("The clip", style="h3"))
    out.append(table([], [[markup(f"<b>{text(k)}</b>", style="cell"), v] for k, v in c.clip_facts],
                     col_widths_frac=(0.25, 0.75)))
    out += [cited(s, refs, style="small") for s in c.belt_speed_caveat]
    if assets.keyframes:
        out.append(ShrinkToFit(lambda height_mm: _keyframes(assets, height_mm),
                               largest=54, smallest=30))
    return PdfSection("At a glance", out)


def _keyframes(assets: ReportAssets, height_mm: float) -> list[Flowable]:
    """"At initial contact": the key frames side by side, at most `height_mm` tall."""
    cells = [image(k.png, caption=k.caption, width_frac=0.46, max_height_mm=height_mm,
                   keep_together=False) for k in assets.keyframes]
    t = Table([cells], colWidths=[FRAME_WIDTH_PT / len(cells)] * len(cells))
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return [para("At initial contact", style="h3"), t]


def _prescription(c: ReportContent, refs: CitationIndex) -> PdfSection:
    p = c.prescription
    out: list[Flowable] = [para(
        f"Now: {p.cadence_spm:.1f} steps/min"
        + ("" if p.step_length_m is None else
           f", step length {p.step_length_m:.2f} m at the filmed belt speed "
           f"({p.steps_per_km:.0f} steps per km)") + ".")]
    trs = target_rows(c)
    out.append(table(["Increase", "Target (steps/min)", "Metronome (BPM)",
                      "Step length at this speed", "Steps per km"],
                     [[r["increase"], r["target"], r["bpm"], r["step_length"], r["steps_per_km"]]
                      for r in trs],
                     col_widths_frac=(0.16, 0.2, 0.2, 0.22, 0.22), numeric_cols=(1, 2, 3, 4)))
    if c.lengths_note:
        out.append(para(c.lengths_note, style="small"))
    out.append(para("What the evidence says each increase does to load", style="h3"))
    for r in trs:
        out.append(para(f"{r['increase']} ({r['target']} steps/min){r['studied_note']}:",
                        style="body"))
        out += bullets([cited(Statement(effect_text(e), e.statement.claims), refs)
                        for e in r["effects"]])
    notes = list(dict.fromkeys(n for t in p.targets for n in t.notes))
    out += bullets([cited(n, refs) for n in notes])
    if c.metronome_files:
        out.append(para("Metronome tracks beside this report: "
                        + ", ".join(c.metronome_files.values())
                        + " (one click per step; the accented click marks every second step).",
                        style="small"))
    out.append(para("Retraining plan", style="h3"))
    out += bullets([cited(s, refs) for s in p.plan])
    out.append(para("Before changing cadence: questions for the clinician", style="h3"))
    out += bullets([cited(s, refs) for s in p.ask_first])
    out.append(para("Background: cadence, speed and load", style="h3"))
    out += bullets([cited(s, refs, style="small") for s in p.context], style="small")
    return PdfSection("Cadence prescription", out, page_break_before=True)


def _findings(c: ReportContent, refs: CitationIndex, assets: ReportAssets) -> PdfSection:
    out: list[Flowable] = [para(
        "Each measure is read against a reference range from the evidence. " + DETECTABLE_NOTE,
        style="small")] if c.findings else []
    for group, rows in finding_groups(c):
        if not rows:
            continue
        trs = []
        for r in rows:
            meaning = [_cell(r.meaning[:1], refs)]
            if r.cue is not None:
                meaning.append(_cell([r.cue], refs, prefix="Cue or drill:"))
            if len(r.meaning) > 1:
                meaning.append(_cell(r.meaning[1:], refs, prefix="Background:", style="cell_small"))
            ref = "—" if r.reference is None else _cell([r.reference], refs)
            trs.append([markup(f"<b>{text(r.label)}</b>", style="cell"), r.value_text, ref,
                        r.status, meaning])
        out.append(para(GROUP_TITLES[group], style="h3"))
        out.append(table(["Measure", "Measured (± detectable change)", "Reference", "Status",
                          "What it means"], trs,
                         col_widths_frac=(0.17, 0.13, 0.2, 0.09, 0.41)))
    if c.bilateral:
        rows = [[b["label"], *bilateral_values(b), b["unit"], *bilateral_comparison(b),
                 b["verdict"]] for b in c.bilateral]
        heading = [para("Left and right", style="h3")] if c.findings else []
        out.append(KeepTogether([
            *heading,
            table(["Measure", "Left", "Right", "Unit", "Left − right", "Symmetry index (%)",
                   "Verdict"], rows,
                  col_widths_frac=(0.25, 0.08, 0.08, 0.06, 0.1, 0.12, 0.31),
                  numeric_cols=(1, 2, 4, 5)),
            para(BILATERAL_NOTE, style="small")]))
        out += bullets([cited(s, refs) for s in c.asymmetry_caveat])
        chart = assets.left_right_chart
        if chart is not None:
            out.append(image(chart.png, caption=chart.caption, width_frac=0.92,
                             max_height_mm=110))
    return PdfSection(findings_title(c), out, page_break_before=True)


def _frontal(c: ReportContent, refs: CitationIndex) -> PdfSection:
    """Frontal-plane findings of a rear (or front) clip, each with its reliability."""
    frontal = c.result.frontal
    rows = []
    for f in frontal_findings(frontal):
        side = [("—" if v is None else f"{v:.1f}") for v in f["per_side"].values()]
        if f["not_assessable"]:
            value = markup(f'<b>not assessable</b><br/><font size="7">'
                           f"{text(f['not_assessable'])}</font>", style="cell")
        else:
            value = markup(f"<b>{f['value']:.1f}</b> {text(f['unit'])}<br/>"
                           f'<font size="7">IQR {f["spread"]["q1"]:.1f} to '
                           f'{f["spread"]["q3"]:.1f}; L {side[0]}, R {side[1]}; {f["n"]} steps'
                           "</font>", style="cell")
        ref = ("—" if not f["reference_claims"] else
               _cell([Statement(f["reference"], tuple(f["reference_claims"]))], refs))
        rel = f["reliability"]
        reliability = _cell([Statement(rel["text"], tuple(rel["claims"]))], refs,
                            prefix=rel["level"] + ":")
        if f["note"] and not f["not_assessable"]:
            reliability = [reliability, para("Note: " + f["note"], style="cell")]
        rows.append([markup(f"<b>{text(f['title'])}</b>", style="cell"), value, ref,
                     reliability, para(f["meaning"], style="cell")])
    out: list[Flowable] = [
        para(frontal_intro(frontal), style="small"),
        table(["Measure", "Measured", "Reference", "Reliability", "What it means"], rows,
              col_widths_frac=(0.16, 0.17, 0.22, 0.25, 0.2))]
    facts = frontal_facts(frontal)
    out += bullets([para(f, style="body") for f in facts])
    out += [para(w, style="warn") for w in frontal.get("warnings", [])]
    return PdfSection(f"Frontal plane ({VIEW_PHRASE[frontal['view']]})", out,
                      page_break_before=True)


def _figures(c: ReportContent, assets: ReportAssets) -> PdfSection:
    out: list[Flowable] = []
    for fig in assets.figures_section:
        out.append(image(fig.png, caption=fig.caption, width_frac=0.92, max_height_mm=110))
    note = overlay_note(c, assets)
    if note:
        out.append(para(note, style="small"))
    return PdfSection("Figures", out, page_break_before=True)


def _return_to_run(c: ReportContent, refs: CitationIndex) -> PdfSection:
    rows = [[i.question, checklist_status(i.status), i.basis, _cell([i.evidence], refs)]
            for i in c.checklist]
    out: list[Flowable] = [
        para("Filled from what gait measured and what the runner stated; items marked 'ask' "
             "are questions for the runner and clinician.", style="small"),
        table(["Question", "Status", "Based on", "Evidence"], rows,
              col_widths_frac=(0.29, 0.09, 0.18, 0.44)),
        para("Listen to your body", style="h3")]
    out += bullets([cited(s, refs) for s in c.rules])
    return PdfSection("Return-to-run checklist", out, page_break_before=True)


def _method(c: ReportContent) -> PdfSection:
    return PdfSection("How this was measured", bullets(measurement_notes(c), style="small")
                      + [para(clip_footer(c), style="small")])


def _references(refs: CitationIndex) -> PdfSection:
    out = [para(f"[{n}] {citation}", style="small") for n, _, citation in refs.entries()]
    out.append(para("[secondary source only] and [unverified] mark evidence the project could "
                    "not confirm in the original paper.", style="small"))
    return PdfSection("References", out)


def report_pdf(path: str | Path, content: ReportContent, assets: ReportAssets) -> Path:
    """Write the analysis report as an A4 PDF.

    Parameters
    ----------
    path : str or Path
    content : ReportContent
    assets : ReportAssets

    Returns
    -------
    Path
    """
    refs = CitationIndex()
    sections = [_overview(content, refs, assets)]
    if content.prescription is not None:
        sections.append(_prescription(content, refs))
    sections.append(_findings(content, refs, assets))
    if content.result.frontal:
        sections.append(_frontal(content, refs))
    sections += [_figures(content, assets), _return_to_run(content, refs), _method(content),
                 _references(refs)]
    return render_pdf(path, content.title, sections, subtitle=content.subtitle,
                      footer_text=page_footer(content))
