"""Fact-checking against the source text: each quote verbatim, each number, hedge, unit and period agreeing.

Numbers are read by the grammar of news English (inputs/grammar.py), which a project extends with its own hedges.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal

from torchsite.errors import Problem, Severity
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.facts import Fact, FactSheet
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.grammar import ENGLISH, Date, Grammar, Mention, is_abbreviation
from torchsite.inputs.hedges import DATE_UNITS, HEDGE_WORDS, decimal
from torchsite.inputs.units import BUILT_IN, UnitSpec, is_currency

_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
SOURCE = Formatter("en")  # the checker reads English sources, and names their figures as they write them
DURATIONS = ("years", "months")  # built-in units of a length of time: the quote says so ('four years')
HEDGE_WORDS_BEFORE = 3  # words of the source before a quote that may hold its hedge ("up to", "more than")
_INSIDE = re.compile(r"[\w$€£¥]")  # a character that, touching a quote, puts it inside a longer word or number
_STOP = re.compile(r"[.!?][\"')\]]*(?=\s)")
Message = tuple[str, str]
NO_BREAKS: list[int] = []


@dataclasses.dataclass(frozen=True)
class Context:
    """What the whole source tells the reading of one quote: its paragraph starts and the money it states."""

    breaks: list[int] = dataclasses.field(default_factory=list)
    money: frozenset[str] = frozenset()


def normalize(text: str) -> str:
    """Typographic quotes and apostrophes as straight ones, runs of white space as one space."""
    return _spaces(text).translate(_TYPOGRAPHIC)


def _spaces(text: str) -> str:
    """NFC-normalized, runs of white space (line breaks included) as one space: the text as compared."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def mentions(quote: str, grammar: Grammar = ENGLISH) -> list[Mention]:
    """Every number a passage states, with its hedge, scale and unit words."""
    return grammar.read(quote)


def check_source(
    sheet: FactSheet,
    source_text: str,
    grammar: Grammar = ENGLISH,
    units: Mapping[str, UnitSpec] | None = None,
) -> list[Problem]:
    """Every quote and claim passage occurs in the source; every quote states its fact's value, hedge, unit, period.

    A quote that occurs more than once is read at every place it occurs: each must agree.
    """
    spaced = _spaces(source_text)
    source = spaced.translate(_TYPOGRAPHIC)  # one character for one: positions in `spaced` still hold
    breaks = paragraph_starts(source_text)
    context = Context(breaks, money_of(source, grammar))
    problems = []
    for index, fact in enumerate(sheet.facts):
        found = verbatim(sheet, ("facts", index, "quote"), fact.quote, spaced, source)
        if fact.as_of_quote:
            found += verbatim(sheet, ("facts", index, "as_of_quote"), fact.as_of_quote, spaced, source)
        problems += found
        if any(p.is_error for p in found):
            continue
        quote = normalize(fact.quote)
        places = occurrences(quote, source)
        if not places:
            hint = f'the source has "{_around(source, source.find(quote), quote)}": quote the whole number'
            where = ("facts", index, "quote")
            problems.append(sheet.problem(where, "the quote occurs in the source only inside a longer word", hint))
            continue
        published = sheet.source(fact.source).published
        for message in located(fact, quote, source, places, grammar, units or {}, context, published):
            field = "as_of" if message[0].startswith("as_of") else "value"  # a period's problem is at the period
            problems.append(sheet.problem(("facts", index, field), message[0], message[1]))
    for index, claim in enumerate(sheet.claims):
        problems += verbatim(sheet, ("claims", index, "passage"), claim.passage, spaced, source)
    for index, term in enumerate(sheet.terms):
        problems += verbatim(sheet, ("terms", index, "quote"), term.quote, spaced, source)
    return problems


def verbatim(sheet: FactSheet, where: Key, passage: str, spaced: str, source: str) -> list[Problem]:
    """A passage occurs in the source word for word (a note when only its quote marks differ)."""
    quote, noun = normalize(passage), where[-1]
    at = source.find(quote)
    if at < 0:
        return [sheet.problem(where, f"the {noun} does not occur in the source", _nearest(quote, source))]
    written = spaced[at : at + len(quote)]
    if written == _spaces(passage):
        return []
    note = sheet.problem(
        where,
        f"the {noun} matches the source only when typographic and straight quotes count as the same",
        f'the source writes "{written}"',
    )
    return [dataclasses.replace(note, severity=Severity.NOTE)]


def located(
    fact: Fact,
    quote: str,
    source: str,
    places: list[int],
    grammar: Grammar,
    units: Mapping[str, UnitSpec],
    context: Context,
    published: str | None = None,
) -> list[Message]:
    """The quote judged at every place it occurs, its figure and its period apart: a message for each that any
    place disagrees with, naming that place if others agree."""
    figures = [judge(fact, quote, source, at, grammar, units, context, published) for at in places]
    periods = [None if fact.inferred else dated(fact, quote, source, at, grammar, context) for at in places]
    return [m for m in (disagreement(figures, len(places)), disagreement(periods, len(places))) if m]


def disagreement(said: list[Message | None], count: int) -> Message | None:
    """The message of the first place that disagrees, naming that place when another agrees or says otherwise."""
    wrong = [(n, m) for n, m in enumerate(said, start=1) if m is not None]
    if not wrong:
        return None
    nth, message = wrong[0]
    if len(wrong) == len(said) and all(m == message for _, m in wrong):
        return message
    return (
        f"{message[0]} (where the quote occurs for the {_ordinal(nth)} time of {count})",
        f"{message[1]}; or lengthen the quote so it occurs once",
    )


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th..."""
    return f"{n}{'tsnrhtdd'[(n // 10 % 10 != 1) * (n % 10 < 4) * n % 10 :: 4]}"


def occurrences(quote: str, source: str) -> list[int]:
    """Where the quote stands in the source as whole words (not inside a longer number: '57.88' in '157.88')."""
    places = []
    at = source.find(quote)
    while at >= 0:
        before = source[at - 1] if at else " "
        after = source[at + len(quote)] if at + len(quote) < len(source) else " "
        touching = bool(_INSIDE.match(before) and _INSIDE.match(quote[0])) or bool(
            _INSIDE.match(after) and _INSIDE.match(quote[-1])
        )
        if before in ".," and quote[0].isdigit() and at > 1 and source[at - 2].isdigit():
            touching = True  # "57.88" inside "1.57.88"-like runs: a decimal or thousands part of a longer number
        if after in ".," and quote[-1].isdigit() and source[at + len(quote) + 1 : at + len(quote) + 2].isdigit():
            touching = True
        if not touching:
            places.append(at)
        at = source.find(quote, at + 1)
    return places


def _around(source: str, at: int, quote: str) -> str:
    """The quote with the word around it, as the source writes it."""
    start = source.rfind(" ", 0, max(at, 0)) + 1
    end = source.find(" ", at + len(quote))
    return source[start : end if end >= 0 else len(source)]


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph of a text starts in its compared form (`_spaces`): a sentence never crosses one."""
    starts, at = [], 0
    for part in re.split(r"\n\s*\n", text):
        spaced = _spaces(part)
        if spaced:
            starts.append(at)
            at += len(spaced) + 1
    return starts


def sentence_of(source: str, at: int, length: int, breaks: list[int] = NO_BREAKS) -> str:
    """The sentence of the source that holds the passage at `at` (abbreviations such as 'Sept.' do not end one)."""
    start = max([b for b in breaks if b <= at], default=0)
    for m in _STOP.finditer(source, start, at):
        if not is_abbreviation(source[: m.start() + 1].split(" ")[-1]):
            start = m.end()
    end = min([b for b in breaks if b > at + length], default=len(source))
    for m in _STOP.finditer(source, at + length, end):
        if not is_abbreviation(source[: m.start() + 1].split(" ")[-1]):
            end = m.end()
            break
    return source[start:end].strip()


def judge(
    fact: Fact,
    quote: str,
    source: str,
    at: int,
    grammar: Grammar,
    units: Mapping[str, UnitSpec],
    context: Context | None = None,
    published: str | None = None,
) -> Message | None:
    """None if the quote, read where it stands in the source, states the fact's value, hedge and unit.

    `published` is the source's publication date: the year of a date the quote writes without one.
    """
    if fact.inferred:
        return None
    context = context or Context()
    lead = " ".join(source[:at].split()[-HEDGE_WORDS_BEFORE:])
    own = agreement(fact, quote, grammar, units, published, context.money)
    widened = agreement(fact, f"{lead} {quote}" if lead else quote, grammar, units, published, context.money)
    if own is None and widened is not None:  # the source hedges just before the quote, and the fact drops it
        said = widened[0].replace("the quote says", "with the words just before the quote, the source says", 1)
        return (said, f"{widened[1]}, and quote the hedge too")
    if own is not None and widened is None and not own[0].startswith("the quote states no"):
        return (f"{own[0]}: its hedge '{lead}' stands just before the quote", "quote the hedge too")
    return own


def dated(fact: Fact, quote: str, source: str, at: int, grammar: Grammar, context: Context) -> Message | None:
    """None if the quote where it stands, its sentence or its as_of_quote states the fact's as_of period."""
    return period(fact, quote, sentence_of(source, at, len(quote), context.breaks), grammar)


def period(fact: Fact, quote: str, sentence: str, grammar: Grammar) -> Message | None:
    """The years a fact's as_of names are stated by its quote (or, when it states none, the sentence that holds it),
    or its as_of_quote: in '4.2 per cent in 2011 and 6.5 per cent in 2010' the quote '6.5 per cent in 2010' is 2010."""
    if not fact.as_of:
        return None
    named = grammar.years(fact.as_of)
    where = quote if grammar.years(quote) else sentence  # a year the quote states is its own period
    stated = grammar.years(where)
    if fact.as_of_quote:  # checked word for word against the same source
        stated |= grammar.years(normalize(fact.as_of_quote))
    missing = sorted(named - stated)
    if not missing:
        return period_form(fact, [where, normalize(fact.as_of_quote or "")], grammar)
    years = ", ".join(str(y) for y in missing)
    says = f" (they state {', '.join(str(y) for y in sorted(stated))})" if stated else ""
    if fact.as_of_quote:
        return (
            f"as_of '{fact.as_of}' names {years}, which neither the quote, its sentence in the source nor the "
            f"as_of_quote states{says}",
            "set as_of to the period the source gives, or set as_of_quote to the passage that states it",
        )
    return (
        f"as_of '{fact.as_of}' names {years}, which neither the quote nor its sentence in the source states{says}",
        "set as_of to the period the source gives; where another sentence states it (a headline, an earlier "
        "sentence), set as_of_quote to that passage",
    )


def period_form(fact: Fact, passages: list[str], grammar: Grammar) -> Message | None:
    """Each dashed period as_of writes ('2009-10', '2018-10') is one the passages state, as a range or a month."""
    assert fact.as_of is not None
    stated = {(p.kind, p.start, p.end) for text in passages for p in grammar.periods(text) if p.kind != "malformed"}
    stated |= {("month", d.year, d.month) for text in passages for d in grammar.dates(text) if d.year}
    for named in grammar.periods(fact.as_of):
        if named.kind == "malformed":
            return (
                f"as_of '{fact.as_of}' writes '{named.text}', which is neither a range of years ('2009-10') nor a "
                "month ('2018-10')",
                "set as_of to the period the source gives",
            )
        if (named.kind, named.start, named.end) not in stated:
            what = "range of years" if named.kind == "range" else "month"
            return (
                f"as_of '{fact.as_of}' names the {what} '{named.text}', which neither the quote nor its sentence in "
                "the source states",
                "set as_of to the period the source gives, as it writes it",
            )
    return None


def quote_warnings(
    sheet: FactSheet, grammar: Grammar = ENGLISH, units: Mapping[str, UnitSpec] | None = None
) -> list[Problem]:
    """Without a source: warn where a fact's value or hedge disagrees with its own quote."""
    problems = []
    for index, fact in enumerate(sheet.facts):
        published = sheet.source(fact.source).published
        message = None if fact.inferred else agreement(fact, normalize(fact.quote), grammar, units, published)
        if message:
            problem = sheet.problem(("facts", index, "value"), message[0], message[1])
            problems.append(problem.as_severity(Severity.WARNING))
    return problems


def currency_of(unit: str, units: Mapping[str, UnitSpec]) -> str | None:
    """The ISO currency a unit counts in (USD for 'USD', a project unit's `currency:`), None for any other."""
    spec = units.get(unit) or BUILT_IN["en"].get(unit)
    if spec is not None:
        return spec.currency
    return unit if is_currency(unit) else None


def money_of(text: str, grammar: Grammar = ENGLISH) -> frozenset[str]:
    """Every currency a text's amounts may be in, cents aside: the money a bare cent there counts in."""
    said = [m.currencies() for m in grammar.read(text) if m.currency and m.sign != "cent"]
    return frozenset().union(*said)


def unit_problem(
    fact: Fact, m: Mention, units: Mapping[str, UnitSpec], money: frozenset[str] = frozenset()
) -> Message | None:
    """Where the mention's unit words (a currency, percent, percentage points) contradict the fact's unit.

    A bare cent ('60 cents') counts in the money the text around it states (`money`), when that is one it may be.
    """
    currency = currency_of(fact.unit, units)
    may = m.currencies()
    if m.sign == "cent" and money & may:
        may = money & may
    if m.currency and currency and currency not in may:
        return (f"the quote states '{m.text}' ({m.currency}) but the unit is {fact.unit}", f"set unit: {m.currency}")
    if currency and not m.currency:
        return (
            f"the quote states '{m.text}' with no currency, but the unit is {fact.unit}",
            "quote the currency mark or word that goes with the number ('$', 'dollars'), or set the unit the quote "
            "states",
        )
    if fact.unit in DURATIONS and not m.per and m.kind != "ordinal":  # 'four years', 'half a year', '30th year'
        return (
            f"the quote states '{m.text}' with no word of time, but the unit is {fact.unit}",
            "quote the words that make it a length of time ('four years'), or set the unit the quote states",
        )
    if fact.unit == "years" and m.per and not m.per.startswith("year"):
        return (f"the quote states '{m.text}', in {m.per}, but the unit is years", "set the unit the quote states")
    if m.currency and fact.unit in ("percent", "count", "people", "times"):
        return (f"the quote states '{m.text}', an amount of {m.currency}, but the unit is {fact.unit}",
                f"set unit: {m.currency}")  # fmt: skip
    if m.percent == "points" and fact.unit == "percent":
        return (
            f"the quote states '{m.text}', a change in percentage points, but the unit is percent",
            "give the fact a unit for percentage points (units: in site.yaml, e.g. percentage_points)",
        )
    if (m.percent and fact.unit in ("count", "people", "times")) or (m.percent and currency):
        return (f"the quote states '{m.text}', a percentage, but the unit is {fact.unit}", "set unit: percent")
    if fact.unit == "percent" and not m.percent and m.kind != "fraction" and not m.of:
        return (
            f"the quote states '{m.text}' with no percent, but the unit is percent",
            "set the unit the quote states, or quote the words that make it a percentage",
        )
    return None


def agreement(
    fact: Fact,
    quote: str,
    grammar: Grammar = ENGLISH,
    units: Mapping[str, UnitSpec] | None = None,
    published: str | None = None,
    money: frozenset[str] = frozenset(),
) -> Message | None:
    """None if the quote states the fact's value, hedge and unit; else a message and a hint.

    `money` is the currencies of the text around the quote: a bare cent counts in the quote's own, else in those.
    """
    if fact.unit in DATE_UNITS:
        assert isinstance(fact.value, str)
        return date_agreement(fact, quote, grammar, published)
    assert not isinstance(fact.value, str)
    value = decimal(fact.value)
    read = mentions(quote, grammar)
    said = [m for m in read if m.kind not in ("fiscal_year", "time", "tally", "malformed", "denominator")]
    broken = [m for m in read if m.kind == "malformed"]
    if broken and not any(value in m.values(fact.unit) for m in said):
        return (
            f"the quote writes '{broken[0].text}', which is no well-formed number (a digit group of fewer than three)",
            "if the source has a typo, keep its words in the quote and say how you read the figure in inferred:",
        )
    if not said:
        return ("the quote states no number", "quote the passage that states the figure, or say how it was inferred")
    same_value = [m for m in said if value in m.values(fact.unit)]
    hedged = [m for m in same_value if fact.qualifier in m.readings_for(value)]
    if hedged:
        around = money_of(quote, grammar) or money
        units_said = [unit_problem(fact, m, units or {}, around) for m in hedged]
        return None if None in units_said else units_said[0]
    if same_value:
        m = same_value[0]
        if m.is_range and m.qualifier == "exact" and value in (m.number, m.high):
            return range_end(fact, m, value)
        words = HEDGE_WORDS[m.qualifier] or "exact"
        if m.qualifier == "exact" and fact.qualifier != "exact":  # never hint at dropping a hedge the sheet gives
            before = quote[: m.start].split()[-3:]
            unread = f"; the words before it, '{' '.join(before)}', are no hedge the grammar knows" if before else ""
            return (
                f"the quote states '{m.text}' with no hedge it can read{unread}, but the qualifier is {fact.qualifier}",
                "quote the words that state the hedge; if the source words it in a way torchsite does not know, "
                f"add them to hedges: in content/site.yaml (e.g. '{' '.join(before) or 'give or take'}: "
                f"{fact.qualifier}')",
            )
        return (
            f"the quote says '{m.text}' ({words}) but the qualifier is {fact.qualifier}",
            f"set qualifier: {m.qualifier}",
        )
    stated = ", ".join(f"'{m.text}'" for m in said)
    return (
        f"the quote states {stated}, not {SOURCE.value(fact.value, fact.unit, fact.qualifier)}",
        _cents_hint(value, said)
        or _scale_hint(value, said)
        or "correct the value, or quote the passage that states it",
    )


def range_end(fact: Fact, m: Mention, value: Decimal) -> Message:
    """A fact giving one end of a range with another qualifier than the bound that end is."""
    end, bound = ("lower", "at_least") if value == m.number else ("upper", "at_most")
    return (
        f"the quote states the range '{m.text}', whose {end} end is {HEDGE_WORDS[bound]} {value:,f}, but the "
        f"qualifier is {fact.qualifier}",
        f"set qualifier: {bound} (a range is two facts: its lower end at_least, its upper end at_most)",
    )


def date_agreement(fact: Fact, quote: str, grammar: Grammar, published: str | None = None) -> Message | None:
    """None if the quote states the fact's date and hedge, as news text writes them ('Oct. 6, 2018', 'Aug. 19').

    A date the quote writes without a year is in the year the source was published (`published`, 'YYYY-...').
    """
    assert isinstance(fact.value, str)
    shown = SOURCE.date(fact.value, fact.unit)
    year, month, day = date_parts(fact.value)
    said = [d for d in grammar.dates(quote) if (d.month, d.day) == (month, day)]
    same = [d for d in said if d.year == year or (d.year is None and year == _year_of(published))]
    if not same and year is not None and said and all(d.year is None for d in said):
        return _year_unstated(said[0], shown, _year_of(published))
    if not same and year is None and said:  # the quote gives the year the value leaves out
        dated = said[0]
        return (
            f"the quote states '{dated.text}', with its year, but the value gives none",
            f"write the value with its year ('{dated.year:04d}{fact.value[1:]}'), or check the date",
        )
    if not same:
        return (f"the quote does not state {shown}", "check the date, or quote the passage that states it")
    date = same[0]
    hedge = grammar.hedge_before(quote, date.start)
    qualifier = grammar.hedges[hedge] if hedge else "exact"
    if qualifier == fact.qualifier:
        return None
    if hedge is None:  # never hint at dropping a hedge the sheet gives
        return (
            f"the quote states '{date.text}' with no hedge it can read, but the qualifier is {fact.qualifier}",
            "quote the words that state the hedge, or set the qualifier the quote states",
        )
    return (
        f"the quote says '{hedge} {date.text}' ({HEDGE_WORDS[qualifier] or 'exact'}) but the qualifier is "
        f"{fact.qualifier}",
        f"set qualifier: {qualifier}",
    )


def date_parts(value: str) -> tuple[int | None, int, int | None]:
    """Year (None for '--MM-DD'), month and day (None for 'YYYY-MM') of a date value."""
    if value.startswith("--"):
        return None, int(value[2:4]), int(value[5:7])
    parts = [int(p) for p in value.split("-")]
    return parts[0], parts[1], parts[2] if len(parts) > 2 else None


def _year_of(published: str | None) -> int | None:
    """The year of a source's publication date ('2025-08-19'), None when it gives none."""
    return int(published[:4]) if published and re.match(r"\d{4}", published) else None


def _year_unstated(date: Date, shown: str, given: int | None) -> Message:
    """A date the quote writes without a year, read in a year of publication other than the fact's."""
    if given is None:
        return (
            f"the quote states '{date.text}' without a year, and the source gives no publication date to take it from",
            "quote the passage that states the year, or write the value without one ('--MM-DD')",
        )
    return (
        f"the quote states '{date.text}' without a year, which in a source published in {given} is not {shown}",
        "check the year, or quote the passage that states it",
    )


def _cents_hint(value: Decimal, said: list[Mention]) -> str | None:
    """A hint when the value counts the cents the quote states ('3.5-cent' written as 3.5)."""
    for m in said:
        if m.sign == "cent" and m.number * 100 == value:
            return (
                f"'{m.text}' is {m.number.normalize():f} in its currency: set that value with a currency unit "
                f"(unit: {m.currency}), or give the fact a unit counted in cents (units: in content/site.yaml)"
            )
    return None


def _scale_hint(value: Decimal, said: list[Mention]) -> str | None:
    """A hint when the value is the quoted number off by a power of ten (a slip of scale)."""
    for mention in said:
        if mention.number and value:
            ratio = value / mention.number
            power = ratio.log10() if ratio > 0 else Decimal(0)
            if power == power.to_integral_value() and power != 0:
                times = f"{Decimal(10) ** abs(int(power)):,f}"
                share = f"{times} times" if power > 0 else f"1/{times} of"
                return f"the value is {share} '{mention.text}': check the scale (thousand, million, billion)"
    return None


def _nearest(quote: str, source: str) -> str:
    """A hint quoting the closest passage of the source."""
    words = source.split(" ")
    size = max(len(quote.split(" ")), 1)
    windows = [" ".join(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))]
    best = difflib.get_close_matches(quote, windows, n=1, cutoff=0.6)
    return f'the source has: "{best[0]}"' if best else "copy the passage exactly as the source writes it"
