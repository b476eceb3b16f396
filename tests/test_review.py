"""The review page: highlights at the spans, tables that jump to them, the reviewer's changes,
and every piece of document text escaped. The browser tests drive Debian's chromium through
playwright; they skip without it locally and fail without it in CI (VNPLANPARSE_CI=1)."""

import copy
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

from vnplanparse import parse
from vnplanparse.cli import main
from vnplanparse.corrections import diff
from vnplanparse.load import read_path
from vnplanparse.normalize import normalize
from vnplanparse.review import Mark, _marked_text, build_review

SAMPLE = ROOT / "corpus" / "000_9e2d25597e957ed8.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"  # ignored by git
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE_PLAN = """KẾ HOẠCH
Về việc thử <script>alert(1)</script> nghiệm

I. MỤC TIÊU
Đến năm 2025, tỷ lệ <b>hộ nghèo</b> giảm còn 2%.
Ghi chú: <img src=x onerror=alert(2)> không phải thẻ.
"""
PARTS = ("targets", "assignments", "references")


class _MarkText(HTMLParser):
    """Collects, per (part, item), the text inside its marks, and the text of the whole page body."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str] | None] = []
        self.items: dict[tuple[str, str], str] = {}
        self.text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            attrs = dict(attrs)
            self.open.append((attrs["data-part"], attrs["data-item"]))

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open.pop()

    def handle_data(self, data):
        self.text += data
        for key in self.open:
            self.items[key] = self.items.get(key, "") + data


def marked(text: str, marks: list[Mark]) -> _MarkText:
    reader = _MarkText()
    reader.feed(_marked_text(text, marks))
    return reader


def test_marks_nest_and_a_crossing_mark_is_continued():
    text = "0123456789abcdef"
    marks = [Mark(0, 10, "assignments", "a-1", "", ""), Mark(5, 15, "targets", "t-1", "", ""),
             Mark(2, 4, "references", "r-1", "", ""), Mark(5, 15, "targets", "t-2", "changed", "")]
    reader = marked(text, marks)
    assert reader.text == text
    for mark in marks:
        assert reader.items[(mark.part, mark.item)] == text[mark.start : mark.end]
    html = _marked_text(text, marks)
    assert html.count('id="hl-targets-t-1"') == 1 and html.count('data-item="t-1"') == 2


def test_every_item_of_a_real_plan_is_highlighted_at_its_span():
    text = normalize(read_path(SAMPLE)).text
    document = parse(SAMPLE).model_dump(mode="json")
    page, problems = build_review(SAMPLE)
    assert problems == []
    reader = _MarkText()
    reader.feed(page.split('<div id="text">', 1)[1].split("</div>", 1)[0])
    assert reader.text == text
    for part in PARTS:
        for item in document[part]:
            assert reader.items[(part, item["id"])] == text[item["span"][0] : item["span"][1]]
    assert page.count('<tr class="" data-item="t-') == len(document["targets"])


def test_document_text_is_escaped_everywhere(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    page, _ = build_review(plan)
    assert page.count("<script>") == 1  # the page's own
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;hộ nghèo&lt;/b&gt;" in page
    assert "<b>" not in page and "<img" not in page


def test_review_command_refuses_a_parse_of_another_text(tmp_path, capsys):
    other = tmp_path / "other.json"
    assert main(["parse", str(ROOT / "corpus" / "001_e45f99a7d0e7a9d7.txt"), "-o", str(other)]) == 0
    assert main(["review", str(SAMPLE), "--json", str(other), "-o", str(tmp_path / "r.html")]) == 1
    err = capsys.readouterr().err
    assert "not a parse of" in err and err.count("\n") == 1
    assert not (tmp_path / "r.html").exists()


# --- in a real browser ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed: pip install -e '.[test]'"
    if not CHROMIUM.exists():
        reason = f"Debian's chromium is not installed at {CHROMIUM} (.ci/run installs it: apt-get install chromium)"
    if reason:
        if os.environ.get("VNPLANPARSE_CI") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


class Opened:
    def __init__(self, browser, path: Path):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def in_viewport(self, element_id: str) -> bool:
        return self.page.evaluate("""id => { const r = document.getElementById(id).getBoundingClientRect();
                                      return r.top >= 0 && r.bottom <= window.innerHeight; }""", element_id)


@pytest.fixture
def reviewed(tmp_path, browser):
    """The sample plan's review page with a patch: one target's value fixed, one deleted."""
    document = parse(SAMPLE).model_dump(mode="json")
    fixed = copy.deepcopy(document)
    fixed["targets"][1]["value"] = 51
    del fixed["targets"][2]
    patch = tmp_path / "fix.patch.json"
    patch.write_text(json.dumps(diff(document, fixed)), encoding="utf-8")
    out = tmp_path / "review.html"
    assert main(["review", str(SAMPLE), "--patch", str(patch), "-o", str(out)]) == 0
    opened = Opened(browser, out)
    yield opened, document, fixed
    opened.page.close()


def test_page_loads_cleanly_with_highlights_at_the_spans(reviewed):
    opened, document, fixed = reviewed
    text = normalize(read_path(SAMPLE)).text
    page = opened.page
    assert page.evaluate("document.getElementById('text').textContent") == text
    pieces = page.evaluate("""() => { const out = {};
        document.querySelectorAll('#text mark').forEach(m => {
            const key = m.dataset.part + ' ' + m.dataset.item; out[key] = (out[key] || '') + m.textContent; });
        return out; }""")
    for part in PARTS:
        for item in document[part]:
            assert pieces[f"{part} {item['id']}"] == text[item["span"][0] : item["span"][1]]
    for target in fixed["targets"]:
        assert pieces[f"targets {target['id']}"] == target["text"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=False)
    assert opened.errors == []


def test_clicking_a_row_scrolls_its_span_into_view(reviewed):
    opened, document, _ = reviewed
    page = opened.page
    for part in ("targets", "references", "assignments"):
        item = document[part][-1]
        mark = f"hl-{part}-{item['id']}"
        page.evaluate("window.scrollTo(0, 0)")
        if part == "targets":
            assert not opened.in_viewport(mark)  # far down the plan: the click has to bring it
        page.click(f'tr[data-mark="{mark}"]')
        assert opened.in_viewport(mark), part
        assert "focus" in page.get_attribute(f"#{mark}", "class")
    assert opened.errors == []


def test_page_shows_what_the_reviewer_changed(reviewed):
    opened, document, _ = reviewed
    page = opened.page
    changed = page.locator(f'tr[data-item="{document["targets"][1]["id"]}"]')
    assert changed.get_attribute("class").startswith("changed")
    assert changed.locator("del").inner_text() == str(document["targets"][1]["value"])
    assert changed.locator("ins").inner_text() == "51"
    assert page.locator("tr.removed").count() == 1
    assert page.locator(f'tr.removed[data-item="{document["targets"][2]["id"]}"]').count() == 1
    assert page.locator(".changes li").count() == 2


def test_markup_in_a_plan_renders_as_text_and_never_runs(tmp_path, browser):
    plan = tmp_path / "plan.txt"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    out = tmp_path / "review.html"
    assert main(["review", str(plan), "-o", str(out)]) == 0
    opened = Opened(browser, out)
    page = opened.page
    text = page.evaluate("document.getElementById('text').textContent")
    assert "<script>alert(1)</script>" in text and "<b>hộ nghèo</b>" in text and "<img src=x onerror=alert(2)>" in text
    assert page.locator("#text script, #text b, #text img, aside b").count() == 0
    assert "<b>hộ nghèo</b>" in page.locator("table.targets tbody tr").first.inner_text()
    assert "<script>" in page.title()
    page.wait_for_timeout(200)  # would an injected handler fire, it would have by now
    assert opened.dialogs == [] and opened.errors == []
    opened.page.close()
