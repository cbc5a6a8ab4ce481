// Starting the engine inside Pyodide: the one boot sequence, shared by the
// browser's worker, the build's precompile step and the parity test (both
// under Node). The caller fetches or reads the files; this module boots.
//
//   const pyodide = await startPython(loadPyodide, {indexURL, stdLibURL?, lockFileContents, stderr?});
//   const entry = engineEntry(lockFileContents);       // {file_name, sha256}: fetch or read it
//   await checkWheel(wheelBytes, entry);               // (a fetch with SRI checks it already)
//   const session = startEngine(pyodide, wheelBytes, catalogJson, builtOn);
//   session.handle(JSON.stringify({fields, today}))   // -> the reply, as JSON
//
// The lockfile lists only the engine wheel, so Pyodide looks for nothing
// else; the wheel is unpacked straight into site-packages, about thirty
// times faster than Pyodide's package loader.

export async function startPython(loadPyodide, { indexURL, stdLibURL, lockFileContents, stderr }) {
  const options = { indexURL, lockFileContents, stdout: () => {}, stderr: stderr || (() => {}) };
  if (stdLibURL) options.stdLibURL = stdLibURL; // unset: Pyodide's own full standard library
  return loadPyodide(options);
}

export function startEngine(pyodide, wheel, catalogJson, builtOn) {
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
  return pyodide.pyimport("ftengine.api").Session(catalogJson, builtOn);
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
