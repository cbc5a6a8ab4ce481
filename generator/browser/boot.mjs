// Starting the engine inside Pyodide: the one boot sequence, shared by the
// browser's worker, the build's precompile step and the parity test (both
// under Node). The caller fetches or reads the files; this module boots.
//
//   const pyodide = await startPython(loadPyodide, {indexURL, stdLibURL?, lockFileContents, stderr?,
//                                                   createModule?, snapshot?, checked?, keepable?});
//   const entry = engineEntry(lockFileContents);       // {file_name, sha256}: fetch or read it
//   await checkWheel(wheelBytes, entry);               // (a fetch with SRI checks it already)
//   const session = startEngine(pyodide, wheelBytes, catalogJson, builtOn);
//   session.handle(JSON.stringify({fields, today}))   // -> the reply, as JSON
//
// A memory snapshot skips Python's start and the engine's import: boot with
// `keepable: true`, start the engine, and `snapshotOf(pyodide)` is Python's
// whole memory as it stands. A later boot given `snapshot` (the bytes, or a
// promise of them) and `createModule` (pyodide.asm.mjs's default export)
// restores it, once the promise `checked` (if given) has resolved, and
// `resumeEngine(pyodide)` hands back the same session. The snapshot holds the catalog and the build date it was made
// with: the caller keys it by those, by the engine and by Pyodide's files.
//
// The lockfile lists only the engine wheel, so Pyodide looks for nothing
// else; the wheel is unpacked straight into site-packages, about thirty
// times faster than Pyodide's package loader.

export async function startPython(loadPyodide, { indexURL, stdLibURL, lockFileContents, stderr, createModule, snapshot,
  checked, keepable }) {
  const options = { indexURL, lockFileContents, stdout: () => {}, stderr: stderr || (() => {}) };
  if (stdLibURL) options.stdLibURL = stdLibURL; // unset: Pyodide's own full standard library
  if (snapshot) {
    options._loadSnapshot = snapshot;
    options.createPyodideModule = withRoomFor(snapshot, checked, createModule);
  } else if (keepable) {
    options._makeSnapshot = true;
  }
  return loadPyodide(options);
}

// Pyodide 314 starts its memory at 30 MiB whatever the snapshot's size, and
// restoring a larger one throws "offset is out of bounds" (Pyodide issue
// 6254): grow the memory to the snapshot's before Pyodide restores it. The
// runtime compiles while `checked` looks the bytes over; a failed check stops
// the boot before any of them reach Python.
function withRoomFor(snapshot, checked, createModule) {
  return async (settings) => {
    const module = await createModule(settings);
    await checked;
    const bytes = await snapshot;
    const header = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true); // the header's own size
    const heap = bytes.byteLength - header;
    if (module.HEAP8.length < heap) module.growMemory(heap);
    return module;
  };
}

export function startEngine(pyodide, wheel, catalogJson, builtOn) {
  unpackWheel(pyodide, wheel);
  // Made in Python and kept in its globals, so a snapshot holds the session
  // and no JavaScript value: the catalog arrives as a Python string.
  pyodide.globals.set("ftsite_catalog", catalogJson);
  pyodide.globals.set("ftsite_built", builtOn);
  pyodide.runPython(`
from ftengine.api import Session
ftsite_session = Session(ftsite_catalog, ftsite_built)
del ftsite_catalog, ftsite_built, Session`);
  return pyodide.globals.get("ftsite_session");
}

export function snapshotOf(pyodide) {
  return pyodide.makeMemorySnapshot();
}

// After a restore: the session, as it was when the snapshot was made, with
// a random state of its own (the snapshot's is the same on every restore).
// The file system is not in the snapshot: `restoreFiles` puts the wheel back
// into site-packages, for tracebacks and anything imported later; the worker
// does it once the page has heard the engine is ready.
export function resumeEngine(pyodide) {
  // Pyodide 314 keeps its options, and with them the snapshot's 31 MB, for
  // as long as it runs: let them go.
  if (pyodide._api?.config) pyodide._api.config._loadSnapshot = undefined;
  pyodide.runPython("import random; random.seed()");
  return pyodide.globals.get("ftsite_session");
}

export function restoreFiles(pyodide, wheel) {
  unpackWheel(pyodide, wheel);
}

function unpackWheel(pyodide, wheel) {
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
}

export function engineEntry(lockFileContents) {
  return lockFileContents.packages.ftengine;
}

export async function checkWheel(bytes, entry) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  if (hex !== entry.sha256) throw new Error(`${entry.file_name} fails its sha256`);
  return bytes;
}
