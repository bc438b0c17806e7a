"""Numbered references for a report: each source gets a number on first citation.

The HTML and PDF renderers share one `CitationIndex` per document, so the
marker ``[3]`` after a sentence and entry 3 of the reference list agree in
both formats.
"""

from __future__ import annotations

from ..evidence import SOURCES, Statement


class CitationIndex:
    """Numbers sources in the order the document first cites them."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def numbers(self, statement: Statement) -> list[int]:
        """Reference numbers of a statement's sources (numbering new ones).

        Parameters
        ----------
        statement : Statement
            A sentence with its claims (see `gait.evidence`).

        Returns
        -------
        list of int
            Sorted reference numbers, 1-based; never empty, because every
            `Statement` rests on at least one claim and every claim on a source.
        """
        for key in statement.sources:
            self._numbers.setdefault(key, len(self._numbers) + 1)
        return sorted({self._numbers[k] for k in statement.sources})

    def marker(self, statement: Statement) -> str:
        """Plain-text marker such as ``"[1, 4]"``."""
        return "[" + ", ".join(str(n) for n in self.numbers(statement)) + "]"

    def entries(self) -> list[tuple[int, str, str]]:
        """``(number, source key, full citation)`` in number order."""
        return [(n, key, SOURCES[key].citation())
                for key, n in sorted(self._numbers.items(), key=lambda kv: kv[1])]
