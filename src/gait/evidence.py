"""The citable evidence behind every statement the report makes about load, risk and norms.

This module is a registry, not an algorithm. It holds two kinds of record:

- `Source`: one publication (or secondary page) from the project's evidence
  files ``running-science.md`` and ``return-to-run.md``, with the grade the
  evidence file gives it.
- `Claim`: one plain-language statement the report may print, the numbers it
  states, the sources it rests on and the section of ``running-science.md``
  (or ``return-to-run.md``) it comes from.

Grades (as in the evidence file):

====  ===================================================================
A     read in the paper's own abstract or record
S     read only in a secondary source (blog, clinic page, vendor manual)
D     arithmetic from sourced numbers; the formula is given in `Claim.formula`
U     not confirmed against a source
====  ===================================================================

Rules the tests enforce: every claim rests on at least one registered source;
every number in a claim's text appears in the evidence files or in the claim's
own formula (grade "D"); every "S" or "U" claim says so in its own text, so a
renderer cannot print it as fact by accident.

`Statement` is the unit the advice layer returns: a sentence (often with
numbers computed for one runner) plus the claims that back it.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, Mapping

Grade = Literal["A", "S", "D", "U"]

GRADE_RANK: Mapping[str, int] = MappingProxyType({"A": 0, "D": 1, "S": 2, "U": 3})
"""Order of grades from strongest to weakest, used to report a statement's weakest link."""

GRADE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "A": "read in the paper's abstract or record",
        "S": "secondary source only; treat with care",
        "D": "arithmetic from sourced numbers",
        "U": "unverified heuristic; not confirmed against a source",
    }
)


@dataclass(frozen=True)
class Source:
    """One publication or page the report may cite.

    Parameters
    ----------
    key : str
        Registry key, first author (or short label) and year, e.g. ``"lenhart2014"``.
    authors : tuple of str
        Surnames as given in the evidence file; empty when the file names none.
    year : int or None
        Publication year; None when the evidence file gives none.
    journal : str or None
        Journal with volume, issue and pages as far as the evidence file gives them.
    grade : {"A", "S", "D", "U"}
        How the evidence file checked this source.
    title : str or None
        Title, only where the evidence file gives it.
    doi : str or None
        DOI without the ``doi:`` prefix.
    url : str or None
        Address (or PubMed/PMC id) where no DOI was recorded.
    label : str or None
        Short description used in place of authors when the file names none.
    complete_authors : bool
        False when the evidence file lists only some authors.
    attribution_uncertain : bool
        True when the evidence file marks the authorship itself as unconfirmed.
    """

    key: str
    authors: tuple[str, ...]
    year: int | None
    journal: str | None
    grade: Grade
    title: str | None = None
    doi: str | None = None
    url: str | None = None
    label: str | None = None
    complete_authors: bool = True
    attribution_uncertain: bool = False

    def short(self) -> str:
        """Author-year form, e.g. ``"Lenhart et al. 2014"`` or ``"Hamill & Gruber 2017"``."""
        if not self.authors:
            who = self.label or self.key
        elif len(self.authors) > 2 or not self.complete_authors:
            who = f"{self.authors[0]} et al."
        elif len(self.authors) == 2:
            who = f"{self.authors[0]} & {self.authors[1]}"
        else:
            who = self.authors[0]
        return who if self.year is None else f"{who} {self.year}"

    def citation(self) -> str:
        """Full one-line citation.

        Returns
        -------
        str
            e.g. ``"Lenhart et al. 2014, Med Sci Sports Exerc 46(3):557-564,
            doi:10.1249/MSS.0b013e3182a78c3a"``; secondary and unverified sources
            carry their grade in square brackets.
        """
        parts = [self.short()]
        if self.journal:
            parts.append(self.journal)
        if self.doi:
            parts.append(f"doi:{self.doi}")
        elif self.url:
            parts.append(self.url)
        text = ", ".join(parts)
        if self.attribution_uncertain:
            text += " [authorship unconfirmed]"
        if self.grade in ("S", "U"):
            text += f" [{GRADE_LABELS[self.grade]}]"
        return text

    def to_dict(self) -> dict:
        """JSON-ready dict of the fields plus the rendered citation."""
        return {
            "key": self.key,
            "authors": list(self.authors),
            "year": self.year,
            "journal": self.journal,
            "grade": self.grade,
            "title": self.title,
            "doi": self.doi,
            "url": self.url,
            "label": self.label,
            "complete_authors": self.complete_authors,
            "attribution_uncertain": self.attribution_uncertain,
            "citation": self.citation(),
        }


@dataclass(frozen=True)
class Claim:
    """One statement the report may print, with what it rests on.

    Parameters
    ----------
    key : str
        Registry key, ``"topic.name"``.
    statement : str
        Plain-language sentence for the runner and clinician. Contains no
        author names or years; citations are rendered separately.
    numbers : tuple of float
        Every number the statement states, in order of appearance.
    sources : tuple of str
        Keys into `SOURCES`; at least one.
    section : str
        Section of ``running-science.md`` (e.g. ``"1.2"``) or ``"rtr"`` for
        ``return-to-run.md``.
    grade : {"A", "S", "D", "U"}
        The weakest grade of what the statement rests on.
    formula : str or None
        For derived numbers: ``"expression = result"`` equations separated by
        ``"; "``, using ``×``, ``/``, ``−`` and ``π``; checked by the tests.
    """

    key: str
    statement: str
    numbers: tuple[float, ...]
    sources: tuple[str, ...]
    section: str
    grade: Grade
    formula: str | None = None

    def citations(self) -> tuple[str, ...]:
        """Rendered citation of each source, in order."""
        return tuple(SOURCES[k].citation() for k in self.sources)

    def to_dict(self) -> dict:
        """JSON-ready dict including rendered citations."""
        return {
            "key": self.key,
            "statement": self.statement,
            "numbers": list(self.numbers),
            "sources": list(self.sources),
            "citations": list(self.citations()),
            "section": self.section,
            "grade": self.grade,
            "formula": self.formula,
        }


@dataclass(frozen=True)
class Statement:
    """A sentence the advice layer returns, backed by registered claims.

    The text may hold numbers computed for one runner (step length, target
    cadence); every number about load, risk or norms in it comes from one of
    `claims`.

    Parameters
    ----------
    text : str
        The sentence to print.
    claims : tuple of str
        Keys into `CLAIMS`; at least one.
    """

    text: str
    claims: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.claims:
            raise ValueError(f"statement has no supporting claim: {self.text!r}")
        unknown = [k for k in self.claims if k not in CLAIMS]
        if unknown:
            raise ValueError(f"statement cites unregistered claims {unknown}: {self.text!r}")

    @property
    def sources(self) -> tuple[str, ...]:
        """Source keys of all claims, first occurrence order, no repeats."""
        return _unique(k for c in self.claims for k in CLAIMS[c].sources)

    @property
    def grade(self) -> Grade:
        """Weakest grade among the supporting claims."""
        return max((CLAIMS[c].grade for c in self.claims), key=GRADE_RANK.__getitem__)

    def citations(self) -> tuple[str, ...]:
        """Rendered citation of each source."""
        return tuple(SOURCES[k].citation() for k in self.sources)

    def to_dict(self) -> dict:
        """JSON-ready dict: text, claim keys, source keys, citations, weakest grade."""
        return {
            "text": self.text,
            "claims": list(self.claims),
            "sources": list(self.sources),
            "citations": list(self.citations()),
            "grade": self.grade,
        }


def _unique(items) -> tuple:
    return tuple(dict.fromkeys(items))


def cite(key: str) -> str:
    """Citation string of one registered source.

    Parameters
    ----------
    key : str
        Key into `SOURCES`, e.g. ``"lenhart2014"``.

    Returns
    -------
    str
        e.g. ``"Lenhart et al. 2014, Med Sci Sports Exerc 46(3):557-564,
        doi:10.1249/MSS.0b013e3182a78c3a"``.

    Raises
    ------
    KeyError
        If `key` is not registered.
    """
    return SOURCES[key].citation()


def claim_citations(key: str) -> tuple[str, ...]:
    """Citation strings of every source behind one registered claim."""
    return CLAIMS[key].citations()


def statement(key: str) -> Statement:
    """A registered claim's own text as a `Statement` backed by that claim."""
    return Statement(CLAIMS[key].statement, (key,))


# ---------------------------------------------------------------------------------------------
# Sources. Bibliographic details exactly as far as running-science.md / return-to-run.md give them.
# ---------------------------------------------------------------------------------------------

_SOURCE_LIST: tuple[Source, ...] = (
    # §1 step-rate manipulation
    Source(
        "heiderscheit2011",
        ("Heiderscheit", "Chumanov", "Michalski", "Wille", "Ryan"),
        2011,
        "Med Sci Sports Exerc 43(2):296-302",
        "A",
        title="Effects of step rate manipulation on joint mechanics during running",
        doi="10.1249/MSS.0b013e3181ebedf4",
    ),
    Source(
        "ctmassage_blog",
        (),
        None,
        None,
        "S",
        label="ctmassage.co.uk blog quoting Heiderscheit et al. 2011",
        url="ctmassage.co.uk",
    ),
    Source(
        "lenhart2014",
        ("Lenhart", "Thelen", "Wille", "Chumanov", "Heiderscheit"),
        2014,
        "Med Sci Sports Exerc 46(3):557-564",
        "A",
        doi="10.1249/MSS.0b013e3182a78c3a",
    ),
    Source(
        "willson2014",
        ("Willson", "Sharpee", "Meardon", "Kernozek"),
        2014,
        "Clin Biomech 29:243-247",
        "A",
    ),
    Source(
        "thakkar2019",
        ("Thakkar", "Willson", "Harrison", "Tickes", "Williams"),
        2019,
        "Med Sci Sports Exerc 51(7):1444-1450",
        "A",
        doi="10.1249/MSS.0000000000001915",
    ),
    Source(
        "lyght2016",
        ("Lyght", "Nockerts", "Kernozek", "Ragan"),
        2016,
        "J Appl Biomech 32(4):365-372",
        "S",
    ),
    Source(
        "edwards2009",
        ("Edwards", "Taylor", "Rudolphi", "Gillette", "Derrick"),
        2009,
        "Med Sci Sports Exerc 41(12):2177-2184",
        "A",
        doi="10.1249/MSS.0b013e3181a984c4",
    ),
    Source(
        "lieberman2015",
        ("Lieberman", "Warrener", "Wang", "Castillo"),
        2015,
        "J Exp Biol 218:3406-3414",
        "A",
        doi="10.1242/jeb.125500",
    ),
    Source(
        "chumanov2012",
        ("Chumanov", "Wille", "Michalski", "Heiderscheit"),
        2012,
        "Gait Posture 36(2):231-235",
        "A",
        doi="10.1016/j.gaitpost.2012.02.023",
    ),
    Source(
        "willy2016",
        ("Willy", "Buchenic", "Rogacki", "Ackerman", "Schmidt", "Willson"),
        2016,
        "Scand J Med Sci Sports 26(2):197-205",
        "A",
        doi="10.1111/sms.12413",
    ),
    Source(
        "bramah2019",
        ("Bramah", "Preece", "Gill", "Herrington"),
        2019,
        "Am J Sports Med 47(14):3406-3413",
        "A",
    ),
    Source(
        "hafer2015",
        ("Hafer", "Brown", "deMille", "Hillstrom", "Garber"),
        2015,
        "J Sports Sci 33(7):724-731",
        "A",
        doi="10.1080/02640414.2014.962573",
    ),
    Source(
        "allen2016",
        ("Allen", "Heisler", "Mooney", "Kring"),
        2016,
        "Int J Sports Phys Ther 11(1):54-63",
        "S",
    ),
    Source(
        "barton2016",
        ("Barton", "Bonanno", "Carr", "Neal", "Malliaras", "Franklyn-Miller", "Menz"),
        2016,
        "Br J Sports Med 50(9):513",
        "A",
    ),
    Source(
        "anderson2022",
        ("Anderson", "Martin", "Barton", "Bonanno"),
        2022,
        "Sports Med Open",
        "A",
        doi="10.1186/s40798-022-00504-0",
    ),
    Source(
        "davis2020",
        ("Davis",),
        2020,
        "Curr Rev Musculoskelet Med",
        "A",
        url="PMC7083994",
        complete_authors=False,
        attribution_uncertain=True,
    ),
    Source(
        "willy2012",
        ("Willy", "Scholz", "Davis"),
        2012,
        "Clin Biomech 27(10):1045-1051",
        "A",
    ),
    Source(
        "petersen2015",
        ("Petersen", "Sørensen", "Nielsen"),
        2015,
        "J Orthop Sports Phys Ther 45(4)",
        "A",
        url="PMID 25552288",
    ),
    Source(
        "moore2016",
        ("Moore",),
        2016,
        "Sports Med 46(6)",
        "A",
        doi="10.1007/s40279-016-0474-4",
    ),
    Source(
        "george2024",
        ("George", "Sheerin", "Reid"),
        2024,
        "Sports Med 54(9):2247-2265",
        "A",
        doi="10.1007/s40279-024-02051-y",
    ),
    # §2 norms
    Source(
        "leacox2025",
        ("Leacox",),
        2025,
        None,
        "S",
        url="namiorun.com",
        complete_authors=False,
    ),
    Source(
        "vanoeveren2017",
        ("van Oeveren", "de Ruiter", "Beek", "van Dieën"),
        2017,
        "PLoS One 12(10):e0184273",
        "A",
    ),
    Source(
        "jeb_table",
        ("Karamanidis", "Arampatzis"),
        2005,
        "J Exp Biol (table)",
        "A",
        attribution_uncertain=True,
    ),
    Source(
        "mile27",
        (),
        None,
        None,
        "S",
        label="mile27 coaching site",
    ),
    Source(
        "burns2019",
        ("Burns",),
        2019,
        "University of Michigan news release",
        "S",
    ),
    Source(
        "vanhooren2024",
        ("Van Hooren",),
        2024,
        "Sports Med 54(5):1269-1316",
        "A",
        doi="10.1007/s40279-024-01997-3",
        complete_authors=False,
    ),
    Source(
        "lussiana2019",
        ("Lussiana",),
        2019,
        "J Exp Biol 222:jeb192047",
        "A",
        complete_authors=False,
    ),
    Source(
        "wahoo",
        (),
        None,
        None,
        "S",
        label="Wahoo device documentation",
    ),
    Source(
        "folland2017",
        ("Folland",),
        2017,
        "Med Sci Sports Exerc 49(7):1412-1423",
        "A",
        complete_authors=False,
    ),
    Source(
        "milwaukee_marathon",
        (),
        None,
        None,
        "A",
        label="Milwaukee marathon foot-strike survey",
        url="PMC4801105",
    ),
    Source(
        "patoz2019",
        ("Patoz",),
        2019,
        None,
        "A",
        label="Singapore marathon foot-strike survey",
        complete_authors=False,
    ),
    Source(
        "hamill2017",
        ("Hamill", "Gruber"),
        2017,
        "J Sport Health Sci 6:146",
        "A",
    ),
    # §3 asymmetry
    Source(
        "girard2019",
        ("Girard", "Morin", "Ryu", "Read", "Townsend"),
        2019,
        "Front Sports Act Living",
        "A",
        doi="10.3389/fspor.2019.00036",
    ),
    Source(
        "stiffler2021",
        ("Stiffler-Joachim", "Lukes", "Kliethermes", "Heiderscheit"),
        2021,
        "Med Sci Sports Exerc 53(5):945-950",
        "A",
        doi="10.1249/MSS.0000000000002558",
    ),
    Source(
        "parkinson2021",
        ("Parkinson",),
        2021,
        "J Sports Sci Med 20:594-617",
        "A",
        complete_authors=False,
    ),
    Source(
        "malisoux2024",
        ("Malisoux", "Gette", "Delattre", "Urhausen", "Theisen"),
        2024,
        "BMJ Open Sport Exerc Med 10:e001787",
        "A",
        doi="10.1136/bmjsem-2023-001787",
    ),
    # §4 overstride, 2D video
    Source(
        "souza2016",
        ("Souza",),
        2016,
        "Phys Med Rehabil Clin N Am 27(1):217-236",
        "A",
        doi="10.1016/j.pmr.2015.08.006",
    ),
    Source(
        "wille2014",
        ("Wille", "Lenhart", "Wang", "Thelen", "Heiderscheit"),
        2014,
        "J Orthop Sports Phys Ther 44(10):825-830",
        "A",
        doi="10.2519/jospt.2014.5367",
    ),
    Source(
        "bramah2018",
        ("Bramah", "Preece", "Gill", "Herrington"),
        2018,
        "Am J Sports Med 46(12):3023-3031",
        "A",
        doi="10.1177/0363546518793657",
    ),
    Source(
        "sportjournal_3d",
        (),
        None,
        None,
        "A",
        label="3D level-treadmill knee-angle study (The Sport Journal)",
    ),
    Source(
        "ismj_framerate",
        (),
        None,
        "Int SportMed J 10(3)",
        "A",
        label="30 Hz versus 100 Hz video study",
    ),
    Source(
        "dingenen2018",
        ("Dingenen", "Barton", "Janssen", "Benoit", "Malliaras"),
        2018,
        "Phys Ther Sport 33:40-47",
        "A",
        doi="10.1016/j.ptsp.2018.06.009",
    ),
    Source(
        "murray2019",
        ("Murray", "Beaven", "Hébert-Losier"),
        2019,
        "Sports 7(1):8",
        "A",
    ),
    # §5 return to running
    Source(
        "buist2008",
        ("Buist", "Bredeweg", "van Mechelen", "Lemmink", "Pepping", "Diercks"),
        2008,
        "Am J Sports Med 36(1):33-39",
        "A",
        doi="10.1177/0363546507307505",
    ),
    Source(
        "nielsen2014",
        ("Nielsen", "Parner", "Nohr", "Sørensen", "Lind", "Rasmussen"),
        2014,
        "J Orthop Sports Phys Ther 44(10):739-747",
        "A",
    ),
    Source(
        "silbernagel2007",
        ("Silbernagel",),
        2007,
        "Am J Sports Med 35(6):897-906",
        "S",
        complete_authors=False,
    ),
    Source(
        "army_rtr_trial2023",
        (),
        2023,
        "Trials",
        "A",
        label="US Army return-to-run trial protocol",
        doi="10.1186/s13063-023-07502-x",
    ),
    Source(
        "acl_clinic_protocol",
        (),
        None,
        None,
        "S",
        label="ACL rehabilitation protocol (manhattansportsdoc.com)",
        url="manhattansportsdoc.com",
    ),
    Source(
        "rambaud2018",
        ("Rambaud", "Ardern", "Thoreux", "Regnaux", "Edouard"),
        2018,
        "Br J Sports Med 52(22):1437-1444",
        "A",
        doi="10.1136/bjsports-2017-098602",
    ),
    Source(
        "rtr_clinicians",
        (),
        None,
        None,
        "U",
        label="Return-to-run articles by the physical therapists gait is built with",
    ),
    # Arithmetic on sourced numbers (identities such as step length = speed × 60 / cadence).
    Source(
        "dingenen_2d3d",
        ("Dingenen",),
        None,
        None,
        "A",
        label="2D versus 3D frontal plane study in 15 elite runners",
        complete_authors=False,
    ),
    # §6 measurement
    Source(
        "fellrnr_treadmill",
        (),
        None,
        None,
        "S",
        label="fellrnr.com page on treadmill belt-speed calibration",
        url="fellrnr.com",
    ),
    Source(
        "arithmetic",
        (),
        None,
        None,
        "D",
        label="Arithmetic from sourced numbers (formula shown)",
    ),
)

SOURCES: Mapping[str, Source] = MappingProxyType({s.key: s for s in _SOURCE_LIST})
"""Every citable source, by key."""


# ---------------------------------------------------------------------------------------------
# Claims. Statements contain no author names or years (citations are rendered separately) and
# every number in them appears in the evidence files or in the claim's own formula.
# ---------------------------------------------------------------------------------------------

_CLAIM_LIST: tuple[Claim, ...] = (
    # --- §1.1-1.4 what a step-rate increase does -------------------------------------------
    Claim(
        "step_rate.heiderscheit_knee_hip",
        "In 45 healthy recreational runners on a treadmill at constant speed, less energy was "
        "absorbed at the knee during loading response at both +5% and +10% step rate; hip energy "
        "absorption fell only at +10%. Step length, vertical movement of the centre of mass, "
        "braking impulse and peak knee flexion also fell as step rate rose.",
        (45, 5, 10, 10),
        ("heiderscheit2011",),
        "1.1",
        "A",
    ),
    Claim(
        "step_rate.heiderscheit_sizes_secondary",
        "Secondary source only, not verified in the paper: the sizes usually quoted are about "
        "−20% knee energy absorption at +5% and about −34% at +10% step rate.",
        (20, 5, 34, 10),
        ("heiderscheit2011", "ctmassage_blog"),
        "1.1",
        "S",
    ),
    Claim(
        "step_rate.heiderscheit_per_km_secondary",
        "Secondary source only: if the −34% per-step figure at +10% is right, knee energy "
        "absorption summed over a km would be about 27% lower.",
        (34, 10, 27),
        ("heiderscheit2011", "ctmassage_blog"),
        "1.6",
        "S",
        formula="0.66 × 1.10 = 0.73",
    ),
    Claim(
        "step_rate.lenhart_pfj",
        "In 30 healthy adults on an instrumented treadmill, running at 110% of the preferred step "
        "rate lowered peak patellofemoral joint (kneecap) force by 14% per step; less knee bend "
        "in stance explained most of this fall.",
        (30, 110, 14),
        ("lenhart2014",),
        "1.2",
        "A",
    ),
    Claim(
        "step_rate.lenhart_swing",
        "The trade-off: compared with 90% of the preferred step rate, higher step rates raised "
        "peak rectus femoris load in early swing and hamstring load in late swing.",
        (90,),
        ("lenhart2014",),
        "1.2",
        "A",
    ),
    Claim(
        "step_rate.lieberman",
        "In 14 runners at 3.0 m/s, each +10 steps/min moved the foot's landing position 5.9% "
        "closer to the hip but raised peak hip flexor moment by 5.8%; braking force grew with how "
        "far ahead of the hip the foot landed. The authors advise landing with a near-vertical shin.",
        (14, 3.0, 10, 5.9, 5.8),
        ("lieberman2015",),
        "1.4",
        "A",
    ),
    Claim(
        "step_rate.willy2016",
        "In 30 healthy runners cued in the field to +7.5% (8 sessions; +8.6% achieved), knee "
        "eccentric work fell 26.9% per stance and 21.1% per km, instantaneous load rate fell "
        "17.9% and average load rate 18.9%; the changes held at 30 days.",
        (30, 7.5, 8, 8.6, 26.9, 21.1, 17.9, 18.9, 30),
        ("willy2016",),
        "1.4",
        "A",
    ),
    Claim(
        "step_rate.lyght_achilles_secondary",
        "Secondary source only: +5% step rate lowered peak Achilles tendon stress and strain in "
        "both rearfoot and forefoot strikers, while forefoot striking itself gave higher Achilles "
        "stress than rearfoot striking.",
        (5,),
        ("lyght2016",),
        "1.3",
        "S",
    ),
    Claim(
        "step_rate.increment",
        "The studied change is +5-10% above the runner's own preferred step rate at the same speed.",
        (5, 10),
        ("heiderscheit2011", "lenhart2014", "bramah2019", "barton2016"),
        "1.7",
        "A",
    ),
    Claim(
        "step_rate.above_10_secondary",
        "Secondary source only: +15% has rarely been studied; in shod rearfoot strikers +10% "
        "changed foot strike to midfoot or forefoot in 17.5% of runners and +15% in 30%.",
        (15, 10, 17.5, 15, 30),
        ("allen2016",),
        "1.7",
        "S",
    ),
    Claim(
        "step_rate.barton_experts",
        "International experts use cadence increases mainly to reduce overstriding, advise "
        "changing gradually, and cue 'shorter, quicker, lighter steps'; clinical evidence is limited.",
        (),
        ("barton2016",),
        "1.5",
        "A",
    ),
    Claim(
        "step_rate.anderson_effects",
        "Across 37 studies, a higher step rate reduced peak knee flexion (strong evidence) and "
        "shortened the step, reduced peak hip adduction and peak knee extensor moment (moderate "
        "evidence). Evidence on injury prevention and performance is insufficient.",
        (37,),
        ("anderson2022",),
        "1.5",
        "A",
    ),
    Claim(
        "step_rate.anderson_costs",
        "Very limited evidence suggests a higher step rate raises perceived exertion, "
        "awkwardness, effort and metabolic cost.",
        (),
        ("anderson2022",),
        "1.5",
        "A",
    ),
    # --- §1.6 / §7 per step versus per km ----------------------------------------------------
    Claim(
        "load.per_km_principle",
        "At a fixed speed, load per km is load per step times steps per km. A higher cadence adds "
        "steps (+10% cadence means +10% steps per km), so the saving per km is smaller than the "
        "saving per step: per-km change = (1 − per-step reduction) × (1 + cadence increase) − 1.",
        (10, 10, 1, 1, 1),
        ("willson2014", "willy2016", "arithmetic"),
        "7",
        "D",
        formula="1000 / (3.0 × 60 / 181.5) / (1000 / (3.0 × 60 / 165)) = 1.10",
    ),
    Claim(
        "load.worked_example",
        "At 3.0 m/s and 165 steps/min a step is 1.09 m long, about 917 steps per km; at +10% "
        "(181.5 steps/min) a step is 0.99 m, about 1008 steps per km.",
        (3.0, 165, 1.09, 917, 10, 181.5, 0.99, 1008),
        ("arithmetic",),
        "1.6",
        "D",
        formula=(
            "3.0 × 60 / 165 = 1.09; 1000 / (3.0 × 60 / 165) = 917; 165 × 1.10 = 181.5; "
            "3.0 × 60 / 181.5 = 0.99; 1000 / (3.0 × 60 / 181.5) = 1008"
        ),
    ),
    Claim(
        "load.lenhart_per_km",
        "At the same speed, 14% less peak patellofemoral force per step at +10% step rate sums to "
        "about 5.4% less per km, because there are 10% more steps.",
        (14, 10, 5.4, 10),
        ("lenhart2014", "arithmetic"),
        "7",
        "D",
        formula="0.86 × 1.10 − 1 = −0.054",
    ),
    Claim(
        "load.willy_check",
        "Check: 26.9% less knee work per stance with 8.6% more steps gives about 20.6% less per "
        "km, consistent with the 21.1% measured.",
        (26.9, 8.6, 20.6, 21.1),
        ("willy2016", "arithmetic"),
        "1.6",
        "D",
        formula="0.731 × 1.086 = 0.794",
    ),
    Claim(
        "load.willson2014",
        "In 10 women with patellofemoral pain and 13 healthy women at 3.7 m/s, a step about 10% "
        "shorter lowered patellofemoral joint stress by 22.2% per step but only 7.5% per mile; a "
        "step about 10% longer raised it by 31% per step and 14% per mile.",
        (10, 13, 3.7, 10, 22.2, 7.5, 10, 31, 14),
        ("willson2014",),
        "1.3",
        "A",
    ),
    Claim(
        "load.edwards2009",
        "In a model of 10 men, a 10% shorter stride lowered the modelled tibial stress-fracture "
        "probability by 3-6% even though loading cycles rose: the size of each strain mattered "
        "more than the number of cycles.",
        (10, 10, 3, 6),
        ("edwards2009",),
        "1.3",
        "A",
    ),
    Claim(
        "load.petersen_same_speed",
        "In 16 runners tested at 8, 11.8 and 15.8 km/h, cumulative knee load per 1000 m was 80% "
        "higher at the slow speed even though load per stride was lower, because more strides "
        "were needed. Cadence conditions must therefore be compared at the same speed.",
        (16, 8, 11.8, 15.8, 1000, 80),
        ("petersen2015",),
        "1.6",
        "A",
    ),
    # --- §1.7 retraining ---------------------------------------------------------------------
    Claim(
        "retraining.bramah2019",
        "In 12 runners with patellofemoral pain, a single session at +10% with an audible "
        "metronome, then self-monitoring with a GPS watch and metronome, reduced pelvic drop by "
        "3.1°, hip adduction by 4.0° and knee flexion by 4.1° at 4 weeks and 3 months; pain and "
        "function improved.",
        (12, 10, 3.1, 4.0, 4.1, 4, 3),
        ("bramah2019",),
        "1.4",
        "A",
    ),
    Claim(
        "retraining.willy2012_template",
        "Faded-feedback template from retraining trials: 8 treadmill sessions over 2 weeks, run "
        "time built from 15 to 30 min; continuous feedback in sessions 1-4, then progressively "
        "removed in sessions 5-8. Gains held at 1 and 3 months.",
        (8, 2, 15, 30, 1, 4, 5, 8, 1, 3),
        ("willy2012", "davis2020"),
        "1.7",
        "A",
    ),
    Claim(
        "retraining.davis2020_faded",
        "Best results came from faded feedback with 8-18 sessions over 2-6 weeks, 3-4 sessions a "
        "week, building session length to 30-45 min (about 177-196 min in total); low-volume "
        "programmes and those with no or continuous feedback did worst.",
        (8, 18, 2, 6, 3, 4, 30, 45, 177, 196),
        ("davis2020",),
        "1.5",
        "A",
    ),
    Claim(
        "retraining.hafer2015",
        "Running at least half of weekly mileage at +10% for 6 weeks, self-directed with a "
        "metronome, music or apps, left running efficiency unchanged.",
        (10, 6),
        ("hafer2015",),
        "1.7",
        "A",
    ),
    # --- §1.8 who should not simply be told to raise cadence -----------------------------------
    Claim(
        "caution.uninjured",
        "For an uninjured runner with no related complaint, a form change is not proven to "
        "prevent injury, and asymmetry or form features alone did not predict injury in a large "
        "cohort.",
        (),
        ("souza2016", "anderson2022", "malisoux2024"),
        "1.8",
        "A",
    ),
    Claim(
        "caution.already_high",
        "When cadence is already high for the speed, or the foot does not land ahead of the body, "
        "the mechanical benefit is likely small, while a higher cadence raises perceived effort "
        "and awkwardness. Most runners already choose a stride close to their metabolic optimum; "
        "up to about 3% shorter costs little.",
        (3,),
        ("anderson2022", "moore2016"),
        "1.8",
        "A",
    ),
    Claim(
        "caution.hamstring_hip_flexor",
        "With a hamstring or hip-flexor problem, progress slowly: late-swing hamstring activity "
        "and hamstring and rectus femoris swing loads rise with step rate, and peak hip flexor "
        "moment rises 5.8% per +5 strides/min.",
        (5.8, 5),
        ("chumanov2012", "lenhart2014", "lieberman2015"),
        "1.8",
        "A",
    ),
    Claim(
        "caution.foot_strike_switch_secondary",
        "Secondary sources only: at +10-15% step rate, 17.5-30% of runners switched foot strike, "
        "and a forefoot strike raises Achilles load; watch for calf or Achilles symptoms.",
        (10, 15, 17.5, 30),
        ("allen2016", "lyght2016"),
        "1.8",
        "S",
    ),
    Claim(
        "caution.bone_stress",
        "With an unhealed bone stress injury or acute pain, load and healing criteria come first; "
        "a cadence change does not replace a return-to-run progression.",
        (),
        ("george2024",),
        "1.8",
        "A",
    ),
    Claim(
        "caution.race_secondary",
        "Close to an important race, expect short-term awkwardness and fatigue while adapting "
        "(secondary sources only); running efficiency was unchanged after a 6-week self-directed "
        "programme.",
        (6,),
        ("hafer2015",),
        "1.8",
        "S",
    ),
    Claim(
        "caution.same_speed",
        "Cadence advice is only valid at an unchanged treadmill speed.",
        (),
        ("petersen2015",),
        "1.8",
        "A",
    ),
    # --- §2 norms -------------------------------------------------------------------------------
    Claim(
        "norms.cadence_speed_secondary",
        "Secondary source only: 30 experienced runners averaged about 169 steps/min at 2.68 m/s, "
        "172 at 3.16 m/s and 178 at 3.83 m/s; cadence rises by about 8 steps/min per 1 m/s.",
        (30, 169, 2.68, 172, 3.16, 178, 3.83, 8, 1),
        ("leacox2025",),
        "2",
        "S",
        formula="(178 − 169) / (3.83 − 2.68) = 7.8",
    ),
    Claim(
        "norms.cadence_novice",
        "12 inexperienced runners chose 154, 158 and 160 steps/min at 2.4, 2.6 and 2.9 m/s; their "
        "heart-rate optimum was 166 steps/min at every speed.",
        (12, 154, 158, 160, 2.4, 2.6, 2.9, 166),
        ("vanoeveren2017",),
        "2",
        "A",
    ),
    Claim(
        "norms.cadence_optimum",
        "The metabolic optimum of 14 runners at 3.0 m/s was about 170 steps/min.",
        (14, 3.0, 170),
        ("lieberman2015",),
        "2",
        "A",
    ),
    Claim(
        "norms.cadence_knee_forces",
        "Among 55 female recreational runners at 2.98 m/s, those at 178 steps/min or more had the "
        "lowest tibiofemoral (knee) shear and compression forces, and those at 166 steps/min or "
        "fewer had higher forces (a cross-sectional comparison).",
        (55, 2.98, 178, 166),
        ("thakkar2019",),
        "1.3",
        "A",
    ),
    Claim(
        "norms.cadence_range_secondary",
        "Secondary source only: 180 steps/min was a minimum seen in elite racers, not a target; "
        "among the top 20 runners of a 100 km world championship the mean was 182 steps/min but "
        "individual values spanned about 160-210, unrelated to performance.",
        (180, 20, 100, 182, 160, 210),
        ("burns2019",),
        "2",
        "S",
    ),
    Claim(
        "norms.already_high_rule_secondary",
        "gait's own heuristic (built on a cross-sectional study and a secondary source only): a "
        "cadence is treated as already high for the speed when it is at or above 178 steps/min "
        "at 2.98 m/s, shifted by about 8 steps/min per 1 m/s of belt speed.",
        (178, 2.98, 8, 1),
        ("thakkar2019", "leacox2025"),
        "2",
        "S",
    ),
    Claim(
        "norms.contact_time",
        "Recreational runners near 2.7 m/s had contact times of about 271-284 ms.",
        (2.7, 271, 284),
        ("jeb_table",),
        "2",
        "A",
    ),
    Claim(
        "norms.contact_time_secondary",
        "Secondary source only: elite marathoners touch down for about 150-180 ms, slower runners "
        "220-270 ms.",
        (150, 180, 220, 270),
        ("mile27",),
        "2",
        "S",
    ),
    Claim(
        "norms.contact_time_economy",
        "Contact time is essentially unrelated to running economy (r = −0.02 across 51 studies); "
        "it is not an economy target.",
        (0.02, 51),
        ("vanhooren2024",),
        "2",
        "A",
    ),
    Claim(
        "norms.duty_factor",
        "Duty factor (contact time / stride time) was about 35.5-38.9% in recreational runners "
        "at jogging speed; runners with low and high duty factors are equally economical.",
        (35.5, 38.9),
        ("jeb_table", "lussiana2019"),
        "2",
        "A",
    ),
    Claim(
        "norms.vertical_oscillation_secondary",
        "Secondary source only (device vendor): vertical oscillation is typically 6-15 cm on "
        "consumer devices.",
        (6, 15),
        ("wahoo",),
        "2",
        "S",
    ),
    Claim(
        "norms.vertical_oscillation_economy",
        "Less up-and-down pelvis movement during contact was among the best technique predictors "
        "of running economy in 97 runners; a higher step rate lowers the vertical movement of the "
        "centre of mass.",
        (97,),
        ("folland2017", "heiderscheit2011"),
        "2",
        "A",
    ),
    Claim(
        "norms.foot_strike",
        "Rearfoot striking is the most common pattern: 93.7% heel strikers in one marathon "
        "(n=1991) and 71.1% rearfoot, 16.6% midfoot, 1.7% forefoot and 10.6% asymmetric in "
        "another (n=950).",
        (93.7, 1991, 71.1, 16.6, 1.7, 10.6, 950),
        ("milwaukee_marathon", "patoz2019"),
        "2",
        "A",
    ),
    Claim(
        "norms.foot_strike_change",
        "Changing to a forefoot strike has not been shown to improve economy or cut injuries.",
        (),
        ("hamill2017",),
        "2",
        "A",
    ),
    Claim(
        "norms.knee_angles",
        "In a 3D study on a level treadmill, knee flexion was about 21° at foot strike and peak "
        "knee flexion in stance about 36°.",
        (3, 21, 36),
        ("sportjournal_3d",),
        "4.1",
        "A",
    ),
    Claim(
        "norms.injured_runners",
        "72 injured runners, compared with 36 controls on a treadmill at 3.2 m/s, showed more "
        "pelvic drop and forward trunk lean at midstance and a straighter knee and more "
        "dorsiflexed ankle at initial contact; the study looked back in time, so it does not "
        "show cause.",
        (72, 36, 3.2),
        ("bramah2018",),
        "4.1",
        "A",
    ),
    # --- §4 overstride and 2D video --------------------------------------------------------
    Claim(
        "overstride.definition",
        "Overstriding means the foot lands well ahead of the body's centre of mass with a "
        "reaching action; it is not the same as a long stride.",
        (),
        ("souza2016",),
        "4.1",
        "A",
    ),
    Claim(
        "overstride.no_cutoff",
        "There is no validated cut-off for overstriding: foot inclination is a sliding scale, and "
        "no validated threshold for heel-to-centre-of-mass distance or shin angle was found.",
        (),
        ("souza2016",),
        "4.1",
        "A",
    ),
    Claim(
        "overstride.reproducibility",
        "In single-camera video, heel-to-centre-of-mass distance was poorly reproducible, whereas "
        "knee flexion and rearfoot angles were excellent.",
        (),
        ("souza2016",),
        "4.4",
        "A",
    ),
    Claim(
        "overstride.kinetics",
        "Heel-to-centre-of-mass distance, shin angle, foot angle and knee flexion at contact, with "
        "step rate and sex, explained about half of the variation in knee and braking loads "
        "(R² 0.43-0.58).",
        (0.43, 0.58),
        ("wille2014",),
        "4.1",
        "A",
    ),
    Claim(
        "overstride.shin_heuristic_unverified",
        "Unverified heuristic, not confirmed against a source: many clinicians call a shin tilted "
        "more than about 5-10° forward of vertical at initial contact overstriding.",
        (5, 10),
        ("souza2016", "lieberman2015"),
        "4.1",
        "U",
    ),
    Claim(
        "measurement.min_steps",
        "About 6.3 steps were needed for a stable mean of a 2D video angle, so at least 7 steps "
        "per side are averaged.",
        (6.3, 2, 7),
        ("dingenen2018",),
        "4.4",
        "A",
    ),
    Claim(
        "measurement.angle_sdd",
        "Smallest detectable differences of 2D video angles between sessions a week apart: trunk "
        "side lean and foot inclination 1.3-2.3°, shin inclination 2.2-4.8°, knee flexion "
        "2.3-3.8°, pelvic drop 2.7-2.8°.",
        (2, 1.3, 2.3, 2.2, 4.8, 2.3, 3.8, 2.7, 2.8),
        ("dingenen2018",),
        "4.4",
        "A",
    ),
    Claim(
        "measurement.frame_rate",
        "At 30 Hz, heel strike was mistimed by 29.8 ± 8.8 ms (11.9% of stance) compared with "
        "100 Hz, and cameras of at least 120 Hz give clean images; contact time and duty factor "
        "are therefore reported only from video of at least 120 frames per second.",
        (30, 29.8, 8.8, 11.9, 100, 120, 120),
        ("ismj_framerate", "souza2016"),
        "4.3",
        "A",
    ),
    Claim(
        "measurement.foot_strike_error",
        "Foot-strike pattern read from video agreed in 99.4% of cases, but the foot-strike angle "
        "had a typical error of 2.5°.",
        (99.4, 2.5),
        ("murray2019",),
        "4.4",
        "A",
    ),
    # --- §3 asymmetry ---------------------------------------------------------------------------
    Claim(
        "asymmetry.healthy",
        "Healthy trained runners show contact-time, step-length and step-frequency asymmetries "
        "below 2% (symmetry angle) and joint-angle differences of 3° or less.",
        (2, 3),
        ("girard2019", "stiffler2021"),
        "3.2",
        "A",
    ),
    Claim(
        "asymmetry.bands",
        "Report bands for timing and step-length asymmetry (a synthesis, not validated): up to "
        "about 3% symmetry index is typical of healthy runners; above about 3% is worth watching; "
        "above 10% is marked. The 10% cut-off is the most common in the literature but weakly "
        "supported.",
        (3, 3, 10, 10),
        ("girard2019", "parkinson2021", "arithmetic"),
        "3.3",
        "D",
        formula="1 × π = 3.1",
    ),
    Claim(
        "asymmetry.not_predictor",
        "Asymmetry is not, by itself, an injury predictor: in 836 recreational runners followed "
        "for 6 months (107 injured), greater flight-time and braking-force asymmetry went with "
        "lower risk, and limbs later injured did not differ from the other limb at baseline. Read "
        "it alongside the injured side and symptoms.",
        (836, 6, 107),
        ("malisoux2024",),
        "3.3",
        "A",
    ),
    # --- §5 and return-to-run.md ---------------------------------------------------------------
    Claim(
        "rtr.ten_percent_rule",
        "The 10% rule has no trial support: a graded plan following it and a standard plan had "
        "the same injury rate (20.8% versus 20.3%), and weekly progression bands did not differ "
        "overall; for distance-related injuries, more than 30% over 2 weeks gave a hazard ratio "
        "of 1.59 (95% CI 0.96-2.66, p = 0.07).",
        (10, 20.8, 20.3, 30, 2, 1.59, 95, 0.96, 2.66, 0.07),
        ("buist2008", "nielsen2014"),
        "5",
        "A",
    ),
    Claim(
        "rtr.progression",
        "Practical reading: avoid jumps above about 30% over two weeks; a 10% weekly cap is a "
        "convention, not evidence-based.",
        (30, 10),
        ("nielsen2014", "buist2008"),
        "5",
        "D",
    ),
    Claim(
        "rtr.pain_monitoring_secondary",
        "Pain-monitoring model (secondary source only; developed for Achilles tendinopathy): pain "
        "during running up to 5/10 is allowed (0-2 safe, 3-5 acceptable, above 5 too much); it "
        "must settle by the next morning and must not rise from week to week. The 24-hour "
        "response matters more than pain during the run.",
        (5, 10, 0, 2, 3, 5, 5, 24),
        ("silbernagel2007",),
        "5",
        "S",
    ),
    Claim(
        "rtr.symptoms_no_progress",
        "Do not progress while swelling, stiffness or pain increase; repeat each phase at least "
        "twice; keep at least one rest day between runs.",
        (),
        ("army_rtr_trial2023",),
        "5",
        "A",
    ),
    Claim(
        "rtr.pain_24h_secondary",
        "Secondary source only: pain or swelling lasting more than 24 h means reducing running.",
        (24,),
        ("acl_clinic_protocol",),
        "5",
        "S",
    ),
    Claim(
        "rtr.walk_run",
        "A trial protocol progressed in six phases from 2 min walk / 3 min run over 1.0 mile to "
        "continuous running over 2.0 miles, at an effort of 3-5/10, on level ground.",
        (2, 3, 1.0, 2.0, 3, 5, 10),
        ("army_rtr_trial2023",),
        "5",
        "A",
    ),
    Claim(
        "rtr.bone_stress",
        "Before running after a tibial bone stress injury (expert-level evidence): bony "
        "tenderness resolved, walking pain-free, healing on imaging at high-risk sites, strength, "
        "functional and loading tests passed, and contributing factors addressed.",
        (),
        ("george2024",),
        "5",
        "A",
    ),
    Claim(
        "rtr.acl_timing",
        "After ACL reconstruction, studies reported a median return to running at 12 weeks, and "
        "fewer than 1 in 5 studies used any clinical, strength or performance criterion.",
        (12, 1, 5),
        ("rambaud2018",),
        "5",
        "A",
    ),
    Claim(
        "rtr.acl_criteria_secondary",
        "Criteria list from a secondary source only: full range of motion (or more than 95% of the "
        "other knee), no pain or less than 2/10, no swelling, strength and hop limb symmetry "
        "above 70%.",
        (95, 2, 10, 70),
        ("rambaud2018",),
        "5",
        "S",
    ),
    Claim(
        "rtr.weekly_distance_unverified",
        "Unverified clinician criterion (no primary source found): running at least 10 miles "
        "(16 km) a week without pain before race-specific training.",
        (10, 16),
        ("rtr_clinicians",),
        "rtr",
        "U",
    ),
    Claim(
        "rtr.strength_unverified",
        "Unverified clinician criterion: heavy resistance strength training 2-3 times a week, "
        "with loads over about 10 lb (4.5 kg), progressed over 4-6 weeks.",
        (2, 3, 10, 4.5, 4, 6),
        ("rtr_clinicians",),
        "rtr",
        "U",
    ),
    Claim(
        "rtr.hops_unverified",
        "Unverified clinician criterion (no primary source found; clinics use hop-in-place tests "
        "of 10-15 repetitions or 30 s): 3 sets of 30-second single-leg hops, pain-free, and a "
        "completed progressive jump programme.",
        (10, 15, 30, 3, 30),
        ("rtr_clinicians",),
        "rtr",
        "U",
    ),
    Claim(
        "rtr.warm_up_unverified",
        "Unverified clinician guidance: a dynamic warm-up tailored to the runner's own mobility "
        "and strength deficits.",
        (),
        ("rtr_clinicians",),
        "rtr",
        "U",
    ),
    Claim(
        "rtr.surface_unverified",
        "Unverified clinician guidance: build up with a run-walk method on one soft, even surface, "
        "avoid downhills and unstable ground, keep up the strength and mobility exercises, and "
        "expect progress with peaks and valleys.",
        (),
        ("rtr_clinicians",),
        "rtr",
        "U",
    ),
    Claim(
        "rtr.soreness_unverified",
        "Unverified clinician guidance: general muscle soreness 24-48 hours after a run is normal "
        "and stiffness should ease soon after moving; soreness that turns into pain and lasts "
        "longer than 48 hours means the run was too much.",
        (24, 48, 48),
        ("rtr_clinicians",),
        "rtr",
        "U",
    ),
    Claim(
        "rtr.stride_change_unverified",
        "Unverified clinician guidance: a change in stride the runner notices (limping, shortening "
        "one side) that persists is a reason to see the physical therapist; comparing sessions "
        "over time should catch it.",
        (),
        ("rtr_clinicians",),
        "rtr",
        "U",
    ),
    # --- §4.4 frontal (rear-view) measures ----------------------------------------------------
    Claim(
        "frontal.pelvic_drop_reliability",
        "Contralateral pelvic drop is the least repeatable 2D video angle: between sessions a week "
        "apart ICC 0.59-0.77 and smallest detectable difference 2.7-2.8°.",
        (2, 0.59, 0.77, 2.7, 2.8),
        ("dingenen2018",),
        "4.4",
        "A",
    ),
    Claim(
        "frontal.pelvic_drop_tracks_3d",
        "In 15 elite runners, pelvic drop measured from 2D video tracked the 3D measurement.",
        (15, 2, 3),
        ("dingenen_2d3d",),
        "4.4",
        "A",
    ),
    Claim(
        "frontal.knee_valgus_not_3d",
        "Knee valgus read from 2D video (the knee's frontal-plane projection angle) did not match "
        "3D knee abduction in 15 elite runners: it shows the knee's path in the picture, not a "
        "joint angle.",
        (2, 3, 15),
        ("dingenen_2d3d",),
        "4.4",
        "A",
    ),
    Claim(
        "frontal.trunk_lean_reliability",
        "Lateral trunk lean from 2D video is highly repeatable: ICC 0.90-0.99 and smallest "
        "detectable difference 1.3-2.3° between sessions.",
        (2, 0.90, 0.99, 1.3, 2.3),
        ("dingenen2018",),
        "4.4",
        "A",
    ),
    Claim(
        "frontal.pelvic_drop_injury",
        "Injured runners showed more contralateral pelvic drop at midstance than controls; each "
        "extra 1° went with 80% higher odds of being injured, in a study that looked back in "
        "time and so does not show cause.",
        (1, 80),
        ("bramah2018",),
        "4.1",
        "A",
    ),
    Claim(
        "frontal.posterior_view_items",
        "A clinical posterior-view assessment looks at contralateral pelvic drop, hip "
        "adduction, knee valgus, lateral trunk lean, step width or crossover, rearfoot eversion "
        "and heel whip.",
        (),
        ("souza2016", "dingenen2018", "bramah2018"),
        "4.2",
        "A",
    ),
    Claim(
        "measure.belt_speed_display_secondary",
        "Step lengths are only as right as the belt speed given, and a treadmill's display can "
        "be off (secondary source only: one owner measured 6.09 mph on a treadmill set to "
        "7.0 mph, about 13% slow); timing a mark on the belt over several turns on video "
        "checks it.",
        (6.09, 7.0, 13),
        ("fellrnr_treadmill",),
        "6.4",
        "S",
    ),
)

CLAIMS: Mapping[str, Claim] = MappingProxyType({c.key: c for c in _CLAIM_LIST})
"""Every statement the report may print, by key."""
