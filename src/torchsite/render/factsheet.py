"""The fact sheet written for readers: a derived figure's formula in words, each figure named by its label."""

from __future__ import annotations

import ast

from markupsafe import Markup, escape

from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.formulas import parse
from torchsite.inputs.hedges import decimal
from torchsite.inputs.messages import N_

# Each operation as a reader says it, and how tightly it binds (to know where a reader needs brackets).
WORDS: dict[type, tuple[str, int]] = {
    ast.Add: (N_("%(left)s plus %(right)s"), 1),
    ast.Sub: (N_("%(left)s minus %(right)s"), 1),
    ast.Mult: (N_("%(left)s times %(right)s"), 2),
    ast.Div: (N_("%(left)s divided by %(right)s"), 2),
}


def formula_words(formula: str, figures: dict[str, Figure], fmt: Formatter) -> Markup:
    """A formula as words inside a sentence ('annual output at the time of the report divided by annual output at
    the start'), each figure its label linked to its entry on the fact sheet, brackets only where order needs them."""
    return _words(parse(formula), figures, fmt, 0)


def _words(node: ast.expr, figures: dict[str, Figure], fmt: Formatter, outer: int) -> Markup:
    """One node of a formula in words; bracketed when it binds more loosely than the operation around it."""
    if isinstance(node, ast.Name):
        return Markup('<a href="#{}">{}</a>').format(node.id, _lower_first(figures[node.id].label))
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # formulas.parse allows no other constant
        return escape(fmt.number(decimal(node.value)))
    if isinstance(node, ast.UnaryOp):
        return Markup(escape(fmt.messages.gettext("minus %(value)s"))) % {
            "value": _words(node.operand, figures, fmt, 3)
        }
    assert isinstance(node, ast.BinOp)
    word, rank = WORDS[type(node.op)]
    left = _words(node.left, figures, fmt, rank)
    right = _words(node.right, figures, fmt, rank + 1)  # a - (b - c): the right side needs brackets at equal rank
    text = Markup(escape(fmt.messages.gettext(word))) % {"left": left, "right": right}
    return Markup("({})").format(text) if rank < outer else text


def _lower_first(label: str) -> str:
    """A label inside a sentence: its first letter lower-cased unless it starts a name ('ABB', 'Xiamen')."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower() and not first.endswith("'s"):
        return label[:1].lower() + label[1:]
    return label
