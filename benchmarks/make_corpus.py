#!/usr/bin/env python3
"""Make a synthetic hub project of N entries, for benchmarks and load tests.

    python benchmarks/make_corpus.py N --out DIR [--seed 1] [--force]

DIR becomes a complete hub project: mkdocs.yml, model/, hooks/ and overrides/
are copied from this repository and DIR/content/ holds N generated entries
(none of the repository's real entries). Every entry is valid for `hub check`:
the field names, shapes and vocabularies are read from model/types.yml and
model/taxonomy.yml, and every reference points to a generated entry of the
right type. The output depends only on N, the seed and the model files: the
same arguments give byte-identical files.

As a library::

    from make_corpus import make_corpus
    counts = make_corpus(1000, Path("/tmp/corpus"), seed=1)   # {type: count}
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import random
import re
import shutil
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "model", "hooks", "overrides")

# Share of the corpus per content type (percent), and the order entries are made
# in: organisations first, since nearly everything refers to them.
SHARES = {
    "organisation": 8,
    "programme": 3,
    "event": 12,
    "course": 12,
    "workshop-outcome": 20,
    "declaration": 5,
    "case-study": 40,
}
# Which types get their one entry first when N is smaller than the number of types.
SMALL_N_PRIORITY = (
    "organisation",
    "case-study",
    "event",
    "workshop-outcome",
    "course",
    "declaration",
    "programme",
)
DRAFT_SHARE = 0.03  # of N; only case studies become drafts (nothing refers to them)
YEARS = (2003, 2023)


# ---------------------------------------------------------------------------
# Word banks. Vocabulary that the taxonomy defines (themes, challenges, actors,
# kinds, regions, countries) is never listed here: it is read from the model.
# ---------------------------------------------------------------------------

CITIES = {
    "ZA": [
        "Durban",
        "Polokwane",
        "Mbombela",
        "Msunduzi",
        "Mangaung",
        "Buffalo City",
        "Sol Plaatje",
        "Rustenburg",
        "George",
        "Emalahleni",
        "Drakenstein",
        "Mogale City",
        "Newcastle",
        "uMhlathuze",
        "Matjhabeng",
    ],
    "ZW": ["Harare", "Bulawayo", "Mutare", "Gweru", "Masvingo", "Kwekwe", "Chitungwiza"],
    "BW": ["Gaborone", "Francistown", "Maun", "Lobatse"],
    "NA": ["Windhoek", "Walvis Bay", "Oshakati", "Rundu"],
    "MZ": ["Maputo", "Beira", "Nampula", "Quelimane"],
    "ZM": ["Lusaka", "Ndola", "Kitwe", "Livingstone"],
    "MW": ["Lilongwe", "Blantyre", "Mzuzu", "Zomba"],
    "LS": ["Maseru", "Teyateyaneng", "Mafeteng"],
    "SZ": ["Mbabane", "Manzini", "Nhlangano"],
    "AO": ["Luanda", "Huambo", "Lobito", "Benguela"],
    "KE": ["Nairobi", "Kisumu", "Mombasa", "Nakuru", "Eldoret", "Nyeri"],
    "TZ": ["Dar es Salaam", "Arusha", "Mwanza", "Dodoma", "Tanga"],
    "UG": ["Kampala", "Jinja", "Mbarara", "Gulu"],
    "RW": ["Kigali", "Huye", "Musanze"],
    "ET": ["Addis Ababa", "Hawassa", "Bahir Dar", "Mekelle"],
    "BI": ["Bujumbura", "Gitega"],
    "NG": ["Lagos", "Ibadan", "Kano", "Enugu", "Port Harcourt"],
    "GH": ["Accra", "Kumasi", "Tamale", "Cape Coast"],
    "SN": ["Dakar", "Thies", "Saint-Louis"],
    "BF": ["Ouagadougou", "Bobo-Dioulasso"],
    "CI": ["Abidjan", "Bouake", "Yamoussoukro"],
    "ML": ["Bamako", "Sikasso"],
    "NE": ["Niamey", "Maradi"],
    "BJ": ["Cotonou", "Porto-Novo", "Parakou"],
    "TG": ["Lome", "Sokode"],
    "IN": [
        "Chennai",
        "Pune",
        "Ranchi",
        "Madurai",
        "Nagpur",
        "Coimbatore",
        "Bhubaneswar",
        "Visakhapatnam",
        "Indore",
        "Tiruchirappalli",
    ],
    "LK": ["Colombo", "Kandy", "Galle", "Jaffna"],
    "BD": ["Dhaka", "Chittagong", "Khulna", "Rajshahi"],
    "PK": ["Lahore", "Karachi", "Faisalabad", "Peshawar"],
    "NP": ["Kathmandu", "Pokhara", "Biratnagar"],
    "BT": ["Thimphu", "Phuntsholing"],
    "MV": ["Male", "Addu City"],
    "AF": ["Kabul", "Herat", "Mazar-i-Sharif"],
    "SG": ["Singapore"],
    "MY": ["Kuala Lumpur", "Penang", "Johor Bahru", "Kuching"],
    "ID": ["Jakarta", "Surabaya", "Bandung", "Medan", "Makassar"],
    "PH": ["Manila", "Cebu", "Davao", "Iloilo"],
    "TH": ["Bangkok", "Chiang Mai", "Khon Kaen"],
    "VN": ["Hanoi", "Ho Chi Minh City", "Da Nang", "Hue"],
    "KH": ["Phnom Penh", "Siem Reap", "Battambang"],
    "BE": ["Brussels", "Ghent", "Antwerp"],
    "GB": ["London", "Birmingham", "Leeds", "Glasgow"],
    "NL": ["Amsterdam", "Rotterdam", "Delft", "Utrecht"],
    "DE": ["Berlin", "Hamburg", "Munich", "Bonn"],
    "FR": ["Paris", "Lyon", "Marseille", "Grenoble"],
    "SE": ["Stockholm", "Gothenburg", "Malmo"],
    "DK": ["Copenhagen", "Aarhus", "Odense"],
}
# For countries the list above does not know: made-up but plausible town names.
_SYLLABLES = [
    "ma",
    "lo",
    "nga",
    "ti",
    "ku",
    "be",
    "ra",
    "so",
    "ndi",
    "wa",
    "pe",
    "zu",
    "ka",
    "mo",
    "ri",
    "tha",
    "le",
    "bu",
]

FIRST_NAMES = [
    "Thandi",
    "Sipho",
    "Lerato",
    "Nomvula",
    "Pieter",
    "Anele",
    "Tendai",
    "Farai",
    "Rudo",
    "Kagiso",
    "Priya",
    "Ravi",
    "Lakshmi",
    "Arun",
    "Meera",
    "Suresh",
    "Amina",
    "Kwame",
    "Akosua",
    "Wanjiru",
    "Otieno",
    "Grace",
    "Joseph",
    "Maria",
    "Ahmed",
    "Nadia",
    "Tran",
    "Siti",
    "Jan",
    "Els",
    "Sophie",
    "Lars",
    "Busisiwe",
    "Mandla",
    "Chipo",
    "Neo",
]
SURNAMES = [
    "Dlamini",
    "Naidoo",
    "Mokoena",
    "Van der Merwe",
    "Moyo",
    "Chikwanha",
    "Sithole",
    "Pillai",
    "Krishnan",
    "Iyer",
    "Sharma",
    "Mensah",
    "Okafor",
    "Kamau",
    "Achieng",
    "Banda",
    "Phiri",
    "Nguyen",
    "Santos",
    "Peeters",
    "Jansen",
    "Larsen",
    "Mthembu",
    "Khumalo",
    "Ncube",
    "Zulu",
    "Reddy",
    "Hassan",
    "Osei",
    "Mutasa",
]

SUBJECTS = [
    "the utility",
    "the municipality",
    "the water services authority",
    "the technical team",
    "the revenue department",
    "the task team",
    "ward councillors",
    "the district municipality",
    "field staff",
    "the customer care unit",
    "the operations and maintenance section",
    "the project steering committee",
    "the water board",
    "plant operators",
    "the asset management unit",
    "community champions",
    "the finance directorate",
    "the leak detection crew",
    "the programme management unit",
    "senior managers",
    "the laboratory team",
    "the mentoring utility",
]
VERBS = [
    "mapped",
    "metered",
    "repaired",
    "audited",
    "benchmarked",
    "prioritised",
    "replaced",
    "monitored",
    "reviewed",
    "rehabilitated",
    "surveyed",
    "zoned",
    "calibrated",
    "reconciled",
    "documented",
    "cleaned up",
    "upgraded",
    "inspected",
    "tested",
    "re-registered",
    "budgeted for",
    "costed",
    "logged",
    "tracked",
]
OBJECTS = [
    "the bulk meters",
    "district metered areas",
    "the reticulation network",
    "the billing database",
    "consumer connections",
    "pressure reducing valves",
    "the treatment works",
    "the sewer pump stations",
    "illegal connections",
    "the indigent register",
    "the water safety plan",
    "the asset register",
    "reservoir levels",
    "standpipes in informal settlements",
    "the call centre log",
    "the tariff structure",
    "the meter reading routes",
    "effluent samples",
    "the process controllers' logbooks",
    "the valve and hydrant register",
    "the annual water balance",
    "chlorine dosing at the works",
    "the maintenance backlog",
    "the complaints procedure",
    "the refuse collection schedule",
    "night flows in each zone",
]
QUALIFIERS = [
    "over eighteen months",
    "with support from the water board",
    "in three pilot zones",
    "before the dry season",
    "ward by ward",
    "using a simple spreadsheet",
    "with the help of ward committees",
    "in partnership with a neighbouring utility",
    "within the existing budget",
    "as part of the turnaround plan",
    "after a council resolution",
    "with a small grant",
    "in the first year",
    "with the support of the provincial department",
    "one supply zone at a time",
    "every week",
    "with mobile phones and a shared database",
    "together with residents' associations",
    "on a rotating shift",
    "during the annual budget cycle",
    "under a performance contract",
    "with an experienced mentor",
]
OUTCOMES = [
    "non-revenue water fell",
    "collection rates improved",
    "complaints dropped",
    "Blue Drop scores rose",
    "supply hours increased",
    "response times to bursts shortened",
    "the number of unbilled connections fell",
    "effluent compliance improved",
    "staff turnover slowed",
    "bulk water purchases went down",
    "meter reading became more reliable",
    "the debt book stopped growing",
    "residents began to report leaks themselves",
    "overtime costs fell",
]
PROBLEMS = [
    "a shortage of qualified process controllers",
    "ageing asbestos-cement pipes",
    "estimated billing in many wards",
    "a backlog of unresolved complaints",
    "frequent power cuts at pump stations",
    "unclear roles between the district and local municipalities",
    "low morale among field staff",
    "unmetered standpipes",
    "a weak link between operations and finance",
    "a budget that covered salaries and little else",
    "missing records of the network",
    "vandalism of pump stations",
    "high turnover of senior engineers",
    "a tariff that had not been reviewed for years",
    "slow procurement of spares",
]
EFFECTS = [
    "slowed every repair",
    "undermined trust between residents and the council",
    "made results hard to measure",
    "kept losses high for years",
    "left the budget stretched",
    "meant that nobody owned the problem",
    "pushed maintenance to the bottom of the list",
    "made it hard to plan ahead",
    "hid the real cost of the service",
]
ACTIONS = [
    "share operating data with peers",
    "set up a monthly performance review",
    "publish quarterly water balance figures",
    "train a second group of operators",
    "meet residents' committees every quarter",
    "draft a customer care charter",
    "adopt a standard water balance",
    "fund a permanent leak detection crew",
    "replace the oldest pipes first",
    "link meter readings to the billing system",
    "report results to council every quarter",
    "mentor smaller municipalities",
    "agree service levels with residents",
    "keep a register of every asset",
    "test drinking water at every reservoir",
    "budget for preventive maintenance",
    "hold an annual learning exchange",
    "document what works and what does not",
    "align support from national and provincial departments",
    "involve staff in setting targets",
    "set up a helpdesk for complaints",
    "map every connection in informal settlements",
]
OBSERVATIONS = [
    "small, visible results built support for the larger programme",
    "leadership mattered more than money",
    "data that nobody used was not collected for long",
    "residents paid more readily once supply became reliable",
    "peer visits convinced sceptical managers faster than reports did",
    "the same problems recurred in every province",
    "operators learned most from colleagues who had solved the same problem",
    "targets without budgets were ignored",
    "clear roles between departments saved months of delay",
    "training stuck only when it was followed by mentoring",
    "councillors were willing to act once they saw the figures",
    "simple tools outlasted sophisticated ones",
]
CONNECTORS = [
    "At the same time,",
    "In practice,",
    "As a result,",
    "However,",
    "From the start,",
    "Over time,",
    "In the first phase,",
    "Later,",
    "Crucially,",
    "By the end of the period,",
    "In parallel,",
    "Early on,",
    "Before long,",
    "In most zones,",
]
GERUNDS = [
    "Halving water losses",
    "Raising drinking-water compliance",
    "Restoring 24-hour supply",
    "Turning around revenue collection",
    "Cutting pipe bursts",
    "Bringing wastewater works back into compliance",
    "Clearing the complaints backlog",
    "Metering every connection",
    "Rebuilding trust with residents",
    "Training process controllers on the job",
    "Reducing illegal connections",
    "Getting refuse collected on schedule",
    "Benchmarking operating costs",
    "Preparing for drought",
    "Fixing estimated billing",
    "Keeping pump stations running",
    "Managing pressure at night",
    "Recovering arrears fairly",
    "Making the asset register useful",
    "Improving effluent quality",
]
METHODS = [
    "through pressure management",
    "with district metered areas",
    "with a ward-based customer care team",
    "by twinning with a larger utility",
    "with community champions",
    "through a turnaround plan",
    "with a mobile meter-reading app",
    "through performance contracts",
    "with a water safety plan",
    "by reorganising maintenance crews",
    "through peer review",
    "with a revenue enhancement project",
    "with help from retired engineers",
    "by working with the water board",
    "through a learning network",
]
TOPICS = [
    "non-revenue water management",
    "operating small wastewater works",
    "customer care for local authorities",
    "water safety planning",
    "asset management for water services",
    "revenue management and billing",
    "leading change in public utilities",
    "benchmarking water services",
    "community engagement",
    "process control for drinking-water treatment",
    "pressure management",
    "meter management",
    "drought planning",
    "project management for municipal infrastructure",
    "water operators partnerships",
    "intergovernmental coordination",
    "Green Drop readiness",
    "sanitation in informal settlements",
    "maintenance planning",
    "financial sustainability",
]
PROJECT_NAMES = ["Consolidate", "Turnaround", "Ubuntu", "Horizon", "Bridge", "Source", "Flow", "Catalyst"]
CONTACT_ROLES = [
    "Water Services Manager",
    "Chief Engineer",
    "Revenue Manager",
    "Customer Care Manager",
    "Process Controller",
]
GROUP_NAMES = ["Group", "Round table", "Working group", "Commission", "Breakaway session"]
EVENT_FORMATS = [
    "Conference",
    "Workshop",
    "Site visit",
    "Round table",
    "Master class",
    "Panel discussion",
    "Match-making exercise",
    "Field trip",
    "Peer review",
    "Poster session",
]
DEPARTMENTS = [
    "Water Affairs",
    "Local Government",
    "Cooperative Governance",
    "Human Settlements",
    "Water and Sanitation",
    "Urban Development",
    "Environment",
]
VENUES = [
    "City Hall",
    "the Civic Centre",
    "the Water Board training centre",
    "the Convention Centre",
    "the University campus",
    "the Council Chamber",
    "a hotel conference centre",
    "the treatment works",
]
LEVELS = [
    "Short-term professional",
    "Certificate",
    "Diploma",
    "Continuing professional development",
    "Introductory",
]
APPROACHES = [
    "Workshop",
    "Blended learning",
    "On-the-job training",
    "Lectures and site visits",
    "Master class",
    "Mentoring",
]
FEES = [
    "Free of charge for municipalities",
    "Fees on request",
    "Covered by the programme",
    "Sponsored places available",
    "Cost recovery only",
]
INDICATORS = [
    # (what was measured, unit, which way is better, plausible range)
    ("Non-revenue water", "%", "lower", (15, 65)),
    ("Drinking-water quality compliance", "%", "higher", (55, 99)),
    ("Revenue collection rate", "%", "higher", (40, 98)),
    ("Pipe bursts", "per 100 km per year", "lower", (20, 180)),
    ("Complaints resolved within 48 hours", "%", "higher", (20, 95)),
    ("Hours of supply", "hours per day", "higher", (4, 22)),
    ("Green Drop score", "%", "higher", (20, 95)),
    ("Metered connections", "%", "higher", (30, 100)),
    ("Real losses", "litres per connection per day", "lower", (80, 600)),
    ("Staff per 1,000 connections", "staff", "lower", (3, 15)),
    ("Average repair time", "hours", "lower", (6, 96)),
    ("Refuse collected on schedule", "%", "higher", (35, 98)),
]
PUBLISHERS = [
    "the Municipal Benchmarking Initiative",
    "the water board",
    "the provincial department",
    "a peer-learning network",
    "the utility",
    "the programme secretariat",
    "a training institute",
    "the national department",
]
SOURCE_KINDS = [
    "Workshop report",
    "Case study write-up",
    "Conference proceedings",
    "Programme review",
    "Annual report",
    "Course brochure",
    "Presentation",
    "Minutes of the meeting",
    "Evaluation report",
    "Briefing note",
]
ORG_NAMES = {
    # templates by organisation kind; a kind the table does not know gets "{city} {label}"
    "municipality": [
        "City of {city}",
        "{city} Local Municipality",
        "{city} Metropolitan Municipality",
        "{city} District Municipality",
        "{city} City Council",
    ],
    "government": [
        "{country} Department of {dept}",
        "{country} Ministry of {dept}",
        "{city} Regional Office of {dept}",
    ],
    "association": [
        "{country} Association of Local Authorities",
        "{country} Local Government Association",
        "Union of {country} Municipalities",
        "{city} Association of Water Engineers",
    ],
    "utility": [
        "{city} Water and Sewerage Company",
        "{city} Water Board",
        "{city} Water and Sanitation Utility",
        "{city} Water Corporation",
    ],
    "training-institute": [
        "{city} Institute of Water Services Learning",
        "{country} Water Training Centre",
        "Institute of Water and Sanitation Development, {city}",
        "{city} Municipal Academy",
    ],
    "academic": [
        "University of {city}",
        "{city} Institute of Technology",
        "{country} Water Research Centre",
        "{city} School of Public Management",
    ],
    "international": [
        "{region} Water Operators Alliance",
        "International Centre for {topic}",
        "{region} Urban Water Forum",
    ],
    "development-finance": [
        "{country} Development Bank",
        "{region} Infrastructure Fund",
        "{city} Municipal Finance Facility",
    ],
    "consultancy": ["{surname} and Partners", "{surname} Water Consulting", "{surname} Management Services"],
    "network": [
        "{country} Water Operators Partnership",
        "{region} Utilities Network",
        "{city} Cities Network",
        "{country} Benchmarking Network",
    ],
    "ngo": [
        "{city} Water Trust",
        "{country} Community Water Forum",
        "Friends of {city} Water",
        "{city} Residents' Water Committee",
    ],
}
ITEM_TEMPLATES = {
    # templates by item kind; unknown kinds use the generic ones
    "point": ["{Problem} {effect}.", "Participants raised {problem}, which {effect}."],
    "recommendation": [
        "{Actor} should {action} {qual}.",
        "{Actor} should {action}; where this was tried, {outcome}.",
    ],
    "opportunity": ["{Actor} could {action} {qual}.", "There is a chance to {action} {qual}."],
    "finding": ["The group found that {observation}.", "Experience showed that {observation}."],
    "commitment": ["The signatories commit to {action} {qual}.", "We commit ourselves to {action} {qual}."],
    "objective": ["To {action} {qual}.", "To help {actor} {action}."],
}
GENERIC_ITEM = ["{Actor} should {action} {qual}.", "The group noted that {observation}."]
STOPWORDS = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "and",
    "in",
    "on",
    "for",
    "with",
    "its",
    "at",
    "by",
    "every",
    "so",
    "that",
    "should",
    "could",
    "we",
    "is",
}


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------


class Model:
    """What the generator needs from model/types.yml and model/taxonomy.yml."""

    def __init__(self, model_dir: Path):
        with open(model_dir / "types.yml", encoding="utf-8") as handle:
            types_doc = yaml.safe_load(handle)
        with open(model_dir / "taxonomy.yml", encoding="utf-8") as handle:
            taxonomy = yaml.safe_load(handle)
        self.shapes: dict = types_doc.get("shapes") or {}
        common = types_doc.get("common") or {}
        self.types: dict = types_doc["types"]
        self.fields = {name: {**common, **(spec.get("fields") or {})} for name, spec in self.types.items()}
        self.folder = {name: spec.get("folder", name) for name, spec in self.types.items()}
        self.outline = {
            name: list(spec.get("outline") or []) or ["About"] for name, spec in self.types.items()
        }
        missing = [t for t in SHARES if t not in self.types]
        if missing:
            raise SystemExit(f"make_corpus: model/types.yml has no type {', '.join(missing)}")

        def terms(name: str) -> dict:
            vocab = taxonomy.get(name) or {}
            if not vocab:
                raise SystemExit(f"make_corpus: model/taxonomy.yml has no vocabulary '{name}'")
            return {tid: (spec or {}) for tid, spec in vocab.items()}

        self.themes = terms("themes")
        self.challenges = terms("challenges")
        self.actors = terms("actors")
        self.item_kinds = terms("item_kinds")
        self.org_kinds = terms("organisation_kinds")
        self.regions = terms("regions")
        self.theme_ids = list(self.themes)
        self.challenge_ids = list(self.challenges)
        self.actor_ids = list(self.actors)
        self.org_kind_ids = list(self.org_kinds)
        self.region_ids = list(self.regions)
        self.countries: list[str] = []
        self.region_of: dict[str, str] = {}
        for rid, spec in self.regions.items():
            for code in spec.get("countries") or []:
                if code not in self.region_of:
                    self.countries.append(code)
                    self.region_of[code] = rid
        if not self.countries:
            raise SystemExit("make_corpus: no region in model/taxonomy.yml lists countries")
        # Item kinds a declaration uses are those whose description speaks of
        # declarations; workshops use the others.
        decl = [
            k for k, spec in self.item_kinds.items() if "declar" in str(spec.get("description", "")).lower()
        ]
        self.declaration_kinds = decl or list(self.item_kinds)
        self.workshop_kinds = [k for k in self.item_kinds if k not in decl] or list(self.item_kinds)
        # label of a term, lowercased for running text (acronyms kept)
        self.lower = {}
        for vocab in (self.themes, self.challenges, self.actors, self.regions, self.org_kinds):
            for tid, spec in vocab.items():
                label = str(spec.get("label", tid.replace("-", " ")))
                self.lower[tid] = " ".join(w if w[1:2].isupper() else w.lower() for w in label.split())
        self.label = {
            tid: str(spec.get("label", tid))
            for vocab in (
                self.themes,
                self.challenges,
                self.actors,
                self.regions,
                self.org_kinds,
                self.item_kinds,
            )
            for tid, spec in vocab.items()
        }
        # a challenge may name the themes whose practice answers it
        self.challenge_themes = {
            c: [t for t in (spec.get("themes") or []) if t in self.themes]
            for c, spec in self.challenges.items()
        }
        self.plural = {
            k: str(spec.get("plural") or spec.get("label") or k) for k, spec in self.item_kinds.items()
        }
        try:
            import pycountry

            self.country_name = {}
            for code in self.countries:
                c = pycountry.countries.get(alpha_2=code)
                self.country_name[code] = (getattr(c, "common_name", None) or c.name) if c else code
        except ImportError:  # the names are only used in text
            self.country_name = {code: code for code in self.countries}

    def conform(self, type_name: str, data: dict) -> dict:
        """Keep only the fields the model allows, and insist on the required ones."""
        return self._conform(data, self.fields[type_name], type_name)

    def _conform(self, data: dict, fields: dict, where: str) -> dict:
        out = {}
        for key, value in data.items():
            spec = fields.get(key)
            if spec is None or value is None:
                continue
            spec = spec if isinstance(spec, dict) else {"type": spec}
            ftype = spec.get("type")
            if ftype in self.shapes and isinstance(value, dict):
                value = self._conform(value, self.shapes[ftype], f"{where}.{key}")
            elif ftype == "list" and spec.get("of") in self.shapes:
                shape = self.shapes[spec["of"]]
                value = [self._conform(v, shape, f"{where}.{key}") for v in value]
            out[key] = value
        for key, spec in fields.items():
            if isinstance(spec, dict) and spec.get("required") and key not in out:
                raise SystemExit(
                    f"make_corpus: the model requires '{key}' in {where}, which this generator does not make"
                )
        return out


# ---------------------------------------------------------------------------
# YAML front matter (written by hand: fast, and byte-stable)
# ---------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()'/%;+-]*[A-Za-z0-9).%]$")
_FLOW = re.compile(r"^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and "  " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _emit(lines: list, key: str, value, indent: int) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        lines.append(f"{pad}{key}:")
        for k, v in value.items():
            _emit(lines, k, v, indent + 2)
    elif isinstance(value, list):
        if all(isinstance(v, str) and _FLOW.match(v) and v.lower() not in _RESERVED for v in value):
            lines.append(f"{pad}{key}: [{', '.join(value)}]")
            return
        lines.append(f"{pad}{key}:")
        for v in value:
            if isinstance(v, dict):
                sub: list = []
                for k, w in v.items():
                    _emit(sub, k, w, indent + 4)
                sub[0] = f"{pad}  - {sub[0][indent + 4 :]}"
                lines.extend(sub)
            else:
                lines.append(f"{pad}  - {_scalar(v)}")
    else:
        lines.append(f"{pad}{key}: {_scalar(value)}")


def front_matter(data: dict) -> str:
    lines = ["---"]
    for key, value in data.items():
        _emit(lines, key, value, 0)
    lines.append("---")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def slugify(text: str, max_words: int = 8) -> str:
    """A kebab-case id: the title's words without the small ones; a long title keeps
    its first and last words (the last are often the place and the year)."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    words = [w for w in words if w not in STOPWORDS] or words
    if len(words) > max_words:
        words = words[: max_words - 2] + words[-2:]
    return "-".join(words) or "entry"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def a_n(number: int) -> str:
    """'a 5' or 'an 8', as spoken."""
    return "an" if str(number).startswith("8") or number in (11, 18) else "a"


def iso(day: _dt.date) -> str:
    return day.isoformat()


class Corpus:
    def __init__(self, model: Model, seed: int):
        self.m = model
        self.rng = random.Random(seed)
        self.ids: dict[str, set] = {t: set() for t in SHARES}
        self.titles: set = set()
        self.entries: dict[str, list] = {t: [] for t in SHARES}  # type → list of plan dicts
        self.orgs_by_country: dict[str, list] = {}

    # -- small random helpers ------------------------------------------------
    def pick(self, seq):
        return self.rng.choice(seq)

    def some(self, seq, low: int, high: int) -> list:
        k = min(len(seq), self.rng.randint(low, high))
        return self.rng.sample(seq, k)

    def day(self, year: int | None = None) -> _dt.date:
        year = year or self.rng.randint(*YEARS)
        return _dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def country(self, near_orgs: bool = False) -> str:
        """A country of the taxonomy's regions; with ``near_orgs``, often one where a generated
        organisation is."""
        if near_orgs and self.entries["organisation"] and self.rng.random() < 0.6:
            return self.pick(self.entries["organisation"])["country"]
        return self.pick(self.m.countries)

    def city(self, code: str) -> str:
        known = CITIES.get(code)
        if known:
            return self.pick(known)
        return cap("".join(self.pick(_SYLLABLES) for _ in range(self.rng.randint(2, 3))))

    def person(self) -> str:
        return f"{self.pick(FIRST_NAMES)} {self.pick(SURNAMES)}"

    def new_id(self, type_name: str, title: str) -> str:
        base = slugify(title)
        slug, n = base, 1
        while slug in self.ids[type_name]:
            n += 1
            slug = f"{base}-{n}"
        self.ids[type_name].add(slug)
        return slug

    def unique_title(self, make) -> str:
        """A title not used yet (tries a few times, then numbers it)."""
        for _ in range(12):
            title = make()
            if title not in self.titles:
                break
        else:
            n = 2
            while f"{title} ({n})" in self.titles:
                n += 1
            title = f"{title} ({n})"
        self.titles.add(title)
        return title

    def themes(self, low: int = 1, high: int = 4) -> list:
        return self.some(self.m.theme_ids, max(1, low), high)

    def challenges(self, low: int = 0, high: int = 3) -> list:
        return self.some(self.m.challenge_ids, low, high)

    def themes_for(self, challenges: list, low: int = 1, high: int = 4) -> list:
        """Themes that answer the challenges (when the taxonomy says which), plus a few others."""
        answering = [t for c in challenges for t in self.m.challenge_themes.get(c, [])]
        chosen = self.some(list(dict.fromkeys(answering)), 1, 2) if answering else []
        return list(dict.fromkeys(chosen + self.themes(low, high)))[: max(high, len(chosen))]

    def sources(self, year: int, about: str) -> list:
        out = []
        for i in range(self.rng.randint(1, 2)):
            src = {"title": f"{self.pick(SOURCE_KINDS)}: {about}" if i == 0 else self.pick(SOURCE_KINDS)}
            if self.rng.random() < 0.7:
                src["publisher"] = cap(self.pick(PUBLISHERS))
            if self.rng.random() < 0.8:
                src["year"] = min(YEARS[1] + 1, year + self.rng.randint(0, 1))
            if self.rng.random() < 0.3:
                src["url"] = (
                    f"https://example.org/library/{slugify(about, 5)}-{self.rng.randint(100, 999)}.pdf"
                )
            else:
                src["file"] = f"gen-{self.rng.randint(0, 99999):05d}"
            out.append(src)
        return out

    # -- text ----------------------------------------------------------------
    def sentence(self, ctx: dict) -> str:
        r = self.rng.random()
        if r < 0.22:
            return (
                f"{self.pick(CONNECTORS)} {self.pick(SUBJECTS)} {self.pick(VERBS)} "
                f"{self.pick(OBJECTS)} {self.pick(QUALIFIERS)}."
            )
        if r < 0.38:
            return (
                f"{cap(self.pick(SUBJECTS))} {self.pick(VERBS)} {self.pick(OBJECTS)}, "
                f"and {self.pick(OUTCOMES)} {self.pick(QUALIFIERS)}."
            )
        if r < 0.52:
            return f"The main difficulty was {self.pick(PROBLEMS)}, which {self.pick(EFFECTS)}."
        if r < 0.64:
            return f"Participants noted that {self.pick(OBSERVATIONS)}."
        if r < 0.76:
            return f"{cap(self.pick(SUBJECTS))} agreed to {self.pick(ACTIONS)} {self.pick(QUALIFIERS)}."
        if r < 0.86:
            return (
                f"Much of the work concerned {self.m.lower[self.pick(ctx['themes'])]}, "
                f"and in {ctx['city']} this meant that {self.pick(SUBJECTS)} had to {self.pick(ACTIONS)}."
            )
        if r < 0.93 and ctx.get("challenges"):
            return (
                f"Like many places in {ctx['country_name']}, {ctx['city']} faced "
                f"{self.m.lower[self.pick(ctx['challenges'])]}, which {self.pick(EFFECTS)}."
            )
        return (
            f"{self.pick(CONNECTORS)} {self.pick(OUTCOMES)}, because {self.pick(SUBJECTS)} "
            f"{self.pick(VERBS)} {self.pick(OBJECTS)}."
        )

    def paragraph(self, ctx: dict, lead: str = "") -> str:
        sentences = [self.sentence(ctx) for _ in range(self.rng.randint(3, 6))]
        if lead:
            sentences.insert(0, lead)
        return " ".join(sentences)

    def bullets(self, ctx: dict) -> str:
        lines = []
        for _ in range(self.rng.randint(4, 7)):
            r = self.rng.random()
            if r < 0.35:
                text = f"{self.pick(VERBS)} {self.pick(OBJECTS)} {self.pick(QUALIFIERS)}"
            elif r < 0.7:
                text = f"{self.pick(ACTIONS)}"
            else:
                text = f"{self.pick(PROBLEMS)}, which {self.pick(EFFECTS)}"
            lines.append(f"- {cap(text)};")
        lines[-1] = lines[-1][:-1] + "."
        return "\n".join(lines)

    def body(self, type_name: str, ctx: dict, table: str, links: list[str]) -> str:
        """Markdown with a '## ' section per heading of the type's outline, 500-1,500 words."""
        outline = self.m.outline[type_name]
        target = self.rng.randint(520, 1340)  # every word counts: headings, list and table too
        list_at = min(1, len(outline) - 1)
        table_at = len(outline) - 1 if len(outline) > 2 else 0
        parts: list[str] = []
        words = 0
        for index, heading in enumerate(outline):
            parts.append(f"## {heading}")
            words += len(heading.split()) + 1
            budget = target * (index + 1) // len(outline)  # cumulative: only the last section overshoots
            first = True
            while first or words < budget:
                lead = " ".join(links) if first and index == 0 and links else ""
                para = self.paragraph(ctx, lead)
                parts.append(para)
                words += len(para.split())
                if first and index == list_at:
                    parts.append(
                        self.pick(
                            [
                                "The main steps were:",
                                "In short:",
                                "The points raised were:",
                                "Among the measures:",
                            ]
                        )
                    )
                    parts.append(self.bullets(ctx))
                    words += len(parts[-1].split()) + len(parts[-2].split())
                if first and index == table_at and table:
                    parts.append(table)
                    words += len(table.split())
                first = False
        return "\n\n".join(parts) + "\n"

    @staticmethod
    def table(header: list[str], rows: list[list]) -> str:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
        return "\n".join(lines)

    def link(self, from_type: str, to_type: str, slug: str, text: str) -> str:
        return f"[{text}](../{self.m.folder[to_type]}/{slug}.md)"

    # -- planning: titles, ids and the facts other entries depend on --------
    def plan(self, counts: dict) -> None:
        m = self.m
        for i in range(counts["organisation"]):
            kind = self.pick(m.org_kind_ids)
            code = self.country()
            city = self.city(code)

            def make(kind=kind, code=code, city=city):
                template = self.pick(ORG_NAMES.get(kind) or ["{city} " + m.label[kind]])
                return template.format(
                    city=city,
                    country=m.country_name[code],
                    dept=self.pick(DEPARTMENTS),
                    region=m.label[m.region_of[code]],
                    topic=cap(self.pick(TOPICS)),
                    surname=self.pick(SURNAMES),
                )

            title = self.unique_title(make)
            words = [
                w for w in re.findall(r"[A-Za-z]+", title) if w.lower() not in STOPWORDS and w[0].isupper()
            ]
            acronym = (
                "".join(w[0] for w in words).upper() if len(words) >= 2 and self.rng.random() < 0.6 else None
            )
            plan = {
                "title": title,
                "id": self.new_id("organisation", title),
                "kind": kind,
                "country": code,
                "city": city,
                "index": i,
                "acronym": acronym,
            }
            self.entries["organisation"].append(plan)
            self.orgs_by_country.setdefault(code, []).append(plan)

        for _ in range(counts["programme"]):
            code = self.country(True)
            start = self.day(self.rng.randint(YEARS[0], YEARS[1] - 3))
            end = None
            if self.rng.random() < 0.6:
                end = self.day(min(YEARS[1], start.year + self.rng.randint(2, 8)))
                if end <= start:
                    end = start + _dt.timedelta(days=400)
            chosen: dict = {}

            def make(code=code, chosen=chosen, start=start):
                topic = chosen["topic"] = self.pick(TOPICS)
                return self.pick(
                    [
                        f"{m.country_name[code]} Programme for {cap(topic)}",
                        f"{cap(topic)} Partnership Initiative ({m.country_name[code]})",
                        f"{m.label[m.region_of[code]]} Support Programme for {topic}",
                        f"Municipal Support Programme for {topic}, "
                        f"{start.year}-{start.year + self.rng.randint(2, 6)}",
                        f"Project {self.pick(PROJECT_NAMES)} ({m.country_name[code]})",
                    ]
                )

            title = self.unique_title(make)
            self.entries["programme"].append(
                {
                    "title": title,
                    "id": self.new_id("programme", title),
                    "country": code,
                    "start": start,
                    "end": end,
                    "topic": chosen["topic"],
                    "events": [],
                }
            )

        for _ in range(counts["event"]):
            programme = (
                self.pick(self.entries["programme"])
                if self.entries["programme"] and self.rng.random() < 0.5
                else None
            )
            if programme:
                code = programme["country"] if self.rng.random() < 0.7 else self.country(True)
                last = programme["end"] or _dt.date(YEARS[1], 12, 31)
                span = max(0, (last - programme["start"]).days - 3)
                start = programme["start"] + _dt.timedelta(days=self.rng.randint(0, span))
            else:
                code = self.country(True)
                start = self.day()
            end = start + _dt.timedelta(days=self.rng.randint(0, 3))
            city = self.city(code)
            chosen = {}

            def make(code=code, city=city, year=start.year, chosen=chosen):
                topic = chosen["topic"] = self.pick(TOPICS)
                return self.pick(
                    [
                        f"{city} Water Services Master Class {self.rng.randint(1, 12)}",
                        f"Regional conference on {topic} ({city}, {year})",
                        f"Workshop on {topic} for {m.lower[self.pick(m.actor_ids)]} ({year})",
                        f"Un-conference on {topic} ({city}, {year})",
                        f"{m.country_name[code]} Water Operators Forum on {topic} ({year})",
                        f"{cap(topic)} learning exchange, {city} {year}",
                    ]
                )

            title = self.unique_title(make)
            plan = {
                "title": title,
                "id": self.new_id("event", title),
                "country": code,
                "city": city,
                "start": start,
                "end": end,
                "topic": chosen["topic"],
                "programme": programme,
            }
            self.entries["event"].append(plan)
            if programme:
                programme["events"].append(plan)

        for _ in range(counts["course"]):
            provider = self.pick(self.entries["organisation"]) if self.entries["organisation"] else None
            code = provider["country"] if provider and self.rng.random() < 0.7 else self.country(True)
            city = self.city(code)
            year = self.rng.randint(*YEARS)
            chosen = {}

            def make(provider=provider, city=city, year=year, chosen=chosen):
                topic = chosen["topic"] = self.pick(TOPICS)
                by = (provider["acronym"] or provider["title"]) if provider else city
                return self.pick(
                    [
                        f"{cap(topic)} for {m.lower[self.pick(m.actor_ids)]} ({city})",
                        f"Certificate in {topic} ({by})",
                        f"Short course: {topic}, {city} {year}",
                        f"Introduction to {topic} for {m.lower[self.pick(m.actor_ids)]}",
                        f"Advanced master class in {topic} ({city}, {year})",
                        f"{by} course on {topic}",
                        f"{cap(topic)}: a {self.pick(LEVELS).lower()} course ({year})",
                    ]
                )

            title = self.unique_title(make)
            self.entries["course"].append(
                {
                    "title": title,
                    "id": self.new_id("course", title),
                    "topic": chosen["topic"],
                    "provider": provider,
                    "country": code,
                    "city": city,
                    "year": year,
                }
            )

        for _ in range(counts["workshop-outcome"]):
            event = (
                self.pick(self.entries["event"])
                if self.entries["event"] and self.rng.random() < 0.85
                else None
            )
            code = event["country"] if event else self.country(True)
            city = event["city"] if event else self.city(code)
            date = event["start"] if event else self.day()
            group = f"{self.pick(GROUP_NAMES)} {self.rng.randint(1, 8)}"
            theme = self.pick(m.theme_ids)

            def make(group=group, theme=theme, city=city, year=date.year, event=event):
                return self.pick(
                    [
                        f"{group} on {m.lower[theme]} ({city}, {year})",
                        f"What {group.lower()} recommended on {m.lower[theme]}",
                        f"{event['title'] if event else city + ' workshop'}, {group}: {m.lower[theme]}",
                        f"Outcomes of the {m.lower[theme]} {group.lower()}, {city} {year}",
                    ]
                )

            title = self.unique_title(make)
            self.entries["workshop-outcome"].append(
                {
                    "title": title,
                    "id": self.new_id("workshop-outcome", title),
                    "event": event,
                    "country": code,
                    "city": city,
                    "date": date,
                    "group": group,
                    "theme": theme,
                }
            )

        for _ in range(counts["declaration"]):
            event = (
                self.pick(self.entries["event"])
                if self.entries["event"] and self.rng.random() < 0.8
                else None
            )
            code = event["country"] if event else self.country(True)
            city = event["city"] if event else self.city(code)
            date = event["end"] if event else self.day()
            chosen = {}

            def make(city=city, year=date.year, chosen=chosen):
                topic = chosen["topic"] = self.pick(TOPICS)
                return self.pick(
                    [
                        f"{city} Declaration on {topic} ({year})",
                        f"{city} Commitment to {topic}, {year}",
                        f"Joint statement on {topic}, {city} {year}",
                        f"{city} Charter for {topic} ({year})",
                    ]
                )

            title = self.unique_title(make)
            self.entries["declaration"].append(
                {
                    "title": title,
                    "id": self.new_id("declaration", title),
                    "event": event,
                    "country": code,
                    "city": city,
                    "date": date,
                    "topic": chosen["topic"],
                }
            )

        for _ in range(counts["case-study"]):
            code = self.country(True)
            city = self.city(code)
            date = self.day()

            def make(city=city, year=date.year):
                g = self.pick(GERUNDS)
                return self.pick(
                    [
                        f"{g} in {city}",
                        f"{g} {self.pick(METHODS)} in {city}",
                        f"How {city} set about {g[0].lower() + g[1:]}",
                        f"{city}: {g[0].lower() + g[1:]} {self.pick(METHODS)}",
                        f"{g} in {city} ({year})",
                        f"{g} {self.pick(METHODS)}: the {city} experience",
                        f"{city}, {year - self.rng.randint(1, 5)}-{year}: {g[0].lower() + g[1:]}",
                    ]
                )

            title = self.unique_title(make)
            self.entries["case-study"].append(
                {
                    "title": title,
                    "id": self.new_id("case-study", title),
                    "country": code,
                    "city": city,
                    "date": date,
                }
            )

    # -- references ----------------------------------------------------------
    def orgs(self, low: int, high: int, country: str | None = None) -> list[dict]:
        pool = self.entries["organisation"]
        if not pool:
            return []
        chosen = []
        local = self.orgs_by_country.get(country) if country else None
        if local and self.rng.random() < 0.7:
            chosen.append(self.pick(local))
        k = self.rng.randint(low, high)
        while len(chosen) < min(k, len(pool)):
            org = self.pick(pool)
            if org not in chosen:
                chosen.append(org)
        return chosen

    def ctx(self, plan: dict, themes: list, challenges: list) -> dict:
        return {
            "themes": themes,
            "challenges": challenges,
            "city": plan.get("city") or self.city(plan["country"]),
            "country_name": self.m.country_name[plan["country"]],
        }

    def common(
        self, plan: dict, summary: str, themes: list, challenges: list, orgs: list, year: int, countries=None
    ) -> tuple[dict, dict]:
        """(title and summary, the common fields that follow the type's own)."""
        data = {"title": plan["title"], "summary": summary}
        return data, {
            "countries": countries if countries is not None else [plan["country"]],
            "themes": themes,
            "challenges": challenges or None,
            "organisations": list(dict.fromkeys(o["id"] for o in orgs)) or None,
            "sources": self.sources(year, plan["title"]),
            "language": "en" if self.rng.random() < 0.3 else None,
        }

    # -- entries -------------------------------------------------------------
    def organisation(self, plan: dict) -> tuple[dict, str]:
        m = self.m
        kind, code = plan["kind"], plan["country"]
        themes, challenges = self.themes(1, 3), self.challenges(0, 2)
        founded = self.day(self.rng.randint(1950, 2015))
        others = [o for o in self.entries["organisation"] if o is not plan]
        partners = self.some(others, 0, 5) if others else []
        earlier = self.entries["organisation"][: plan["index"]]
        parent = self.pick(earlier) if earlier and self.rng.random() < 0.25 else None
        acronym = plan["acronym"]
        summary = (
            f"{plan['title']} is a {m.lower[kind]} in {plan['city']}, {m.country_name[code]}, "
            f"working on {m.lower[themes[0]]}"
            + (f" and {m.lower[themes[1]]}" if len(themes) > 1 else "")
            + "."
        )
        data, tail = self.common(
            plan, summary, themes, challenges, ([parent] if parent else []) + partners[:2], founded.year
        )
        data.update(
            {
                "acronym": acronym,
                "kind": kind,
                "country": code,
                "city": plan["city"],
                "founded": iso(founded),
                "website": f"https://www.{plan['id'][:40].strip('-')}.example.org/"
                if self.rng.random() < 0.6
                else None,
                "partners": [p["id"] for p in partners] or None,
                "parent": parent["id"] if parent else None,
            }
        )
        data.update(tail)
        links = []
        if parent:
            links.append(
                f"It belongs to {self.link('organisation', 'organisation', parent['id'], parent['title'])}."
            )
        table = self.table(
            ["Fact", "Detail"],
            [
                ["Kind", m.label[kind]],
                ["Based in", f"{plan['city']}, {m.country_name[code]}"],
                ["Founded", founded.year],
                ["Partners", len(partners)],
            ],
        )
        return data, self.body("organisation", self.ctx(plan, themes, challenges), table, links)

    def programme(self, plan: dict) -> tuple[dict, str]:
        m = self.m
        themes, challenges = self.themes(2, 5), self.challenges(0, 3)
        lead = self.orgs(1, 2, plan["country"])
        partners = [o for o in self.orgs(0, 6, plan["country"]) if o not in lead]
        milestones = []
        for event in sorted(plan["events"], key=lambda e: e["start"])[:8]:
            milestones.append(
                {
                    "date": iso(event["start"]),
                    "text": f"{event['title']} takes place in {event['city']}.",
                    "event": event["id"],
                }
            )
        for _ in range(self.rng.randint(1, 3)):
            last = plan["end"] or _dt.date(YEARS[1], 12, 31)
            when = plan["start"] + _dt.timedelta(
                days=self.rng.randint(0, max(0, (last - plan["start"]).days))
            )
            milestones.append(
                {
                    "date": iso(when),
                    "text": cap(
                        f"{self.pick(SUBJECTS)} {self.pick(VERBS)} {self.pick(OBJECTS)} "
                        f"{self.pick(QUALIFIERS)}."
                    ),
                }
            )
        milestones.sort(key=lambda ms: ms["date"])
        countries = [plan["country"]]
        regions = None
        if self.rng.random() < 0.3:
            region = m.region_of[plan["country"]]
            neighbours = [c for c in m.countries if m.region_of[c] == region and c != plan["country"]]
            countries = [plan["country"]] + self.some(neighbours, 1, 3)
            regions = [region]
        summary = (
            f"A programme on {plan['topic']} that brings {m.lower[self.pick(m.actor_ids)]} together "
            f"to tackle {m.lower[self.pick(m.challenge_ids)]}."
        )
        data, tail = self.common(
            plan, summary, themes, challenges, lead + partners, plan["start"].year, countries
        )
        data.update(
            {
                "start": iso(plan["start"]),
                "end": iso(plan["end"]) if plan["end"] else None,
                "lead": [o["id"] for o in lead] or None,
                "partners": [o["id"] for o in partners] or None,
                "milestones": milestones,
                "aims": [
                    cap(f"{self.pick(ACTIONS)} {self.pick(QUALIFIERS)}.")
                    for _ in range(self.rng.randint(2, 5))
                ],
            }
        )
        data.update(tail)
        data["regions"] = regions
        links = (
            [
                "The programme is led by "
                f"{', '.join(self.link('programme', 'organisation', o['id'], o['title']) for o in lead)}."
            ]
            if lead
            else []
        )
        table = self.table(
            ["Date", "Milestone"], [[ms["date"], ms["text"].replace("|", "/")] for ms in milestones]
        )
        return data, self.body("programme", self.ctx(plan, themes, challenges), table, links)

    def event(self, plan: dict) -> tuple[dict, str]:
        m = self.m
        themes, challenges = self.themes(1, 4), self.challenges(0, 3)
        organisers = self.orgs(1, 3, plan["country"])
        others = [o for o in self.orgs(0, 4) if o not in organisers]
        sessions = []
        if self.rng.random() < 0.4:
            day = plan["start"]
            for _ in range(self.rng.randint(1, 3)):
                day = day + _dt.timedelta(days=self.rng.randint(20, 120))
                code = self.pick([plan["country"], self.country()])
                session = {
                    "start": iso(day),
                    "end": iso(day + _dt.timedelta(days=self.rng.randint(0, 2))),
                    "city": self.city(code),
                    "country": code,
                }
                if self.rng.random() < 0.3:
                    session["venue"] = self.pick(VENUES)
                sessions.append(session)
        countries = list(dict.fromkeys([plan["country"]] + [s["country"] for s in sessions]))
        count = self.rng.randint(15, 400)
        length = (plan["end"] - plan["start"]).days + 1
        summary = (
            f"{cap(a_n(length))} {length}-day meeting in {plan['city']} on {plan['topic']}, "
            f"organised by {organisers[0]['title'] if organisers else 'its partners'}."
        )
        data, tail = self.common(
            plan, summary, themes, challenges, organisers + others, plan["start"].year, countries
        )
        data.update(
            {
                "start": iso(plan["start"]),
                "end": iso(plan["end"]),
                "venue": self.pick(VENUES) if self.rng.random() < 0.6 else None,
                "city": plan["city"],
                "organisers": [o["id"] for o in organisers] or None,
                "participants": (
                    f"About {count} participants from {m.lower[self.pick(m.actor_ids)]} "
                    f"and {m.lower[self.pick(m.actor_ids)]}"
                ),
                "participant_count": count if self.rng.random() < 0.7 else None,
                "sessions": sessions or None,
                "sessions_format": self.some(EVENT_FORMATS, 1, 4),
                "programme": plan["programme"]["id"] if plan["programme"] else None,
            }
        )
        data.update(tail)
        links = []
        if organisers:
            links.append(
                "The event was organised by "
                f"{', '.join(self.link('event', 'organisation', o['id'], o['title']) for o in organisers)}."
            )
        if plan["programme"]:
            links.append(
                "It was part of "
                f"{self.link('event', 'programme', plan['programme']['id'], plan['programme']['title'])}."
            )
        rows = [
            [f"Day {i + 1}", cap(self.pick(TOPICS)), self.pick(EVENT_FORMATS)]
            for i in range((plan["end"] - plan["start"]).days + 1)
        ]
        table = self.table(["Day", "Session", "Format"], rows)
        return data, self.body("event", self.ctx(plan, themes, challenges), table, links)

    def course(self, plan: dict) -> tuple[dict, str]:
        m = self.m
        themes, challenges = self.themes(1, 4), self.challenges(0, 3)
        provider = plan["provider"]
        code = plan["country"]
        days = self.rng.randint(1, 10)
        sessions = []
        day = self.day(plan["year"])
        for index in range(self.rng.randint(1, 4)):
            scode = code if index == 0 else self.pick([code, code, self.country()])
            sessions.append(
                {
                    "start": iso(day),
                    "end": iso(day + _dt.timedelta(days=days - 1)),
                    "city": plan["city"] if index == 0 else self.city(scode),
                    "country": scode,
                }
            )
            day = day + _dt.timedelta(days=self.rng.randint(30, 200))
        event = (
            self.pick(self.entries["event"]) if self.entries["event"] and self.rng.random() < 0.2 else None
        )
        topics = [cap(t) for t in self.some(TOPICS, 3, 7)]
        capacity = self.rng.choice([12, 15, 20, 24, 25, 30, 35, 40, 50])
        audience = [self.pick(m.actor_ids) for _ in range(2)]
        summary = (
            f"{cap(a_n(days))} {days}-day course on {plan['topic']} run by {provider['title']}, "
            f"for {m.lower[audience[0]]}."
        )
        countries = list(dict.fromkeys([code] + [s["country"] for s in sessions]))
        data, tail = self.common(
            plan,
            summary,
            themes,
            challenges,
            [provider] + self.orgs(0, 2),
            int(sessions[0]["start"][:4]),
            countries,
        )
        data.update(
            {
                "provider": provider["id"],
                "duration": f"{days} day{'s' if days > 1 else ''}",
                "certification": self.rng.random() < 0.6,
                "level": self.pick(LEVELS),
                "approach": self.pick(APPROACHES),
                "sessions": sessions,
                "topics": topics,
                "target_group": (
                    f"{m.label[audience[0]]} and {m.lower[audience[1]]}, from supervisors to senior managers."
                ),
                "capacity": capacity,
                "fees": self.pick(FEES) if self.rng.random() < 0.7 else None,
                "event": event["id"] if event else None,
            }
        )
        data.update(tail)
        links = [
            f"The course is run by {self.link('course', 'organisation', provider['id'], provider['title'])}."
        ]
        if event:
            links.append(f"It is tied to {self.link('course', 'event', event['id'], event['title'])}.")
        table = self.table(
            ["Feature", "Detail"],
            [
                ["Duration", data["duration"]],
                ["Certification", "Yes" if data["certification"] else "No"],
                ["Study level", data["level"]],
                ["Participants", f"Up to {capacity} per session"],
                ["Sessions", len(sessions)],
            ],
        )
        return data, self.body("course", self.ctx(plan, themes, challenges), table, links)

    def items(self, kinds: list[str], low: int, high: int, themes: list) -> list[dict]:
        m = self.m
        out, seen, texts = [], set(), set()
        for _ in range(self.rng.randint(low, high)):
            kind = self.pick(kinds)
            actors = self.some(m.actor_ids, 1, 2)
            for _attempt in range(4):  # no item says the same as another in the entry
                action = self.pick(ACTIONS)
                template = self.pick(ITEM_TEMPLATES.get(kind) or GENERIC_ITEM)
                problem = self.pick(PROBLEMS)
                observation = self.pick(OBSERVATIONS)
                text = template.format(
                    Actor=cap(m.lower[actors[0]]),
                    actor=m.lower[actors[0]],
                    action=action,
                    qual=self.pick(QUALIFIERS),
                    outcome=self.pick(OUTCOMES),
                    observation=observation,
                    Problem=cap(problem),
                    problem=problem,
                    effect=self.pick(EFFECTS),
                )
                if text not in texts:
                    break
            texts.add(text)
            key_text = (
                action
                if "{action}" in template
                else (problem if "problem" in template.lower() else observation)
            )
            words = [w for w in re.sub(r"[^a-z0-9]+", " ", key_text.lower()).split() if w not in STOPWORDS]
            base = "-".join(words[:4]) or kind
            item_id, n = base, 1
            while item_id in seen:
                n += 1
                item_id = f"{base}-{n}"
            seen.add(item_id)
            item = {
                "id": item_id,
                "kind": kind,
                "text": text,
                "themes": self.some(themes, 1, 2)
                if self.rng.random() < 0.8
                else self.some(m.theme_ids, 1, 1),
            }
            if self.rng.random() < 0.3:
                item["challenges"] = self.some(m.challenge_ids, 1, 2)
            item["actors"] = actors
            out.append(item)
        return out

    def workshop_outcome(self, plan: dict) -> tuple[dict, str]:
        m = self.m
        themes = list(dict.fromkeys([plan["theme"]] + self.themes(1, 3)))
        challenges = self.challenges(0, 3)
        event = plan["event"]
        orgs = self.orgs(0, 3, plan["country"])
        items = self.items(m.workshop_kinds, 10, 30, themes)
        questions = [
            f"How can {m.lower[self.pick(m.actor_ids)]} {self.pick(ACTIONS)}?"
            for _ in range(self.rng.randint(1, 3))
        ]
        summary = (
            f"What {plan['group'].lower()} concluded about {m.lower[plan['theme']]} in {len(items)} points, "
            f"with recommendations for {m.lower[self.pick(m.actor_ids)]}."
        )
        data, tail = self.common(plan, summary, themes, challenges, orgs, plan["date"].year)
        data.update(
            {
                "date": iso(plan["date"]),
                "event": event["id"] if event else None,
                "group": plan["group"],
                "questions": questions,
                "items": items,
            }
        )
        data.update(tail)
        links = (
            [f"The group met during {self.link('workshop-outcome', 'event', event['id'], event['title'])}."]
            if event
            else []
        )
        tally: dict[str, int] = {}
        for item in items:
            tally[item["kind"]] = tally.get(item["kind"], 0) + 1
        table = self.table(["Kind", "Number"], [[m.plural[k], v] for k, v in tally.items()])
        return data, self.body("workshop-outcome", self.ctx(plan, themes, challenges), table, links)

    def declaration(self, plan: dict) -> tuple[dict, str]:
        m = self.m
        themes, challenges = self.themes(1, 4), self.challenges(0, 3)
        event = plan["event"]
        signatories = self.orgs(1, 5, plan["country"])
        items = self.items(m.declaration_kinds, 5, 15, themes)
        summary = (
            f"The declaration adopted in {plan['city']} on {plan['topic']}, with {len(items)} commitments "
            f"and objectives for {m.lower[self.pick(m.actor_ids)]}."
        )
        countries = [plan["country"]]
        regions = None
        if self.rng.random() < 0.2:
            regions = [m.region_of[plan["country"]]]
        data, tail = self.common(plan, summary, themes, challenges, signatories, plan["date"].year, countries)
        data.update(
            {
                "date": iso(plan["date"]),
                "event": event["id"] if event else None,
                "signatories": [o["id"] for o in signatories] or None,
                "items": items,
            }
        )
        data.update(tail)
        data["regions"] = regions
        links = []
        if event:
            links.append(
                f"It was adopted at {self.link('declaration', 'event', event['id'], event['title'])}."
            )
        if signatories:
            links.append(
                "Its signatories include "
                f"{self.link('declaration', 'organisation', signatories[0]['id'], signatories[0]['title'])}."
            )
        rows = [
            [
                cap(self.pick(TOPICS)),
                m.label[self.pick(m.actor_ids)],
                f"{plan['date'].year + self.rng.randint(1, 5)}",
            ]
            for _ in range(self.rng.randint(3, 6))
        ]
        table = self.table(["Area", "Who acts", "By"], rows)
        return data, self.body("declaration", self.ctx(plan, themes, challenges), table, links)

    def case_study(self, plan: dict, draft: bool) -> tuple[dict, str]:
        m = self.m
        challenges = self.challenges(1, 3)
        themes = self.themes_for(challenges, 1, 4)
        orgs = self.orgs(1, 3, plan["country"])
        date = plan["date"]
        indicators = []
        for name, unit, better, (low, high) in self.some(INDICATORS, 1, 4):
            value_year = self.rng.randint(max(YEARS[0], date.year - 3), date.year)
            base_year = value_year - self.rng.randint(1, 6)
            baseline = round(self.rng.uniform(low, high), 1)
            ceiling = 24.0 if unit == "hours per day" else 100.0 if unit == "%" else high * 1.5
            if self.rng.random() < 0.85:  # most cases report an improvement, some do not
                u = self.rng.uniform(0.1, 0.6)
                value = baseline * (1 - u) if better == "lower" else baseline + (ceiling - baseline) * u
            else:
                u = self.rng.uniform(0.02, 0.2)
                value = min(ceiling, baseline * (1 + u)) if better == "lower" else baseline * (1 - u)
            value = round(value, 1)
            indicators.append(
                {
                    "name": name,
                    "unit": unit,
                    "baseline": int(baseline) if baseline.is_integer() else baseline,
                    "baseline_year": base_year,
                    "value": int(value) if value.is_integer() else value,
                    "year": value_year,
                    "better": better,
                }
            )
        event = (
            self.pick(self.entries["event"]) if self.entries["event"] and self.rng.random() < 0.25 else None
        )
        utility = next((o["title"] for o in orgs if o["country"] == plan["country"]), None)
        place = {"city": plan["city"], "utility": utility, "country": plan["country"]}
        first_year = min(i["baseline_year"] for i in indicators)
        summary = (
            f"How {utility or plan['city']} tackled {m.lower[challenges[0]]} "
            f"through work on {m.lower[themes[0]]}, "
            f"and what changed in {indicators[0]['name'].lower()}."
        )
        data, tail = self.common(plan, summary, themes, challenges, orgs, date.year)
        data.update(
            {
                "date": iso(date),
                "place": {k: v for k, v in place.items() if v},
                "period": f"{first_year}-{date.year}" if first_year < date.year else str(date.year),
                "indicators": indicators,
                "lessons": [cap(f"{self.pick(OBSERVATIONS)}.") for _ in range(self.rng.randint(1, 4))],
                "contact": f"{self.person()}, {self.pick(CONTACT_ROLES)}"
                if self.rng.random() < 0.5
                else None,
                "event": event["id"] if event else None,
            }
        )
        data.update(tail)
        if draft:
            data["status"] = "draft"
        links = []
        if orgs:
            links.append(
                "The work involved "
                f"{self.link('case-study', 'organisation', orgs[0]['id'], orgs[0]['title'])}."
            )
        if event:
            links.append(
                f"It was presented at {self.link('case-study', 'event', event['id'], event['title'])}."
            )
        rows = [
            [i["name"], i["unit"], f"{i['baseline']} ({i['baseline_year']})", f"{i['value']} ({i['year']})"]
            for i in indicators
        ]
        table = self.table(["Indicator", "Unit", "Before", "After"], rows)
        return data, self.body("case-study", self.ctx(plan, themes, challenges), table, links)


def allocate(n: int) -> dict:
    """How many entries of each type make up N (every type at least once when N allows)."""
    if n < 1:
        raise ValueError("N must be at least 1")
    total = sum(SHARES.values())
    raw = {t: n * s / total for t, s in SHARES.items()}
    counts = {t: int(raw[t]) for t in SHARES}
    order = sorted(SHARES, key=lambda t: (-(raw[t] - counts[t]), list(SHARES).index(t)))
    for t in order[: n - sum(counts.values())]:
        counts[t] += 1
    if n >= len(SHARES):
        for t in SHARES:
            while counts[t] == 0:
                donor = max(SHARES, key=lambda d: counts[d])
                counts[donor] -= 1
                counts[t] += 1
    else:
        counts = dict.fromkeys(SHARES, 0)
        for t in SMALL_N_PRIORITY[:n]:
            counts[t] = 1
    return counts


def _guard(out: Path) -> None:
    """Refuse an output folder that would overwrite the repository's own content."""
    target = out.resolve()
    if target == REPO or target in REPO.parents or REPO / "content" in (target, *target.parents):
        raise ValueError(f"refusing to write the corpus into {out}: it is (or contains) this repository")


def make_corpus(n: int, out: Path, seed: int = 1, *, force: bool = False) -> dict:
    """Write a hub project with ``n`` generated entries to ``out``; return {type: count}.

    ``out`` must not exist or be empty, unless ``force``: then only its content/
    folder is replaced (the project files are copied again, nothing else is touched).
    Raises FileExistsError when ``out`` is not empty and ``force`` is false, and
    ValueError when ``out`` is this repository or inside its content.
    """
    return _generate(n, Path(out), seed, force)[0]


def _generate(n: int, out: Path, seed: int, force: bool) -> tuple[dict, int]:
    """make_corpus, also returning how many entries are drafts."""
    _guard(out)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise FileExistsError(f"{out} exists and is not empty (use --force to replace its content/ folder)")

    model = Model(REPO / "model")
    counts = allocate(n)
    corpus = Corpus(model, seed)
    corpus.plan(counts)
    n_drafts = min(round(n * DRAFT_SHARE), max(0, counts["case-study"] - 1))
    drafts = set(corpus.rng.sample(range(counts["case-study"]), n_drafts))

    out.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(
                src, out / part, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        elif src.is_file():
            shutil.copy2(src, out / part)
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)

    makers = {
        "organisation": corpus.organisation,
        "programme": corpus.programme,
        "event": corpus.event,
        "course": corpus.course,
        "workshop-outcome": corpus.workshop_outcome,
        "declaration": corpus.declaration,
    }
    for type_name in SHARES:
        folder = content / model.folder[type_name]
        folder.mkdir(parents=True, exist_ok=True)
        for index, plan in enumerate(corpus.entries[type_name]):
            if type_name == "case-study":
                data, body = corpus.case_study(plan, index in drafts)
            else:
                data, body = makers[type_name](plan)
            data = model.conform(type_name, data)
            text = front_matter(data) + "\n" + body
            (folder / f"{plan['id']}.md").write_text(text, encoding="utf-8", newline="\n")
    return {t: counts[t] for t in model.types if t in counts}, n_drafts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a hub project with N generated (synthetic) entries, for benchmarks."
    )
    parser.add_argument("n", type=int, metavar="N", help="number of entries")
    parser.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="folder to create (must not exist or be empty)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="random seed (default 1); the same seed gives identical files"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="if DIR is not empty, replace DIR/content (and refresh the copied project files)",
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    started = time.perf_counter()
    try:
        counts, drafts = _generate(args.n, args.out, args.seed, args.force)
    except (FileExistsError, ValueError) as exc:
        print(f"make_corpus: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    detail = ", ".join(f"{v} {k}" for k, v in counts.items())
    print(
        f"wrote {sum(counts.values())} entries ({detail}; {drafts} drafts) to {args.out} in {elapsed:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
