"""Numbers as text, one rule for every output: fixed decimals, never "-0.0".

Plain-text outputs (the terminal summary, CSV, history tables) use `fixed`,
with the ASCII hyphen-minus; typeset outputs (the HTML and PDF reports, the
web pages) use `typeset`, with a true minus sign.
"""

from __future__ import annotations


def fixed(value: float, decimals: int, *, signed: bool = False) -> str:
    """`value` with `decimals` decimals, and a "+" before positive values if `signed`.

    A value that rounds to zero prints as "0.0" ("+0.0"), never "-0.0": a
    perfectly symmetric runner must not read as slightly asymmetric. ASCII
    hyphen-minus; callers that print a true minus sign replace it.
    """
    if round(value, decimals) == 0:
        value = 0.0
    return f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"


#: The minus sign of typeset numbers (U+2212), as wide as "+".
MINUS = "\u2212"


def typeset(value: float, decimals: int, *, signed: bool = False) -> str:
    """`fixed` with a true minus sign: ``−3.6``, ``+0.0``, for HTML, PDF and web pages."""
    return fixed(value, decimals, signed=signed).replace("-", MINUS)


def error_text(err: float | None, decimals: int) -> str:
    """An expected error at the value's precision, or "< 0.01" when it rounds to zero (an
    error printed as "0.00" would claim a perfect measurement); "?" when unknown."""
    if err is None:
        return "?"
    step = 10.0 ** -decimals
    return f"< {step:.{decimals}f}" if err < step / 2 else f"{err:.{decimals}f}"
