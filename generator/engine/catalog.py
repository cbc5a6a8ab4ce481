"""Reading the catalog: plain values in, a validated ``Catalog`` out.

The same reader runs on YAML-loaded values at build time and on the catalog
JSON in the browser. It collects every problem with its key path
(``offers[2].training.per_1m``) instead of stopping at the first, so an editor
sees all mistakes of a change at once; the build maps paths to file and line.
"""

from __future__ import annotations

from . import fields as f
from .fields import Record
from .model import (GOALS, KINDS, METHODS, TIERS, Advice, Availability, Catalog, Change, DataTerms, Embedding, Epochs,
                    Gpu, Inference, Latency, Licence, Measure, Model, Offer, Provider, Rag, Speed, Throughput,
                    TokenPrice, Training, VectorStore)
from .problems import Invalid, Problem

MAX_PRICE = 10_000.0  # $ per 1M tokens; anything above is a typo, not a price

SECTIONS = ("providers", "models", "offers", "gpus", "rag", "latency", "recommendations", "scenario", "changelog")


def read_catalog(data: object) -> Catalog:
    """Plain values -> Catalog; raises Invalid with every problem found."""
    problems: list[Problem] = []
    top = Record(data, (), problems)
    catalog = Catalog(
        providers=_keyed(top, "providers", _provider, problems),
        models=_keyed(top, "models", _model, problems),
        offers=_keyed(top, "offers", _offer, problems),
        gpus=_keyed(top, "gpus", _gpu, problems),
        rag=_rag(top.sub("rag")),
        advice=_advice(top, problems),
        changelog=tuple(_change(Record(v, p, problems)) for v, p in top.items("changelog")),
        latency=_latency(top.sub("latency", required=False)),
    )
    top.known.append("scenario")  # read against the finished catalog by scenario.py
    top.finish()
    problems.extend(_aliases_twice(catalog))
    if not problems:
        problems.extend(_dangling(catalog, data))
    if problems:
        raise Invalid(problems)
    return catalog


def _aliases_twice(catalog: Catalog) -> list[Problem]:
    """An alias names one row of another price list, so it may stand on one
    model or one listed tuned price only; twice, --drift would compare the
    wrong model with it."""
    owners: dict[str, str] = {}
    found = []
    places = [(("models", index, "aliases"), model.id, model.aliases) for index, model in enumerate(catalog.models.values())]
    places += [(("offers", index, "inference", "listed", model_id, "aliases"), f"{offer.id}'s tuned {model_id}", names)
               for index, offer in enumerate(catalog.offers.values()) for model_id, names in offer.inference.aliases.items()]
    for path, owner, names in places:
        for name in names:
            if name in owners:
                found.append(Problem(path, f"alias {name!r} is already {owners[name]}'s: an alias names one row"))
            owners.setdefault(name, owner)
    return found


def _keyed(top: Record, key: str, reader, problems: list[Problem]) -> dict:
    found: dict = {}
    for value, path in top.items(key):
        item = reader(Record(value, path, problems))
        if item.id in found:
            problems.append(Problem(path + ("id",), f"duplicate id {item.id!r} (ids must be unique in {key})"))
        found[item.id] = item
    return found


def _dated(record: Record) -> dict:
    return {"as_of": record.read("as_of", f.iso_date), "source": record.read("source", f.web_url),
            "note": record.read("note", f.text, required=False)}


def _price(record: Record, key: str, required: bool = True):
    return record.read(key, f.span, MAX_PRICE, required=required, default=(0.0, 0.0))


def _token_price(r: Record, dated: dict | None = None) -> TokenPrice:
    """Input, output and (where sold) cached-input prices and a batch discount;
    dated by the record itself, or by ``dated`` for rows inside a dated block."""
    return TokenPrice(
        input_per_1m=_price(r, "input_per_1m"),
        output_per_1m=_price(r, "output_per_1m"),
        cached_input_per_1m=r.read("cached_input_per_1m", f.span, MAX_PRICE, required=False),
        batch_discount=r.read("batch_discount", f.number, 0, 1, required=False),
        cache_min_tokens=r.read("cache_min_tokens", f.whole, 0, 10_000_000, required=False),
        batch_caches=r.read("batch_caches", f.flag, required=False, default=False),
        **(dated if dated is not None else _dated(r)),
    )


def _provider(r: Record) -> Provider:
    item = Provider(r.read("id", f.ident), r.read("name", f.text), r.read("url", f.web_url), r.read("summary", f.text))
    r.finish()
    return item


def _model(r: Record) -> Model:
    price = r.sub("price", required=False)
    open_weights = r.read("open_weights", f.flag, required=False, default=False)
    item = Model(
        id=r.read("id", f.ident),
        name=r.read("name", f.text),
        provider=r.read("provider", f.ident),
        summary=r.read("summary", f.text),
        open_weights=open_weights,
        parameters_b=r.read("parameters_b", f.number, 0.1, 100_000, required=False),
        context_tokens=r.read("context_tokens", f.whole, 1, 100_000_000, required=False),
        price=price and _token_price(price),
        retires=r.read("retires", f.iso_date, required=False),
        successor=r.read("successor", f.ident, required=False),
        tier=r.read("tier", f.choice, TIERS, required=False),
        aliases=r.read("aliases", f.names, required=False, default=()),
        licence=_licence(r, required=open_weights),
        speed=_speed(r.sub("speed", required=False)),
    )
    price and price.finish()
    r.finish()
    return item


def _block(parent: Record, key: str, required_of: str | None) -> Record | None:
    """``parent``'s mapping at ``key``; when it is missing, a problem if
    ``required_of`` says who must give it and with what."""
    if required_of and not parent.has(key):
        parent.problems.append(Problem(parent.path + (key,), f"is required of {required_of}"))
        return None
    return parent.sub(key, required=False)


def _licence(model: Record, required: bool) -> Licence | None:
    """Open weights must say their licence: what a team may do with a tuned
    copy depends on it."""
    r = _block(model, "licence", required and "open weights: the licence's name, url, commercial (yes or no), "
                                              "as_of and source")
    if r is None:
        return None
    item = Licence(name=r.read("name", f.text, default=""), url=r.read("url", f.web_url, default=""),
                   commercial=r.read("commercial", f.flag, default=True), **_dated(r))
    r.finish()
    return item


def _speed(r: Record | None) -> Speed | None:
    if r is None:
        return None
    item = Speed(first_token_s=r.read("first_token_s", f.span, 600, default=(0.0, 0.0)),
                 output_tokens_per_s=r.read("output_tokens_per_s", f.span, 1e6, default=(1.0, 1.0)),
                 at_input_tokens=r.read("at_input_tokens", f.whole, 1, 10_000_000, required=False), **_dated(r))
    if item.output_tokens_per_s[0] <= 0:
        r.problems.append(Problem(r.path + ("output_tokens_per_s",), "must be above 0"))
    r.finish()
    return item


def _latency(r: Record | None) -> Latency | None:
    if r is None:
        return None
    item = Latency(_measure(r.sub("prefill_tokens_per_s"), 1e8), _measure(r.sub("retrieval_s"), 600))
    r.finish()
    return item


def _measure(r: Record | None, maximum: float) -> Measure:
    if r is None:
        return Measure("", "", value=(1.0, 1.0))
    item = Measure(value=r.read("value", f.span, maximum, default=(1.0, 1.0)), **_dated(r))
    if item.value[0] <= 0:
        r.problems.append(Problem(r.path + ("value",), "must be above 0"))
    r.finish()
    return item


def _gpu(r: Record) -> Gpu:
    item = Gpu(id=r.read("id", f.ident), name=r.read("name", f.text), provider=r.read("provider", f.ident),
               per_hour=r.read("per_hour", f.span, 10_000, default=(0.0, 0.0)),
               throughput=_throughput(r.sub("throughput", required=False)),
               min_gpus=r.read("min_gpus", f.whole, 1, 1_000, required=False, default=1), **_dated(r))
    r.finish()
    return item


def _throughput(r: Record | None) -> Throughput | None:
    if r is None:
        return None
    item = Throughput(
        parameters_b=r.read("parameters_b", f.number, 0.1, 100_000, default=8.0),
        prefill_tokens_per_second=r.read("prefill_tokens_per_second", f.span, 1e8, default=(1.0, 1.0)),
        decode=_decode_points(r),
        **_dated(r),
    )
    if item.prefill_tokens_per_second[0] <= 0:
        r.problems.append(Problem(r.path + ("prefill_tokens_per_second",), "must be above 0"))
    r.finish()
    return item


def _decode_points(r: Record) -> tuple:
    """``decode: [{context: 256, tokens_per_second: 16500}, ...]``, contexts rising."""
    points = []
    for value, path in r.items("decode"):
        point = Record(value, path, r.problems)
        context = point.read("context", f.whole, 1, 100_000_000, default=1)
        speed = point.read("tokens_per_second", f.span, 1e8, default=(1.0, 1.0))
        point.finish()
        if speed[0] <= 0:
            r.problems.append(Problem(path + ("tokens_per_second",), "must be above 0"))
        elif points and context <= points[-1][0]:
            r.problems.append(Problem(path + ("context",), f"must be above the previous point's {points[-1][0]:,}"))
        else:
            points.append((context, speed))
    if not points and r.has("decode"):
        r.problems.append(Problem(r.path + ("decode",), "needs at least one measured point"))
    return tuple(points) or ((1, (1.0, 1.0)),)


def _offer(r: Record) -> Offer:
    item = Offer(
        id=r.read("id", f.ident),
        name=r.read("name", f.text),
        provider=r.read("provider", f.ident),
        summary=r.read("summary", f.text),
        kind=r.read("kind", f.choice, KINDS, required=False, default="hosted"),
        method=r.read("method", f.choice, METHODS, required=False, default="lora"),
        models=r.ids("models"),
        epochs=_epochs(r),
        training=_training(r.sub("training")),
        inference=_inference(r.sub("inference")),
        availability=_availability(r.sub("availability", required=False)),
        successor=r.read("successor", f.ident, required=False),
        data_terms=_data_terms(r),
    )
    r.finish()
    return item


def _data_terms(offer: Record) -> DataTerms | None:
    """A hosted offer must say what happens to the training data sent to it."""
    hosted = offer.data.get("kind", "hosted") == "hosted" if isinstance(offer.data, dict) else True
    r = _block(offer, "data_terms", hosted and "hosted offers: retention, training_use, regions, as_of and source")
    if r is None:
        return None
    item = DataTerms(retention=r.read("retention", f.text, default=""),
                     training_use=r.read("training_use", f.text, default=""),
                     regions=r.read("regions", f.text, default=""), **_dated(r))
    r.finish()
    return item


def _epochs(r: Record) -> Epochs:
    """``epochs: 3``, or the vendor's "auto" rule as a mapping."""
    if not isinstance(r.data.get("epochs"), dict):
        return Epochs(r.read("epochs", f.whole, 1, 100, required=False, default=1))
    rule = r.sub("epochs")
    item = Epochs(target=rule.read("target", f.whole, 1, 100, default=1),
                  min_examples_seen=rule.read("min_examples_seen", f.whole, 1, 10**9, required=False),
                  max_examples_seen=rule.read("max_examples_seen", f.whole, 1, 10**9, required=False),
                  min_epochs=rule.read("min_epochs", f.whole, 1, 100, required=False, default=1),
                  max_epochs=rule.read("max_epochs", f.whole, 1, 100, required=False, default=25))
    rule.finish()
    return item


def _training(r: Record | None) -> Training:
    if r is None:
        return Training("", "")
    item = Training(
        per_1m=r.read("per_1m", f.span, MAX_PRICE, required=not r.has("gpu")),
        gpu=r.read("gpu", f.ident, required=False),
        tokens_per_second=r.read("tokens_per_second", f.span, 1e7, required=r.has("gpu")),
        minimum_usd=r.read("minimum_usd", f.number, 0, 1e6, required=False, default=0.0),
        **_dated(r),
    )
    if item.per_1m is not None and item.gpu is not None:
        r.problems.append(Problem(r.path + ("gpu",), "give either per_1m (hosted) or gpu (self-hosted), not both"))
    if item.tokens_per_second is not None and item.tokens_per_second[0] < 1:
        r.problems.append(Problem(r.path + ("tokens_per_second",), "must be >= 1"))
    r.finish()
    return item


def _inference(r: Record | None) -> Inference:
    if r is None:
        return Inference("", "")
    dated = _dated(r)
    listed, aliases = {}, {}
    table = r.sub("listed", required=False)
    for model_id in (table.data if table else {}):
        row = table.sub(model_id)
        table.known.append(model_id)
        listed[model_id] = _token_price(row, dated)
        aliases[model_id] = row.read("aliases", f.names, required=False, default=())
        row.finish()
    item = Inference(
        multiplier=r.read("multiplier", f.number, 0, 100, required=False),
        listed=listed,
        aliases=aliases,
        batch_discount=r.read("batch_discount", f.number, 0, 1, required=False),
        gpu=r.read("gpu", f.ident, required=False),
        gpus=r.read("gpus", f.whole, 1, 10_000, required=False, default=1),
        utilisation=r.read("utilisation", f.number, 0.01, 1, required=False, default=0.5),
        hosting_per_month_usd=r.read("hosting_per_month_usd", f.number, 0, 1e7, required=False, default=0.0),
        **dated,
    )
    if item.multiplier is None and not item.listed and item.gpu is None:
        r.problems.append(Problem(r.path, "needs multiplier, listed prices or a gpu to serve on"))
    r.finish()
    return item


def _availability(r: Record | None) -> Availability | None:
    if r is None:
        return None
    item = Availability(r.read("new_jobs_until", f.iso_date, required=False), r.read("note", f.text, required=False),
                        r.read("new_customers_until", f.iso_date, required=False))
    r.finish()
    return item


def _rag(r: Record | None) -> Rag:
    if r is None:
        return Rag(Embedding("", ""), {})
    stores: dict = {}
    for value, path in r.items("vector_stores"):
        store = _vector_store(Record(value, path, r.problems))
        if store.id in stores:
            r.problems.append(Problem(path + ("id",), f"duplicate id {store.id!r} (ids must be unique in vector_stores)"))
        stores[store.id] = store
    rag = Rag(_embedding(r.sub("embedding")), stores,
              chunk_tokens=r.read("chunk_tokens", f.whole, 1, 1_000_000, required=False, default=512),
              bytes_per_token=r.read("bytes_per_token", f.number, 0, 100, required=False, default=4.0))
    r.finish()
    return rag


def _embedding(r: Record | None) -> Embedding:
    if r is None:
        return Embedding("", "")
    item = Embedding(name=r.read("name", f.text), provider=r.read("provider", f.ident),
                     per_1m=r.read("per_1m", f.number, 0, MAX_PRICE, default=0.0),
                     dimensions=r.read("dimensions", f.whole, 1, 100_000, required=False, default=1536),
                     **_dated(r))
    r.finish()
    return item


STORE_PRICES = ("minimum_per_month_usd", "per_month_usd", "read_per_1m_units", "min_read_units",
                "write_per_1m_units", "storage_per_gb_month", "dimensions_per_1m_month", "write_per_gb",
                "scan_per_tb", "returned_per_gb")


def _vector_store(r: Record) -> VectorStore:
    prices = {key: r.read(key, f.number, 0, 1e7, required=False, default=0.0) for key in STORE_PRICES}
    item = VectorStore(id=r.read("id", f.ident, default=""), name=r.read("name", f.text),
                       provider=r.read("provider", f.ident),
                       read_units_per_gb=r.read("read_units_per_gb", f.number, 0, 1e7, required=False, default=1.0),
                       write_unit_kb=r.read("write_unit_kb", f.number, 0.001, 1e6, required=False, default=1.0),
                       **prices, **_dated(r))
    r.finish()
    return item


def _advice(top: Record, problems: list[Problem]) -> dict[str, Advice]:
    found: dict[str, Advice] = {}
    for value, path in top.items("recommendations"):
        r = Record(value, path, problems)
        item = Advice(r.read("goal", f.choice, GOALS), r.read("title", f.text), r.read("summary", f.text),
                      r.ids("models"), r.ids("offers", required=False))
        r.finish()
        if item.goal in found:
            problems.append(Problem(path + ("goal",), f"duplicate goal {item.goal!r}"))
        found[item.goal] = item
    for goal in GOALS:
        if goal not in found and not problems:
            problems.append(Problem(("recommendations",), f"has no entry for goal {goal!r}"))
    return found


def _change(r: Record) -> Change:
    item = Change(
        date=r.read("date", f.iso_date), subject=r.read("subject", f.ident), what=r.read("what", f.text),
        unit=r.read("unit", f.text, required=False),
        old=r.read("old", f.number, 0, 1e7, required=False), new=r.read("new", f.number, 0, 1e7, required=False),
        note=r.read("note", f.text), source=r.read("source", f.web_url),
    )
    r.finish()
    return item


def _dangling(catalog: Catalog, data: dict) -> list[Problem]:
    """References to ids that do not exist; run once every record is sound."""
    found: list[Problem] = []

    def need(ids, value, path, what):
        if value is not None and value not in ids:
            known = ", ".join(sorted(ids)) or "none"
            found.append(Problem(path, f"unknown {what} {value!r} (known: {known})"))

    providers, models, offers, gpus = catalog.providers, catalog.models, catalog.offers, catalog.gpus
    for i, model in enumerate(models.values()):
        need(providers, model.provider, ("models", i, "provider"), "provider")
    for i, gpu in enumerate(gpus.values()):
        need(providers, gpu.provider, ("gpus", i, "provider"), "provider")
    for i, offer in enumerate(offers.values()):
        found += _offer_references(offer, ("offers", i), catalog, need)
    need(providers, catalog.rag.embedding.provider, ("rag", "embedding", "provider"), "provider")
    for i, store in enumerate(catalog.rag.vector_stores.values()):
        need(providers, store.provider, ("rag", "vector_stores", i, "provider"), "provider")
    for i, model in enumerate(models.values()):
        need(models, model.successor, ("models", i, "successor"), "model")
    for i, offer in enumerate(offers.values()):
        need(offers, offer.successor, ("offers", i, "successor"), "offer")
    for i, advice in enumerate(catalog.advice.values()):
        for j, model_id in enumerate(advice.models):
            need(models, model_id, ("recommendations", i, "models", j), "model")
        for j, offer_id in enumerate(advice.offers):
            need(offers, offer_id, ("recommendations", i, "offers", j), "offer")
    subjects = {**providers, **models, **offers, **gpus, **catalog.rag.vector_stores}
    for i, change in enumerate(catalog.changelog):
        need(subjects, change.subject, ("changelog", i, "subject"),
             "subject (a provider, model, offer, gpu or vector store id)")
    return found


def _offer_references(offer: Offer, path: tuple, catalog: Catalog, need) -> list[Problem]:
    found: list[Problem] = []
    need(catalog.providers, offer.provider, path + ("provider",), "provider")
    need(catalog.gpus, offer.training.gpu, path + ("training", "gpu"), "gpu")
    need(catalog.gpus, offer.inference.gpu, path + ("inference", "gpu"), "gpu")
    serving_gpu = catalog.gpus.get(offer.inference.gpu)
    if serving_gpu is not None and serving_gpu.throughput is None:
        found.append(Problem(path + ("inference", "gpu"),
                             f"gpu {serving_gpu.id!r} has no throughput, so the GPUs a volume needs cannot be "
                             "worked out (add gpus[].throughput)"))
    for j, model_id in enumerate(offer.models):
        need(catalog.models, model_id, path + ("models", j), "model")
        model = catalog.models.get(model_id)
        unpriced = model is not None and model.price is None
        if unpriced and offer.inference.multiplier is not None and model_id not in offer.inference.listed:
            found.append(Problem(path + ("models", j),
                                 f"model {model_id!r} has no price for the inference multiplier to apply to"))
        if model is not None and serving_gpu is not None and model.parameters_b is None:
            found.append(Problem(path + ("models", j),
                                 f"model {model_id!r} needs parameters_b: serving it on GPUs is sized by its size"))
    for model_id in offer.inference.listed:
        if model_id not in offer.models:
            found.append(Problem(path + ("inference", "listed", model_id),
                                 f"lists a price for {model_id!r}, which is not among this offer's models",
                                 at_key=True))
    return found
