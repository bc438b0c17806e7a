"""Command-line front end of the history: ``gait history``, ``compare``, ``export``, ``delete``,
and the ``--athlete`` recording step of ``gait analyze``.

`gait.cli` only wires these in (`add_analyze_options`, `add_subcommands`,
`HANDLERS`, `check_before_analysis`, `record_analysis`), so the history's
command-line code lives next to the history.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..errors import HistoryStoreError, InvalidOptionError, OutputExistsError
from ..output_paths import check_writable_file, check_writable_folder, replacing
from ..result import GaitResult
from .store import HistoryStore, check_athlete_name, check_label, check_session_date

DB_HELP = "history database (default: $GAIT_DB, else $XDG_DATA_HOME/gait/history.sqlite)"


def add_analyze_options(parser: argparse.ArgumentParser) -> None:
    """``--athlete``, ``--label``, ``--date`` and ``--db`` of ``gait analyze``."""
    group = parser.add_argument_group("history (keep every analysis per athlete)")
    group.add_argument("--athlete", metavar="NAME",
                       help="record this analysis as a session of NAME in the history; "
                            "re-analysing the same video updates that session and keeps the "
                            "earlier result")
    group.add_argument("--label", metavar="TEXT", help="session label, e.g. 'after retraining'")
    group.add_argument("--date", metavar="YYYY-MM-DD",
                       help="date of the run (default: today for a new session)")
    group.add_argument("--db", type=Path, metavar="PATH", help=DB_HELP)


def check_before_analysis(args: argparse.Namespace) -> None:
    """Fail fast, before a long analysis, on a bad name or date or an unusable database."""
    if args.athlete is None:
        if args.label or args.date:
            raise InvalidOptionError("--label and --date describe a history session; "
                                     "give --athlete NAME as well")
        return
    check_athlete_name(args.athlete)
    check_label(args.label)
    if args.date is not None:
        check_session_date(args.date)
    with HistoryStore(args.db):
        pass


def record_analysis(args: argparse.Namespace, result: GaitResult) -> str:
    """Record a finished analysis for ``args.athlete``; returns the line to print."""
    outputs = {p.name: p.resolve() for p in sorted(args.outdir.iterdir()) if p.is_file()}
    try:
        with HistoryStore(args.db) as store:
            done = store.record(args.athlete, result, label=args.label, session_date=args.date,
                                video_path=args.video, outputs=outputs)
            s = done.session
            where = store.path
    except HistoryStoreError as exc:
        raise HistoryStoreError(f"{exc} (the analysis itself is saved in {args.outdir}; run the "
                                "same gait analyze again to record it: pose is cached)") from None
    if done.created:
        return f"recorded session #{s.id} of {s.athlete} in {where}"
    return (f"updated session #{s.id} of {s.athlete} (same video): analysis version "
            f"{s.version}, {s.n_versions - 1} earlier kept, in {where}")


def add_subcommands(sub: argparse._SubParsersAction, *, epilog: str) -> None:
    """Add ``history``, ``compare``, ``export`` and ``delete`` to the ``gait`` parser."""
    fmt = argparse.RawDescriptionHelpFormatter
    hi = sub.add_parser("history", help="list an athlete's sessions and draw their trend",
                        description="Print an athlete's sessions with cadence, step length, "
                                    "contact time and step-time asymmetry, and write a trend "
                                    "figure (PNG). Without NAME, list the athletes.",
                        epilog=epilog, formatter_class=fmt)
    hi.add_argument("name", nargs="?", help="athlete name")
    hi.add_argument("--figure", type=Path, metavar="PNG",
                    help="where to write the trend figure (default: figures/ next to the "
                         "database, replaced each time)")
    hi.add_argument("--force", action="store_true", help="replace an existing --figure file")
    hi.add_argument("--db", type=Path, metavar="PATH", help=DB_HELP)

    co = sub.add_parser(
        "compare", help="compare two sessions: which changes are real",
        description="Compare two sessions (A = before, B = after) metric by metric. A change "
                    "is called real only when it exceeds the smallest detectable change for "
                    "those two clips; cadence, step length and contact timing are compared "
                    "only at the same belt speed. A and B are session ids (see gait history), "
                    "results folders, results.json files or recorded videos.",
        epilog=epilog, formatter_class=fmt)
    co.add_argument("before", metavar="A", help="the earlier session")
    co.add_argument("after", metavar="B", help="the later session")
    co.add_argument("-o", "--outdir", type=Path,
                    help="write comparison.html, comparison.pdf and comparison.json here")
    co.add_argument("--athlete", metavar="NAME",
                    help="whose session a video is, when several athletes have it")
    co.add_argument("--force", action="store_true", help="replace a comparison in OUTDIR")
    co.add_argument("--db", type=Path, metavar="PATH", help=DB_HELP)
    co.add_argument("-q", "--quiet", action="store_true", help="no table on the terminal")

    ex = sub.add_parser("export", help="export an athlete's history (JSON or CSV)",
                        description="Export everything stored about an athlete: JSON holds "
                                    "every session, every analysis version and its full "
                                    "results; CSV holds one row per session.",
                        epilog=epilog, formatter_class=fmt)
    ex.add_argument("name", help="athlete name")
    ex.add_argument("-o", "--out", type=Path, required=True, help="output file (.json or .csv)")
    ex.add_argument("--format", choices=("json", "csv"), help="default: from the file suffix")
    ex.add_argument("--force", action="store_true", help="replace an existing file")
    ex.add_argument("--db", type=Path, metavar="PATH", help=DB_HELP)

    de = sub.add_parser("delete", help="erase an athlete and all their sessions, or one session",
                        description="Erase an athlete, every session and every stored result "
                                    "from the history database, or with --session only one of "
                                    "their sessions (freed space is overwritten). Files written "
                                    "by gait analyze are not touched.",
                        epilog=epilog, formatter_class=fmt)
    de.add_argument("name", help="athlete name")
    de.add_argument("--session", type=int, metavar="ID",
                    help="erase only this session (ids: gait history NAME)")
    de.add_argument("--yes", action="store_true", help="do not ask for confirmation (scripts)")
    de.add_argument("--db", type=Path, metavar="PATH", help=DB_HELP)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower() or "athlete"


def _cmd_history(args: argparse.Namespace) -> int:
    from .text import format_sessions_table
    from .trend import trend_figure_png

    if args.name is not None and args.figure is not None:
        _check_figure(args.figure, force=args.force)
    with HistoryStore(args.db, mode="read") as store:
        if args.name is None:
            athletes = store.athletes()
            if not athletes:
                print(f"{store.path}: no athletes yet; record with gait analyze VIDEO -o OUTDIR "
                      "--athlete NAME")
            for name, n in athletes:
                print(f"{name}  ({n} session{'s' * (n != 1)})")
            return 0
        sessions = store.sessions(args.name)
        db_dir = store.path.parent
    athlete = sessions[0].athlete if sessions else args.name.strip()
    print(f"{athlete}: {len(sessions)} session{'s' * (len(sessions) != 1)}")
    if not sessions:
        return 0
    print(format_sessions_table(sessions))
    figure = args.figure or db_dir / "figures" / f"{_slug(athlete)}_trend.png"
    check_writable_file(figure, "--figure")  # the default one, next to the database, too
    figure.parent.mkdir(parents=True, exist_ok=True)
    with replacing(figure) as tmp:
        tmp.write_bytes(trend_figure_png(sessions, athlete=athlete))
    print(f"\ntrend figure: {figure}")
    return 0


def _check_figure(figure: Path, *, force: bool) -> None:
    """Refuse a ``--figure`` that cannot be written, or would be replaced without --force."""
    check_writable_file(figure, "--figure")
    if figure.exists() and not force:
        raise OutputExistsError(f"{figure}: exists; choose another --figure or pass --force")


def _cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare_results
    from .compare_report import COMPARISON_FILES, write_comparison_report
    from .keyframes import key_frame_pairs
    from .resolve import resolve
    from .text import format_comparison

    if args.outdir is not None:  # checked before any work
        check_writable_folder(args.outdir, "--outdir")
        existing = [n for n in COMPARISON_FILES if (args.outdir / n).exists()]
        if existing and not args.force:
            raise OutputExistsError(f"{args.outdir}: already holds {', '.join(existing)}; "
                                    "choose another --outdir or pass --force to replace them")
    with HistoryStore(args.db, mode="read") as store:
        before = resolve(args.before, store, athlete=args.athlete)
        after = resolve(args.after, store, athlete=args.athlete)
    comparison = compare_results(before.result, after.result, before_name=before.name,
                                 after_name=after.name)
    if not args.quiet:
        print(format_comparison(comparison))
    if args.outdir is not None:
        pairs, note = key_frame_pairs(before, after)
        athletes = {r.session.athlete for r in (before, after) if r.session is not None}
        subtitle = (" · ".join(sorted(athletes)) + " · " if athletes else "") + \
            f"{before.name} → {after.name}"
        paths = write_comparison_report(args.outdir, comparison, pairs, subtitle=subtitle,
                                        key_frame_note=note, overwrite=args.force)
        if not args.quiet:
            print(f"\nwrote {', '.join(str(p) for p in paths.values())}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from .export import write_export

    with HistoryStore(args.db, mode="read") as store:
        path = write_export(store, args.name, args.out, fmt=args.format, overwrite=args.force)
    print(f"wrote {path}")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    if args.session is not None:
        return _delete_session(args)
    with HistoryStore(args.db, mode="write") as store:
        sessions = store.sessions(args.name)
        name = sessions[0].athlete if sessions else args.name.strip()
        n_versions = sum(s.n_versions for s in sessions)
        if not args.yes:
            prompt = (f"Erase {name}: {len(sessions)} session(s), {n_versions} stored "
                      f"analyses, from {store.path}? This cannot be undone.\n"
                      f"Type the name ({name}) to confirm: ")
            try:
                answer = input(prompt)
            except EOFError:
                answer = ""
            if answer.strip().casefold() != name.casefold():
                print("not confirmed; nothing was deleted", file=sys.stderr)
                return 2
        n_sessions, n_analyses = store.delete_athlete(name)
    print(f"deleted {name}: {n_sessions} session(s), {n_analyses} analyses")
    return 0


def _delete_session(args: argparse.Namespace) -> int:
    with HistoryStore(args.db, mode="write") as store:
        names = {s.id: s for s in store.sessions(args.name)}
        session = names.get(args.session)
        if session is None:
            store.delete_session(args.name, args.session)  # raises with the reason
        what = (f"session #{session.id} of {session.athlete} ({session.session_date}"
                f"{', ' + session.label if session.label else ''}, "
                f"{session.video_file or 'video'}, {session.n_versions} stored analyses)")
        if not args.yes:
            try:
                answer = input(f"Erase {what} from {store.path}? This cannot be undone.\n"
                               f"Type the session id ({session.id}) to confirm: ")
            except EOFError:
                answer = ""
            if answer.strip().lstrip("#") != str(session.id):
                print("not confirmed; nothing was deleted", file=sys.stderr)
                return 2
        store.delete_session(session.athlete, session.id)
    print(f"deleted {what}")
    return 0


#: Handler of each history subcommand.
HANDLERS = {"history": _cmd_history, "compare": _cmd_compare, "export": _cmd_export,
            "delete": _cmd_delete}
