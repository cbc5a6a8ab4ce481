"""What the fuzz tests of the readers share: the pieces texts are made of, and
the one shape every error must have."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ERROR = re.compile(r"^[^\s:][^:]*(:\d+)?: \S.*", re.S)
YAML_BITS = st.sampled_from([
    "offers:", "models:", "gpus:", "  - id: x", "    per_hour: ", "  - ", "[", "]", "{", "}", ": ", "- ",
    "    ", "\t", "&a ", "*a ", "!!python/object:os.system ", "'", '"', "#", "1" * 400, "9999-12-31", "0001-01-01",
    "1.0e-310", "1e309", "-1", "null", "~", "yes", "\n", "\u0000", "\u202e", "\x07", "é", '"\\ud800"', '"\\x07"',
])
yaml_texts = st.lists(YAML_BITS, max_size=40).map("".join)


def _check(errors) -> None:
    for error in errors:
        assert ERROR.match(str(error)), str(error)
        assert "Traceback" not in str(error)
