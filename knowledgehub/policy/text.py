"""The checks of text however it is written: ``squeeze`` and ``decoded`` (character
references, blanks, backslashes and invisible characters undone), the pattern of hidden
schemes, ``text_findings``, and ``hidden_text_findings`` (invisible characters that change
what a reader sees)."""

from __future__ import annotations

import html
import re
import unicodedata

from knowledgehub.policy.findings import Finding, _scheme_finding


def squeeze(text: str) -> str:
    """``text`` without what a browser ignores inside a URL scheme, or what hides one from a
    search: blanks, backslashes, control and format characters; ASCII in lower case."""
    # the ASCII ones (spaces and newlines: most of them) go in one bytes.translate; UTF-8
    # never uses ASCII bytes inside a longer character, so this cannot split one
    data = text.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER_BYTES, _ASCII_IGNORABLE_BYTES)
    text = data.decode("utf-8", "surrogatepass")
    return text if text.isascii() else _ignorable_patterns()[0].sub("", text)


def scheme_of(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it (blanks and controls ignored), or None."""
    cleaned = squeeze(html.unescape(url))
    match = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else None


# Decoded text: character references resolved (twice, for &amp;#106; and the like),
# each character keeping where it came from, so that findings keep their line.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,7};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ignorable: dict[str, re.Pattern] = {}


def _is_ignorable(ch: str) -> bool:
    return ch.isspace() or ch == "\\" or unicodedata.category(ch) in ("Cc", "Cf")


_ASCII_LOWER_BYTES = bytes(range(65)) + bytes(range(97, 123)) + bytes(range(91, 256))
_ASCII_IGNORABLE_BYTES = bytes(c for c in range(128) if _is_ignorable(chr(c)))


def _ignorable_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(ignorable, kept): blanks, the backslash and every control or format character
    (zero-width spaces, bidi marks, soft hyphens, ...), and the rest."""
    if not _ignorable:
        ranges: list[tuple[int, int]] = []
        for cp in list(range(0x20000)) + list(range(0xE0000, 0xE0100)):
            ch = chr(cp)
            if _is_ignorable(ch):
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1] = (ranges[-1][0], cp)
                else:
                    ranges.append((cp, cp))
        members = "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
        )
        _ignorable["drop"] = re.compile(f"[{members}]+")
        _ignorable["keep"] = re.compile(f"[^{members}]")
    return _ignorable["drop"], _ignorable["keep"]


class _Located:
    """A text with character references decoded, and the line of each of its characters."""

    def __init__(self, text: str, first_line: int = 1):
        self.source = text
        self.first_line = first_line
        self.plain = text
        self.origin: list[int] | None = None  # index in plain → index in source
        for _ in range(2):
            if "&" not in self.plain:
                break
            self._decode()
        self._squeezed: str | None = None
        self._kept: list[int] | None = None

    def _decode(self) -> None:
        text, origin = self.plain, self.origin
        parts: list[str] = []
        new_origin: list[int] = []
        last = 0
        for match in _REFERENCE.finditer(text):
            parts.append(text[last : match.start()])
            new_origin.extend(
                origin[last : match.start()] if origin is not None else range(last, match.start())
            )
            value = html.unescape(match.group())
            parts.append(value)
            new_origin.extend([origin[match.start()] if origin is not None else match.start()] * len(value))
            last = match.end()
        parts.append(text[last:])
        new_origin.extend(origin[last:] if origin is not None else range(last, len(text)))
        self.plain, self.origin = "".join(parts), new_origin

    def line(self, index: int) -> int:
        """The line of the character at ``index`` of ``plain``."""
        if self.origin is not None:
            index = self.origin[min(index, len(self.origin) - 1)] if self.origin else 0
        return self.first_line + self.source.count("\n", 0, index)

    @property
    def squeezed(self) -> str:
        """``plain`` without blanks, backslashes and control or format characters, ASCII in lower case."""
        if self._squeezed is None:
            self._squeezed = squeeze(self.plain)
        return self._squeezed

    def squeezed_line(self, index: int) -> int:
        if self._kept is None:
            self._kept = [m.start() for m in _ignorable_patterns()[1].finditer(self.plain)]
        return self.line(self._kept[min(index, len(self._kept) - 1)] if self._kept else 0)


def decoded(text: str) -> str:
    """``text`` with character references decoded (twice)."""
    return _Located(text).plain


_HIDDEN_SCHEME = re.compile(r"(javascript|vbscript|livescript):")
_DATA_ADDRESS = re.compile(
    r"(\]\(<?|\]:<?|(?:href|src|srcset|poster|action|formaction|data|background|cite|longdesc)=[\"']?|url\([\"']?)data:"
)


def text_findings(text: str, first_line: int = 1, markdown: bool = True) -> list[Finding]:
    """Addresses with refused schemes however they are written: character references,
    blanks and backslashes inside ``javascript:`` (for front-matter values)."""
    findings: list[Finding] = []
    located = _Located(text, first_line)
    squeezed = located.squeezed
    if "script:" in squeezed:
        for match in _HIDDEN_SCHEME.finditer(squeezed):
            findings.append(_scheme_finding(match.group(1), located.squeezed_line(match.start())))
    if markdown and "data:" in squeezed:
        for match in _DATA_ADDRESS.finditer(squeezed):
            findings.append(_scheme_finding("data", located.squeezed_line(match.end() - 5)))
    return findings


# -- characters a reader cannot see ------------------------------------------------------
#
# Format characters (Unicode category Cf) are invisible. The ones text needs are listed
# here; any other is refused, since it changes what a reader sees without showing itself:
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) show "LATOT" as
# "TOTAL", so the text a reviewer read is not the text a reader sees.
VISIBLE_FORMAT_CHARACTERS = frozenset(
    (
        "\u00ad",  # soft hyphen: where a long word may break
        "\u200b",  # zero-width space: where a line may break (Thai, Khmer, ...)
        "\u200c",  # zero-width non-joiner, and
        "\u200d",  # zero-width joiner: how letters of Indic scripts and emoji join
        "\u200e",  # left-to-right mark, and
        "\u200f",  # right-to-left mark: direction of a neutral character, nothing more
        "\u061c",  # Arabic letter mark (the same for Arabic)
        "\u2060",  # word joiner: where a line must not break
        *(chr(c) for c in range(0x0600, 0x0606)),  # Arabic number signs, shown with numbers
        "\u06dd",  # Arabic end of ayah
        *(chr(c) for c in range(0xE0020, 0xE0080)),  # tags of flag emoji (the Scottish flag)
    )
)
# Format characters are in the first two planes and the fourteenth (tags) only.
_FORMAT = [
    chr(c) for c in (*range(0x20000), *range(0xE0000, 0xE1000)) if unicodedata.category(chr(c)) == "Cf"
]


def _character_class(chars: list[str]) -> re.Pattern:
    """A pattern matching any of ``chars``, written as ranges (a class of single characters
    makes the search several times slower)."""
    points = sorted(ord(ch) for ch in chars)
    parts, start = [], 0
    for index in range(1, len(points) + 1):
        if index == len(points) or points[index] != points[index - 1] + 1:
            first, last = chr(points[start]), chr(points[index - 1])
            parts.append(re.escape(first) if first == last else f"{re.escape(first)}-{re.escape(last)}")
            start = index
    return re.compile("[" + "".join(parts) + "]")


# any format character: a quick look (most texts have none) before hidden_text_findings
FORMAT_CHARACTER = _character_class(_FORMAT)
_REFUSED_FORMAT = _character_class([ch for ch in _FORMAT if ch not in VISIBLE_FORMAT_CHARACTERS])


def _character_name(ch: str) -> str:
    return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'a format character').lower()})"


def hidden_text_findings(text: str, first_line: int = 1, value: bool = False) -> list[Finding]:
    """Invisible characters that change what a reader sees (one finding per line they are
    on), and, for a front-matter ``value``, a text a reader would see nothing of."""
    findings: list[Finding] = []
    last = None
    for match in _REFUSED_FORMAT.finditer(text):
        line = first_line + (0 if value else text.count("\n", 0, match.start()))
        if line == last:
            continue
        last = line
        findings.append(
            Finding(
                line,
                "policy-hidden-text",
                f"the invisible character {_character_name(match.group())} changes how the text "
                "around it is shown: a reader does not see what a reviewer read",
                "remove it (write the text in the order it is read)",
            )
        )
    if value and text and not any(not (ch.isspace() or unicodedata.category(ch) == "Cf") for ch in text):
        findings.append(
            Finding(
                first_line,
                "policy-hidden-text",
                "this text holds only invisible characters: a reader sees nothing",
                "write the text, or leave the field out",
            )
        )
    return findings
