"""The decision and cost engine of ftsite.

Pure Python on the standard library alone: the build runs it in CPython to put
precomputed results into every page, and the browser runs the very same files
in Pyodide (shipped as the ``ftengine`` wheel). Nothing here may import from
the rest of ``generator`` or from outside the standard library.
"""

from .api import evaluate, load_catalog
from .problems import Invalid, Problem

__all__ = ["Invalid", "Problem", "evaluate", "load_catalog"]
