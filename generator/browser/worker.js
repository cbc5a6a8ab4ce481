// The engine's home in the browser: Pyodide in a module worker, so the page
// never freezes while Python starts.
//
// In:  {type: "boot", config: {pyodide, stdlib, lock, catalog}}   (URLs)
//      {type: "evaluate", id, fields: {"training.examples": "50000", ...}}
// Out: {type: "progress", text} ... then {type: "ready"} or {type: "failed", error}
//      {type: "result", id, reply}   reply: the engine's JSON, as a string
//
// Every file comes from the site itself: the lockfile lists only the engine
// wheel, so Pyodide has nothing else to look for.

let session = null;
let booting = null;

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type === "boot" && !booting) {
    booting = boot(message.config);
  } else if (message.type === "evaluate") {
    booting.then(() => answer(message));
  }
};

async function boot(config) {
  try {
    post({ type: "progress", text: "Loading the engine…" });
    const { loadPyodide } = await import(config.pyodide + "pyodide.mjs");
    const problems = [];
    const [pyodide, catalog] = await Promise.all([
      loadPyodide({
        indexURL: config.pyodide,
        stdLibURL: config.stdlib,
        lockFileURL: config.lock,
        packages: ["ftengine"],
        stdout: () => {},
        stderr: (text) => problems.push(text),
      }),
      fetchText(config.catalog),
    ]);
    post({ type: "progress", text: "Starting the engine…" });
    const api = pyodide.pyimport("ftengine.api");
    session = api.Session(catalog);
    post({ type: "ready" });
  } catch (error) {
    post({ type: "failed", error: String((error && error.message) || error).split("\n").slice(-2).join(" ") });
    throw error;
  }
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

function answer(message) {
  try {
    const reply = session.handle(JSON.stringify({ fields: message.fields }));
    post({ type: "result", id: message.id, reply });
  } catch (error) {
    post({ type: "result", id: message.id, error: String((error && error.message) || error) });
  }
}

function post(message) {
  self.postMessage(message);
}
