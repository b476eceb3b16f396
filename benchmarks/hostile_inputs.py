"""Hypothesis strategies for the hostile shapes of input (issue 19), shared by the property tests
(tests/test_hostile_properties.py, a few dozen examples each) and the deep run
(benchmarks/bench_hostile.py, 10 000 examples):

- numbers: hundreds of digits, grouped or not, exponents, Infinity/NaN written out, x/0;
- encodings: a plan's bytes in UTF-16, UTF-8 with a BOM, CP1258, Latin-1, cut mid-character;
- mojibake: UTF-8 read as CP1252 (once, twice, line by line);
- HTML: elements unclosed and misnested, page chrome never closed, entities;
- tables: absurd rowspan/colspan (0, negative, words, 10^9), ragged and wide tables;
- lists: lists nested thousands deep, markers of many levels.

Each example is an `Example`: what to parse and how (text, bytes of a file, HTML or Markdown).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

SENTENCES = [
    "Tỷ lệ hộ nghèo giảm {n}% năm 2025",
    "Phấn đấu đến năm 2025 có {n} xã đạt chuẩn nông thôn mới",
    "Giá trị sản xuất tăng bình quân {n}%/năm",
    "Thu ngân sách đạt {n} tỷ đồng",
    "Số giường bệnh trên một vạn dân đạt {n} giường",
    "Tổng vốn đầu tư {n} triệu đồng",
    "Diện tích rừng trồng mới {n} ha",
    "Phấn đấu có {n} hoà giải viên, {n} công trình thuỷ lợi",  # old-style tone marks the segmenter rewrites
]
PLAN_HEAD = "KẾ HOẠCH\nThực hiện nhiệm vụ năm 2025\nI. MỤC TIÊU\n"
PLAN_TAIL = "\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính chủ trì, phối hợp với Sở Nội vụ triển khai.\n"


@dataclass(frozen=True)
class Example:
    kind: str  # "text" | "bytes" | "html" | "markdown"
    shape: str  # which strategy made it (the deep run counts per shape)
    payload: str | bytes

    def __repr__(self) -> str:  # Hypothesis prints the falsifying example: keep it readable
        head = self.payload[:300]
        return f"Example({self.kind!r}, {self.shape!r}, {head!r}{'…' if len(self.payload) > 300 else ''})"


# --- numbers ------------------------------------------------------------------------------------

_DIGIT_COUNTS = st.one_of(st.integers(1, 20), st.integers(290, 330), st.integers(400, 5000))


@st.composite
def odd_numbers(draw) -> str:
    """A number as a hostile page might write one."""
    digits = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=1, max_size=1)))
    digits = draw(st.sampled_from(["9", "1", "0", digits])) * draw(_DIGIT_COUNTS)
    return draw(st.sampled_from([
        digits,
        ".".join(digits[i : i + 3] for i in range(0, len(digits), 3)),  # thousands groups
        f"{digits},{digits[:50]}",
        f"{digits[:3]},{digits}",
        f"1e{draw(st.integers(300, 10000))}",
        "Infinity", "-Infinity", "NaN", "inf", "∞", "1/0", "0/0", f"{digits[:2]}/0",
        f"-{digits}", f"0{digits}", f"{digits} tỷ", f"{digits} triệu", f"từ {digits} đến {digits}9",
        f"{digits[:5]} - {digits}",
    ]))


@st.composite
def huge_numbers(draw) -> Example:
    sentences = [draw(st.sampled_from(SENTENCES)).format(n=draw(odd_numbers())) for _ in range(draw(st.integers(1, 4)))]
    if draw(st.booleans()):  # in a table too: a planned-value cell
        cells = " | ".join(draw(odd_numbers()) for _ in range(3))
        sentences.append(f"Chỉ tiêu | Đơn vị | Năm 2025\nTỷ lệ hộ nghèo | % | {cells}")
    return Example("text", "numbers", PLAN_HEAD + "\n".join(f"{i}. {s}" for i, s in enumerate(sentences, 1)) + PLAN_TAIL)


# --- encodings and mojibake -------------------------------------------------------------------

def plans(corpus: list[str]) -> st.SearchStrategy[str]:
    """A corpus plan's opening (up to 4 000 characters: enough for every part, quick to parse)."""
    return st.sampled_from(corpus).flatmap(lambda plan: st.integers(200, 4000).map(lambda n: plan[:n]))


def _cp1252(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="replace")


@st.composite
def encodings(draw, corpus: list[str]) -> Example:
    text = draw(plans(corpus))
    codec = draw(st.sampled_from(["utf-16", "utf-16-be", "utf-8-sig", "cp1258", "latin-1", "utf-8", "cp1252"]))
    data = text.encode(codec, errors="replace")
    if draw(st.booleans()):  # cut mid-character, or a stray byte inside
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"", b"\xff", b"\xc3", b"\x00", b"\xe1\xbb"])) + data[at + 1 :]
    return Example("bytes", "encodings", data)


@st.composite
def mojibake(draw, corpus: list[str]) -> Example:
    lines = draw(plans(corpus)).split("\n")
    how = draw(st.sampled_from(["all", "twice", "some lines", "some words", "numbers before mojibake"]))
    if how == "numbers before mojibake":  # "5 uá»": what follows a number is the unit the parser reads
        words = [w for line in lines for w in line.split()]
        lines = [f"{draw(st.integers(0, 99))} {_cp1252(draw(st.sampled_from(words)))}"
                 + draw(st.sampled_from(["", "%", ",", " 9%"])) for _ in range(draw(st.integers(1, 12)))]
    elif how == "all":
        lines = [_cp1252(line) for line in lines]
    elif how == "twice":
        lines = [_cp1252(_cp1252(line)) for line in lines]
    elif how == "some lines":
        lines = [_cp1252(line) if draw(st.booleans()) else line for line in lines]
    else:
        lines = [" ".join(_cp1252(w) if draw(st.integers(0, 3)) == 0 else w for w in line.split(" ")) for line in lines]
    return Example(draw(st.sampled_from(["text", "markdown"])), "mojibake", "\n".join(lines))


# --- HTML ---------------------------------------------------------------------------------------

_TAGS = ["p", "div", "b", "i", "span", "nav", "header", "footer", "aside", "section", "li", "ul", "ol", "td", "tr",
         "table", "h2", "font", "center", "a", "strong", "br", "script", "style", "title", "template"]


@st.composite
def broken_html(draw) -> Example:
    """Tags opened and closed at random (unclosed, misnested, stray closers) around plan lines."""
    parts = ["<html><body>"]
    for _ in range(draw(st.integers(1, 60))):
        choice = draw(st.integers(0, 5))
        tag = draw(st.sampled_from(_TAGS))
        if choice == 0:
            parts.append(f"</{tag}>")
        elif choice == 1:
            parts.append(f"<{tag}{draw(st.sampled_from(['', ' class=menu', ' hidden', ' role=navigation', ' style=x']))}>")
        elif choice == 2:
            parts.append(draw(st.sampled_from(["&amp;", "&nbsp;", "&#xD800;", "&#0;", "&#99999999;", "&lt;nav&gt;",
                                              "<!--", "-->", "<![CDATA[", "]]>", "<", ">", "</", "<!DOCTYPE x [", "]>"])))
        else:
            parts.append(draw(st.sampled_from(SENTENCES)).format(n=draw(st.integers(0, 10000))))
    if draw(st.booleans()):
        parts.append("</body></html>")
    return Example("html", "html", "".join(parts))


# --- tables -------------------------------------------------------------------------------------

_SPANS = ["0", "-1", "1", "2", "3", "", "x", "2.5", " 2 ", "1e9", "999999999", "65534", "+3", "٣"]
_SMALL_SPANS = ["0", "-1", "1", "2", "3", "", "x", "2.5", " 2 ", "+3", "٣"]


@st.composite
def absurd_spans(draw, amplify: bool = False) -> Example:
    """An indicator table whose cells carry rowspan/colspan values of every odd kind. Without
    `amplify`, at most one of a cell's two spans is huge (a 1000 x 1000 cell costs seconds)."""
    rows = []
    for r in range(draw(st.integers(1, 8))):
        cells = []
        for c in range(draw(st.integers(1, 6))):
            rowspan = draw(st.sampled_from(_SPANS))
            colspan = draw(st.sampled_from(_SPANS if amplify or rowspan in _SMALL_SPANS else _SMALL_SPANS))
            content = draw(st.sampled_from(["Chỉ tiêu", "Tỷ lệ hộ nghèo", "%", "Năm 2025", "5", "95%", "Sở Y tế", ""]))
            cells.append(f'<td rowspan="{rowspan}" colspan="{colspan}">{content}</td>')
        rows.append("<tr>" + "".join(cells) + ("</tr>" if draw(st.booleans()) else ""))
    return Example("html", "spans", "<html><body><p>KẾ HOẠCH</p><table>" + "".join(rows) + "</table></body></html>")


@st.composite
def wide_tables(draw, max_columns: int = 300) -> Example:
    """A Markdown pipe table or tab-separated table with many columns and ragged rows."""
    columns = draw(st.integers(2, max_columns))
    header = [f"Năm {2020 + i % 10}" for i in range(columns)]
    rows = [["Tỷ lệ hộ nghèo"] + [f"{draw(st.integers(0, 100))}%" for _ in range(draw(st.integers(1, columns)))]
            for _ in range(draw(st.integers(1, 4)))]
    if draw(st.booleans()):
        lines = ["| Chỉ tiêu | " + " | ".join(header) + " |", "|" + "---|" * (columns + 1)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return Example("markdown", "wide", "KẾ HOẠCH\n\n" + "\n".join(lines) + "\n")
    lines = ["Chỉ tiêu\t" + "\t".join(header)] + ["\t".join(row) for row in rows]
    return Example("text", "wide", PLAN_HEAD + "\n".join(lines) + PLAN_TAIL)


# --- lists --------------------------------------------------------------------------------------

@st.composite
def deep_lists(draw, max_depth: int = 3000, max_lines: int = 400) -> Example:
    """HTML lists nested up to max_depth deep; numbered or indented text items of up to
    max_lines levels (each line a target: the lines cost what the depth does not)."""
    depth = draw(st.integers(1, max_depth))
    sentence = draw(st.sampled_from(SENTENCES)).format(n=draw(st.integers(0, 100)))
    how = draw(st.sampled_from(["ul", "ol unclosed", "markers", "indent"]))
    if how == "ul":
        return Example("html", "lists", "<ul><li>" * depth + sentence + "</li></ul>" * depth)
    if how == "ol unclosed":
        return Example("html", "lists", "<ol><li>" * depth + sentence)
    if how == "markers":
        lines = [".".join(["1"] * (k + 1)) + f". {sentence}" for k in range(min(depth, max_lines))]
        return Example("text", "lists", PLAN_HEAD + "\n".join(lines) + PLAN_TAIL)
    lines = [" " * min(k, 200) + draw(st.sampled_from(["-", "+", "a)", "(1)", "•"])) + " " + sentence
             for k in range(min(depth, max_lines))]
    return Example("text", "lists", PLAN_HEAD + "\n".join(lines) + PLAN_TAIL)


def hostile_inputs(corpus: list[str], *, deep: bool = False) -> st.SearchStrategy[Example]:
    """Every shape above; `deep` lets the expensive ones grow (huge spans, thousands of columns)."""
    return st.one_of(
        huge_numbers(), encodings(corpus), mojibake(corpus), broken_html(),
        absurd_spans(amplify=deep), wide_tables(3000 if deep else 300), deep_lists(*((3000, 400) if deep else (500, 40))),
    )


def parse_example(example: Example):
    """The document an example parses to; raises InputError where the tool refuses it."""
    from vnplanparse.reading.load import decode_bytes, from_string
    from vnplanparse.pipeline import parse_loaded

    if example.kind == "bytes":
        return parse_loaded(decode_bytes(example.payload, name="plan.txt"), keep_text=True)
    name = {"html": "page.html", "markdown": "plan.md"}.get(example.kind)
    return parse_loaded(from_string(example.payload, name=name), keep_text=True)
