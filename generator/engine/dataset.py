"""The training data: how far the reader's examples are from enough, and two
ways to close the gap, each priced.

Most tasks need 500 to 5,000 good examples, and about 1,000 capture a style
(the guide's figures), so the gap is measured to TARGET_EXAMPLES:

- labelling the shortfall at the reader's cost per example, or, when they
  gave none (0: they have their examples already), at LABEL_MINUTES of their
  team's time an example at their hourly rate: this site's assumption, said
  so wherever it shows;
- generating it with a frontier model from the catalog: for each example the
  generator reads GENERATOR_READS times the example's length (instructions
  and seed examples) and writes one, and only KEPT of what it writes passes
  the check, all at its batch price where it has one, since nobody waits for
  a training set. An estimate, labelled as one.
"""

from __future__ import annotations

from . import display
from .model import Catalog, Model
from .prices import Ledger

TARGET_EXAMPLES = 1_000
LABEL_MINUTES = 5
GENERATOR_READS = 6
KEPT = 0.5


def dataset(catalog: Catalog, s: dict, ledger: Ledger) -> dict:
    """{examples, target_examples, shortfall, label_usd, label_basis,
    synthetic_usd, synthetic_model, way_forward, summary}; the generator's
    prices go to ``ledger``."""
    examples = s["training.examples"]
    shortfall = max(0, TARGET_EXAMPLES - examples)
    own = s["training.label_usd_per_example"]
    hourly = s["effort.hourly_usd"]
    per_label = own if own > 0 else hourly * LABEL_MINUTES / 60
    basis = (f"at your ${own:,.2f} an example" if own > 0 else
             f"at {LABEL_MINUTES} minutes of your team's time an example, ${hourly:,.0f} an hour "
             "(this site's assumption: put in your own cost per example)")
    generator = generator_model(catalog, s)
    synthetic = None
    if generator is not None:
        price = generator.price
        ledger.note("data", f"{generator.name} (writing examples): input per 1M", price.input_per_1m, price)
        ledger.note("data", f"{generator.name} (writing examples): output per 1M", price.output_per_1m, price)
        if price.batch_discount:
            ledger.note("data", f"{generator.name} (writing examples): batch discount", price.batch_discount, price,
                        "share")
        synthetic = {end: shortfall * _per_example(price, s["training.tokens_per_example"], pick)
                     for end, pick in (("low", 0), ("high", 1))}
    found = {"examples": examples, "target_examples": TARGET_EXAMPLES, "shortfall": shortfall,
             "label_usd": display.pair(shortfall * per_label, shortfall * per_label),
             "label_basis": basis,
             "synthetic_usd": synthetic and display.pair(synthetic["low"], synthetic["high"]),
             "synthetic_model": generator.name if generator else None}
    return {**found, "way_forward": way_forward(found), "summary": summary(found)}


def way_forward(data: dict) -> str:
    """How to get from the examples there are to the target, each way priced."""
    text = (f"To reach {data['target_examples']:,}, label the {data['shortfall']:,} more for about "
            f"{display.money_range(data['label_usd'])} {data['label_basis']}")
    if data["synthetic_usd"] is None:
        return text + "."
    return (text + f", or have {data['synthetic_model']} write them for about "
                   f"{display.money_range(data['synthetic_usd'])} (an estimate: it reads {GENERATOR_READS} times an "
                   f"example's length for each one it writes, and {1 - KEPT:.0%} fail the check).")


def summary(data: dict) -> str:
    have = f"You have {display.count(data['examples'])} good example{'' if data['examples'] == 1 else 's'}"
    if not data["shortfall"]:
        return (f"{have}: at or above the {data['target_examples']:,} that capture a style. Most tasks need 500 to "
                "5,000; a clean small set beats a noisy large one.")
    return f"{have}, {data['shortfall']:,} short of {data['target_examples']:,}. {way_forward(data)}"


def generator_model(catalog: Catalog, s: dict) -> Model | None:
    """The model that writes synthetic examples: the reader's baseline when it
    is a frontier model, else the catalog's cheapest priced frontier model
    still served at the horizon's start."""
    baseline = catalog.models[s["usage.baseline_model"]]
    if baseline.tier == "frontier" and baseline.price is not None:
        return baseline
    start = s["horizon.start"]
    frontier = [m for m in catalog.models.values()
                if m.tier == "frontier" and m.price is not None and not (m.retires and m.retires <= start)]
    return min(frontier, key=lambda m: (m.price.output_per_1m[1], m.id), default=None)


def _per_example(price, tokens: int, pick: int) -> float:
    """One kept example: 1 / KEPT written, each reading GENERATOR_READS x its length and writing it."""
    written = (GENERATOR_READS * tokens * price.input_per_1m[pick] + tokens * price.output_per_1m[pick]) / 1e6
    return written * (1 - (price.batch_discount or 0)) / KEPT
