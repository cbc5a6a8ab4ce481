"""The default scenario's decision record, as two files beside prices.json:
what a reader without JavaScript downloads from /costs/, and what the live
page replaces with the record of the reader's own scenario."""

from __future__ import annotations

from ..engine.record import decision_record, record_csv, record_json
from ..engine.vocabulary import DATA_VERSION_KEY
from .policy import RECORD_CSV, RECORD_JSON
from .prices import data_version, price_rows


def record_files(result: dict, plain: dict, made_on: str, page: str) -> dict[str, bytes]:
    """``page``: the public address of the calculator; the record's address
    adds the data version, as a link the live page makes would."""
    version = data_version(price_rows(plain))
    kept = decision_record(result, version, made_on, f"{page}?{DATA_VERSION_KEY}={version}")
    return {RECORD_JSON: record_json(kept).encode(), RECORD_CSV: record_csv(kept).encode()}
