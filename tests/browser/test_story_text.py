"""The story's text in a real browser: no citation marker on the headline, markers never on a line of their own,
and the numbered notes the markers refer to, on screen and in print (where there is no card)."""

from __future__ import annotations

import pytest

from helpers.browser import Views, page_cards

# The story's checks share its one settled load (and its group of tests).
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("url", [""], ids=["/"])]

# Each citation marker against the last character before it: on the same line (their boxes' bottoms within half a
# line), or the marker stands at the start of a line of its own. Lists the markers that do, with their words.
LONE_MARKERS = """() => Array.from(document.querySelectorAll('sup.cites'), (sup) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let last = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (sup.contains(node) || node.compareDocumentPosition(sup) & Node.DOCUMENT_POSITION_PRECEDING) break;
    if (node.data.replace(/[\\s\\u2060]/g, '') && !node.parentElement.closest('.visually-hidden')) last = node;
  }
  const end = last.data.replace(/[\\s\\u2060]+$/, '').length;
  const range = document.createRange();
  range.setStart(last, end - 1);
  range.setEnd(last, end);
  const word = range.getClientRects()[0];
  const mark = sup.getClientRects()[0];
  const line = parseFloat(getComputedStyle(sup.parentElement).lineHeight) || 20;
  return Math.abs(word.bottom - mark.bottom) > line / 2 ? last.data.slice(-30) + ' | ' + sup.textContent : null;
}).filter(Boolean)"""


def test_the_headline_carries_no_citation_marker(views: Views, url: str) -> None:
    visit = views.of(url)
    assert visit.page.locator("h1").count() == 1
    assert visit.page.locator("h1 sup, h1 [data-claim]").count() == 0, visit.page.inner_html("h1")


@pytest.mark.parametrize("width", [320, 375, 640])
def test_a_citation_marker_never_stands_on_a_line_of_its_own(views: Views, url: str, width: int) -> None:
    """At 320 px (a phone, or 640 px at 200% zoom) a marker wraps with the sentence's last word, never alone."""
    visit = views.of(url, viewport={"width": width, "height": 800})
    assert visit.page.locator("sup.cites").count() >= 20
    lone = visit.page.evaluate(LONE_MARKERS)
    assert not lone, f"at {width} px these markers start a line of their own: {lone}"


# Every marker's number and its note: the note's position in the list and whether it is shown, with its passage.
NOTES = """() => {
  const items = Array.from(document.querySelectorAll('.notes ol > li'));
  const shown = (el) => el.checkVisibility() && el.getBoundingClientRect().height > 0;
  return {
    shown: Boolean(document.querySelector('.notes')) && shown(document.querySelector('.notes')),
    markers: Array.from(document.querySelectorAll('a.cite'), (a) => {
      const note = document.getElementById(a.getAttribute('href').slice(1));
      return {number: a.textContent.replace(/\\D/g, ''), claim: a.dataset.claim,
        position: note ? String(items.indexOf(note) + 1) : null};
    }),
    notes: items.map((li) => ({id: li.id, passage: li.querySelector('q')?.textContent || '', shown: shown(li)})),
  };
}"""


@pytest.mark.parametrize("media", ["screen", "print"])
def test_every_marker_refers_to_a_note_that_quotes_its_passage(views: Views, url: str, media: str) -> None:
    """The notes at the end of the story are shown (in print too, where the card is not), one per claim the page
    cites, each with its verbatim passage; a marker's number is its note's number in the list."""
    page = views.of(url).page
    page.emulate_media(media=media)  # type: ignore[arg-type]  (undone by the page's next check)
    card = page_cards(page)["claims"]
    found = page.evaluate(NOTES)
    assert found["shown"], f"the notes should be shown ({media})"
    wrong = [m for m in found["markers"] if m["position"] != m["number"]]
    assert not wrong, f"markers whose number is not their note's ({media}): {wrong}"
    assert sorted(note["id"] for note in found["notes"]) == sorted(f"note-{claim}" for claim in card)
    for note in found["notes"]:
        assert note["shown"], note
        assert note["passage"] == card[note["id"].removeprefix("note-")]["passage"], note
