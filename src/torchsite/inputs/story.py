"""The story: Markdown in our own words, every number a reference to a fact, checked and split into sections."""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from torchsite.errors import ContentError, Problem, attempt, display_path
from torchsite.inputs.diagnostics import closest, excerpt, hidden_message, is_hidden, non_ascii, read_text
from torchsite.inputs.figures import Figure, Sheet
from torchsite.inputs.grammar import HEDGES_EN, is_abbreviation
from torchsite.inputs.languages import Language
from torchsite.inputs.references import (
    CHART_LINE,
    CITE,
    NO_TERMS,
    REF,
    cited_claims,
    claim_ids,
    parse,
    reference_text,
    references,
)

_MARKS = re.compile(f"{REF.pattern}|{CITE.pattern}")  # what is not our text: references and citations
_CLAIM_ID = re.compile(r"[a-z][a-z0-9_]*")
_DIGIT = re.compile(r"\d")
_LINK = re.compile(r"\]\(\s*<?(?P<url>[^)\s>]*)|<(?P<auto>//[^>\s]*)>|href=[\"'](?P<href>[^\"']*)")
# A sentence ends at . ! ? (after any closing quote or bracket), its citations, then a space or the paragraph's end;
# or at 。！？ with its citations, whatever follows (CJK text puts no space between sentences).
_CITES = r"(?:\s*\[\[[^\[\]]*\]\])*"
_SENTENCE_END = re.compile(rf"[.!?][\"'”’)]*{_CITES}(?=\s|$)|[。！？][”’」』）]*{_CITES}")
# A hedge typed just before a reference ("Nearly {{x}}"): every hedge word; for a figure the source states exactly,
# only the words that cannot be a plain preposition ("over", "about", "under" can).
_HEDGE_BEFORE = re.compile(
    r"(?:^|(?<=[^\w]))(?P<hedge>" + "|".join(sorted(map(re.escape, HEDGES_EN), key=len, reverse=True)) + r")\s*$",
    re.IGNORECASE,
)
_PREPOSITIONS = frozenset({"over", "about", "under", "above", "below", "around", "within", "some", "estimated"})
_HEADING = re.compile(r"#{2,6}\s")
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text as written (Markdown, references and citations included), and where it starts."""

    line: int
    col: int
    text: str

    @property
    def claims(self) -> tuple[str, ...]:
        """The ids of the claims the sentence cites, in order."""
        return cited_claims(self.text)

    @property
    def facts(self) -> tuple[str, ...]:
        """The ids of the figures the sentence shows, in order."""
        return tuple(ref.ident for ref in references(self.text) if ref.kind == "fact")


def sentences(text: str) -> list[Sentence]:
    """Every sentence of a story: the headline, then each sentence of each paragraph and list item.

    Section headings (## ...) and chart lines are labels and placements, not sentences.
    """
    found: list[Sentence] = []
    block: list[tuple[int, int, str]] = []  # (line, col, text) of the lines of one paragraph or list item
    for number, line in enumerate([*text.replace("\r\n", "\n").split("\n"), ""], start=1):
        item = _LIST_ITEM.match(line)
        if not line.strip() or _HEADING.match(line) or CHART_LINE.fullmatch(line) or item:
            found += _split(block)
            block = []
        if item:
            block.append((number, item.end() + 1, line[item.end() :]))
        elif line.strip() and not _HEADING.match(line) and not CHART_LINE.fullmatch(line):
            start = 3 if line.startswith("# ") else len(line) - len(line.lstrip()) + 1
            block.append((number, start, line[start - 1 :]))
    return found


def _split(block: list[tuple[int, int, str]]) -> list[Sentence]:
    """The sentences of one paragraph, given as (line, col, text) lines."""
    spots: list[tuple[int, int]] = []  # (line, col) of each character of the joined text
    joined = ""
    for line, col, part in block:
        joined += ("" if not joined else " ") + part
        spots += ([(line, col - 1)] if len(spots) else []) + [(line, col + i) for i in range(len(part))]
    out = []
    start = 0
    ends = [m for m in _SENTENCE_END.finditer(joined) if not _after_abbreviation(joined, m)]
    for match in [*ends, None]:
        end = match.end() if match else len(joined)
        piece = joined[start:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            line, col = spots[start + lead]
            out.append(Sentence(line, col, piece.strip()))
        start = end
    return out


def _after_abbreviation(text: str, end: re.Match[str]) -> bool:
    """True when a full stop closes an abbreviation ('St.', 'U.S.', 'Sept.'), not a sentence: one cited ends it."""
    if text[end.start()] != "." or "[[" in end.group(0):
        return False
    before = text[: end.start()].split()
    return bool(before) and is_abbreviation(before[-1] + ".")


@dataclass(frozen=True)
class Story:
    """The story's checked Markdown (rendered per page, against its root), with the facts it cites and where."""

    title: str
    title_text: str
    standfirst: str
    standfirst_text: str
    body: str
    citations: dict[str, list[int]]  # fact id -> lines of story.md
    sections: tuple[tuple[str, str], ...] = ()  # ("markdown", source) and ("chart", chart id), in reading order
    sentences: tuple[Sentence, ...] = ()
    claims: dict[str, list[int]] = field(default_factory=dict)  # claim id -> lines of story.md


def load(path: Path, sheet: Sheet, charts: Collection[str] | None = (), *, cited: bool = False) -> Story:
    """Read a Markdown document (the story, the methodology), check it against a valid sheet, and split it."""
    doc, problems = read_doc(path, sheet, charts, cited=cited)
    if doc is None:
        raise ContentError(problems)
    return doc


def read_doc(
    path: Path,
    sheet: Sheet,
    charts: Collection[str] | None = (),
    *,
    cited: bool = False,
    language: Language | None = None,
) -> tuple[Story | None, list[Problem]]:
    """Read a Markdown document once, check every reference, citation and number against what is known, and split it.

    charts: the chart ids it may place (None: unknown); cited: every sentence must cite a claim; language: the site's
    words, whose hedges typed before a reference are doubled too. The document is split only when it has no problem
    and the sheet's figures are known.
    """
    text, problems = attempt(lambda: read(path))
    if text is None:
        return None, problems
    name = display_path(path)
    problems, citations = validate(text, name, sheet.periods, charts, sheet.figures, sheet.terms, language)
    cite_problems, claimed = check_citations(text, name, sheet.claims, cited=cited)
    problems += cite_problems
    if problems or sheet.figures is None:
        return None, problems
    return split(text, sheet.figures, citations, claimed, sheet.terms or NO_TERMS), []


def split(
    text: str,
    figures: dict[str, Figure],
    citations: dict[str, list[int]],
    claimed: dict[str, list[int]],
    terms: Mapping[str, str] = NO_TERMS,
) -> Story:
    """A checked document split into headline, standfirst, body, sections and sentences."""
    lines = text.replace("\r\n", "\n").split("\n")
    title_line = next((i for i, line in enumerate(lines) if line.strip()), 0)
    end = _paragraph_end(lines, title_line + 1)
    title = lines[title_line][2:].strip()
    standfirst = "\n".join(lines[title_line + 1 : end]).strip()
    body = "\n".join(lines[end:])
    return Story(
        title,
        plain_text(title, figures, terms),
        standfirst,
        plain_text(standfirst, figures, terms),
        body,
        citations,
        split_sections(body),
        tuple(sentences(text)),
        claimed,
    )


def check_citations(
    text: str, name: str, claims: Collection[str] | None, *, cited: bool
) -> tuple[list[Problem], dict[str, list[int]]]:
    """Every citation names a known claim (None: unknown, skipped); with `cited`, every sentence has one.

    A file refused for its brackets (validate names it) is not a story: its sentences are not checked.
    """
    problems: list[Problem] = []
    claimed: dict[str, list[int]] = {}
    if too_many_brackets(text, name):
        return problems, claimed
    for sentence in sentences(text):
        if cited and not sentence.claims:
            problems.append(
                Problem(
                    name,
                    sentence.line,
                    sentence.col,
                    "story",
                    f"the sentence '{opening(sentence.text)}' cites no claim",
                    "end it with [[claim_id]], naming the claim in content/facts.yaml whose passage states it",
                )
            )
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        for match in CITE.finditer(line):
            for ident in claim_ids(match.group(1)):
                if not _CLAIM_ID.fullmatch(ident):
                    message = f"'{match.group(0)}' is not a citation"
                    hint = "write [[claim_id]] or [[claim_a, claim_b]]"
                elif claims is None or ident in claims:
                    claimed.setdefault(ident, []).append(number)
                    continue
                else:
                    message, hint = f"unknown claim '{ident}'", _closest(ident, dict.fromkeys(claims), "claim")
                problems.append(Problem(name, number, match.start() + 1, "story", message, hint))
    return problems, claimed


def opening(text: str) -> str:
    """The first words of a sentence, to name it in a message."""
    words = CITE.sub("", text).split()
    return " ".join(words[:6]) + (" ..." if len(words) > 6 else "")


def split_sections(body: str) -> tuple[tuple[str, str], ...]:
    """The body as Markdown chunks between chart lines: ("markdown", source) and ("chart", id)."""
    sections: list[tuple[str, str]] = []
    chunk: list[str] = []
    for line in [*body.split("\n"), None]:
        placed = CHART_LINE.fullmatch(line) if line is not None else None
        if line is not None and not placed:
            chunk.append(line)
            continue
        if "\n".join(chunk).strip():
            sections.append(("markdown", "\n".join(chunk)))
        chunk = []
        if placed:
            sections.append(("chart", placed["id"]))
    return tuple(sections)


MAX_STORY_BYTES = 300_000  # ten times a long read; beyond it Markdown could take long to render
MAX_BRACKETS = 50  # '[' or '<' in one paragraph: Markdown's link and tag searches take time growing with their square
MAX_TAGS = 500  # '<' in one file: an unclosed tag is searched for to the end of the file (500 take 0.3 s, 2,000 3 s)


def read(path: Path) -> str:
    """The story's text (a byte-order mark is fine); a missing, undecodable or oversized file is a problem."""
    return read_text(path, MAX_STORY_BYTES)


def too_many_brackets(text: str, name: str) -> list[Problem]:
    """Paragraphs (and files) with more Markdown triggers than any real one has: refused before Markdown spends
    minutes on them. '[' starts a link search and '<' a search for the tag's end, each growing with their square."""
    problems = []
    lines = text.replace("\r\n", "\n").split("\n")
    for char, hint in _TRIGGERS.items():
        count, flagged = 0, False
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                count, flagged = 0, False
            before, count = count, count + line.count(char)
            if count > MAX_BRACKETS and not flagged:
                col = [i for i, c in enumerate(line) if c == char][MAX_BRACKETS - before] + 1
                problems.append(
                    Problem(name, number, col, "story", f"more than {MAX_BRACKETS} '{char}' in one paragraph", hint)
                )
                flagged = True
    if not problems and text.count("<") > MAX_TAGS:
        number, col = _nth(lines, "<", MAX_TAGS + 1)
        message = f"more than {MAX_TAGS} '<' in one file"
        problems.append(Problem(name, number, col, "story", message, "write the story in Markdown, not HTML"))
    return problems


_CHAR_REF = re.compile(r"&(?:#[xX]([0-9A-Fa-f]{1,8})|#([0-9]{1,10})|([A-Za-z][A-Za-z0-9]{1,31}));")


def hidden_references(text: str, name: str) -> list[Problem]:
    """HTML character references (&#x202E;, &#0;, &rlm;) that would write a hidden character into the page."""
    problems = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        for found in _CHAR_REF.finditer(line):
            hexa, decimal, named = found.groups()
            code = int(hexa, 16) if hexa else int(decimal) if decimal else None
            char = chr(code) if code is not None and code <= 0x10FFFF else html.entities.html5.get(f"{named};", "")
            if code == 0 or (len(char) == 1 and is_hidden(char) and char not in "\t\n"):
                message, _ = hidden_message(char or "\0")
                hint = f"remove '{found[0]}': it writes a hidden character into the page"
                problems.append(Problem(name, number, found.start() + 1, "story", message, hint))
    return problems


_TRIGGERS = {"[": "a paragraph needs a few links at most", "<": "a paragraph needs a few HTML tags at most"}


def _nth(lines: list[str], char: str, n: int) -> tuple[int, int]:
    """The 1-based line and column of the n-th occurrence of a character."""
    for number, line in enumerate(lines, start=1):
        if (count := line.count(char)) >= n:
            return number, [i for i, c in enumerate(line) if c == char][n - 1] + 1
        n -= count
    return len(lines), 1


def validate(
    text: str,
    name: str,
    periods: Mapping[str, str | None] | None,
    charts: Collection[str] | None = None,
    figures: Mapping[str, Figure] | None = None,
    terms: Collection[str] | None = None,
    language: Language | None = None,
) -> tuple[list[Problem], dict[str, list[int]]]:
    """Every problem of the story: headline, references (when the fact ids are known), typed numbers and hedges."""
    if brackets := too_many_brackets(text, name):
        return brackets, {}  # such a file is not a story: its other problems would be noise
    problems, citations = check(text, name, periods, charts, terms)
    problems += typed_hedges(text, name, figures or {}, own_hedges(language))
    problems += typed_period_words(text, name, figures or {})
    lines = text.replace("\r\n", "\n").split("\n")
    title_line = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if not lines[title_line].startswith("# "):
        problems.append(
            Problem(
                name,
                title_line + 1,
                1,
                "headline",
                "the story must start with a '# Headline' line",
                "put the headline first, then the standfirst paragraph",
            )
        )
    return problems, citations


def check(
    text: str,
    name: str,
    periods: Mapping[str, str | None] | None,
    charts: Collection[str] | None = None,
    terms: Collection[str] | None = None,
) -> tuple[list[Problem], dict[str, list[int]]]:
    """Every reference names a known figure (id -> as_of) or chart (None skips either); no digit typed outside one."""
    problems: list[Problem] = hidden_references(text, name)
    citations: dict[str, list[int]] = {}
    known = periods if periods is not None else {}
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        for ref in references(line):
            col = ref.start + 1
            if ref.kind == "chart":
                problems += _check_chart(ref.ident, line, name, number, col, charts)
            elif ref.kind == "unknown":
                problems.append(
                    Problem(
                        name,
                        number,
                        col,
                        "story",
                        f"'{excerpt(ref.written)}' is not a fact reference",
                        "write {{fact_id}}, or {{fact_id:as_of}} for the period it refers to"
                        + (f"; it has {foreign}" if (foreign := non_ascii(ref.body)) else ""),
                    )
                )
            elif periods is None or (ref.kind == "term" and terms is None):
                continue  # the fact sheet did not load: its ids are unknown
            elif ref.kind == "term":
                if terms is not None and ref.ident not in terms:
                    hint = closest(ref.ident, terms, "add it to terms: in content/facts.yaml, with its quote")
                    problems.append(Problem(name, number, col, "story", f"unknown term '{ref.ident}'", hint))
            elif ref.ident not in known:
                problems.append(
                    Problem(name, number, col, "story", f"unknown fact '{ref.ident}'", _closest(ref.ident, known))
                )
            elif ref.part and not known[ref.ident]:
                problems.append(
                    Problem(
                        name,
                        number,
                        col,
                        "story",
                        f"fact '{ref.ident}' has no as_of period",
                        "add as_of to the fact, or refer to the fact itself",
                    )
                )
            else:
                citations.setdefault(ref.ident, []).append(number)
        problems += _check_links(line, name, number)
        outside = _MARKS.sub("", line)
        for digit in _typed_numbers(outside):
            col = _column_outside(line, digit)
            problems.append(
                Problem(
                    name,
                    number,
                    col,
                    "story",
                    f"a number typed in the text ('{_word_at(outside, digit)}')",
                    "every number comes from the fact sheet: add a fact and write {{its_id}}",
                )
            )
    return problems, citations


def own_hedges(language: Language | None) -> re.Pattern[str] | None:
    """The site language's hedge words typed just before a reference ('超过{{x}}'): a language written without
    spaces ('' between hedge and number) needs no word boundary before them."""
    words = sorted({w for w in language.hedges.model_dump().values() if w}, key=len, reverse=True) if language else []
    if not words:
        return None
    before = "" if language is None or not language.space else r"(?:^|(?<=[^\w]))"
    return re.compile(before + r"(?P<hedge>" + "|".join(map(re.escape, words)) + r")\s*$", re.IGNORECASE)


def typed_hedges(
    text: str, name: str, figures: Mapping[str, Figure], own: re.Pattern[str] | None = None
) -> list[Problem]:
    """A hedge typed just before a figure reference (news English's, or the site language's `own`): it doubles the
    figure's own hedge, or contradicts an exact one."""
    problems = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        for ref in references(line):
            figure = figures.get(ref.ident) if ref.kind == "fact" and not ref.part else None
            before = line[: ref.start]
            typed = (_HEDGE_BEFORE.search(before) or (own and own.search(before))) if figure is not None else None
            if figure is None or typed is None:
                continue
            words = typed["hedge"]
            if figure.qualifier == "exact" and words.lower() in _PREPOSITIONS:
                continue
            if figure.qualifier == "exact":
                message = f"the hedge '{words}' is typed before {ref.written}, which the source states exactly"
                hint = "remove it: a hedge comes from the fact sheet, where the source's words are quoted"
            else:
                message = f"the hedge '{words}' is typed before {ref.written}, which already reads '{figure.text}'"
                hint = f"remove '{words}': the figure carries its own hedge"
            problems.append(Problem(name, number, typed.start("hedge") + 1, "story", message, hint))
    return problems


def typed_period_words(text: str, name: str, figures: Mapping[str, Figure]) -> list[Problem]:
    """A period's own first word typed before its reference ('In {{x:as_of}}' where as_of reads 'in March 2023'):
    the page would read 'In in March 2023'."""
    problems = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        for ref in references(line):
            figure = figures.get(ref.ident) if ref.kind == "fact" and ref.part == "as_of" else None
            period = figure.as_of if figure is not None and figure.as_of else ""
            typed = re.search(r"(\w+)\s+$", line[: ref.start]) if period else None
            if typed is None or typed[1].lower() != period.split()[0].lower():
                continue
            message = f"'{typed[1]}' is typed before {ref.written}, which already reads '{period}'"
            hint = f"remove '{typed[1]}': the period carries its own word"
            problems.append(Problem(name, number, typed.start(1) + 1, "story", message, hint))
    return problems


def _check_links(line: str, name: str, number: int) -> list[Problem]:
    """No scheme-relative link ('//host/...'): the build refuses it, so the story's line is where to say so."""
    return [
        Problem(
            name,
            number,
            line.index(url, match.start()) + 1,
            "story",
            f"link '{url}' has no scheme (a scheme-relative link loads from whatever host serves the page)",
            "write the full address, https://...",
        )
        for match in _LINK.finditer(line)
        if (url := match["url"] or match["auto"] or match["href"] or "").startswith("//")
    ]


def _check_chart(
    ident: str, line: str, name: str, number: int, col: int, charts: Collection[str] | None
) -> list[Problem]:
    """A chart reference names a known chart (None: the charts could not be read) and stands on its own line."""
    if charts is not None and ident not in charts:
        hint = closest(ident, charts, "add the chart to content/charts.yaml first")
        return [Problem(name, number, col, "story", f"unknown chart '{ident}'", hint)]
    if not CHART_LINE.fullmatch(line):
        return [
            Problem(
                name,
                number,
                col,
                "story",
                f"the chart reference '{{{{chart:{ident}}}}}' must stand on a line of its own",
                "put it on its own line, between paragraphs",
            )
        ]
    return []


def plain_text(text: str, figures: dict[str, Figure], terms: Mapping[str, str] = NO_TERMS) -> str:
    """The text with references replaced by their figures (and names) and Markdown marks dropped."""
    out = REF.sub(lambda m: reference_text(parse(m.group(1)), figures, terms), CITE.sub("", text))
    out = re.sub(r"<!--.*?-->|</?[A-Za-z][^<>]*>", "", out)  # inline HTML ('A <em>big</em> year'): its words only
    return html.unescape(re.sub(r"[*_`]", "", out)).strip()


def _paragraph_end(lines: list[str], start: int) -> int:
    """The index of the first blank line after the paragraph starting at `start`."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


def _closest(ident: str, known: Mapping[str, object], kind: str = "fact") -> str:
    """A hint with the nearest known id."""
    return closest(ident, known, f"add the {kind} to content/facts.yaml first")


def _column_outside(line: str, index: int) -> int:
    """Map an index in the line with references removed back to a 1-based column."""
    kept = 0
    pos = 0
    for match in _MARKS.finditer(line):
        gap = match.start() - pos
        if kept + gap > index:
            break
        kept += gap
        pos = match.end()
    return pos + (index - kept) + 1


def _typed_numbers(text: str) -> list[int]:
    """Where each word holding a digit starts to hold one: every typed number of a line, each once."""
    found, word_end = [], -1
    for digit in _DIGIT.finditer(text):
        if digit.start() < word_end:
            continue
        found.append(digit.start())
        word_end = digit.start() + len(_word_at(text[digit.start() :], 0))
    return found


def _word_at(text: str, index: int) -> str:
    """The run of non-space characters around an index."""
    start = index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = index
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]
