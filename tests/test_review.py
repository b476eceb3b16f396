"""The review page: highlights at the spans, the list that jumps to them, the reviewer's work
(accept, reject, edit, add, move) kept per document and exported as the patch `diff` writes, and
every piece of document text escaped. The browser tests drive Debian's chromium through
playwright; they skip without it locally and fail without it in CI (VNPLANPARSE_CI=1)."""

import copy
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

from vnplanparse import parse
from vnplanparse.cli import main
from vnplanparse.review.corrections import diff
from vnplanparse.reading.load import read_path
from vnplanparse.normalising.normalize import normalize
from vnplanparse.review.page import Mark, _marked_text, build_review

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
Xem javascript:alert(3) và <a href="javascript:alert(4)">liên kết</a> tại đây.
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
    data = json.loads(page.split('<script type="application/json" id="vp-data">', 1)[1].split("</script>", 1)[0])
    assert data["base"]["targets"] == document["targets"] and data["start"] is None
    assert data["choices"]["comparator"] == ["eq", "gt", "gte", "lt", "lte", "approx", "range"]


def test_document_text_is_escaped_everywhere(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    page, _ = build_review(plan)
    assert page.count("<script>") == 1  # the page's own; the data block is JSON no parser can end early
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;hộ nghèo&lt;/b&gt;" in page
    assert "<b>" not in page and "<img" not in page and "<a " not in page
    assert page.count("</script>") == 2


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


SELECT_SPAN = """([start, end]) => {  // select code points [start, end) of the plan text, as a reader would
    const text = document.getElementById('text'), walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    const range = document.createRange(); let at = 0, node;
    const units = (s, n) => { let i = 0; while (n-- > 0 && i < s.length) i += s.codePointAt(i) > 0xffff ? 2 : 1; return i; };
    while ((node = walker.nextNode())) {
        const length = Array.from(node.data).length;
        if (at <= start && start < at + length) range.setStart(node, units(node.data, start - at));
        if (at < end && end <= at + length) { range.setEnd(node, units(node.data, end - at)); break; }
        at += length;
    }
    const selection = document.getSelection(); selection.removeAllRanges(); selection.addRange(range);
    document.dispatchEvent(new Event('selectionchange'));
}"""


class Opened:
    def __init__(self, browser, path: Path | str, width: int = 1280, context=None):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = context or browser.new_context(viewport={"width": width, "height": 800}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path if isinstance(path, str) else path.as_uri())
        self.page.wait_for_load_state("load")

    def in_viewport(self, element_id: str) -> bool:
        return self.page.evaluate("""id => { const r = document.getElementById(id).getBoundingClientRect();
                                      return r.top >= 0 && r.bottom <= window.innerHeight; }""", element_id)

    def row(self, part: str, item_id: str):
        return self.page.locator(f'#list li[data-key="{part} {item_id}"]')

    def status(self, part: str, item_id: str) -> str:
        return self.row(part, item_id).locator(".status").inner_text()

    def edit(self, part: str, item_id: str, **fields) -> None:
        self.row(part, item_id).click()
        self.page.keyboard.press("e")
        form = self.row(part, item_id).locator("form.editor")
        for name, value in fields.items():
            form.locator(f'[name="{name}"]').fill(str(value))
        form.locator("button.save").click()

    def export(self) -> list:
        with self.page.expect_download() as download:
            self.page.click("#export")
        return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))

    def close(self) -> None:
        self.context.close()


def same_ops(patch: list) -> list:
    return sorted(patch, key=lambda op: (op["path"], op["op"]))


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
    opened.close()


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
        opened.row(part, item["id"]).click()
        assert opened.in_viewport(mark), part
        assert "focus" in page.get_attribute(f"#{mark}", "class")
    page.keyboard.press("j")  # the next item, in the list and in the text
    focused = page.locator("#list li.focus")
    assert focused.count() == 1 and page.locator("#text mark.focus").count() >= 1
    assert opened.errors == []


def test_adjacent_highlights_are_told_apart(reviewed):
    opened, document, _ = reviewed
    first, second = document["targets"][0], document["targets"][1]
    assert second["span"][0] - first["span"][1] <= 2  # these two stand side by side in the plan
    classes = [opened.page.get_attribute(f'#hl-targets-{t["id"]}', "class") for t in (first, second)]
    assert ("alt" in classes[0].split()) != ("alt" in classes[1].split())


def test_page_starts_from_the_earlier_patch(reviewed):
    opened, document, fixed = reviewed
    changed, removed = document["targets"][1]["id"], document["targets"][2]["id"]
    assert opened.status("targets", changed) == "changed"
    row = opened.row("targets", changed)
    assert row.locator("del").inner_text() == str(document["targets"][1]["value"]) and row.locator("ins").inner_text() == "51"
    assert opened.status("targets", removed) == "rejected"
    assert "rejected" in opened.page.get_attribute(f"#hl-targets-{removed}", "class")
    opened.page.select_option("#f-status", "changed")
    assert opened.page.locator("#list li:not(.hidden)").count() == 1
    # what the page exports is the whole correction: the earlier patch's work and nothing else yet
    assert same_ops(opened.export()) == same_ops(diff(document, fixed))


def test_a_review_exported_and_applied_gives_exactly_the_reviewers_changes(tmp_path, browser):
    """Change a target's value and year, reject one, add one from a selection, export, apply."""
    text = normalize(read_path(SAMPLE)).text
    document = parse(SAMPLE).model_dump(mode="json")
    out = tmp_path / "review.html"
    assert main(["review", str(SAMPLE), "-o", str(out)]) == 0
    opened = Opened(browser, out, width=1400)
    page = opened.page
    edited, rejected = document["targets"][3], document["targets"][5]
    opened.edit("targets", edited["id"], value="34,5", year=2026)
    opened.row("targets", rejected["id"]).click()
    page.keyboard.press("x")
    phrase = "MỤC TIÊU VÀ CÁC CHỈ TIÊU CHỦ YẾU ĐẾN NĂM 2025"
    start = text.index(phrase)
    page.evaluate(SELECT_SPAN, [start, start + len(phrase)])
    page.click("#add-target")
    form = page.locator("#list li.focus form.editor")
    form.locator('[name="indicator"]').fill("chỉ tiêu chủ yếu")
    form.locator('[name="value"]').fill("12")
    form.locator('[name="unit"]').fill("chỉ tiêu")
    form.locator("button.save").click()
    assert opened.status("targets", edited["id"]) == "changed" and opened.status("targets", rejected["id"]) == "rejected"
    assert page.locator("#list li.focus .status").inner_text() == "added"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-1400.png"))

    patch = opened.export()
    expected = copy.deepcopy(document)
    expected["targets"][3].update(value=34.5, year=2026)
    added = [op for op in patch if op["op"] == "add"]
    assert len(added) == 1 and added[0]["path"].startswith("/targets/")
    new = added[0]["value"]
    assert new["span"] == [start, start + len(phrase)] and new["text"] == phrase and new["year"] == 2025
    expected["targets"] = [t for t in expected["targets"] if t["id"] != rejected["id"]]
    assert same_ops(patch) == same_ops(diff(document, dict(expected, targets=expected["targets"] + [new])))

    plan, fix, result = tmp_path / "plan.json", tmp_path / "fix.patch.json", tmp_path / "fixed.json"
    plan.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    fix.write_text(json.dumps(patch, ensure_ascii=False), encoding="utf-8")
    assert main(["apply", str(plan), str(fix), "-o", str(result)]) == 0
    applied = json.loads(result.read_text(encoding="utf-8"))
    by_id = {t["id"]: t for t in applied["targets"]}
    assert set(by_id) == {t["id"] for t in document["targets"]} - {rejected["id"]} | {new["id"]}
    assert by_id[edited["id"]] == dict(edited, value=34.5, year=2026)
    for target in document["targets"]:
        if target["id"] not in (edited["id"], rejected["id"]):
            assert by_id[target["id"]] == target
    assert {k: v for k, v in applied.items() if k != "targets"} == {k: v for k, v in document.items() if k != "targets"}

    page.reload()
    page.wait_for_load_state("load")
    assert opened.status("targets", edited["id"]) == "changed" and opened.status("targets", rejected["id"]) == "rejected"
    assert opened.status("targets", new["id"]) == "added"
    assert page.get_attribute(f'#hl-targets-{new["id"]}', "data-item") == new["id"]
    assert same_ops(opened.export()) == same_ops(patch)
    assert opened.errors == []
    opened.close()


def test_accept_filters_and_search(tmp_path, browser):
    document = parse(SAMPLE).model_dump(mode="json")
    out = tmp_path / "review.html"
    assert main(["review", str(SAMPLE), "-o", str(out)]) == 0
    opened = Opened(browser, out)
    page = opened.page
    page.keyboard.press("j")
    page.keyboard.press("a")
    first = page.locator("#list li.focus").get_attribute("data-key")
    assert page.locator("#list li.focus .status").inner_text() == "accepted"
    page.select_option("#f-status", "accepted")
    assert page.locator("#list li:not(.hidden)").count() == 1
    page.select_option("#f-status", "")
    page.select_option("#f-kind", "references")
    assert page.locator("#list li:not(.hidden)").count() == len(document["references"]) + (not first.startswith("references"))
    page.select_option("#f-kind", "")
    page.keyboard.press("Escape")
    target = document["targets"][0]
    page.fill("#search", target["indicator"].upper())
    assert page.locator(f'#list li:not(.hidden)[data-key="targets {target["id"]}"]').count() == 1
    assert page.locator("#list li:not(.hidden)").count() < len(document["targets"])
    page.fill("#search", "")
    # a wrong number is refused in the editor, with the reason, and nothing changes
    opened.edit("targets", target["id"], year="hai nghìn")
    assert "year" in page.locator("#list li.focus form .error").inner_text()
    assert opened.status("targets", target["id"]) == "unreviewed"
    assert opened.errors == []
    opened.close()


def test_a_moved_span_sticks_through_parse_with_corrections(tmp_path, browser):
    text = normalize(read_path(SAMPLE)).text
    document = parse(SAMPLE).model_dump(mode="json")
    out = tmp_path / "review.html"
    assert main(["review", str(SAMPLE), "-o", str(out)]) == 0
    opened = Opened(browser, out)
    target = document["targets"][1]
    start, end = target["span"][0], target["span"][1] - 6  # the reviewer drops the last words
    opened.row("targets", target["id"]).click()
    opened.page.evaluate(SELECT_SPAN, [start, end])
    opened.page.keyboard.press("m")
    corrections = tmp_path / "corrections"
    corrections.mkdir()
    (corrections / f"{document['source']['sha256']}.patch.json").write_text(json.dumps(opened.export()), encoding="utf-8")
    opened.close()
    fixed = tmp_path / "fixed.json"
    assert main(["parse", str(SAMPLE), "--corrections", str(corrections), "-o", str(fixed)]) == 0
    moved = next(t for t in json.loads(fixed.read_text(encoding="utf-8"))["targets"] if t["id"] == target["id"])
    assert moved["span"] == [start, end] and moved["text"] == text[start:end].strip()


def test_phone_width_keeps_the_text_readable(tmp_path, browser):
    out = tmp_path / "review.html"
    assert main(["review", str(SAMPLE), "-o", str(out)]) == 0
    opened = Opened(browser, out, width=390)
    page = opened.page
    assert page.evaluate("document.getElementById('text').getBoundingClientRect().width") > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("j")
    assert page.locator("#list li.focus").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-390.png"))
    assert opened.errors == []
    opened.close()


def test_markup_in_a_plan_renders_as_text_and_never_runs(tmp_path, browser):
    plan = tmp_path / "plan.txt"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    out = tmp_path / "review.html"
    assert main(["review", str(plan), "-o", str(out)]) == 0
    opened = Opened(browser, out)
    page = opened.page
    text = page.evaluate("document.getElementById('text').textContent")
    assert "<script>alert(1)</script>" in text and "<b>hộ nghèo</b>" in text and "<img src=x onerror=alert(2)>" in text
    assert "javascript:alert(3)" in text
    # what the reviewer adds and types goes in as text too
    start = text.index("<img")
    page.evaluate(SELECT_SPAN, [start, text.index("thẻ.")])
    page.keyboard.press("t")
    form = page.locator("#list li.focus form.editor")
    form.locator('[name="indicator"]').fill('<img src=x onerror=alert(5)> javascript:alert(6) \u202e50%')
    form.locator('[name="value"]').fill("1")
    form.locator("button.save").click()
    assert page.locator("#text script, #text b, #text img, #text a, aside b, aside img, aside a, header img").count() == 0
    assert "<b>hộ nghèo</b>" in page.locator("#list li").filter(has_text="hộ nghèo").first.inner_text()
    shown = page.locator("#list li.focus").inner_text()
    assert "<img src=x onerror=alert(5)>" in shown and "<U+202E>50%" in shown  # a typed bidi control, by its code
    assert "<script>" in page.title()
    assert page.locator("script").count() == 2
    page.wait_for_timeout(200)  # would an injected handler fire, it would have by now
    assert opened.dialogs == [] and opened.errors == []
    opened.close()


def test_serve_saves_the_patch_into_the_corrections_folder_and_only_from_its_page(tmp_path, browser):
    import threading
    import urllib.error
    import urllib.request

    from vnplanparse.review.server import ReviewServer

    document = parse(SAMPLE).model_dump(mode="json")
    corrections = tmp_path / "corrections"
    corrections.mkdir()
    server = ReviewServer(SAMPLE, None, [], corrections)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert server.url.startswith("http://127.0.0.1:") and len(server.token) >= 32
        opened = Opened(browser, server.url)
        target = document["targets"][0]
        opened.edit("targets", target["id"], value=2)
        opened.page.click("#save")
        # a locator, not wait_for_function: the page's Content-Security-Policy forbids the eval
        # that a predicate written as a string needs
        opened.page.locator("#notice", has_text=re.compile("^Saved")).wait_for()
        saved = corrections / f"{document['source']['sha256']}.patch.json"
        assert json.loads(saved.read_text(encoding="utf-8")) == [
            {"op": "replace", "path": f"/targets/{target['id']}/value", "value": 2}]
        assert opened.errors == []
        opened.close()

        def post(path: str, headers: dict) -> int:
            request = urllib.request.Request(server.origin + path, data=b"[]", method="POST",
                                             headers={"Content-Type": "application/json", **headers})
            try:
                return urllib.request.urlopen(request).status
            except urllib.error.HTTPError as exc:
                return exc.code

        assert post(f"/{server.token}/patch", {"Origin": "https://evil.example"}) == 403
        assert post(f"/{server.token}/patch", {}) == 403  # no Origin: not the page
        assert post("/wrong-token/patch", {"Origin": server.origin}) == 404
        assert json.loads(saved.read_text(encoding="utf-8"))[0]["value"] == 2  # none of those wrote
        # the page served next starts from the saved correction
        again = ReviewServer(SAMPLE, None, [], corrections)
        data = json.loads(again.page.split('id="vp-data">', 1)[1].split("</script>", 1)[0])
        again.server_close()
        assert data["start"]["targets"][0] == dict(target, value=2) and data["base"]["targets"][0] == target
    finally:
        server.shutdown()
        server.server_close()
