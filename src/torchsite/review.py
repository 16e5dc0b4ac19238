"""The review sheet for fact-checkers: each story sentence beside the passages it cites and the figures it uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from torchsite.errors import Problem, Severity
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.references import CITE, REF
from torchsite.inputs.story import Sentence, opening, plain_text

# Words too common to show that a sentence and a passage say the same thing.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "all",
        "also",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "each",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "his",
        "how",
        "in",
        "into",
        "is",
        "it",
        "its",
        "it's",
        "itself",
        "more",
        "most",
        "no",
        "not",
        "of",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "year",
        "years",
    ]
)
_WORD = re.compile(r"[a-z][a-z'’-]*")
STEM = 5  # letters of a word compared: 'contributes' and 'contributed', 'industry' and 'industrial' agree


@dataclass(frozen=True)
class Row:
    """One sentence as the review shows it: where it is, its text, the passages it cites, the figures it uses."""

    sentence: Sentence
    text: str
    passages: tuple[tuple[str, str], ...]  # (claim id, passage)
    figures: tuple[Figure, ...]
    shared: frozenset[str]  # the content words it shares with its passages (empty: suspicious)


def content_words(text: str) -> frozenset[str]:
    """The stems of a text's content words: lower case, no stopwords, no figures or citations, cut to STEM letters."""
    words = _WORD.findall(CITE.sub(" ", REF.sub(" ", text)).lower())
    return frozenset(stem(w.replace("’", "'")) for w in words if w not in STOPWORDS and len(w) > 2)


_SUFFIXES = ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly", "e")  # tried in order, once each kind


def stem(word: str) -> str:
    """A word's stem as compared: its inflection cut ('rising', 'rises', 'rise' -> 'ris'), then STEM letters."""
    for suffix in _SUFFIXES[:-1]:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word[:STEM]


def rows(sentences: tuple[Sentence, ...], sheet: FactSheet, figures: dict[str, Figure]) -> list[Row]:
    """Each sentence with its passages and figures, and the content words it shares with those passages."""
    out = []
    for sentence in sentences:
        passages = tuple((ident, sheet.claim(ident).passage) for ident in dict.fromkeys(sentence.claims))
        said = frozenset().union(*(content_words(p) for _, p in passages))
        used = tuple(figures[ident] for ident in dict.fromkeys(sentence.facts))
        shared = content_words(sentence.text) & said
        out.append(
            Row(
                sentence,
                plain_text(sentence.text, figures, {t.id: t.text for t in sheet.terms}),
                passages,
                used,
                shared,
            )
        )
    return out


def suspicious(found: list[Row], name: str) -> list[Problem]:
    """A warning for each sentence that shares no content word with the passages it cites."""
    return [
        Problem(
            name,
            row.sentence.line,
            row.sentence.col,
            "story",
            f"the sentence '{opening(row.sentence.text)}' shares no content word with the passages it cites",
            "check that its claims state what it says, or cite the claim that does",
            Severity.WARNING,
        )
        for row in found
        if row.passages and not row.shared
    ]


def translated_note(name: str, lang: str) -> str:
    """The heading of an edition's sheet: its sentences are compared with the passages by a reader, not by words."""
    return (
        f"{name}: the {lang} edition. Its sentences are in another language than the passages they cite, so no "
        "shared word is looked for: read each sentence against its passages and figures, and sign it off."
    )


def text(found: list[Row], name: str, *, compared: bool = True) -> str:
    """The review as plain text: one block per sentence, to sign off one by one (without `compared`, no sentence is
    marked for sharing no word with its passages: an edition in another language)."""
    blocks = []
    for number, row in enumerate(found, start=1):
        lines = [f"{number}. {name}:{row.sentence.line}:{row.sentence.col}", f"   {row.text}"]
        lines += [f"   cites [{ident}]: “{passage}”" for ident, passage in row.passages]
        lines += [f"   uses {_figure(figure)}" for figure in row.figures]
        if compared and row.passages and not row.shared:
            lines.append("   ! shares no content word with its passages")
        lines.append("   signed off: [ ]")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _figure(figure: Figure) -> str:
    """A figure as the review shows it: its id, text, and its quote or formula."""
    evidence = f"formula {figure.formula}" if figure.formula else f"quote “{figure.quote}”"
    return f"{figure.id} = {figure.text} ({evidence})"
