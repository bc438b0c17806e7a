"""One self-contained HTML page: the page template, its CSS and small HTML builders.

The page has no external resources: images are embedded as base64 ``data:``
URIs, the CSS is inline, there is no JavaScript, so the file opens offline and
can be mailed as one attachment. A print stylesheet sets A4 pages with
margins, keeps figures and tables from splitting and starts each `Section`
with ``page_break_before=True`` on a new page.

`render_page` is the reusable skeleton (the comparison report of the history
feature uses it too); `gait.report.document` builds the analysis report's
sections with the helpers below. Every helper escapes its text; only
arguments named ``*_html`` are inserted verbatim.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from typing import Iterable, Sequence

#: Stylesheet of every gait page: readable on screen, clean on A4 paper, and
#: legible in grey (status is shown by a word and a border style, not colour only).
CSS = """
:root { --ink:#1b1b1b; --muted:#5a5a5a; --rule:#c8c8c8; --band:#f3f3f3; --accent:#1f4e79; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { font-family: "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; color: var(--ink);
       line-height: 1.45; margin: 0 auto; max-width: 60rem; padding: 1.5rem 2rem 3rem; }
header.page-head { border-bottom: 3px solid var(--accent); margin-bottom: 1rem; padding-bottom: .5rem; }
header.page-head h1 { font-size: 1.7rem; margin: 0 0 .2rem; color: var(--accent); }
header.page-head p { margin: 0; color: var(--muted); }
h2 { font-size: 1.3rem; color: var(--accent); border-bottom: 1px solid var(--rule);
     padding-bottom: .2rem; margin: 2rem 0 .7rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p { margin: .4rem 0; }
.muted, figcaption, .small { color: var(--muted); font-size: .87rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .93rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .45rem; border-bottom: 1px solid var(--rule); }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.headline { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .6rem; margin: .6rem 0 1rem; }
.tile { border: 1px solid var(--rule); border-radius: 4px; padding: .5rem .7rem; background: var(--band); }
.tile .label { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.tile .value { font-size: 1.5rem; font-weight: 700; }
.tile .unit { font-size: .9rem; font-weight: 400; }
.tile .spread { font-size: .82rem; color: var(--muted); }
.callout { border-left: 4px solid var(--accent); background: var(--band); padding: .5rem .8rem; margin: .7rem 0; }
.warn { border-left: 4px dashed #8a5a00; background: #fff8e6; padding: .45rem .8rem; margin: .4rem 0; }
.status { display: inline-block; font-size: .78rem; font-weight: 600; padding: .05rem .4rem;
          border-radius: 3px; border: 1px solid var(--ink); white-space: nowrap; }
.status-within { border-style: solid; }
.status-watch { border-style: dashed; border-width: 2px; }
.status-outside { border-style: double; border-width: 3px; }
.status-not-assessed { border-style: dotted; color: var(--muted); }
.status-met { border-style: solid; }
.status-not-met { border-style: double; border-width: 3px; }
.status-unknown { border-style: dotted; color: var(--muted); }
sup.cite { font-size: .72rem; color: var(--accent); }
sup.cite a { color: inherit; text-decoration: none; }
ol.refs { font-size: .84rem; padding-left: 1.6rem; }
ol.refs li { margin: .15rem 0; }
figure { margin: .8rem 0 1.2rem; text-align: center; break-inside: avoid; page-break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { text-align: left; margin-top: .3rem; }
.figrow { display: flex; gap: .8rem; justify-content: center; flex-wrap: wrap; }
.figrow figure { flex: 1 1 18rem; }
.figrow figure img { width: auto !important; max-width: 100%; max-height: 30rem; }
audio { width: 100%; max-width: 22rem; }
video { background: #000; }
ul.plain { padding-left: 1.2rem; }
ul.plain li { margin: .25rem 0; }
footer.page-foot { margin-top: 2.5rem; border-top: 1px solid var(--rule); padding-top: .5rem;
                   font-size: .8rem; color: var(--muted); }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  section.page-break { break-before: page; page-break-before: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, .tile, .callout, .warn { break-inside: avoid; page-break-inside: avoid; }
  .screen-only, audio, video { display: none !important; }
  .keep { break-inside: avoid; page-break-inside: avoid; }
  .figrow figure img { max-height: 70mm; }
  .figrow figure { margin: .3rem 0; }
  a { color: inherit; text-decoration: none; }
  .tile, th, .callout { background: none; }
}
"""


@dataclass(frozen=True)
class Section:
    """One titled part of a page.

    Parameters
    ----------
    title : str
        Heading (plain text; escaped).
    body_html : str
        The section's content, already HTML (build it with the helpers here).
    anchor : str
        ``id`` of the section, for links.
    page_break_before : bool
        Start the section on a new printed page.
    """

    title: str
    body_html: str
    anchor: str = ""
    page_break_before: bool = False


def esc(text: object) -> str:
    """HTML-escape any value's ``str``."""
    return html.escape(str(text), quote=True)


def render_page(title: str, sections: Sequence[Section], *, subtitle: str = "",
                footer_html: str = "", lang: str = "en") -> str:
    """Render a complete, self-contained HTML document.

    Parameters
    ----------
    title : str
        Page title and top heading.
    sections : sequence of Section
        In reading order.
    subtitle : str
        One line under the heading (e.g. the clip and date).
    footer_html : str
        Small print at the bottom (versions, provenance), HTML.
    lang : str
        Document language.

    Returns
    -------
    str
        The HTML text (UTF-8 when written).
    """
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
        f'<header class="page-head"><h1>{esc(title)}</h1>'
        + (f"<p>{esc(subtitle)}</p>" if subtitle else "") + "</header>",
    ]
    for s in sections:
        cls = ' class="page-break"' if s.page_break_before else ""
        anchor = f' id="{esc(s.anchor)}"' if s.anchor else ""
        parts.append(f"<section{anchor}{cls}><h2>{esc(s.title)}</h2>{s.body_html}</section>")
    if footer_html:
        parts.append(f'<footer class="page-foot">{footer_html}</footer>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def paragraph(text: str, *, cite_html: str = "", cls: str = "") -> str:
    """A ``<p>`` with escaped text and optional citation markers appended."""
    attr = f' class="{esc(cls)}"' if cls else ""
    return f"<p{attr}>{esc(text)}{cite_html}</p>"


def bullet_list(items_html: Iterable[str]) -> str:
    """A ``<ul>`` of items that are already HTML."""
    return '<ul class="plain">' + "".join(f"<li>{i}</li>" for i in items_html) + "</ul>"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *,
          numeric_cols: Sequence[int] = (), caption: str = "",
          col_widths_pct: Sequence[float] = ()) -> str:
    """A table; header cells are escaped, row cells are HTML.

    Parameters
    ----------
    header : sequence of str
        Column titles (plain text); empty for a table without a header row.
    rows : iterable of sequence of str
        Cells as HTML (escape plain text with `esc`).
    numeric_cols : sequence of int
        Columns aligned right with tabular figures.
    caption : str
        Plain-text caption above the table.
    col_widths_pct : sequence of float
        Column widths in percent of the table width (default: the browser's choice).
    """
    num = set(numeric_cols)
    head = "".join(f'<th class="num">{esc(h)}</th>' if i in num else f"<th>{esc(h)}</th>"
                   for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if i in num else f"<td>{c}</td>"
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    cap = f'<caption class="small">{esc(caption)}</caption>' if caption else ""
    thead = f"<thead><tr>{head}</tr></thead>" if header else ""
    cols = ("<colgroup>" + "".join(f'<col style="width:{w:g}%">' for w in col_widths_pct)
            + "</colgroup>") if col_widths_pct else ""
    return f"<table>{cap}{cols}{thead}<tbody>{body}</tbody></table>"


def status_badge(status: str) -> str:
    """A bordered status word; the border style (not only colour) tells statuses apart in grey."""
    slug = status.lower().replace(" range", "").replace(" ", "-")
    return f'<span class="status status-{esc(slug)}">{esc(status)}</span>'


def tile(label: str, value: str, unit: str = "", spread: str = "") -> str:
    """A headline number tile (all arguments plain text)."""
    return (f'<div class="tile"><div class="label">{esc(label)}</div>'
            f'<div class="value">{esc(value)} <span class="unit">{esc(unit)}</span></div>'
            + (f'<div class="spread">{esc(spread)}</div>' if spread else "") + "</div>")


def data_uri(data: bytes, mime: str) -> str:
    """``data:`` URI of some bytes, for embedding."""
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def figure(png: bytes, caption: str, *, alt: str = "", width_pct: int = 100) -> str:
    """An embedded PNG figure with a caption (plain text)."""
    return (f'<figure><img src="{data_uri(png, "image/png")}" alt="{esc(alt or caption)}" '
            f'style="width:{int(width_pct)}%"><figcaption>{esc(caption)}</figcaption></figure>')


def video(href: str, caption: str) -> str:
    """A video player for a file beside the page (screen only), with a caption and a plain link."""
    return (f'<figure class="screen-only"><video controls preload="metadata" src="{esc(href)}" '
            f'style="max-width:100%;max-height:32rem"></video><figcaption>{esc(caption)} '
            f'<a href="{esc(href)}">{esc(href)}</a></figcaption></figure>')


def audio(href: str, label: str) -> str:
    """An audio player for a file beside the page (screen only), with a plain link."""
    return (f'<div class="screen-only"><div class="small">{esc(label)}</div>'
            f'<audio controls preload="none" src="{esc(href)}"></audio> '
            f'<a href="{esc(href)}">{esc(href)}</a></div>')
