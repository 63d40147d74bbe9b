"""The link check of a built site: every link, anchor and image in its HTML, resolved
against its files and ids (``check_site``), and the external links listed or fetched.

MkDocs validates the links written in Markdown; this checks what actually ended up
in the HTML (templates, generated pages, search and browsing pages included). Every
HTML file of the site is parsed; every relative ``href``/``src``/``srcset``/``poster``/
``action`` must lead to a file of the site, and every ``#anchor`` to an element with
that id in it. Links to other sites are listed, not followed (``fetch`` asks each
one for its status).
"""

from __future__ import annotations

import posixpath
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# (tag, attribute) pairs that hold an address; None: any tag.
_ADDRESS_ATTRS = {
    "href": None,  # a, area, link, and SVG's use/image/a
    "xlink:href": None,
    "src": None,  # img, script, iframe, source, audio, video, track, embed, input
    "srcset": None,
    "poster": None,
    "data": {"object"},
    "action": {"form"},
    "formaction": None,
    "cite": {"blockquote", "q", "del", "ins"},
}


@dataclass(frozen=True)
class Reference:
    page: str  # the HTML file, relative to the site folder
    line: int
    tag: str
    attribute: str
    url: str


@dataclass(frozen=True)
class Broken:
    page: str
    line: int
    url: str
    reason: str

    def text(self) -> str:
        return f"{self.page}:{self.line}: broken link '{self.url}': {self.reason}"

    def as_dict(self) -> dict:
        return {"page": self.page, "line": self.line, "url": self.url, "reason": self.reason}


@dataclass
class LinkReport:
    site: str
    pages: int = 0
    internal: int = 0  # internal references checked
    broken: list[Broken] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)  # url → pages that link to it
    other: dict[str, list[str]] = field(default_factory=dict)  # mailto:, tel:, ... → pages
    status: dict[str, str] = field(default_factory=dict)  # url → what fetching it gave (with --fetch)

    @property
    def ok(self) -> bool:
        return not self.broken

    def as_dict(self) -> dict:
        return {
            "site": self.site,
            "pages": self.pages,
            "internal": self.internal,
            "broken": [b.as_dict() for b in self.broken],
            "external": [
                {"url": url, "pages": pages, **({"status": self.status[url]} if url in self.status else {})}
                for url, pages in sorted(self.external.items())
            ],
            "other": [{"url": url, "pages": pages} for url, pages in sorted(self.other.items())],
        }

    def text(self) -> str:
        lines = [b.text() for b in self.broken]
        lines.append(
            f"{self.site}: {self.pages} pages, {self.internal} internal links checked, "
            f"{len(self.broken)} broken; {len(self.external)} external links "
            f"(not followed{' — fetched' if self.status else ''})"
        )
        if self.external:
            lines.append("External links:")
            for url, pages in sorted(self.external.items()):
                where = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
                status = f" [{self.status[url]}]" if url in self.status else ""
                lines.append(f"  {url}{status} — on {where}")
        if self.other:
            lines.append("Mail and other addresses:")
            for url, pages in sorted(self.other.items()):
                more = f" and {len(pages) - 3} more" if len(pages) > 3 else ""
                lines.append(f"  {url} — on {', '.join(pages[:3])}{more}")
        return "\n".join(lines)


class _PageParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.ids: set[str] = set()
        self.references: list[Reference] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        line = self.getpos()[0]
        values = {name.lower(): value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "link" and "canonical" in (values.get("rel") or "").lower().split() and values.get("href"):
            self.canonical = values["href"]
        for name, value in values.items():
            tags = _ADDRESS_ATTRS.get(name, ())
            if tags == () or (tags is not None and tag not in tags):
                continue
            if name == "srcset":
                for candidate in value.split(","):
                    candidate = candidate.strip()
                    if candidate:
                        self.references.append(Reference(self.page, line, tag, name, candidate.split()[0]))
            else:
                self.references.append(Reference(self.page, line, tag, name, value))

    handle_startendtag = handle_starttag


def _parse(site: Path, path: Path) -> _PageParser:
    page = path.relative_to(site).as_posix()
    parser = _PageParser(page)
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def detect_base_url(site: Path) -> str | None:
    """The site's own URL, from the canonical link of its home page (MkDocs writes one
    when site_url is set): links to it are links inside the site."""
    home = site / "index.html"
    if not home.is_file():
        return None
    canonical = _parse(site, home).canonical
    if not canonical or not urlsplit(canonical).scheme:
        return None
    return canonical if canonical.endswith("/") else canonical.rsplit("/", 1)[0] + "/"


def check_site(
    site: Path | str, base_url: str | None = None, fetch: bool = False, timeout: float = 10.0
) -> LinkReport:
    """Check every internal reference of the site in ``site``; list the external ones."""
    site = Path(site)
    report = LinkReport(str(site))
    if base_url is None:
        base_url = detect_base_url(site)
    base_path = urlsplit(base_url).path if base_url else "/"
    if not base_path.endswith("/"):
        base_path += "/"
    pages = sorted(p for p in site.rglob("*.html") if p.is_file())
    parsed = {p.relative_to(site).as_posix(): _parse(site, p) for p in pages}
    report.pages = len(parsed)
    id_cache: dict[str, set[str] | None] = {rel: parser.ids for rel, parser in parsed.items()}

    def ids_of(rel: str) -> set[str] | None:
        if rel not in id_cache:
            target = site / rel
            id_cache[rel] = (
                _parse(site, target).ids
                if target.suffix.lower() in (".html", ".htm") and target.is_file()
                else None
            )
        return id_cache[rel]

    for page, parser in parsed.items():
        for ref in parser.references:
            url = ref.url.strip()
            if not url:
                continue
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme in ("http", "https") or url.startswith("//"):
                if base_url and (
                    url.startswith(base_url)
                    or (url.startswith("//") and ("http:" + url).startswith(base_url))
                ):
                    local = "/" + url[len(base_url) :] if url.startswith(base_url) else urlsplit(url).path
                    _check_internal(report, site, ref, local, base_path="/", ids_of=ids_of)
                else:
                    report.external.setdefault(url, [])
                    if page not in report.external[url]:
                        report.external[url].append(page)
                continue
            if scheme in ("javascript", "vbscript"):
                report.broken.append(Broken(page, ref.line, url, "a script address is not a link"))
                continue
            if scheme == "data":
                continue
            if scheme:
                report.other.setdefault(url, [])
                if page not in report.other[url]:
                    report.other[url].append(page)
                continue
            _check_internal(report, site, ref, url, base_path=base_path, ids_of=ids_of)
    if fetch and report.external:
        report.status = fetch_status(sorted(report.external), timeout=timeout)
    report.broken.sort(key=lambda b: (b.page, b.line, b.url))
    return report


def _check_internal(report: LinkReport, site: Path, ref: Reference, url: str, base_path: str, ids_of) -> None:
    report.internal += 1
    parts = urlsplit(url)
    path = unquote(parts.path)
    fragment = unquote(parts.fragment)
    if not path:
        target_rel = ref.page  # "#anchor" or "?query" on the same page
    else:
        if path.startswith("/"):
            if not path.startswith(base_path) and path + "/" != base_path:
                report.broken.append(
                    Broken(
                        ref.page, ref.line, ref.url, f"absolute path outside the site's base path {base_path}"
                    )
                )
                return
            joined = path[len(base_path) :] if path.startswith(base_path) else ""
        else:
            joined = posixpath.join(posixpath.dirname(ref.page), path)
        normal = posixpath.normpath(joined) if joined else "."
        if normal == ".." or normal.startswith("../"):
            report.broken.append(Broken(ref.page, ref.line, ref.url, "leads outside the site"))
            return
        wants_folder = path.endswith("/")
        target = site / normal if normal != "." else site
        if wants_folder or target.is_dir():
            index = target / "index.html"
            if not index.is_file():
                report.broken.append(
                    Broken(
                        ref.page,
                        ref.line,
                        ref.url,
                        f"no page at {normal.rstrip('/') + '/' if normal != '.' else ''}index.html",
                    )
                )
                return
            target_rel = index.relative_to(site).as_posix()
        elif target.is_file():
            target_rel = normal
        else:
            report.broken.append(Broken(ref.page, ref.line, ref.url, f"no file {normal}"))
            return
    if fragment and ref.attribute in ("href", "xlink:href"):
        ids = ids_of(target_rel)
        if ids is not None and fragment not in ids:
            where = "on this page" if target_rel == ref.page else f"in {target_rel}"
            report.broken.append(
                Broken(ref.page, ref.line, ref.url, f"no element with id '{fragment}' {where}")
            )


def fetch_status(urls: list[str], timeout: float = 10.0, workers: int = 8) -> dict[str, str]:
    """Ask each URL for its status (HEAD, then GET when HEAD is refused)."""
    import urllib.error
    import urllib.request

    def one(url: str) -> tuple[str, str]:
        if url.startswith("//"):
            url_to_get = "https:" + url
        else:
            url_to_get = url
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(
                url_to_get, method=method, headers={"User-Agent": "water-services-knowledge-hub link check"}
            )
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, chosen by the site
                    return url, str(response.status)
            except urllib.error.HTTPError as exc:
                if method == "HEAD" and exc.code in (403, 405, 501):
                    continue
                return url, str(exc.code)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                return url, f"error: {getattr(exc, 'reason', exc)}"
        return url, "error"

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(one, urls))
