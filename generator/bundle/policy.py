"""The site's security and caching policy, stated once.

The same Content-Security-Policy goes into every page's meta tag, the dev
server's headers and the ``_headers`` file static hosts read, so the site is
tested under the policy it is deployed with.
"""

from __future__ import annotations

# Only the site itself; 'wasm-unsafe-eval' lets Pyodide compile WebAssembly
# and allows no JavaScript eval.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; "
       "img-src 'self'; style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP + "; frame-ancestors 'none'",  # frame-ancestors only works as a header
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

IMMUTABLE = "public, max-age=31536000, immutable"
# Folders whose file names change with their bytes (hashes, or Pyodide's version).
HASHED_FOLDERS = ("assets", "engine", "pyodide")


PRICES = "prices.json"
PRICES_SCHEMA = "prices.schema.json"
RECORD_JSON, RECORD_CSV = "decision-record.json", "decision-record.csv"  # the default scenario's decision record


def generated(path: str) -> bool:
    """Whether the build writes ``path`` itself, so no content file may:
    the hosts' headers, the published prices, the default decision record,
    the engine and the runtime."""
    return path in ("_headers", PRICES, PRICES_SCHEMA, RECORD_JSON, RECORD_CSV) or path.startswith(("engine/", "pyodide/"))


def headers_file(base_url: str) -> bytes:
    """``_headers`` for Netlify and Cloudflare Pages: security headers on every
    path, long caching on hashed files, the WebAssembly type spelled out.
    Pages keep the hosts' default caching: both hosts join the values of a
    header set by two matching rules, so only one rule sets Cache-Control."""
    lines = [f"{base_url}*"] + [f"  {name}: {value}" for name, value in SECURITY_HEADERS.items()] + [""]
    for folder in HASHED_FOLDERS:
        lines += [f"{base_url}{folder}/*", f"  Cache-Control: {IMMUTABLE}", ""]
    lines += [f"{base_url}*.wasm", "  Content-Type: application/wasm", ""]
    return "\n".join(lines).encode()
