"""How news text states numbers, as data: hedge words, number words, scales, currencies, percent and dates.

One table per language, as data in inputs/reading/<lang>.yaml (only English today); a project adds hedge words in
site.yaml (`hedges:`). The reader `read()` turns a passage into mentions: each number with the hedge before it, its
scale, unit words and kind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

READING = Path(__file__).parent / "reading"  # one table per language: how its news text states numbers


def _table(lang: str) -> dict[str, Any]:
    """A language's reading table (inputs/reading/<lang>.yaml), as the module's names hold it."""
    data: dict[str, Any] = yaml.safe_load((READING / f"{lang}.yaml").read_text(encoding="utf-8"))
    return data


def _fraction(text: str) -> Decimal:
    """A fraction written 'n/d' as a Decimal."""
    over, under = text.split("/")
    return Decimal(over) / Decimal(under)


_EN = _table("en")
HEDGES_EN: dict[str, str] = _EN["hedges"]  # hedge words before a number, each with its qualifier
BETWEEN_HEDGE_EN: tuple[str, ...] = tuple(_EN["between_hedge"])  # 'an estimated additional $560,000'
COMPARATIVES_EN: frozenset[str] = frozenset(_EN["comparatives"])  # 'higher than 5%': a bound, or a comparison
NEGATIONS_EN: tuple[str, ...] = tuple(_EN["negations"])  # 'not less than', "shall not exceed", "didn't exceed"
NEGATION_BETWEEN_EN: tuple[str, ...] = tuple(_EN["negation_between"])  # 'not to exceed', 'not allowed to exceed'
NEGATED_EN: dict[str, list[str]] = _EN["negated"]  # a hedge's qualifier, negated: the qualifiers it may mean
HEDGES_APART_EN: dict[str, str] = _EN["hedges_apart"]  # 'an estimated annual economic impact of $1.1 billion'
UNITS_EN: dict[str, int | str] = _EN["numbers"]  # number words: units, teens, tens, 'a dozen'
ORDINALS_EN: dict[str, int] = _EN["ordinals"]
FRACTIONS_EN: dict[str, Decimal] = {word: _fraction(n) for word, n in _EN["fractions"].items()}
SCALES_EN: dict[str, int] = _EN["scales"]
CURRENCY_BEFORE_EN: dict[str, str] = _EN["currency_before"]  # marks before a number, each with its ISO code
CURRENCY_AFTER_EN: dict[str, str] = _EN["currency_after"]  # words after a number, each with its ISO code
NOT_MONEY_BEFORE_EN: dict[str, list[str]] = _EN["not_money_before"]  # '60 million pounds of chicken'
BARE_DOLLAR_EN: tuple[str, ...] = tuple(_EN["bare_dollar"])  # 'dollars' may be any dollar, as '$' may
SIGN_MAY_MEAN_EN: dict[str, frozenset[str]] = {sign: frozenset(c) for sign, c in _EN["sign_may_mean"].items()}
CENTS_EN: tuple[str, ...] = tuple(_EN["cents"])  # hundredths of the currency ('71 cents')
CLOCK_EN: tuple[str, ...] = tuple(_EN["clock"])  # a time of day, no figure ('10 a.m.')
SPAN_BEFORE_EN: tuple[str, ...] = tuple(_EN["span_before"])  # 'from 16 to 64': a span with exact ends
DENOMINATOR_BEFORE_EN: tuple[str, ...] = tuple(_EN["denominator_before"])  # 'per $100 of valuation'
PERCENT_EN: tuple[str, ...] = tuple(_EN["percent"])
TIME_UNITS_EN: tuple[str, ...] = tuple(_EN["time_units"])
TIME_KIND_EN: tuple[str, ...] = tuple(_EN["time_kind"])  # 'two school years', 'three fiscal years'
DURATION_SPAN: tuple[str, ...] = tuple(_EN["duration_span"])  # 'over three years from 2022 through 2024'
MONTHS_EN: dict[str, int] = _EN["months"]  # names and AP abbreviations ('Aug.', 'Sept.')
ABBREVIATIONS_EN: frozenset[str] = frozenset(_EN["abbreviations"])  # a full stop after them ends no sentence


def _alternatives(words: object, flags: str = "") -> str:
    """A regex alternation of words (longest first), spaces matching any white space."""
    ordered = sorted(words, key=len, reverse=True)  # type: ignore[call-overload]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@dataclass(frozen=True)
class Mention:
    """A number as a passage states it: its hedge, value, unit words and where it stands."""

    qualifier: str
    number: Decimal
    text: str
    start: int = 0
    end: int = 0
    currency: str | None = None  # ISO code of a currency mark or word ("$", "yuan")
    percent: str | None = None  # "percent" or "points" ("percentage points")
    kind: str = "number"  # number, fraction, ordinal, fiscal_year, year, time, tally, denominator, malformed
    high: Decimal | None = None  # the upper end of a range ("10 to 12", "10-12")
    qualifiers: frozenset[str] = frozenset()  # every hedge the words may mean, when the grammar cannot decide
    per: str | None = None  # a time unit after the number ("three years")
    places: int | None = None  # the decimals its digits show, scale counted ('219.30' 2, '9.02 billion' -7)
    sign: str | None = None  # the currency mark as written, when it may mean more than one currency ('$')
    of: Decimal | None = None  # the whole of a ratio ('1 in 4': 4)
    span: bool = False  # a range after 'from' ('from 16 to 64'): its ends are exact, not bounds

    @property
    def is_range(self) -> bool:
        """A range of estimates ('between 300 and 400', '10-12 billion'): each end is a bound."""
        return self.high is not None and self.high > self.number and self.kind == "number" and not self.span

    def readings(self) -> frozenset[str]:
        """The qualifiers the words can mean."""
        return self.qualifiers or frozenset({self.qualifier})

    def readings_for(self, value: Decimal) -> frozenset[str]:
        """The qualifiers the words give this value: an unhedged range's lower end is at_least, its upper at_most."""
        if self.is_range and self.qualifier == "exact" and value in (self.number, self.high):
            return frozenset({"at_least" if value == self.number else "at_most"})
        return self.readings()

    def currencies(self) -> frozenset[str]:
        """Every currency the mention may be in: its code, or all a bare mark may mean ('$': USD, CAD...)."""
        return SIGN_MAY_MEAN_EN.get(self.sign or "", frozenset()) | ({self.currency} if self.currency else set())

    def values(self, unit: str) -> set[Decimal]:
        """What the mention can mean for a fact of this unit."""
        out = {self.number} | ({self.high} if self.high is not None else set())
        if self.sign == "cent" and "cent" in unit.lower():  # a unit counted in cents ('3.5-cent' is 3.5 of them)
            out |= {n * 100 for n in out}
        if unit == "percent" and self.of:
            share = self.number / self.of * 100
            out |= {share, share.quantize(Decimal("0.01")).normalize()}
        if unit == "percent" and self.kind == "fraction":
            out.add((self.number * 100).quantize(Decimal("0.01")).normalize())
            out.add(self.number * 100)
        if unit == "months" and self.per and self.per.startswith("year"):  # 'half a year' is 6 months, not 0.5
            out = {n * 12 for n in out}
        return out


@dataclass(frozen=True)
class Date:
    """A date as a passage states it: year (None when not given), month, day (None for a month)."""

    year: int | None
    month: int
    day: int | None
    text: str
    start: int = 0  # where it stands in the passage


@dataclass(frozen=True)
class Period:
    """A period a passage writes with a dash: a range of years (start, end), a month (year, month) or malformed."""

    kind: str  # range, month, malformed
    start: int
    end: int  # the range's last year, or the month's number
    text: str


@dataclass(frozen=True)
class Grammar:
    """One language's words for numbers; a project may add hedge words."""

    hedges: Mapping[str, str] = field(default_factory=lambda: dict(HEDGES_EN))

    def with_hedges(self, extra: Mapping[str, str]) -> Grammar:
        """The grammar with a project's own hedge words (words -> qualifier) added."""
        return Grammar({**self.hedges, **{k.lower(): v for k, v in extra.items()}})

    @cached_property
    def mention_pattern(self) -> re.Pattern[str]:
        """One number mention: hedge, currency mark, number (digits or words), scale, unit words."""
        digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
        words = _alternatives([*FRACTIONS_EN, *UNITS_EN, *ORDINALS_EN])
        tens = _alternatives([w for w, n in UNITS_EN.items() if isinstance(n, int) and 20 <= n <= 90])
        ones = _alternatives([w for w, n in UNITS_EN.items() if isinstance(n, int) and 1 <= n <= 9 and " " not in w])
        sep = r"\s*(?:-|–|\bto\b|(?(between)\band\b|(?!)))\s*"  # "and" joins a range only after "between"
        cur = _alternatives(CURRENCY_BEFORE_EN)
        scales = _alternatives(SCALES_EN)
        negation = "|".join(rf"\b{re.escape(w)}" if w.isalpha() else re.escape(w) for w in NEGATIONS_EN)
        return re.compile(
            rf"(?:(?P<neg>{negation})(?:\s+(?:{_alternatives(NEGATION_BETWEEN_EN)})){{0,3}}\s+"
            rf"(?=(?:{_alternatives(self.hedges)})\s))?"
            rf"(?<![\w$€£¥.,])(?:(?P<hedge>{_alternatives(self.hedges)})\s+(?:(?:{_alternatives(BETWEEN_HEDGE_EN)})\s+)?"
            rf"|(?P<apart>{_alternatives(HEDGES_APART_EN)})\s+(?:[A-Za-z-]+\s+){{1,4}}?of\s+)?"
            rf"(?:(?P<between>between)\s+)?"
            rf"(?P<fy>(?:FY|fiscal(?:\s+year)?)\s*)?"
            rf"(?P<cur>{cur})?\s?"
            rf"(?P<number>{digits}|\b(?:{tens})-(?:{ones})\b|\b(?:{words})\b)"
            rf"(?P<ord>st|nd|rd|th)?"
            rf"(?P<clock>(?::\d\d)?\s*(?:{_alternatives(CLOCK_EN)})(?![\w]))?"
            rf"(?:\s+in\s+(?P<of>\d{{1,3}}|ten|{ones})(?![\w,.]|\.\d))?"
            rf"(?:{sep}(?P<cur2>{cur})?(?P<high>{digits})(?!\d))?"
            rf"(?:[\s-]*(?P<scale>{scales})\b)?"
            rf"(?:{sep}(?P<cur3>{cur})?\s?(?P<high2>{digits})[\s-]*(?P<scale2>{scales})\b)?"
            rf"(?:[\s-]*(?P<cents>{_alternatives(CENTS_EN)})(?!\w))?"
            rf"(?:\s*(?P<pct>{_alternatives(PERCENT_EN)})(?!\w))?"
            rf"(?:{sep}(?P<high3>{digits})\s*(?P<pct2>{_alternatives(PERCENT_EN)})(?!\w))?"
            rf"(?:(?:\s+|-)(?P<curw>{_alternatives(CURRENCY_AFTER_EN)})\b)?"  # "10 dollars", "100-billion-yuan"
            rf"(?:(?:\s+|-)(?:a\s+)?(?:(?:{_alternatives(TIME_KIND_EN)})\s+)?(?P<per>{_alternatives(TIME_UNITS_EN)})\b"
            rf"(?P<span>(?:\s+\S+){{0,3}}?\s+"
            rf"(?:{_alternatives(DURATION_SPAN)})\b)?)?",
            re.IGNORECASE,
        )

    def read(self, text: str) -> list[Mention]:
        """Every number a passage states, with its hedge, scale and unit words."""
        found = []
        for m in self.mention_pattern.finditer(text):
            mention = self._mention(m)
            if mention is not None:
                found.append(mention)
        return found

    def _mention(self, m: re.Match[str]) -> Mention | None:
        """One mention from its match (None for a word that is no number here, such as 'second' in 'a second')."""
        raw = re.sub(r"\s+", " ", m["number"].lower())
        kind = "number"
        high = None
        if raw in FRACTIONS_EN:
            number, kind = FRACTIONS_EN[raw], "fraction"
        elif raw in UNITS_EN:
            number = Decimal(UNITS_EN[raw])
        elif raw in ORDINALS_EN:
            number, kind = Decimal(ORDINALS_EN[raw]), "ordinal"
        elif "-" in raw:
            tens, ones = raw.split("-")
            number = Decimal(UNITS_EN[tens]) + Decimal(UNITS_EN[ones])
        else:
            number = Decimal(raw.replace(",", ""))
            if m["ord"]:
                kind = "ordinal"
        if m["high"] or m["high2"] or (m["high3"] and m["pct"]):
            high = Decimal((m["high"] or m["high2"] or m["high3"]).replace(",", ""))
        if m["fy"]:
            kind = "fiscal_year"
        elif m["clock"]:
            kind = "time"  # "10 a.m.": a time of day, no figure
        elif kind == "number" and not m["cur"] and not m["scale"] and "." not in raw and "," not in raw:
            kind = "year" if len(raw) == 4 and 1000 <= number <= 2999 else kind
        dashed = bool(m["high"]) and m.string[m.end("number") : m.start("high")].strip() in ("-", "–")
        if kind == "number" and dashed and high is not None and high <= number and not (m["scale"] or m["pct"]):
            kind = "tally"  # "a 4-1 vote", "won 3-2": a score, no figure and no range
        if kind == "year" and dashed and high is not None and number // 100 * 100 + high % 100 > number:
            kind = "fiscal_year"  # "the 2009-10 budget", "2025-2030": a period's name, no figure
        scale = m["scale"]
        if (
            scale
            and (scale.lower() in ("m", "b", "k") and not m["cur"])
            and scale == scale.lower()
            and kind != "number"
        ):
            scale = None
        if scale:
            factor = SCALES_EN[scale.lower()]
            number *= factor
            high = high * factor if high is not None and not m["high2"] else high
        if m["high2"] and high is not None:
            high *= SCALES_EN[m["scale2"].lower()]
        cur = m["cur"] or m["cur2"] or m["cur3"]
        currency = CURRENCY_BEFORE_EN.get(cur) or CURRENCY_BEFORE_EN.get(cur.upper()) if cur else None
        sign = cur if cur in SIGN_MAY_MEAN_EN else None
        if m["cents"] and not cur:  # "71 cents": hundredths of a dollar (or of a euro)
            number, high = number / 100, high / 100 if high is not None else None
            currency, sign = "USD", "cent"
        if m["curw"]:
            word = re.sub(r"\s+", " ", m["curw"].lower())
            currency = next(c for w, c in CURRENCY_AFTER_EN.items() if w.lower() == word)
            sign = "$" if word in BARE_DOLLAR_EN else sign  # "dollars" may be any dollar, as "$" may
            after = m.string[m.end("curw") :].split(maxsplit=1)
            if after and after[0].lower() in NOT_MONEY_BEFORE_EN.get(word, ()):
                currency, sign = None, None  # "60 million pounds of chicken": a weight
        percent = None
        if m["pct"]:
            percent = "points" if m["pct"].lower().startswith("percentage") else "percent"
        hedge = re.sub(r"\s+", " ", m["hedge"].lower()) if m["hedge"] else None
        qualifier = self.hedges[hedge] if hedge else "exact"
        if m["apart"]:  # "an estimated annual economic impact of $1.1 billion"
            qualifier = HEDGES_APART_EN[re.sub(r"\s+", " ", m["apart"].lower())]
        qualifiers: frozenset[str] = frozenset()
        if hedge == "over" and m["per"]:  # "over three years": during, unless nothing says from when to when
            qualifier = "exact" if m["span"] else qualifier
            qualifiers = frozenset() if m["span"] else frozenset({"more_than", "exact"})
        if hedge in COMPARATIVES_EN and not m["neg"]:  # "6%, higher than 5% in May" compares with a figure
            qualifiers = frozenset({qualifier, "exact"})
        if m["neg"]:  # "not less than": each bound the words may mean, turned around
            qualifiers = frozenset(q for r in qualifiers or {qualifier} for q in NEGATED_EN.get(r, [r]))
            qualifier = NEGATED_EN.get(qualifier, [qualifier])[0]
            qualifiers = frozenset() if qualifiers == {qualifier} else qualifiers
        ends = [m.end(g) for g in ("number", "ord", "clock", "of", "high", "scale", "high2", "scale2", "cents", "pct",
                                   "pct2", "per") if m[g]]  # fmt: skip
        start = m.start()
        while start > 0 and (m.string[start - 1].isalnum() or m.string[start - 1] == "_"):
            start -= 1  # "didn't exceed": the mention starts at the whole word
        text = m.string[start : max(ends)].strip()
        if kind == "number" and (broken := re.match(r",\d+", m.string[m.end("number") :])):
            kind, text = "malformed", text[: m.end("number") - start] + broken[0]  # "$1,368,00": a typo
        places = None
        if raw[:1].isdigit() or raw[:1] == ".":
            places = len(raw.split(".")[1]) if "." in raw else 0
            places -= len(str(SCALES_EN[scale.lower()])) - 1 if scale else 0
            places += 2 if sign == "cent" else 0
        of = m["of"].lower() if m["of"] else None
        whole = Decimal(UNITS_EN.get(of, of)) if of else None
        before = m.string[max(0, m.start("number") - 16) : m.start("number")]  # only the words just before it
        after_from = bool(re.search(rf"\b(?:{_alternatives(SPAN_BEFORE_EN)})\s+\W?$", before, re.IGNORECASE))
        lead = m.string[max(0, m.start() - 16) : m.start()]  # the words before its hedge or currency mark
        if re.search(rf"\b(?:{_alternatives(DENOMINATOR_BEFORE_EN)})\s+$", lead, re.IGNORECASE):
            kind = "denominator"  # "per $100 of valuation", "for every $1,000": what a rate is of, no figure
        return Mention(
            qualifier, number, text, start, m.end(), currency, percent, kind, high, qualifiers,
            m["per"].lower() if m["per"] else None, places, sign, whole, after_from,
        )  # fmt: skip

    def dates(self, text: str) -> list[Date]:
        """Every date a passage states: 'Aug. 19', 'Oct. 6, 2018', '19 August 2018', 'August 2018', '2018-10-06'."""
        months = _alternatives(MONTHS_EN)
        found = []
        for m in re.finditer(
            rf"(?<![\w.])(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?P<month>{months})(?![\w])"
            rf"(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d))?(?:,?\s+(?P<year>\d{{4}})(?!\d))?",
            text,
            re.IGNORECASE,
        ):
            name = m["month"].lower()
            if name == "may" and not (m["d1"] or m["d2"] or m["year"]):
                continue  # "may" the verb
            if name[0] != m["month"][0].lower() or not m["month"][0].isupper():
                continue  # month names are capitalized
            day = m["d1"] or m["d2"]
            year = int(m["year"]) if m["year"] else None
            found.append(Date(year, MONTHS_EN[name], int(day) if day else None, m[0], m.start()))
        for m in re.finditer(r"(?<!\d)(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)", text):
            found.append(Date(int(m[1]), int(m[2]), int(m[3]) if m[3] else None, m[0], m.start()))
        return found

    def hedge_before(self, text: str, at: int) -> str | None:
        """The hedge words that end just before a position ('around' in 'around Aug. 31'), None if there are none."""
        m = re.search(rf"(?<![\w'])({_alternatives(self.hedges)})\s+$", text[max(0, at - 40) : at], re.IGNORECASE)
        return re.sub(r"\s+", " ", m[1].lower()) if m else None

    def years(self, text: str) -> set[int]:
        """The years a passage names: four-digit years, fiscal years ('FY 2024-25' names 2024 and 2025)."""
        out = {int(y) for y in re.findall(r"(?<![\d,.$])((?:1[89]|20)\d\d)(?!\d|,\d{3}|\.\d)", text)}
        return out | {p.end for p in self.periods(text) if p.kind == "range"}

    def periods(self, text: str) -> list[Period]:
        """The periods a passage writes 'YYYY-YY' or 'YYYY-YYYY': a range of years ('2009-10', 'FY 2024-25'),
        a month ('2018-10', ISO) where the second part is no later year, else a malformed period ('2026-26')."""
        found = []
        for m in re.finditer(r"(?<![\d,.$])((?:1[89]|20)\d\d)\s?[-–/]\s?((?:1[89]|20)\d\d|\d\d)(?!\d)", text):
            start, second = int(m[1]), m[2]
            end = int(second) if len(second) == 4 else start // 100 * 100 + int(second)
            if end > start:
                found.append(Period("range", start, end, m[0]))
            elif len(second) == 2 and 1 <= int(second) <= 12:
                found.append(Period("month", start, int(second), m[0]))
            else:
                found.append(Period("malformed", start, end, m[0]))
        return found

    def unread(self, text: str, before: int) -> str:
        """The words just before a position that are not a hedge the grammar knows (up to three)."""
        words = text[:before].split()[-3:]
        return " ".join(words)


ENGLISH = Grammar()
GRAMMARS: dict[str, Grammar] = {"en": ENGLISH}


def grammar(lang: str = "en", extra: Mapping[str, str] | None = None) -> Grammar:
    """The grammar of a source's language (English when the engine has none for it), with a project's hedge words."""
    base = GRAMMARS.get(lang.split("-")[0], ENGLISH)
    return base.with_hedges(extra) if extra else base


def is_abbreviation(word: str) -> bool:
    """True for a word whose full stop does not end a sentence ('St.', 'U.S.', 'Sept.')."""
    stem = word.rstrip(".").lstrip("(\"'“‘").lower()
    return stem in ABBREVIATIONS_EN or (len(stem) == 1 and stem.isalpha())
