"""The engine in real Pyodide under Node against CPython: no Chromium, so
these run beside the browser group rather than in its queue."""
