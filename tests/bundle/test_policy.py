"""The policy a host is told: WebAssembly's type, immutable caching of hashed
folders, and the Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path


def test_hosts_get_headers_for_wasm_caching_and_security(built_site: Path):
    headers = (built_site / "_headers").read_text()
    assert "Content-Type: application/wasm" in headers
    for folder in ("assets", "engine", "pyodide"):
        assert f"/{folder}/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert "Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" in headers
    assert headers.count("Cache-Control") == 3  # hosts join a header set by two rules: one rule each
