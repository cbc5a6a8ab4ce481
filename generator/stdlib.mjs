// Builds the trimmed, precompiled standard library the site ships to browsers.
//
// Pyodide's stock python_stdlib.zip holds every module as .py source, so each
// boot compiles about 145 of them. This script boots Pyodide (under Node, the
// same release the site ships), installs the engine wheel, exercises it on a
// battery of requests, valid and invalid, and records which stdlib modules
// were imported. It then compiles exactly those with Pyodide's own CPython
// (the .pyc format is version-specific: it must be 3.14's) into a zip of
// unchecked hash-based .pyc files, stored uncompressed so that HTTP
// compression does the squeezing.
//
//   node stdlib.mjs PYODIDE_DIR LOCKFILE CATALOG_JSON REQUESTS_JSON OUT_ZIP
//
// The engine is loaded as the browser's worker loads it (the site's own
// lockfile, the wheel beside it), so the imports recorded are the browser's.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [pyodideDir, lock, catalogFile, requestsFile, outZip] = process.argv.slice(2);
const { loadPyodide } = await import(join(resolve(pyodideDir), "pyodide.mjs"));
const pyodide = await loadPyodide({
  indexURL: resolve(pyodideDir) + "/",
  lockFileURL: resolve(lock),
  packages: ["ftengine"],
  stdout: () => {},
  stderr: () => {},
});
pyodide.globals.set("catalog_json", readFileSync(catalogFile, "utf8"));
pyodide.globals.set("requests_json", readFileSync(requestsFile, "utf8"));

pyodide.runPython(`
import json
from ftengine.api import Session
session = Session(catalog_json)
for request in json.loads(requests_json):
    session.handle(json.dumps({"fields": request}))
`);
try {
  pyodide.runPython("raise ValueError('exercise the error path')");
} catch (error) {
  // formatting a Python error for JavaScript imports traceback and friends
}

const zipBytes = pyodide.runPython(`
import importlib.util, io, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

STDLIB = "/lib/python%d%d.zip" % sys.version_info[:2]  # where Pyodide mounts python_stdlib.zip
stock = zipfile.ZipFile(STDLIB)
present = set(stock.namelist())

def stdlib_files():
    found = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None) or ""
        if path.startswith(STDLIB + "/") and path.endswith(".py"):
            found.add(path[len(STDLIB) + 1:])
    for name in list(found):  # a package's __init__ for every module inside it
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            found.add("/".join(parts[:depth]) + "/__init__.py")
    return sorted(found & present)

buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
    for name in stdlib_files():
        source = stock.read(name)
        code = compile(source, STDLIB + "/" + name, "exec", dont_inherit=True)
        data = _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
        info = zipfile.ZipInfo(name[:-3] + ".pyc", date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        archive.writestr(info, bytes(data))
buffer.getvalue()
`);
writeFileSync(outZip, zipBytes.toJs());
zipBytes.destroy();
