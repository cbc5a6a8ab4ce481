// Starting the engine inside Pyodide: the one boot sequence, shared by the
// browser's worker, the build's precompile step and the parity test (both
// under Node). The caller fetches or reads the files; this module boots.
//
//   const pyodide = await startPython(loadPyodide, {indexURL, stdLibURL?, lockFileContents, stderr?});
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
