"""The default scenario's decision record, as two files beside prices.json:
what a reader without JavaScript downloads from /costs/, and what the live
page replaces with the record of the reader's own scenario."""

from __future__ import annotations

from ..engine.record import decision_record, record_csv, record_json
from .policy import RECORD_CSV, RECORD_JSON
from .prices import data_version, price_rows


def record_files(result: dict, plain: dict, made_on: str, address: str) -> dict[str, bytes]:
    kept = decision_record(result, data_version(price_rows(plain)), made_on, address)
    return {RECORD_JSON: record_json(kept).encode(), RECORD_CSV: record_csv(kept).encode()}
