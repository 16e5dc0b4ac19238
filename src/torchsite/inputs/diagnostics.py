"""Diagnostics: reading a file into located problems, did-you-mean hints, and schema errors in plain words."""

from __future__ import annotations

import difflib
import os
import re
import stat
import unicodedata
from collections.abc import Collection
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Protocol, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from torchsite.errors import ContentError, Problem, display_path

Key = tuple[str | int, ...]  # a path into a YAML document: keys and list indexes


class Locator(Protocol):
    """Anything that turns a path into a located problem (a YAML document does)."""

    def problem(self, path: Key, message: str, hint: str | None = None, *, key: bool = False) -> Problem:
        """A problem at that path."""
        ...


# What a field's pattern asks for, in words: the schema's `pattern=` -> (expected ..., hint). An id's is the default.
PATTERNS: dict[str, tuple[str, str]] = {}


def name_pattern(pattern: str, what: str, hint: str) -> str:
    """Register the words for a pattern, so a value that does not match is told what was expected; return it."""
    PATTERNS[pattern] = (what, hint)
    return pattern


MAX_BYTES = 2_000_000  # a content file larger than this is almost certainly a mistake


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    """A content file's text (UTF-8, a byte-order mark is fine), or a ContentError naming what is wrong."""
    name = display_path(path)
    return decode(read_bytes(path, name, limit), name)


class NotRegularError(OSError):
    """A path that is a folder, FIFO, device or socket: refused by its type, before it is opened."""

    def __init__(self, kind: str):
        super().__init__(f"is {kind}, not a regular file")
        self.kind = kind
        self.why = "is a folder, not a file" if kind == "a folder" else f"is {kind}, not a regular file"


def file_kind(mode: int) -> str | None:
    """What a file mode is when it is not a regular file ('a FIFO (named pipe)'), else None."""
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return None if stat.S_ISREG(mode) else next((kind for test, kind in kinds if test(mode)), "not a plain file")


def read_regular(path: Path, limit: int) -> bytes:
    """At most limit + 1 bytes of a regular file; anything else is refused by type before it is opened (a FIFO
    would block, /dev/zero never ends), and checked again once open (O_NONBLOCK: a swapped-in FIFO cannot block)."""
    if kind := file_kind(os.stat(path).st_mode):
        raise NotRegularError(kind)
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)), "rb") as handle:
        if kind := file_kind(os.fstat(handle.fileno()).st_mode):
            raise NotRegularError(kind)
        chunks = []
        size = 0
        while size <= limit and (chunk := handle.read(1 << 16)):  # never more than the cap and a bit
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)


def read_bytes(path: Path, name: str, limit: int = MAX_BYTES) -> bytes:
    """Read a regular file, never more than the size cap allows (a huge or endless file fails fast)."""
    try:
        raw = read_regular(path, limit)
    except FileNotFoundError:
        raise ContentError([Problem(name, None, None, None, "file not found", "check the --project folder")]) from None
    except NotRegularError as exc:
        hint = None if exc.kind == "a folder" else "torchsite reads content from regular files only"
        raise ContentError([Problem(name, None, None, None, exc.why, hint)]) from None
    except OSError as exc:
        raise ContentError([Problem(name, None, None, None, f"cannot be read: {exc.strerror}")]) from None
    if len(raw) > limit:
        line, col = line_col(raw, limit)
        raise ContentError(
            [
                Problem(
                    name,
                    line,
                    col,
                    None,
                    f"the file is larger than the limit of {limit:,} bytes, which it passes here",
                    "a content file this large is almost certainly a mistake; split or trim it",
                )
            ]
        )
    return raw


def line_col(raw: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of a byte offset."""
    start = raw.rfind(b"\n", 0, offset) + 1
    col = len(raw[start:offset].decode("utf-8", errors="replace").lstrip("\ufeff")) + 1
    return raw.count(b"\n", 0, offset) + 1, col


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (a byte-order mark is fine); name the line of a bad byte and every hidden character."""
    halves = [raw[:400:2].count(0) * 10 >= len(raw[:400:2]) * 9, raw[1:400:2].count(0) * 10 >= len(raw[1:400:2]) * 9]
    if len(raw) > 1 and sum(halves) == 1:  # one byte of every two is zero: ASCII text saved as UTF-16
        raise ContentError([Problem(name, 1, 1, None, "the file looks like UTF-16, not UTF-8", "save it as UTF-8")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = line_col(raw, exc.start)
        raise ContentError(
            [Problem(name, line, col, None, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", "save the file as UTF-8")]
        ) from None
    if problems := hidden_characters(text, name):
        raise ContentError(problems)  # the file is not read further: what follows could mean anything
    return text


MAX_LISTED = 5  # hidden characters listed per file; the rest are counted
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def hidden_characters(text: str, name: str) -> list[Problem]:
    """Every control, bidi or other invisible character in a content file, located and named by code point."""
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.replace("\t", "").removesuffix("\r").isprintable() or not line:
            continue
        for col, char in enumerate(line, start=1):
            if char not in "\t\r" and is_hidden(char):
                if len(problems) == MAX_LISTED:
                    more = sum(not c.isprintable() and c not in "\t\r\n" for c in text) - MAX_LISTED
                    problems.append(Problem(name, None, None, None, f"{more} more hidden characters not listed"))
                    return problems
                problems.append(Problem(name, number, col, None, *hidden_message(char)))
    return problems


def is_hidden(char: str) -> bool:
    """A control, bidi or other invisible character (a space of any width is not one; tab and newline are
    judged by the caller)."""
    return not char.isprintable() and unicodedata.category(char) != "Zs"


def hidden_in_value(text: str) -> tuple[str, str] | None:
    """The message and hint for the first hidden character in a decoded value (a YAML escape such as "\\0" or
    "\\e" writes one a file check cannot see); tab and newline are fine."""
    char = next((c for c in text if c not in "\t\n" and is_hidden(c)), None)
    if char is None:
        return None
    message, _ = hidden_message(char)
    return message, "remove the escape that writes it"


def hidden_message(char: str) -> tuple[str, str]:
    """The message and hint for one hidden character."""
    named = code_point(char)
    if char in _BIDI:
        return f"bidi control {named} is not allowed", "delete it: it makes text show in another order than it is read"
    if unicodedata.category(char) == "Cc":
        return f"control character {named} is not allowed", "delete it: was the file saved by another program?"
    return f"invisible character {named} is not allowed", "delete it: it hides differences readers cannot see"


def code_point(char: str) -> str:
    """A character as U+XXXX with its Unicode name where it has one."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".strip()


def suggest(got: str, candidate: str) -> str:
    """'did you mean ...?', naming the characters that differ when the two could look identical."""
    hint = f"did you mean '{candidate}'?"
    return hint if got.isascii() and candidate.isascii() else f"{hint} ({lookalikes(got, candidate)})"


def non_ascii(text: str) -> str:
    """The characters outside ASCII in a text, by code point ('' when none)."""
    return ", ".join(map(code_point, dict.fromkeys(c for c in text if not c.isascii())))


def lookalikes(got: str, want: str) -> str:
    """Where two texts differ, by code point: what is written against what is expected."""
    matcher = difflib.SequenceMatcher(None, got, want, autojunk=False)
    pairs = [(got[a:b], want[c:d]) for op, a, b, c, d in matcher.get_opcodes() if op != "equal"]
    return "; ".join(f"{_points(mine)} where {_points(theirs)} is expected" for mine, theirs in pairs[:3])


def _points(text: str) -> str:
    """Characters by code point, or 'nothing'."""
    return ", ".join(map(code_point, text)) or "nothing"


def show(value: Any) -> str:
    """A value as it appears in a message: text in quotes, booleans and numbers as YAML writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"'{excerpt(value)}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


MAX_EXCERPT = 60  # characters of a value a message quotes


def excerpt(text: str) -> str:
    """At most a short excerpt of a text, on one line: a message never echoes a whole file."""
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_EXCERPT else flat[: MAX_EXCERPT - 1] + "…"


def choices(got: str, allowed: set[str] | list[str]) -> str:
    """A hint naming the closest allowed value, or all of them when few."""
    close = difflib.get_close_matches(got, sorted(allowed), n=1)
    if close:
        return suggest(got, close[0])
    return "expected one of: " + ", ".join(sorted(allowed)) if len(allowed) <= 12 else "see the README"


def schema_problem(doc: Locator, err: ErrorDetails, model: type[BaseModel]) -> Problem:
    """Turn one pydantic error into a located, plain-spoken problem."""
    path = tuple(err["loc"])
    kind, got = err["type"], err.get("input")
    hint = None
    on_key = False
    if kind == "missing":
        message, hint = f"required field '{path[-1]}' is missing", f"add '{path[-1]}:' here"
        path = path[:-1]
    elif kind == "extra_forbidden":
        model_fields = fields_at(model, path[:-1])
        message, hint, on_key = f"unknown field '{path[-1]}'", choices(str(path[-1]), model_fields), True
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", err["ctx"]["expected"]) if "ctx" in err else []
        close = difflib.get_close_matches(str(got), allowed, n=1)
        message = f"expected one of {', '.join(allowed)}; got {show(got)}"
        hint = suggest(str(got), close[0]) if close else None
    elif kind == "string_type":
        message, hint = f"expected text, got {show(got)}", "put the text in quotes"
    elif kind in ("int_type", "float_type"):
        message, hint = f"expected a number, got {show(got)}", "write plain digits without quotes"
    elif kind == "string_pattern_mismatch":
        pattern = str(err.get("ctx", {}).get("pattern", ""))
        what, hint = PATTERNS.get(pattern, ("an id in snake_case", "use a-z, 0-9 and _, starting with a letter"))
        message = f"expected {what}, got {show(got)}"
        if outside := non_ascii(str(got)):
            hint += f"; it has {outside}"
    elif kind in ("list_type", "dict_type", "model_type"):
        want = "a list" if kind == "list_type" else "a mapping of fields"
        message = f"expected {want}, got {show(got)}"
    elif kind in ("too_short", "string_too_short"):
        message = "must not be empty"
    elif kind == "too_long":
        limit = err.get("ctx", {}).get("max_length")
        count = len(got) if isinstance(got, list) else err.get("ctx", {}).get("actual_length")
        message, hint = f"{count} items, over the limit of {limit}", "split it, or show the figures as a table"
    elif kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        message, hint = f"text of {len(str(got))} characters, over the limit of {limit}", "shorten it"
    elif kind == "date_for_number":
        message, hint = err["msg"], "a quantity is plain digits; a date belongs to a fact whose unit is month or day"
    elif kind == "number_type":
        message, hint = err["msg"], "write plain digits without quotes or separators, e.g. 146000000"
    else:
        message = err["msg"]
    return doc.problem(path, message, hint, key=on_key)


def fields_at(model: type[BaseModel], path: Key) -> list[str]:
    """The field names the model allows at a path, for 'did you mean' hints."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return []
        current = field.annotation
        while get_origin(current) in (list, Union, UnionType) or get_origin(current) is Annotated:
            current = next(
                (a for a in get_args(current) if isinstance(a, type) and issubclass(a, BaseModel)), get_args(current)[0]
            )
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def closest(ident: str, known: Collection[str], otherwise: str = "use an id from content/facts.yaml") -> str:
    """A did-you-mean hint for an unknown id, or `otherwise` (where ids come from)."""
    close = difflib.get_close_matches(ident, list(known), n=1)
    return suggest(ident, close[0]) if close else otherwise
