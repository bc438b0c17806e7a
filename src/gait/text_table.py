"""Fixed-width text tables for the terminal."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .number_text import fixed


def table_number(value: float | None, decimals: int, *, signed: bool = False) -> str:
    """`value` at `decimals` decimals for a table cell; "-" where not measured."""
    if value is None or not math.isfinite(value):
        return "-"
    return fixed(value, decimals, signed=signed)


def marked(cell: str, mark: str) -> str:
    """`cell` followed by `mark` (such as " ~" for approximate), unless it is "-"."""
    return cell if cell == "-" else cell + mark


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, right: set[int]) -> str:
    """Header, a rule and the rows, columns padded to their widest cell.

    Parameters
    ----------
    header : sequence of str
    rows : sequence of sequence of str
    right : set of int
        Indices of the columns aligned right (numbers); the others align left.

    Returns
    -------
    str
    """
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])
