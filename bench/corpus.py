"""A deterministic synthetic corpus: N pages of realistic Markdown.

Each page has about 1,000 words under headings, a list, a table, a code block
and links to other pages, so builds are measured on pages shaped like real
documentation, and two runs with the same N and seed write the same bytes.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("model prompt token budget retrieval index vector store latency quality eval dataset example epoch "
         "adapter weights inference throughput cost volume request context window system format tone style "
         "reasoning pattern baseline frontier small open hosted provider price month horizon break even run "
         "training validation held out measure answer citation document corpus change team engineer").split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, links: list[str]) -> str:
    parts = [sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(3, 6))]
    if links and rng.random() < 0.7:
        target = rng.choice(links)
        parts.insert(rng.randint(0, len(parts)), f"See [the page on {target}](/notes/{target}/) for more.")
    return " ".join(parts)


def page(index: int, count: int, rng: random.Random) -> str:
    links = [f"note-{rng.randrange(count):05d}" for _ in range(6)]
    blocks = [f"---\ntitle: \"Note {index:05d}: {sentence(rng, 4)[:-1]}\"\n"
              f"description: {sentence(rng, 12)}\norder: {100 + index}\n---\n"]
    for section in range(4):
        blocks.append(f"## {sentence(rng, 3)[:-1]} {section + 1}")
        blocks += [paragraph(rng, links) for _ in range(3)]
        if section == 1:
            blocks.append("\n".join(f"- {sentence(rng, rng.randint(5, 10))}" for _ in range(5)))
        if section == 2:
            rows = [f"| {rng.choice(WORDS)} | {rng.randint(1, 9999):,} | ${rng.randint(1, 500)}.{rng.randint(0, 99):02d} |"
                    for _ in range(5)]
            blocks.append("| item | tokens | cost |\n|---|---:|---:|\n" + "\n".join(rows))
        if section == 3:
            blocks.append("```python\ndef cost(tokens, price):\n    return tokens * price / 1_000_000\n```")
    return "\n\n".join(blocks) + "\n"


def make_project(target: Path, pages: int, seed: int = 7) -> Path:
    """The real data, templates and pages, plus ``pages`` synthetic notes in content/notes/."""
    if target.exists():
        shutil.rmtree(target)
    for name in ("content", "data", "templates"):
        shutil.copytree(ROOT / name, target / name)
    notes = target / "content" / "notes"
    notes.mkdir()
    rng = random.Random(seed)
    for index in range(pages):
        (notes / f"note-{index:05d}.md").write_text(page(index, pages, rng))
    return target
