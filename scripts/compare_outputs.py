"""Parse every plan of corpus/ and ../shared/corpus*/ and save or compare the outputs.

    python scripts/compare_outputs.py save DIR            # before a change
    python scripts/compare_outputs.py compare DIR [--ignore FIELD]...   # after it

`compare` reports every plan whose output differs once the named fields (new ones a change adds,
e.g. `targets.value_canonical`) are removed from the new output; exit 1 when any differs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vnplanparse import VnPlanParseError, parse
from vnplanparse.output.emit import document_json

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}


def plans() -> list[Path]:
    folders = [ROOT / "corpus", *sorted((ROOT.parent / "shared").glob("corpus*"))]
    return [p for f in folders if f.is_dir() for p in sorted(f.iterdir()) if p.suffix.lower() in SUFFIXES]


def output(path: Path) -> str:
    try:
        return document_json(parse(path), pretty=True)
    except VnPlanParseError as exc:
        return f"error: {exc}\n"


def drop(data: dict, field: str) -> None:
    part, _, name = field.partition(".")
    if not name:
        data.pop(part, None)
        return
    items = data.get(part)
    for item in items if isinstance(items, list) else [items] if isinstance(items, dict) else []:
        item.pop(name, None)


def main() -> int:
    cli = argparse.ArgumentParser()
    cli.add_argument("mode", choices=("save", "compare"))
    cli.add_argument("folder", type=Path)
    cli.add_argument("--ignore", action="append", default=[], metavar="PART.FIELD")
    args = cli.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    differing = 0
    for path in plans():
        name = f"{path.parent.name}__{path.name}.json"
        text = output(path)
        if args.mode == "save":
            (args.folder / name).write_text(text, encoding="utf-8")
            continue
        if not text.startswith("error:"):
            data = json.loads(text)
            for field in args.ignore:
                drop(data, field)
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if text != (args.folder / name).read_text(encoding="utf-8"):
            differing += 1
            print(f"differs: {path}")
    if args.mode == "compare":
        print(f"{len(plans())} plans, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
