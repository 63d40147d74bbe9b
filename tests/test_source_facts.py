"""Every fact in the four source documents (/work/shared/seeds/000-003) can be
found on the built site.

Each fact is a (page URL, alternatives) pair: the fact counts as present when
any one of the alternatives occurs in the visible text of that entry's page.
Alternatives are either plain strings (matched case-insensitively as
substrings) or compiled regular expressions (``R(...)``). The content says
things in its own words, so the alternatives follow the wording the site
really uses, while still naming the fact the source states.

Only the entry itself is searched: the ``<article class="hub-entry">`` element,
without the "Referenced by" back-links, so a fact that appears only in
navigation, in the sidebar or in another entry's title does not count.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest


def R(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


DASH = r"\s*[–—-]\s*"  # date ranges are shown like "14–15 February 2012"


# --------------------------------------------------------------------------
# Page text
# --------------------------------------------------------------------------


class _EntryText(HTMLParser):
    """Visible text of the ``<article class="hub-entry">`` element.

    Nested articles are tracked by depth; script/style content and the
    back-links section (``hub-backlinks``, a navigation list of other entries)
    are left out.
    """

    SKIP_TAGS = {"script", "style", "template", "noscript"}
    SKIP_CLASSES = {"hub-backlinks"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # depth of open <article> elements inside the entry
        self.found = False
        self.stack: list[tuple[str, bool]] = []  # (tag, skipping) for elements inside the entry
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "article":
            if self.depth:
                self.depth += 1
            elif "hub-entry" in classes and not self.found:
                self.depth = 1
                self.found = True
                return
        if not self.depth or tag in self.VOID:
            if self.depth:
                self.parts.append(" ")
            return
        skipping = tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES)
        self.stack.append((tag, skipping))
        if skipping:
            self.skip += 1
        self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if self.depth:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "article":
            self.depth -= 1
            if not self.depth:
                return
        # close the innermost matching element (tolerates unclosed <p>, <li>...)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _, skipping in self.stack[i:]:
                    if skipping:
                        self.skip -= 1
                del self.stack[i:]
                break
        self.parts.append(" ")

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})
_cache: dict[Path, str] = {}


def entry_text(site: Path, url: str) -> str:
    page = site / url / "index.html"
    if page not in _cache:
        assert page.is_file(), f"no page for {url} ({page})"
        parser = _EntryText()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        assert parser.found, f'{url}: no <article class="hub-entry"> in the page'
        text = "".join(parser.parts).translate(_QUOTES)
        _cache[page] = re.sub(r"\s+", " ", text).strip()
    return _cache[page]


def matches(text: str, alternative) -> bool:
    if isinstance(alternative, re.Pattern):
        return alternative.search(text) is not None
    return re.sub(r"\s+", " ", alternative).lower() in text.lower()


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------

MC_EVENT = "events/mile-water-services-master-class-1"
MC_COURSE = "courses/mile-water-services-master-classes"
MBI = "programmes/municipal-benchmarking-initiative"
MILE = "organisations/mile"
ETHEKWINI = "organisations/ethekwini-municipality"
EMANTI = "organisations/emanti-management"
SALGA = "organisations/salga"

PC_GROUP2 = "workshops/project-consolidate-group-2"
PC_PROGRAMME = "programmes/project-consolidate"

WOPS = "programmes/india-water-operators-partnerships"
CHENNAI_2011 = "events/chennai-water-partnership-conference-2011"
DECLARATION = "declarations/chennai-declaration-india-wops-2011"
UNCONF_2012 = "events/leading-organisational-transformation-unconference-2012"
ROUND_TABLES = "workshops/leading-organisational-transformation-round-tables-2012"
IWOP = "organisations/india-water-organisations-partnership"
CEC = "organisations/cec"

IWSD_COURSE = "courses/iwsd-community-engagement-customer-care"
IWSD = "organisations/iwsd"
HARARE = "organisations/city-of-harare"


# --------------------------------------------------------------------------
# Facts: id -> (page, [alternatives])
# --------------------------------------------------------------------------

FACTS_000 = {
    # 000: MILE / SALGA Water Services Master Class #1 for the Municipal Benchmarking Initiative
    "000-event-title": (
        MC_EVENT,
        [R(r"Water Services Master Class #1: Blue Drop, Green Drop and Water Loss Management")],
    ),
    "000-durban-dates": (MC_EVENT, [R(rf"14{DASH}15 February 2012"), "14 and 15 February 2012"]),
    "000-durban-venue": (MC_EVENT, [R(r"Botanical Gardens,? (in )?Durban"), "Durban, Botanical Gardens"]),
    "000-two-day-event": (MC_EVENT, ["two-day", "over two days", "2 days"]),
    "000-approx-80-participants": (MC_EVENT, [R(r"(approximately|about|around|some) 80 participants")]),
    "000-well-received-positive-feedback": (
        MC_EVENT,
        [R(r"very well received.{0,80}feedback was very positive")],
    ),
    "000-topic-blue-green-drop-certification": (
        MC_EVENT,
        [R(r"Blue Drop.{0,40}Green Drop.{0,40}certification")],
    ),
    "000-topic-water-loss-management": (MC_EVENT, [R(r"manag\w* water losses")]),
    "000-presidential-target-halve-losses-by-2014": (
        MC_EVENT,
        [R(r"presidential target of halving water losses.{0,30}by 2014")],
    ),
    "000-water-loss-cut-50-percent": (MC_EVENT, [R(r"50 ?%")]),
    "000-classroom-and-site-visit": (MC_EVENT, [R(r"classroom.{0,80}practical site visit")]),
    "000-johannesburg-repeat-dates": (MC_EVENT, [R(rf"Johannesburg.{{0,20}}11{DASH}12 April 2012")]),
    "000-cape-town-repeat-dates": (MC_EVENT, [R(rf"Cape Town.{{0,20}}17{DASH}18 April 2012")]),
    "000-repeats-are-master-class-1": (
        MC_EVENT,
        [R(r"Johannesburg and Cape Town classes repeat the content of Master Class #1")],
    ),
    # The event's session list must say which class each session is; the notes are
    # "First run of Master Class #1 ..." / "Repeat of Master Class #1 ..." in the content.
    "000-event-session-list-names-master-class-1": (
        MC_EVENT,
        [R(r"Durban, South Africa · [^·]*Master Class #1")],
    ),
    "000-free-of-charge-for-municipalities": (MC_EVENT, [R(r"free of charge (for|to) municipalities")]),
    "000-master-class-2-after-first-round": (
        MC_EVENT,
        [R(r"first round of Master Class #1.{0,120}Master Class #2")],
    ),
    "000-mbi-supported": (MC_EVENT, ["Municipal Benchmarking Initiative (MBI)"]),
    "000-emanti-project-manager": (
        MC_EVENT,
        [
            R(r"project manager is Emanti Management"),
            R(r"Emanti Management (is|as) (the MBI's|its) project manager"),
        ],
    ),
    "000-mile-agreed-to-help-salga": (
        MC_EVENT,
        [R(r"MILE\)? agreed to (develop and promote with SALGA|help SALGA)")],
    ),
    "000-benchmarking-oriented-sessions": (MC_EVENT, ["benchmarking-oriented training sessions"]),
    "000-role-of-benchmarking": (MC_EVENT, [R(r"benchmarking can (help|improve|raise)")]),
    "000-key-water-service-functions": (MC_EVENT, [R(r"(core|key) water service delivery functions")]),
    "000-sessions-bi-monthly": (MC_COURSE, ["bi-monthly", "every two months"]),
    "000-course-free-of-charge": (MC_COURSE, ["Free of charge for municipalities"]),
    "000-course-two-days": (MC_COURSE, ["2 days per master class", "each master class lasts two days"]),
    "000-mile-past-master-classes": (
        MC_COURSE,
        [R(r"already run water services master classes.{0,40}intends to continue")],
    ),
    "000-mile-not-only-kwazulu-natal": (MC_COURSE, [R(r"KwaZulu-? ?Natal.{0,60}other provinces")]),
    "000-mile-started-2009-by-ethekwini": (
        MILE,
        [R(r"eThekwini Municipality set MILE up in 2009"), R(r"eThekwini.{0,60}2009|2009.{0,60}eThekwini")],
    ),
    "000-mile-first-local-government-practitioner-institute": (
        MILE,
        [R(r"first.{0,60}driven by local government.{0,40}practitioners")],
    ),
    "000-mile-five-year-pilot": (MILE, [R(r"pilot programme.{0,30}five years"), "five-year pilot"]),
    "000-mile-partners-academic": (
        MILE,
        ["universities and other academic institutions", "academic institutions"],
    ),
    "000-mile-partner-sa-cities-network": (MILE, ["South African Cities Network", "SA Cities Network"]),
    "000-mile-partner-dcog": (MILE, ["Department of Cooperative Governance (DCOG)", "DCOG"]),
    "000-mile-partner-treasury": (MILE, ["National Treasury"]),
    "000-mile-partner-salga": (MILE, ["SALGA"]),
    "000-mile-partner-dbsa": (MILE, ["Development Bank of Southern Africa (DBSA)", "DBSA"]),
    "000-mile-partner-lgseta": (MILE, ["LGSETA"]),
    "000-ethekwini-formed-mile-2009": (
        ETHEKWINI,
        [R(r"In 2009 eThekwini Municipality.{0,60}Municipal Institute of Learning")],
    ),
    "000-mile-link-ideal-opportunity": (MBI, ["ideal opportunity for the MBI"]),
    "000-team-aim-build-on-progress": (
        MBI,
        [R(r"Build on the good progress.{0,80}MILE's current training initiatives")],
    ),
    "000-team-aim-further-initiatives": (MBI, [R(r"develop further initiatives, whether new or similar")]),
    "000-contact-to-participate": (
        MBI,
        [R(r"municipalities wanting to know more or to take part.{0,40}contact")],
    ),
    "000-emanti-led-team": (EMANTI, [R(r"project team led by Emanti")]),
    "000-salga-runs-mbi": (
        SALGA,
        [
            R(r"SALGA is behind the Municipal Benchmarking Initiative"),
            R(r"SALGA.{0,40}runs? .{0,20}Municipal Benchmarking Initiative"),
        ],
    ),
}

FACTS_001 = {
    # 001: Project Consolidate workshop, Group 2
    "001-group-2": (PC_GROUP2, [R(r"\bGroup 2\b")]),
    "001-question-align-with-pc-on-capacity-building": (
        PC_GROUP2,
        [R(r"water services sector align.{0,40}with Project Consolidate.{0,60}capacity building")],
    ),
    "001-counts-6-points-4-opportunities-16-recommendations": (
        PC_GROUP2,
        [R(r"6 points, 4 opportunities and 16 recommendations")],
    ),
    # points
    "001-point-national-capacity-building-framework": (PC_GROUP2, ["National Capacity Building Framework"]),
    "001-point-hands-on-basic-infrastructure-support": (
        PC_GROUP2,
        [R(r"hands-on support.{0,30}basic infrastructure")],
    ),
    "001-point-wsas-part-of-pc": (
        PC_GROUP2,
        [R(r"Water services authorities should take part in Project Consolidate")],
    ),
    "001-point-gap-focus-on-local-municipalities": (
        PC_GROUP2,
        [R(r"gap.{0,80}local municipalities.{0,60}not necessarily the water services authorities")],
    ),
    "001-point-b-c-relationships": (PC_GROUP2, ["B C relationships"]),
    "001-point-water-boards-resources-and-skills": (
        PC_GROUP2,
        [R(r"Resources and skills held by water boards")],
    ),
    "001-point-municipalities-articulate-needs": (
        PC_GROUP2,
        [R(r"municipalities the means to (state|articulate) what they need")],
    ),
    "001-point-provincial-coordination-pmus": (
        PC_GROUP2,
        [R(r"provincial level.{0,80}programme management units.{0,80}not left behind")],
    ),
    # opportunities
    "001-opportunity-raising-awareness": (PC_GROUP2, ["raise awareness", "raising awareness"]),
    "001-opportunity-cross-sector-collaboration": (
        PC_GROUP2,
        ["collaboration between sectors", "cross-sector collaboration"],
    ),
    "001-opportunity-dplg-capacity-at-ddg-level": (
        PC_GROUP2,
        [
            R(
                r"capacity for Project Consolidate within the Department of Provincial and Local "
                r"Government \(DPLG\), at the level of a deputy director-general"
            )
        ],
    ),
    "001-opportunity-provincial-coordinators-dwaf": (
        PC_GROUP2,
        [
            R(
                r"Provincial coordinators for Project Consolidate.{0,80}Department of Water Affairs and "
                r"Forestry \(DWAF\)"
            )
        ],
    ),
    # recommendations
    "001-rec-gather-and-share-lessons": (PC_GROUP2, [R(r"lessons.{0,60}(spread|share) them widely")]),
    "001-rec-coordinate-support-at-provincial-level": (
        PC_GROUP2,
        [R(r"support that sectors give must be coordinated.{0,60}provincial level")],
    ),
    "001-rec-dplg-coordinates-all-departments-responsible": (
        PC_GROUP2,
        [R(r"DPLG should (chiefly|primarily|mainly) coordinate.{0,100}all sector departments")],
    ),
    "001-rec-water-task-team-ppctt": (
        PC_GROUP2,
        [R(r"water task team to work with the provinces.{0,40}PPCTT")],
    ),
    "001-rec-unpack-problems-all-stakeholders": (
        PC_GROUP2,
        [R(r"take problems apart and involve every key stakeholder.{0,40}(linked|interrelated)")],
    ),
    "001-rec-improve-task-team-municipal-communication": (
        PC_GROUP2,
        [R(r"Communication between the Project Consolidate task teams and municipalities must get better")],
    ),
    "001-rec-integrate-with-existing-programmes": (
        PC_GROUP2,
        [R(r"sustainability.{0,60}built into the programmes that already exist")],
    ),
    "001-rec-municipalities-own-the-process": (
        PC_GROUP2,
        [R(r"Municipalities are the beneficiaries.{0,40}own the process")],
    ),
    "001-rec-provincial-water-component-regional-dwaf": (
        PC_GROUP2,
        [
            R(
                r"Provincial departments should set up a component dedicated to water.{0,40}DWAF's "
                r"regional offices"
            )
        ],
    ),
    "001-rec-accountability-coordinating-dept-and-sectors": (
        PC_GROUP2,
        [
            R(
                r"Accountability for Project Consolidate between the coordinating department and the "
                r"sectors is blurred.{0,80}each sector remains responsible"
            )
        ],
    ),
    "001-rec-existing-performance-management-systems": (
        PC_GROUP2,
        [R(r"performance management systems already in place rather than creating new structures")],
    ),
    "001-rec-pre-imbizo-participation": (
        PC_GROUP2,
        [R(r"stronger part in the preparations before an imbizo")],
    ),
    "001-rec-service-delivery-facilitators": (
        PC_GROUP2,
        [R(r"Sector partners should provide Service Delivery Facilitators")],
    ),
    "001-rec-post-imbizo-follow-up": (PC_GROUP2, [R(r"Follow up after an imbizo.{0,60}implemented faster")]),
    "001-rec-mobilise-resources-civil-society": (
        PC_GROUP2,
        [R(r"Mobilise resources, for example from civil society")],
    ),
    "001-rec-perception-management": (
        PC_GROUP2,
        [R(r"Manage how Project Consolidate is perceived and improve understanding")],
    ),
    # the programme page
    "001-pc-dplg-coordinating-department": (
        PC_PROGRAMME,
        [R(r"Department of Provincial and Local Government \(DPLG\) is its coordinating department")],
    ),
    "001-pc-focus-on-local-municipalities": (
        PC_PROGRAMME,
        [R(r"focus is on local municipalities, not necessarily on the water services authorities")],
    ),
    "001-pc-sixteen-recommendations": (PC_PROGRAMME, ["sixteen recommendations"]),
}

FACTS_002 = {
    # 002: India WOPs history
    "002-tamil-nadu-change-management-group": (WOPS, [R(r"Tamil Nadu'?s? Change Management Group")]),
    "002-invited-2006-07": (WOPS, [R(rf"invited in 2006{DASH}07")]),
    "002-invited-by-mjp": (WOPS, [R(r"Maharashtra Jeevan Pra(dh|t)ikaran \(MJP")]),
    "002-mjp-is-maharashtra-state-water-utility": (WOPS, ["Maharashtra State Water Utility"]),
    "002-invited-by-jharkhand": (WOPS, ["Jharkhand State Water Department"]),
    "002-trained-engineers-and-policy-makers": (WOPS, ["engineers and policy makers"]),
    "002-change-management-and-community-partnerships": (
        WOPS,
        [R(r"manage change.{0,40}partnership with communities")],
    ),
    "002-july-2008-goi-knowledge-sharing-conference": (
        WOPS,
        [R(r"In July 2008 the Government of India convened a conference on knowledge sharing")],
    ),
    "002-idea-of-water-partnership-introduced": (
        WOPS,
        [R(r"idea of water partnerships? was (put forward|introduced)")],
    ),
    "002-sacosan-new-delhi-november-2008": (
        WOPS,
        [R(r"November 2008.{0,10}the SACOSAN conference in New Delhi")],
    ),
    "002-saarc-delegations": (WOPS, [R(r"ministerial and official delegations of the SAA?RR?C countries")]),
    "002-anchor-technical-adviser": (
        WOPS,
        [R(r"Government of India appointed.{0,40}Anchor Technical Advi[sc]er")],
    ),
    "002-partnership-among-public-utilities": (WOPS, [R(r"water partnership among public utilities")]),
    # Chennai conference, January 2011
    "002-chennai-conference-name": (CHENNAI_2011, ["Conference cum Workshop on Water Partnership India"]),
    "002-chennai-conference-dates": (CHENNAI_2011, [R(rf"6{DASH}7 January 2011"), "6 and 7 January 2011"]),
    "002-chennai-conference-city": (CHENNAI_2011, [R(r"in Chennai on 6 and 7 January 2011"), "City Chennai"]),
    "002-chennai-organised-by-cec-and-unicef": (
        CHENNAI_2011,
        [R(r"Centre of Excellence for Change \(CEC\) and UNICEF organised")],
    ),
    "002-chennai-goi-support": (CHENNAI_2011, [R(r"support (of|from) the Government of India")]),
    "002-knowledge-partner-iit-madras": (CHENNAI_2011, ["IIT Madras"]),
    "002-knowledge-partner-rpw-brussels": (CHENNAI_2011, ["RPW Brussels"]),
    "002-knowledge-partner-psiru-london": (CHENNAI_2011, ["PSIRU London"]),
    "002-knowledge-partner-iwmi-sri-lanka": (CHENNAI_2011, ["IWMI Sri Lanka"]),
    "002-knowledge-partner-nus-singapore": (CHENNAI_2011, ["NUS Singapore"]),
    "002-theme-water-security": (
        CHENNAI_2011,
        [R(r"Water Security\s*[–-]\s*Convergence, Concerns and Challenges")],
    ),
    "002-theme-partnerships-wops-platform": (
        CHENNAI_2011,
        [R(r"Partnerships & the WOPs platform\s*[–-]\s*Knowledge sharing towards problem solving")],
    ),
    "002-theme-water-climate-change": (
        CHENNAI_2011,
        [R(r"Water & Climate Change\s*[–-]\s*Adaptation & Vulnerability to Climate change")],
    ),
    "002-theme-water-governance-management": (
        CHENNAI_2011,
        [R(r"Water Governance & Management\s*[–-]\s*Sustained Solutions with community collaboration")],
    ),
    "002-theme-international-experience-sharing": (CHENNAI_2011, ["International Experience Sharing"]),
    "002-delegates-public-and-civil-society-orgs": (
        CHENNAI_2011,
        [R(r"public organisations and (from )?civil society organisations")],
    ),
    "002-showcased-successes-and-problems": (
        CHENNAI_2011,
        [R(r"presented what had worked for them and the problems"), "Showcasing of successes and problems"],
    ),
    "002-match-making-problems-with-best-practices": (
        CHENNAI_2011,
        [R(r"match-making exercise.{0,80}best practices")],
    ),
    # Chennai declaration
    "002-declaration-forms-india-water-organisations-partnership": (
        DECLARATION,
        [R(r"declared that the India Water Organisations Partnership would be formed")],
    ),
    "002-declaration-structure-objectives-action-plan": (
        DECLARATION,
        [R(r"firm recommendations.{0,60}Structure.{0,20}Objectives.{0,20}Action Plan")],
    ),
    "002-declaration-date": (DECLARATION, ["7 January 2011"]),
    "002-objective-major-network": (DECLARATION, ["major network in India's water sector"]),
    "002-objective-national-congress-and-platform": (DECLARATION, ["national congress and platform"]),
    "002-objective-network-of-stakeholders": (DECLARATION, ["network that links the different stakeholders"]),
    "002-objective-knowledge-hub": (
        DECLARATION,
        [R(r"knowledge hub.{0,120}good practice.{0,200}understood by everyone")],
    ),
    "002-objective-minimum-standards-better-access": (
        DECLARATION,
        [R(r"prescribed minimum set of standards.{0,120}better access to water")],
    ),
    "002-objective-water-awards": (
        DECLARATION,
        [R(r"Water Awards\W{0,3} for best practices and for the best water operators")],
    ),
    "002-objective-answer-critique-of-public-management": (
        DECLARATION,
        [R(r"(criticism|critique) of public management.{0,100}more efficient and effective")],
    ),
    "002-objective-regulatory-framework-scarce-quality-affected": (
        DECLARATION,
        [R(r"Regulation.{0,150}water is scarce or its quality is affected")],
    ),
    "002-objective-water-citizenship-charter": (
        DECLARATION,
        [R(r"Water Citizenship Charter signed, endorsed and (lived|practised|practiced)")],
    ),
    "002-objective-moderator-facilitator-website-call-centre": (
        DECLARATION,
        [R(r"moderator and facilitator.{0,100}website and a call centre")],
    ),
    "002-iwop-formed-at-chennai-2011": (
        IWOP,
        [
            R(
                rf"Chennai, 6{DASH}7 January 2011\).{{0,40}}declaring that the India Water Organisations "
                r"Partnership"
            )
        ],
    ),
    # International Un-Conference, February 2012
    "002-unconference-title": (
        UNCONF_2012,
        [
            R(
                r"International Un-?Conference \"?Leading Organi[sz]ational Transformation for Effective "
                r"Service Delivery"
            )
        ],
    ),
    "002-unconference-dates": (UNCONF_2012, [R(rf"10{DASH}11 February 2012"), "10 and 11 February 2012"]),
    "002-unconference-chennai": (
        UNCONF_2012,
        [R(r"to Chennai for an international un-conference"), "City Chennai"],
    ),
    "002-unconference-organised-by-cec": (
        UNCONF_2012,
        [
            R(r"Organisers Centre of Excellence for Change \(CEC\)"),
            R(r"organi[sz]ed by (the )?(Centre of Excellence for Change|CEC)"),
        ],
    ),
    "002-unconference-government-agencies-across-india": (
        UNCONF_2012,
        [R(r"representatives of government agencies from (across|all over) India")],
    ),
    "002-unconference-private-sector-and-ngos": (
        UNCONF_2012,
        [R(r"government agencies, the private sector and NGOs")],
    ),
    "002-unconference-water-and-sanitation": (
        UNCONF_2012,
        [R(r"effective service delivery.{0,60}water and sanitation")],
    ),
    "002-unconference-first-initiative-of-india-wops": (
        UNCONF_2012,
        [R(r"first initiative of India (Water Operators Partnerships|WOPs)")],
    ),
    "002-unconference-transform-for-better-services": (
        UNCONF_2012,
        [R(r"transforming their own organisations so that their consumers receive better services")],
    ),
    "002-session-challenge-360": (UNCONF_2012, ["CHALLENGE 360"]),
    "002-session-deep-dive": (UNCONF_2012, ["Deep Dive"]),
    "002-session-match-making": (UNCONF_2012, ["Match Making"]),
    "002-session-round-tables": (UNCONF_2012, ["round tables"]),
    "002-sam-pitroda-adviser-to-pm": (
        UNCONF_2012,
        [R(r"Sam Pitroda, Advi[sc]er to the Prime Minister of India")],
    ),
    "002-pitroda-opened-day-two-on-technology": (
        UNCONF_2012,
        [R(r"(opened|launched) the second day.{0,80}technology.{0,40}service delivery")],
    ),
    "002-inclusivity-discussed": (UNCONF_2012, [R(r"Inclusivity was a major subject")]),
    "002-trust-fundamental-basis": (
        UNCONF_2012,
        [R(r"trust underlies every one of these interactions"), "trust is the fundamental basis"],
    ),
    # round tables and conclusions
    "002-conclusion-process-differentiates": (
        ROUND_TABLES,
        [R(r"process is what separates efficient from inefficient service delivery")],
    ),
    "002-conclusion-training-water-man-to-engineers": (
        ROUND_TABLES,
        [R(r"training must reach every level, from the water-man.{0,20}to the engineers")],
    ),
    "002-conclusion-sustainability-infrastructure-integrated-policy": (
        ROUND_TABLES,
        [
            R(
                r"infrastructure that supports institutions, and an integrated policy "
                r"approach.{0,40}(ground reality|conditions on the ground)"
            )
        ],
    ),
    "002-conclusion-inclusivity": (ROUND_TABLES, [R(r"Inclusivity was discussed at length")]),
    "002-conclusion-trust-fundamental-basis": (
        ROUND_TABLES,
        ["trust is the fundamental basis of all these interactions"],
    ),
    "002-finding-focus-on-public-service-officials": (
        ROUND_TABLES,
        [R(r"public good means paying attention to public service officials")],
    ),
    "002-finding-change-from-within-involving-bottom": (
        ROUND_TABLES,
        [R(r"Change has to start inside the organisation.{0,40}lowest levels.{0,40}orders from the top")],
    ),
    "002-finding-public-sector-me-focused-dishonesty-resignation": (
        ROUND_TABLES,
        [
            R(
                r"public sector really does have to change.{0,80}self-centred survival "
                r"attitude.{0,30}dishonesty.{0,10}resignation"
            )
        ],
    ),
    "002-finding-private-sector-danger-for-poorest": (
        ROUND_TABLES,
        [R(r"private sector is growing stronger, with dangerous results for the poorest")],
    ),
    "002-finding-part-and-parcel-change-with-departments": (
        ROUND_TABLES,
        [R(r"part and parcel.{0,200}change together with others, with their departments")],
    ),
    "002-finding-leadership-bottom-up-and-top-down": (
        ROUND_TABLES,
        [R(r"Leadership can be seen from the bottom up as well as from the top down")],
    ),
    "002-finding-cec-trust-process-humanise-bureaucracy": (
        ROUND_TABLES,
        [
            R(
                r"Trust is essential\. CEC has developed a process for building it.{0,60}humani[sz]e the "
                r"bureaucracy"
            )
        ],
    ),
    "002-finding-aspirational-and-lived-goals": (
        ROUND_TABLES,
        [R(r"aspirations and as goals that are actually lived")],
    ),
    "002-finding-muttram-new-space": (
        ROUND_TABLES,
        [R(r"new space is needed; the Muttram provides that space")],
    ),
    "002-finding-muttram-not-symbolic-hierarchy-dissipates": (
        ROUND_TABLES,
        [R(r"Muttram is not just symbolic.{0,80}self-centred, hierarchical culture fade")],
    ),
    "002-cec-organised-both-events": (
        CEC,
        [R(r"Chennai on 6 and 7 January 2011.{0,400}10 and 11 February 2012")],
    ),
}

FACTS_003 = {
    # 003: IWSD course "Community Engagement and Customer Care for Local Authorities"
    "003-course-title": (IWSD_COURSE, ["Community Engagement and Customer Care for Local Authorities"]),
    "003-provider-iwsd": (IWSD_COURSE, ["Provider IWSD"]),
    "003-urban-local-authorities-zimbabwe": (IWSD_COURSE, ["Urban local authorities in Zimbabwe"]),
    "003-city-of-harare": (IWSD_COURSE, [R(r"the City of Harare included")]),
    "003-challenge-reduced-water-volume-and-quality": (
        IWSD_COURSE,
        [R(r"smaller volumes of water, and water of poorer quality")],
    ),
    "003-challenge-pipe-bursts": (IWSD_COURSE, [R(r"frequent bursts of water and wastewater pipes")]),
    "003-challenge-refuse-collection-schedules": (
        IWSD_COURSE,
        [R(r"refuse that is not collected, or not collected on the published schedule")],
    ),
    "003-challenge-non-payment-of-bills": (IWSD_COURSE, [R(r"residents who do not pay their bills")]),
    "003-challenge-low-staff-morale": (IWSD_COURSE, [R(r"staff with low morale")]),
    "003-challenge-lack-of-equipment": (IWSD_COURSE, [R(r"without the equipment and resources they need")]),
    "003-low-morale-undermines-work-ethic": (
        IWSD_COURSE,
        [R(r"Low morale among local authority staff has undermined the high standard of work ethic")],
    ),
    "003-nds1": (IWSD_COURSE, [R(r"National Development Strategy 1 \(NDS1\)")]),
    "003-middle-income-by-2030": (IWSD_COURSE, [R(r"Zimbabwe aims to reach middle-income status by 2030")]),
    "003-community-engagement-definition": (
        IWSD_COURSE,
        [R(r"groups of people linked by where they live, by shared interests or by similar circumstances")],
    ),
    "003-long-term-sustainable-outcomes": (IWSD_COURSE, [R(r"long-term, sustainable results")]),
    "003-environmental-and-behavioural-change-health": (
        IWSD_COURSE,
        [R(r"changes in behaviour and in the environment.{0,60}healthier")],
    ),
    "003-partnerships-and-coalitions": (
        IWSD_COURSE,
        [R(r"partnerships and coalitions that mobilise resources, influence systems")],
    ),
    "003-sensitive-to-community-context": (
        IWSD_COURSE,
        [R(r"strategies and processes fit the local community context")],
    ),
    "003-cssd-concept": (IWSD_COURSE, ["Community Support to Service Delivery (CSSD)"]),
    "003-cssd-tried-and-tested": (IWSD_COURSE, ["tried and tested"]),
    "003-cssd-educates-personnel-and-champions": (
        IWSD_COURSE,
        [R(r"local authority personnel and key community champions")],
    ),
    "003-cssd-roles-and-responsibilities": (
        IWSD_COURSE,
        [R(r"each party aware of its roles and responsibilities")],
    ),
    "003-cssd-reduces-antagonism": (
        IWSD_COURSE,
        [R(r"reduces antagonism between residents and the local authority")],
    ),
    "003-cssd-educates-councillors-ratepayers-csos": (
        IWSD_COURSE,
        [
            R(
                r"councillors, ratepayers and civil society organisations about the municipality's "
                r"services and how to engage the council"
            )
        ],
    ),
    "003-cssd-medium-for-discussion": (
        IWSD_COURSE,
        [R(r"channel through which residents and the council can discuss service-delivery issues")],
    ),
    "003-cssd-builds-trust": (IWSD_COURSE, [R(r"residents and municipalities chances to build trust")]),
    "003-training-of-trainers": (
        IWSD_COURSE,
        [
            R(
                r"Training of Trainers for the council's middle managers and supervisors and for community "
                r"leaders"
            )
        ],
    ),
    "003-trainers-cascade-to-communities": (
        IWSD_COURSE,
        [R(r"cascade the training to community representatives.{0,40}constituencies")],
    ),
    "003-multi-phased": (IWSD_COURSE, ["delivered in phases"]),
    "003-duration-5-days-both-cssd-and-cc": (
        IWSD_COURSE,
        [R(r"5 days.{0,30}both the CSSD and the customer care")],
    ),
    "003-certification-yes": (IWSD_COURSE, [R(r"Certification Yes")]),
    "003-study-level-short-term-professional": (IWSD_COURSE, [R(r"Study level Short-term prof")]),
    "003-approach-workshop": (IWSD_COURSE, [R(r"Approach Workshop")]),
    "003-calendar-june-2022": (IWSD_COURSE, [R(r"Calendar June 2022")]),
    "003-topic-importance-of-good-customer-service": (
        IWSD_COURSE,
        ["The importance of good customer service"],
    ),
    "003-topic-knowing-your-customers": (IWSD_COURSE, ["Knowing your customers"]),
    "003-topic-good-communication-skills": (IWSD_COURSE, ["Good communication skills"]),
    "003-topic-handling-customer-complaints": (IWSD_COURSE, ["Handling customer complaints"]),
    "003-topic-customer-feedback-mechanisms": (IWSD_COURSE, ["Customer feedback mechanisms"]),
    "003-topic-professionalism": (IWSD_COURSE, ["Professionalism"]),
    "003-topic-customer-care-policy": (IWSD_COURSE, ["Customer care policy"]),
    "003-no-competition-customers-not-taken-seriously": (
        IWSD_COURSE,
        [R(r"no competition.{0,80}not taken customers as seriously")],
    ),
    "003-value-for-money": (IWSD_COURSE, ["getting what they pay for"]),
    "003-customer-care-improves-revenue-collection": (
        IWSD_COURSE,
        [R(r"Customer care training also helps raise revenue collection")],
    ),
    "003-all-public-facing-staff": (IWSD_COURSE, [R(r"staff who deals directly with the public each day")]),
    "003-sops-two-way-communication": (
        IWSD_COURSE,
        [R(r"standard operating procedures \(SOPs\) that strengthen two-way communication")],
    ),
    "003-target-group-sectors": (
        IWSD_COURSE,
        [R(r"water supply, wastewater treatment and conveyance, solid waste management and social services")],
    ),
    "003-target-group-levels": (IWSD_COURSE, ["primary, secondary and tertiary level"]),
    "003-target-group-revenue-supervisors-champions": (
        IWSD_COURSE,
        [R(r"revenue teams, middle managers and supervisors, and community leaders \((the )?\"?champions")],
    ),
    "003-up-to-35-participants": (
        IWSD_COURSE,
        [R(r"up to 35 participants"), R(r"Up to 35 per training workshop")],
    ),
    "003-iwsd-uses-cssd": (IWSD, [R(r"Community Support to Service Delivery \(CSSD\) concept")]),
    "003-iwsd-engagement-methods": (IWSD, [R(r"methods of engagement that help groups and individuals")]),
    "003-harare-faces-service-delivery-problems": (HARARE, [R(r"City of Harare is among them")]),
}

SOURCES = {"000": FACTS_000, "001": FACTS_001, "002": FACTS_002, "003": FACTS_003}
MINIMUM_FACTS = {"000": 15, "001": 15, "002": 25, "003": 15}

ALL_FACTS = [
    (fact_id, page, alternatives)
    for facts in SOURCES.values()
    for fact_id, (page, alternatives) in facts.items()
]


def test_every_source_document_is_covered_by_enough_facts():
    for doc, facts in SOURCES.items():
        assert len(facts) >= MINIMUM_FACTS[doc], f"{doc}: only {len(facts)} facts"
        assert all(fact_id.startswith(doc + "-") for fact_id in facts), doc


@pytest.mark.parametrize(
    ("page", "alternatives"), [pytest.param(page, alts, id=fact_id) for fact_id, page, alts in ALL_FACTS]
)
def test_source_fact_is_on_the_site(built_site, page, alternatives):
    text = entry_text(built_site, page)
    if any(matches(text, alternative) for alternative in alternatives):
        return
    shown = [a.pattern if isinstance(a, re.Pattern) else a for a in alternatives]
    pytest.fail(f"fact not found on {page}/: none of {shown!r} occurs in the entry's text:\n{text[:4000]}")
