// The baseline the benchmark compares against: the engine booted the way
// Pyodide's documentation shows, with the stock standard library (.py
// source), the lockfile and loadPyodide's own package loader, and a wheel of
// source only. Same messages as generator/browser/worker.js.
let session = null;
let booting = null;

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type === "boot" && !booting) booting = boot(message.config);
  else if (message.type === "evaluate") booting.then(() => answer(message));
};

async function boot(config) {
  const { loadPyodide } = await import(config.pyodide + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: config.pyodide, lockFileURL: config.lock, packages: ["ftengine"] });
  const catalog = await (await fetch(config.catalog)).text();
  session = pyodide.pyimport("ftengine.api").Session(catalog, config.built);
  self.postMessage({ type: "ready" });
}

// The point figures, then the whole result, as the site's worker answers.
function answer(message) {
  for (const phase of ["point", "full"]) {
    const reply = session.handle(JSON.stringify({ fields: message.fields, today: message.today, phase }));
    self.postMessage({ type: "result", id: message.id, phase, reply });
  }
}
