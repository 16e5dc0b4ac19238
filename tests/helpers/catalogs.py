"""Keep the shipped catalogs in step with the sources: `PYTHONPATH=src python tests/helpers/catalogs.py` rewrites
torchsite/locale/messages.pot from the templates and the engine, the English catalog (the identity) from it, and
adds each new message, untranslated, to the other languages' catalogs (their translations kept)."""

from __future__ import annotations

import io
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from torchsite.inputs.messages import DOMAIN, LOCALE, extracted

HEADER = "The sentences torchsite's templates and engine write for readers."


def po_text(catalog: Catalog) -> str:
    """A catalog as stable .po text: sorted, no line numbers, no dates."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, sort_output=True, include_lineno=False, width=120, omit_header=False)
    lines = buffer.getvalue().decode("utf-8").splitlines()
    dated = ('"POT-Creation-Date:', '"PO-Revision-Date:', '"Generated-By:', '"Last-Translator:', '"Language-Team:')
    return "\n".join(line for line in lines if not line.startswith(dated)) + "\n"


def template() -> Catalog:
    """The package's messages as a template, with a fixed header."""
    catalog = extracted()
    catalog.header_comment = f"# {HEADER}\n# Regenerate with: PYTHONPATH=src python tests/helpers/catalogs.py"
    return catalog


def language(tag: str, pot: Catalog) -> Catalog:
    """A language's catalog updated to the template (English: every msgstr its msgid)."""
    path = LOCALE / tag / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=tag.replace("-", "_"))
    else:
        catalog = Catalog(locale=tag.replace("-", "_"), domain=DOMAIN, project="torchsite")
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    if tag == "en":
        for message in catalog:
            if message.id:
                message.string = message.id
    catalog.header_comment = f"# {HEADER} Language: {tag}."
    return catalog


def main() -> int:
    """Rewrite the template and every shipped catalog."""
    pot = template()
    (LOCALE / f"{DOMAIN}.pot").write_text(po_text(pot), encoding="utf-8")
    for tag in ("en", "zh-Hans"):
        pot = template()  # afresh: updating a catalog shares the template's messages
        path = LOCALE / tag / "LC_MESSAGES" / f"{DOMAIN}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(po_text(language(tag, pot)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
