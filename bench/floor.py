"""The floor: the same stack at its barest, for comparison with ftsite.

PyYAML front matter, markdown-it-py (CommonMark + tables) and a one-line
Jinja2 template, one process, no checks. Whatever ftsite does beyond this
(validation, heading ids, footnotes, link checks, navigation, atomic writes)
is measured against it.

    python bench/floor.py CONTENT_DIR OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt


def build(content: Path, out: Path) -> int:
    md = MarkdownIt("commonmark").enable("table")
    template = jinja2.Template("<!doctype html><title>{{ title }}</title><main>{{ body }}</main>")
    count = 0
    for path in sorted(content.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        html = template.render(title=meta["title"], body=md.render(body))
        target = out / path.relative_to(content).with_suffix("") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        count += 1
    return count


if __name__ == "__main__":
    print(build(Path(sys.argv[1]), Path(sys.argv[2])))
