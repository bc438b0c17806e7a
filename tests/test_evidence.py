"""The evidence registry: every claim sourced, every number traceable to the evidence files."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from gait.evidence import CLAIMS, SOURCES, Claim, Statement, cite, claim_citations, statement

EVIDENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "evidence"
EVIDENCE_FILES = ("running-science.md", "return-to-run.md")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Unit conversions and constants a formula may use without a source.
CONSTANTS = {1.0, 60.0, 100.0, 1000.0}


def _numbers(text: str) -> list[float]:
    return [float(x) for x in NUMBER.findall(text)]


@pytest.fixture(scope="module")
def evidence_numbers() -> set[float]:
    paths = [EVIDENCE_DIR / name for name in EVIDENCE_FILES]
    if not all(p.exists() for p in paths):
        pytest.skip(f"evidence files not found in {EVIDENCE_DIR}")
    return {x for p in paths for x in _numbers(p.read_text(encoding="utf-8"))}


def _equations(formula: str) -> list[tuple[str, str]]:
    out = []
    for part in formula.split(";"):
        lhs, rhs = part.split("=")
        out.append((lhs.strip(), rhs.strip()))
    return out


def _evaluate(expr: str) -> float:
    py = expr.replace("×", "*").replace("−", "-").replace("π", "pi")
    assert re.fullmatch(r"[0-9.+\-*/() pi]+", py), f"unexpected characters in formula {expr!r}"
    return eval(py, {"__builtins__": {}}, {"pi": math.pi})  # noqa: S307 - checked characters above


def test_registry_keys_are_unique_and_match():
    for key, src in SOURCES.items():
        assert src.key == key
    for key, claim in CLAIMS.items():
        assert claim.key == key
    # The module builds the mappings from tuples; a duplicate key would silently drop an entry.
    import gait.evidence as ev

    assert len(ev._SOURCE_LIST) == len(SOURCES)
    assert len(ev._CLAIM_LIST) == len(CLAIMS)


@pytest.mark.parametrize("claim", CLAIMS.values(), ids=list(CLAIMS))
def test_every_claim_rests_on_registered_sources(claim: Claim):
    assert claim.sources, f"{claim.key} has no source"
    for key in claim.sources:
        assert key in SOURCES, f"{claim.key} cites unknown source {key}"
    assert claim.grade in ("A", "S", "D", "U")
    assert claim.section
    # A claim is at least as weak as its weakest (non-arithmetic) source.
    grades = [SOURCES[k].grade for k in claim.sources if SOURCES[k].grade != "D"]
    if any(g in ("S", "U") for g in grades):
        assert claim.grade in ("S", "U"), f"{claim.key} is graded {claim.grade} but rests on a weak source"


def test_every_source_is_used_by_a_claim():
    used = {k for c in CLAIMS.values() for k in c.sources}
    assert set(SOURCES) - used == set()


@pytest.mark.parametrize("claim", CLAIMS.values(), ids=list(CLAIMS))
def test_declared_numbers_match_the_statement(claim: Claim):
    assert _numbers(claim.statement) == [float(x) for x in claim.numbers]


@pytest.mark.parametrize("claim", CLAIMS.values(), ids=list(CLAIMS))
def test_every_number_comes_from_the_evidence_files_or_a_stated_formula(claim: Claim, evidence_numbers):
    formula_numbers = set(_numbers(claim.formula)) if claim.formula else set()
    for x in claim.numbers:
        if float(x) in evidence_numbers:
            continue
        assert claim.grade == "D" and float(x) in formula_numbers, (
            f"{claim.key}: {x} is neither in the evidence files nor derived in a 'D' formula"
        )


@pytest.mark.parametrize("claim", [c for c in CLAIMS.values() if c.formula], ids=lambda c: c.key)
def test_formulas_compute_what_they_state(claim: Claim, evidence_numbers):
    for lhs, rhs in _equations(claim.formula):
        result = _evaluate(lhs)
        shown = _evaluate(rhs)
        decimals = len(rhs.split(".")[1]) if "." in rhs else 0
        assert abs(result - shown) <= 0.5 * 10**-decimals + 1e-12, f"{claim.key}: {lhs} = {result}, not {rhs}"
        for x in _numbers(lhs):
            assert x in evidence_numbers or x in CONSTANTS or x in {
                n for c in CLAIMS.values() for n in c.numbers
            }, f"{claim.key}: operand {x} has no source"
    if claim.grade == "D":
        assert claim.formula


def test_derived_claims_show_a_formula_when_they_introduce_numbers(evidence_numbers):
    for claim in CLAIMS.values():
        new = [x for x in claim.numbers if float(x) not in evidence_numbers]
        if new:
            assert claim.grade == "D" and claim.formula, claim.key


@pytest.mark.parametrize("claim", CLAIMS.values(), ids=list(CLAIMS))
def test_weak_claims_say_so_in_their_own_text(claim: Claim):
    text = claim.statement.lower()
    if claim.grade == "S":
        assert "secondary source" in text, claim.key
    if claim.grade == "U":
        assert "unverified" in text, claim.key


def test_statements_name_no_authors_or_years():
    years = re.compile(r"(?<!=)\b(19|20)\d\d\b")  # "n=1991" is a sample size
    for claim in CLAIMS.values():
        assert not years.search(claim.statement), claim.key


def test_heiderscheit_sizes_are_only_secondary():
    """The −20% / −34% sizes were read only in a blog (evidence file §1.1)."""
    for claim in CLAIMS.values():
        if {20.0, 34.0} & set(map(float, claim.numbers)) and "heiderscheit2011" in claim.sources:
            assert claim.grade == "S", claim.key
    assert CLAIMS["step_rate.heiderscheit_knee_hip"].grade == "A"
    assert 34.0 not in CLAIMS["step_rate.heiderscheit_knee_hip"].numbers


def test_per_km_claims_are_consistent_with_their_per_step_claims():
    lenhart = CLAIMS["step_rate.lenhart_pfj"]
    per_km = CLAIMS["load.lenhart_per_km"]
    assert 14 in lenhart.numbers and 110 in lenhart.numbers
    derived = ((1 - 14 / 100) * (1 + 10 / 100) - 1) * 100
    assert round(derived, 1) in [-x for x in per_km.numbers]
    willy = CLAIMS["step_rate.willy2016"]
    check = ((1 - 26.9 / 100) * (1 + 8.6 / 100) - 1) * 100
    assert {26.9, 8.6, 21.1} <= set(willy.numbers)
    assert abs(check - -21.1) < 1.0  # derived −20.6% is consistent with the measured −21.1%
    assert round(-check, 1) in CLAIMS["load.willy_check"].numbers


def test_worked_example_numbers_are_computed_correctly():
    speed_ms, cadence_spm = 3.0, 165.0
    step_m = speed_ms * 60 / cadence_spm
    target = round(cadence_spm * 1.10, 1)
    numbers = CLAIMS["load.worked_example"].numbers
    assert round(step_m, 2) in numbers
    assert round(1000 / step_m) in numbers
    assert target in numbers
    assert round(speed_ms * 60 / target, 2) in numbers
    assert round(1000 / (speed_ms * 60 / target)) in numbers


def test_citation_format():
    assert cite("lenhart2014") == (
        "Lenhart et al. 2014, Med Sci Sports Exerc 46(3):557-564, doi:10.1249/MSS.0b013e3182a78c3a"
    )
    assert cite("hamill2017") == "Hamill & Gruber 2017, J Sport Health Sci 6:146"
    assert cite("moore2016") == "Moore 2016, Sports Med 46(6), doi:10.1007/s40279-016-0474-4"
    assert "secondary source" in cite("allen2016")
    assert "authorship unconfirmed" in cite("davis2020")
    assert cite("petersen2015").endswith("PMID 25552288")
    assert claim_citations("load.lenhart_per_km")[0] == cite("lenhart2014")
    with pytest.raises(KeyError):
        cite("nobody1999")


def test_dois_look_like_dois():
    for src in SOURCES.values():
        if src.doi:
            assert re.fullmatch(r"10\.\d{4,5}/\S+", src.doi), src.key


def test_statement_needs_registered_claims():
    with pytest.raises(ValueError):
        Statement("Cadence lowers load by 14%.", ())
    with pytest.raises(ValueError):
        Statement("Cadence lowers load by 14%.", ("no.such_claim",))
    s = Statement("x", ("step_rate.lenhart_pfj", "caution.race_secondary"))
    assert s.sources == ("lenhart2014", "hafer2015")
    assert s.grade == "S"  # weakest link
    assert statement("load.lenhart_per_km").grade == "D"


def test_required_topics_are_registered():
    required_sources = {
        "heiderscheit2011", "lenhart2014", "willy2016", "willson2014", "petersen2015", "barton2016",
        "anderson2022", "bramah2019", "davis2020", "willy2012", "malisoux2024", "souza2016",
        "dingenen2018", "ismj_framerate",
    }
    assert required_sources <= set(SOURCES)
    sections = {c.section for c in CLAIMS.values()}
    assert {"1.1", "1.2", "1.6", "1.7", "1.8", "2", "3.3", "4.1", "4.4", "5", "7", "rtr"} <= sections
    caution = [c for c in CLAIMS.values() if c.section == "1.8"]
    assert len(caution) == 7  # the seven cases of §1.8, each with its sources
    assert 21 in CLAIMS["norms.knee_angles"].numbers
    assert {7, 6.3} <= set(CLAIMS["measurement.min_steps"].numbers)
    assert {30, 100, 29.8} <= set(CLAIMS["measurement.frame_rate"].numbers)


def test_to_dict_is_json_ready():
    payload = {
        "sources": [s.to_dict() for s in SOURCES.values()],
        "claims": [c.to_dict() for c in CLAIMS.values()],
    }
    back = json.loads(json.dumps(payload))
    assert back["claims"][0]["citations"]
