// Builds the trimmed, precompiled standard library the site ships to browsers.
//
// Pyodide's stock python_stdlib.zip holds every module as .py source, so each
// boot compiles about 145 of them. This script boots Pyodide (under Node, the
// same release the site ships), installs the engine wheel, exercises it on a
// battery of requests, valid and invalid, and records which stdlib modules
// were imported. It then compiles exactly those with Pyodide's own CPython
// (the .pyc format is version-specific: it must be 3.14's) into a zip of
// unchecked hash-based .pyc files, stored uncompressed so that HTTP
// compression does the squeezing. The engine's own modules are compiled too
// (under ftengine/__pycache__/), for the wheel: importing them from source
// cost a cold boot about 0.4 s.
//
//   node precompile.mjs PYODIDE_DIR LOCKFILE CATALOG_JSON REQUESTS_JSON OUT_ZIP
//
// The engine is loaded as the browser's worker loads it (the lockfile's
// contents given to Pyodide, the wheel beside it unpacked into site-packages),
// so the imports recorded are the browser's.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { checkWheel, engineEntry, startEngine, startPython } from "../browser/boot.mjs";

const [pyodideDir, lock, catalogFile, requestsFile, outZip] = process.argv.slice(2);
const { loadPyodide } = await import(join(resolve(pyodideDir), "pyodide.mjs"));
const lockFileContents = JSON.parse(readFileSync(lock, "utf8"));
const pyodide = await startPython(loadPyodide, { indexURL: resolve(pyodideDir) + "/", lockFileContents });
const entry = engineEntry(lockFileContents);
const wheel = await checkWheel(new Uint8Array(readFileSync(join(dirname(resolve(lock)), entry.file_name))), entry);
// any build date: only the modules a call imports matter here
const session = startEngine(pyodide, wheel, readFileSync(catalogFile, "utf8"), "2000-01-01");
for (const fields of JSON.parse(readFileSync(requestsFile, "utf8"))) {
  session.handle(JSON.stringify({ fields }));
}
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

def engine_files():
    """The engine's own modules, as the wheel installed them."""
    import ftengine
    folder = ftengine.__path__[0]
    return sorted((folder + "/" + name, name) for name in os.listdir(folder) if name.endswith(".py"))

def pyc(source, filename):
    code = compile(source, filename, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))

def add(archive, name, data):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)

import os
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
    for name in stdlib_files():
        add(archive, name[:-3] + ".pyc", pyc(stock.read(name), STDLIB + "/" + name))
    tag = sys.implementation.cache_tag
    for path, name in engine_files():  # kept apart by the "ftengine/" prefix; they go into the wheel
        add(archive, f"ftengine/__pycache__/{name[:-3]}.{tag}.pyc", pyc(open(path, "rb").read(), path))
buffer.getvalue()
`);
writeFileSync(outZip, zipBytes.toJs());
zipBytes.destroy();
