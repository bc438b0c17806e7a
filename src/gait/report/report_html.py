"""Lay out a `ReportContent` as the self-contained ``report.html``.

Every evidence-backed sentence is rendered by `cited`, as
``<span class="stmt" data-claims="...">text<sup class="cite">[n]</sup></span>``,
so a reader (and the tests) can see that no load, risk or norm number stands
without its numbered reference; the reference list is the last section.
"""

from __future__ import annotations

from ..evidence import Statement
from ..frontal.findings import VIEW_PHRASE, frontal_findings
from .assets import ReportAssets
from .citations import CitationIndex
from .content import ReportContent
from .html import (Section, audio, bullet_list, esc, figure, paragraph, render_page,
                   status_badge, table, tile, video)
from .wording import (BILATERAL_NOTE, DETECTABLE_NOTE, GROUP_TITLES,
                      bilateral_comparison, bilateral_values, checklist_status, clip_footer, effect_text, finding_groups,
                      findings_title,
                      frontal_facts, frontal_intro, headline_tiles, measurement_notes,
                      overlay_note, target_rows)


def cited(statement: Statement, refs: CitationIndex) -> str:
    """A statement's text with its numbered reference marker, as HTML."""
    nums = refs.numbers(statement)
    links = ", ".join(f'<a href="#ref-{n}">{n}</a>' for n in nums)
    return (f'<span class="stmt" data-claims="{esc(" ".join(statement.claims))}">'
            f'{esc(statement.text)}<sup class="cite">[{links}]</sup></span>')


def _cited_list(statements, refs: CitationIndex) -> str:
    return bullet_list(cited(s, refs) for s in statements)


def _overview(c: ReportContent, refs: CitationIndex, assets: ReportAssets) -> Section:
    tiles = "".join(tile(*t) for t in headline_tiles(c))
    body = [f'<div class="headline">{tiles}</div>']
    body += [f'<div class="callout">{esc(n)}</div>' for n in c.notes]
    if c.prescription is not None:
        body.append(f'<div class="callout">{cited(c.prescription.summary, refs)}</div>')
    found = [r for r in c.findings if r.is_finding]
    if found:
        items = [f"<b>{esc(r.label)}</b>: {esc(r.value_text)} {status_badge(r.status)} "
                 + " ".join(cited(s, refs) for s in r.meaning[:1]) for r in found]
        body.append("<h3>Findings beyond measurement error</h3>" + bullet_list(items)
                    + paragraph(DETECTABLE_NOTE, cls="small"))
    elif c.findings:
        body.append(paragraph("No measure differs from its reference by more than the "
                              "measurement can detect.", cls="small"))
    if c.warnings:
        body.append("<h3>Capture quality</h3>" + "".join(
            f'<div class="warn">{esc(w)}</div>' for w in c.warnings))
    body.append("<h3>The clip</h3>" + table(
        [], [[f"<b>{esc(k)}</b>", esc(v)] for k, v in c.clip_facts]))
    body += [f'<p class="small">{cited(s, refs)}</p>' for s in c.belt_speed_caveat]
    if assets.keyframes:
        body.append('<div class="keep"><h3>At initial contact</h3><div class="figrow">'
                    + "".join(figure(k.png, k.caption) for k in assets.keyframes)
                    + "</div></div>")
    return Section("At a glance", "".join(body), anchor="overview")


def _prescription(c: ReportContent, refs: CitationIndex) -> Section:
    p = c.prescription
    trs = target_rows(c)
    body = [
        paragraph(f"Now: {p.cadence_spm:.1f} steps/min"
                  + ("" if p.step_length_m is None else
                     f", step length {p.step_length_m:.2f} m at the filmed belt speed "
                     f"({p.steps_per_km:.0f} steps per km)") + "."),
        table(["Increase", "Target (steps/min)", "Metronome (BPM)", "Step length at this speed",
               "Steps per km"],
              [[esc(r["increase"]), f"<b>{esc(r['target'])}</b>", esc(r["bpm"]),
                esc(r["step_length"]), esc(r["steps_per_km"])] for r in trs],
              numeric_cols=(1, 2, 3, 4)),
    ]
    if c.lengths_note:
        body.append(paragraph(c.lengths_note, cls="small"))
    body.append("<h3>What the evidence says each increase does to load</h3>")
    for r in trs:
        body.append(paragraph(f"{r['increase']} ({r['target']} steps/min){r['studied_note']}:")
                    + _cited_list((Statement(effect_text(e), e.statement.claims)
                                   for e in r["effects"]), refs))
    notes = [n for t in p.targets for n in t.notes]
    if notes:
        body.append(_cited_list(dict.fromkeys(notes), refs))
    if c.metronome_files:
        players = "".join(audio(name, f"Metronome {label}: "
                                f"{t.metronome_bpm:g} clicks/min, accented every second click")
                          for (label, name), t in zip(c.metronome_files.items(), p.targets))
        body.append('<h3 class="screen-only">Metronome tracks</h3>' + players)
        body.append(paragraph("Metronome tracks beside this report: "
                              + ", ".join(c.metronome_files.values())
                              + " (one click per step; the accented click marks every second "
                                "step).", cls="small"))
    body.append("<h3>Retraining plan</h3>" + _cited_list(p.plan, refs))
    body.append("<h3>Before changing cadence: questions for the clinician</h3>"
                + _cited_list(p.ask_first, refs))
    body.append("<h3>Background: cadence, speed and load</h3>"
                + f'<div class="small">{_cited_list(p.context, refs)}</div>')
    return Section("Cadence prescription", "".join(body), anchor="cadence",
                   page_break_before=True)


def _findings(c: ReportContent, refs: CitationIndex, assets: ReportAssets) -> Section:
    body = [paragraph("Each measure is read against a reference range from the evidence. "
                      + DETECTABLE_NOTE, cls="small")] if c.findings else []
    for group, rows in finding_groups(c):
        if not rows:
            continue
        trs = []
        for r in rows:
            meaning = cited(r.meaning[0], refs) if r.meaning else ""
            if r.cue is not None:
                meaning += f"<br><i>Cue or drill:</i> {cited(r.cue, refs)}"
            if len(r.meaning) > 1:
                meaning += ('<div class="small"><i>Background:</i> '
                            + " ".join(cited(s, refs) for s in r.meaning[1:]) + "</div>")
            ref = "—" if r.reference is None else cited(r.reference, refs)
            trs.append([f"<b>{esc(r.label)}</b>", esc(r.value_text), ref, status_badge(r.status),
                        meaning])
        body.append(f"<h3>{esc(GROUP_TITLES[group])}</h3>"
                    + table(["Measure", "Measured (± detectable change)", "Reference", "Status",
                             "What it means"], trs, col_widths_pct=(17, 13, 19, 10, 41)))
    if c.bilateral:
        rows = [[esc(b["label"]), *bilateral_values(b), esc(b["unit"]),
                 *bilateral_comparison(b), esc(b["verdict"])] for b in c.bilateral]
        heading = "<h3>Left and right</h3>" if c.findings else ""
        body.append(heading + table(
            ["Measure", "Left", "Right", "Unit", "Left − right", "Symmetry index (%)", "Verdict"],
            rows, numeric_cols=(1, 2, 4, 5)))
        body.append(paragraph(BILATERAL_NOTE, cls="small"))
        body.append(_cited_list(c.asymmetry_caveat, refs))
        chart = assets.left_right_chart
        if chart is not None:
            body.append(figure(chart.png, chart.caption))
    return Section(findings_title(c), "".join(body), anchor="findings", page_break_before=True)


def _figures(c: ReportContent, assets: ReportAssets) -> Section:
    body = []
    for fig in assets.figures_section:
        body.append(figure(fig.png, fig.caption))
    note = overlay_note(c, assets)
    if note:
        body.append(video(assets.overlay_file, note))
    return Section("Figures", "".join(body), anchor="figures", page_break_before=True)


def _return_to_run(c: ReportContent, refs: CitationIndex) -> Section:
    rows = [[esc(i.question), status_badge(checklist_status(i.status)), esc(i.basis),
             cited(i.evidence, refs)] for i in c.checklist]
    body = [paragraph("Filled from what gait measured and what the runner stated; items marked "
                      "'ask' are questions for the runner and clinician.", cls="small"),
            table(["Question", "Status", "Based on", "Evidence"], rows,
                  col_widths_pct=(30, 8, 20, 42)),
            "<h3>Listen to your body</h3>", _cited_list(c.rules, refs)]
    return Section("Return-to-run checklist", "".join(body), anchor="return-to-run",
                   page_break_before=True)


def _method(c: ReportContent) -> Section:
    body = bullet_list(esc(n) for n in measurement_notes(c))
    return Section("How this was measured", body, anchor="method")


def _references(refs: CitationIndex) -> Section:
    items = "".join(f'<li id="ref-{n}">{esc(text)}</li>' for n, _, text in refs.entries())
    return Section("References", f'<ol class="refs">{items}</ol>'
                   + paragraph("[secondary source only] and [unverified] mark evidence the "
                               "project could not confirm in the original paper.", cls="small"),
                   anchor="references")


def _frontal(c: ReportContent, refs: CitationIndex) -> Section:
    """Frontal-plane findings of a rear (or front) clip, each with its reliability."""
    frontal = c.result.frontal
    rows = []
    for f in frontal_findings(frontal):
        left, right = _num(f["per_side"]["left"]), _num(f["per_side"]["right"])
        if f["not_assessable"]:
            value = (f"<b>not assessable</b><br><span class=\"small\">"
                     f"{esc(f['not_assessable'])}</span>")
        else:
            value = (f"<b>{f['value']:.1f}</b> {esc(f['unit'])}<br><span class=\"small\">IQR "
                     f"{f['spread']['q1']:.1f} to {f['spread']['q3']:.1f}; L {left}, R {right}; "
                     f"{f['n']} steps</span>")
        ref = ("—" if not f["reference_claims"] else
               cited(Statement(f["reference"], tuple(f["reference_claims"])), refs))
        rel = f["reliability"]
        reliability = (f"<b>{esc(rel['level'])}</b>: "
                       + cited(Statement(rel["text"], tuple(rel["claims"])), refs))
        if f["note"] and not f["not_assessable"]:
            reliability += f'<div class="small"><i>Note:</i> {esc(f["note"])}</div>'

        rows.append([f"<b>{esc(f['title'])}</b>", value, ref, reliability, esc(f["meaning"])])
    body = [paragraph(esc(frontal_intro(frontal)), cls="small"),
            table(["Measure", "Measured", "Reference", "Reliability", "What it means"], rows)]
    facts = [esc(f) for f in frontal_facts(frontal)]
    body.append(bullet_list(facts))
    body += [f'<div class="warn">{esc(w)}</div>' for w in frontal.get("warnings", [])]
    return Section(f"Frontal plane ({VIEW_PHRASE[frontal['view']]})", "".join(body),
                   anchor="frontal", page_break_before=True)


def _num(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def report_html(content: ReportContent, assets: ReportAssets) -> str:
    """Render the analysis report as one self-contained HTML page.

    Parameters
    ----------
    content : ReportContent
    assets : ReportAssets
        Figures, key frames and the names of the files beside the report.

    Returns
    -------
    str
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
    return render_page(content.title, sections, subtitle=content.subtitle,
                       footer_html=esc(clip_footer(content)))

