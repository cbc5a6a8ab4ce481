// Runs the engine inside real Pyodide under Node, from a built site's own
// files (the same Pyodide, stdlib zip, lockfile and wheel a browser loads),
// and prints its answers as JSON for the parity test to compare with CPython.
//
//   node evaluate.mjs SITE_DIR PYODIDE_DIR STDLIB_ZIP LOCKFILE BATCH_JSON
//
// BATCH_JSON: {"catalog": <catalog>, "scenarios": [...], "forms": [{key: text}]}
// Output:     {"normal": ANSWERS, "snapshot": ANSWERS}
//             ANSWERS: {"results": [...], "replies": [...], "python": "3.14.x"}, as Python's json wrote it
// Both of the browser's boot paths answer: the engine loaded the normal way
// (the lockfile's contents handed to Pyodide, the wheel it names checked
// against its sha256 and unpacked into site-packages), and the same engine
// restored from a memory snapshot of it, made before it answered anything,
// as the worker makes the one it keeps.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkWheel, engineEntry, restoreFiles, resumeEngine, snapshotOf, startEngine, startPython } from "../../generator/browser/boot.mjs";

const [site, pyodideDir, stdlib, lock, batchFile] = process.argv.slice(2);
const { loadPyodide } = await import(join(site, pyodideDir, "pyodide.mjs"));
const { default: createModule } = await import(pathToFileURL(join(site, pyodideDir, "pyodide.asm.mjs")));
const lockFileContents = JSON.parse(readFileSync(join(site, lock), "utf8"));
const python = {
  indexURL: join(site, pyodideDir) + "/",
  stdLibURL: join(site, stdlib),
  lockFileContents,
  stderr: (text) => process.stderr.write(text + "\n"),
};
const entry = engineEntry(lockFileContents);
const wheel = await checkWheel(new Uint8Array(readFileSync(join(dirname(join(site, lock)), entry.file_name))), entry);
const batch = JSON.parse(readFileSync(batchFile, "utf8"));

const normal = await startPython(loadPyodide, { ...python, keepable: true });
const normalSession = startEngine(normal, wheel, JSON.stringify(batch.catalog), batch.built);
const restored = await startPython(loadPyodide, { ...python, snapshot: snapshotOf(normal), createModule });
const restoredSession = resumeEngine(restored);
restoreFiles(restored, wheel);

// Python's own JSON, passed through untouched: JavaScript would write 292.0 as 292.
function answers(pyodide, session) {
  pyodide.globals.set("session", session);
  pyodide.globals.set("batch_json", readFileSync(batchFile, "utf8"));
  return pyodide.runPython(`
import json, sys
from ftengine.api import evaluate
batch = json.loads(batch_json)
json.dumps({
    "results": [evaluate(session.catalog, s) for s in batch["scenarios"]],
    "replies": [json.loads(session.handle(json.dumps({"fields": f, "today": batch["today"]}))) for f in batch["forms"]],
    "python": sys.version.split()[0],
}, sort_keys=True)
`);
}

process.stdout.write(`{"normal": ${answers(normal, normalSession)}, "snapshot": ${answers(restored, restoredSession)}}`);
