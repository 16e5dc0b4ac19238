"""Strict YAML: plain data only, every key and value with its position, every problem named."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader
from yaml.resolver import Resolver

try:
    from yaml._yaml import CParser  # libyaml, when PyYAML has it

    LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    LIBYAML = False

from torchsite.errors import ContentError, Problem, display_path
from torchsite.inputs.diagnostics import Key, decode, excerpt, hidden_in_value, read_bytes

MAX_DEPTH = 40
# Text libyaml may read otherwise than PyYAML (its other line breaks, what PyYAML's reader refuses): PyYAML reads it.
_SLOW = re.compile(f"[\x85\u2028\u2029]|{Reader.NON_PRINTABLE.pattern}")
MAX_DIGITS = 15  # beyond this a float loses digits and no figure in a news report needs more


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+")
_NUMBERISH = re.compile(
    r"[-+]?(0[0-9_]+|0[oxb][0-9a-fA-F_]+|[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?|"
    r"[0-9]*\.?[0-9]+[eE][-+]?[0-9]+|\.[0-9]+|[0-9]+\.|[0-9]+\.[0-9]+[eE][-+]?[0-9]+)"
)
_TOKENS = {
    "<block end>": "the end of the block",
    "'<scalar>'": "a value",
    "'<block mapping start>'": "a new mapping",
    "'<block sequence start>'": "a new list",
    "'?'": "a key",
    "'-'": "a list item",
}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")  # an id that can name a list item in a field path
_YAML11_BOOL = {"yes", "no", "on", "off", "y", "n"}
_NAN_INF = {".nan", ".inf", "-.inf", "+.inf", "nan", "inf", "-inf", "+inf", "infinity", "-infinity"}


@dataclass
class Document:
    """Plain data loaded from a YAML file, with the position of every key and value."""

    file: Path
    data: Any
    values: dict[Key, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Key, tuple[int, int]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file's name as users see it in messages."""
        return display_path(self.file)

    def position(self, path: Key, *, key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of a value (or its key), or of its nearest parent."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)

    def field_name(self, path: Key) -> str:
        """Name a path for users: list items by their `id` where they have one."""
        out = ""
        node = self.data
        for part in path:
            if isinstance(part, str) and part.startswith("#"):
                continue  # a marker for a second position of the same key, not a field
            if isinstance(part, int):
                item = node[part] if isinstance(node, list) and part < len(node) else None
                ident = item.get("id") if isinstance(item, dict) else None
                out += f".{ident}" if isinstance(ident, str) and _NAME.fullmatch(ident) else f"[{part}]"
                node = item
            else:
                out += f".{part}" if out else str(part)
                node = node.get(part) if isinstance(node, dict) else None
        return out.lstrip(".")

    def problem(self, path: Key, message: str, hint: str | None = None, *, key: bool = False) -> Problem:
        """A problem located at a path of this document."""
        line, col = self.position(path, key=key)
        return Problem(self.name, line, col, self.field_name(path) or None, message, hint)


class _RejectedError(Exception):
    """A construct strict YAML does not allow, found while composing."""

    def __init__(self, mark: Any, message: str, hint: str):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


class _Strict(Composer):
    """A composer that refuses aliases, anchors, tags and deep nesting (mixed into a loader)."""

    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Compose one node after checking it uses none of the refused features."""
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            raise _RejectedError(
                event.start_mark,
                f"alias '*{event.anchor}' is not allowed",
                "write the value out in full; aliases and merges hide what a fact says",
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _RejectedError(event.start_mark, f"anchor '&{anchor}' is not allowed", "write each value out in full")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
            raise _RejectedError(
                event.start_mark, f"tag '{shown}' is not allowed", "remove the tag; quote the value if it is text"
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _RejectedError(
                    event.start_mark,
                    f"nesting deeper than {MAX_DEPTH} levels",
                    "content files are shallow: a list of entries, each a few fields",
                )
            node: Node | None = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if isinstance(node, ScalarNode) and node.style == "":  # libyaml's plain style, PyYAML's None
            node.style = None
        return node


class _StrictLoader(_Strict, yaml.SafeLoader):
    """PyYAML's own loader, in Python: what every problem is reported by, word for word."""


if LIBYAML:

    class _FastLoader(_Strict, CParser, Composer, SafeConstructor, Resolver):
        """libyaml's scanner and parser under the same strict composer: the same nodes, marks and values, about
        fifteen times faster. Used for text that holds no line break but \\n and \\r and nothing PyYAML's reader
        refuses; on any problem the file is read again by _StrictLoader, which reports it."""

        get_single_node = Composer.get_single_node  # the composer in Python, so every node passes _Strict

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


def load_yaml(path: Path) -> Document:
    """Read a YAML file strictly; raise ContentError naming every problem found."""
    name = display_path(path)
    raw = read_bytes(path, name)
    text = decode(raw, name)
    if not text.strip():
        raise ContentError([Problem(name, 1, 1, None, "the file is empty", "see the README for the expected layout")])
    node = _compose(text, name)
    doc = Document(path, None)
    problems: list[tuple[Key, str, str | None, bool]] = []
    doc.data = _convert(node, (), doc, problems)
    if problems:
        raise ContentError(doc.problem(p, m, h, key=k) for p, m, h, k in problems)
    return doc


def _compose(text: str, name: str) -> Node:
    """Parse YAML into a node tree, turning parser errors into one located problem."""
    if LIBYAML and not _SLOW.search(text):
        try:
            fast = _FastLoader(text).get_single_node()
        except Exception:  # any problem: PyYAML reads it again and names it in its words
            fast = None
        if fast is not None:
            return fast
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except _RejectedError as exc:
        raise ContentError(
            [Problem(name, exc.mark.line + 1, exc.mark.column + 1, None, exc.message, exc.hint)]
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise ContentError([_yaml_problem(name, exc)]) from None
    except yaml.YAMLError as exc:  # the reader's own errors carry no mark
        raise ContentError([Problem(name, None, None, None, f"not readable as YAML: {excerpt(str(exc))}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentError(
            [
                Problem(
                    name, 1, 1, None, "the file holds no data, only comments", "see the README for the expected layout"
                )
            ]
        )
    return node


def _yaml_problem(name: str, exc: yaml.MarkedYAMLError) -> Problem:
    """Describe a PyYAML syntax error in one line."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    message = (exc.problem or exc.context or "invalid YAML").strip()
    hint = "fix the YAML syntax at this position"
    opened = exc.context_mark
    if exc.problem and exc.context and opened and (opened.line + 1, opened.column + 1) != (line, col):
        what = re.sub(r"^while (parsing|scanning) (an? )?", "", exc.context.strip())
        message += f"; the {what} starts at line {opened.line + 1}, column {opened.column + 1}"
        hint = "check the indentation, and that every quote and bracket is closed"
    for token, words in _TOKENS.items():
        message = message.replace(token, words)
    if "mapping values are not allowed" in message:
        message, hint = "a ':' where no key can start", "quote a value that contains ': ', or fix the indentation"
    elif "'\\t'" in message:
        message, hint = "a tab character here", "indent with spaces, not tabs"
    elif "expected a single document" in (exc.context or "") or "another document" in message:
        message, hint = "the file holds more than one YAML document", "remove the '---' separator"
    return Problem(name, line, col, None, message, hint)


def _convert(node: Node, path: Key, doc: Document, problems: list[tuple[Key, str, str | None, bool]]) -> Any:
    """Turn a node into plain Python data, recording positions and problems."""
    doc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                problems.append((path, "a key must be plain text", "use a simple name as the key", False))
                continue
            key = key_node.value
            here = (*path, key)
            if hidden := hidden_in_value(key):
                doc.keys[here] = (key_line, key_node.start_mark.column + 1)
                problems.append((here, *hidden, True))
                continue
            if key == "<<" and key_node.style is None:
                doc.keys[here] = (key_line, key_node.start_mark.column + 1)
                problems.append((here, "merge keys ('<<') are not allowed", "write each field out in full", True))
                continue
            if key in first_line:
                doc.keys[(*here, "#dup")] = (key_line, key_node.start_mark.column + 1)
                problems.append(
                    (
                        (*here, "#dup"),
                        f"duplicate key '{key}' (first defined on line {first_line[key]})",
                        "remove one of the two",
                        True,
                    )
                )
                continue
            first_line[key] = key_line
            doc.keys[here] = (key_line, key_node.start_mark.column + 1)
            out[key] = _convert(value_node, here, doc, problems)
        return out
    if isinstance(node, SequenceNode):
        return [_convert(item, (*path, i), doc, problems) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    value, problem = _scalar(node)
    problem = problem or hidden_in_value(node.value)  # after decoding: "\0" and "\e" are escapes in the file
    if problem:
        problems.append((path, problem[0], problem[1], False))
    return value


def _scalar(node: ScalarNode) -> tuple[Any, tuple[str, str] | None]:
    """Resolve a scalar by a short, strict rule set: quoted text stays text."""
    text = node.value
    if node.style is not None:
        return text, None
    low = text.lower()
    if text in ("true", "false"):
        return text == "true", None
    if text in ("null", "~", ""):
        return None, None
    if low in ("true", "false", "null"):
        return text, (f"'{text}' must be written in lower case", f"write {low}")
    if low in _YAML11_BOOL:
        return text, (
            f"'{text}' is ambiguous (a boolean in YAML 1.1, text in YAML 1.2)",
            f'write true or false, or quote it: "{text}"',
        )
    if low in _NAN_INF:
        return text, (f"'{text}' is not a finite number", "write a finite number")
    if (_INT.fullmatch(text) or _FLOAT.fullmatch(text)) and (digits := sum(c.isdigit() for c in text)) > MAX_DIGITS:
        return text, (
            f"a number of {digits} digits; figures have at most {MAX_DIGITS}",
            "check the value, or quote it if it is text",
        )
    if _INT.fullmatch(text):
        return int(text), None
    if _FLOAT.fullmatch(text):
        return float(text), None
    if _NUMBERISH.fullmatch(text):
        return text, (
            f"'{text}' is not a plain decimal number",
            "write numbers as plain digits, e.g. 146000000 or 9.02, or quote the value if it is text",
        )
    return text, None
