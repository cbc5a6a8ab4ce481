// The engine's home in the browser: Pyodide in a module worker, so the page
// never freezes while Python starts.
//
// In:  {type: "boot", config: {pyodide, stdlib, lock, catalog, boot, built}}   (URLs; the build date)
//      {type: "evaluate", id, fields: {"training.examples": "50000", ...}, today: "YYYY-MM-DD"}
//      {type: "read-file", id, file: File, fields, today}   a training file, read here and nowhere else
//      {type: "record", id, format, fields, today, data_version, address}   the decision record
// Out: {type: "progress", text} ... then {type: "ready"} or {type: "failed", error}
//      progress texts: "Downloading Python: 3.1 of 9.6 MB…", "Starting Python…", "Starting the engine…"
//      {type: "result", id, reply}   reply: the engine's JSON, as a string
//      {type: "file-progress", id, read, size} ... then {type: "file", id, reply} or {type: "file", id, error}
//      {type: "record", id, format, reply} or {type: "record", id, format, error}   reply: {json, csv, stem, errors}
//
// Every file comes from the site itself: the lockfile lists only the engine
// wheel, so Pyodide has nothing else to look for, and the wheel is fetched
// with the lockfile's sha256 as its Subresource Integrity.

let session = null;
let booting = null;
let latest = 0; // the newest request's id: a full reply to an older one is not worth working out

// A runtime that fails inside Emscripten's callbacks (a missing, corrupt or
// wrongly typed .wasm) only logs it and rejects no promise of ours: listen
// for it here, or the page waits for a boot that never ends. The page's own
// watchdog is the last resort.
self.addEventListener("unhandledrejection", (event) => fail(event.reason));
self.addEventListener("error", (event) => fail(event.error || event.message));
const warn = console.warn.bind(console);
console.warn = (...args) => {
  warn(...args);
  if (!session && /instantiation failed|failed to asynchronously prepare wasm/i.test(String(args[0]))) {
    fail(new Error("the WebAssembly runtime did not load"));
  }
};

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type === "boot" && !booting) {
    booting = boot(message.config);
  } else if (message.type === "evaluate" && booting) {
    booting.then(() => session && answer(message));
  } else if (message.type === "record" && booting) {
    booting.then(() => session && record(message));
  } else if (message.type === "read-file" && booting) {
    booting.then(() => session && readFile(message));
  }
};

async function boot(config) {
  try {
    const runtime = config.pyodide + "pyodide.asm.wasm";
    countDownloads([runtime, config.stdlib]);
    checkRuntime(runtime).catch(fail);
    // Every download starts at once; Python's start-up overlaps them.
    const lock = fetchJson(config.lock);
    const bootModule = import(config.boot);
    const wheel = Promise.all([lock, bootModule]).then(([contents, { engineEntry }]) =>
      fetchWheel(engineEntry(contents), config.lock));
    const catalog = fetchText(config.catalog);
    const [{ loadPyodide }, { startPython, startEngine }] = await Promise.all([
      import(config.pyodide + "pyodide.mjs"), bootModule]);
    const pyodide = await startPython(loadPyodide, {
      indexURL: config.pyodide,
      stdLibURL: config.stdlib,
      lockFileContents: lock,
      stderr: (text) => {
        if (/^Aborted\(/.test(text)) fail(new Error(text));
      },
    });
    post({ type: "progress", text: "Starting the engine…" });
    // The lockfile still names the wheel, and fetch checks its sha256.
    session = startEngine(pyodide, await wheel, await catalog, config.built);
    post({ type: "ready" });
  } catch (error) {
    fail(error);
  }
}

// The two big downloads, Python's runtime and its standard library, counted
// as they arrive: fetch is wrapped for those two URLs only, and the bytes are
// counted on a clone of each response while Pyodide gets the response itself.
// Handing it a Response of our own making would cost every visit after the
// first about 0.4 s: the browser keeps the compiled WebAssembly only for a
// response it fetched from a URL, and compiles a made-up one afresh. The
// total is known once both have answered without a Content-Encoding (a
// compressed body's length is not the bytes read); until then, and on a host
// that compresses, the count is shown alone.
const MB = 1e6;
const PROGRESS_STEPS = 10; // at most about this many updates: a status line, not a ticker

function countDownloads(urls) {
  const watched = new Set(urls.map((url) => new URL(url, self.location.href).href));
  const downloads = new Map(); // url -> {received, total, done}
  const plainFetch = self.fetch.bind(self);
  let shown = -1;
  const report = () => {
    const all = [...downloads.values()];
    const received = all.reduce((sum, d) => sum + d.received, 0);
    if (all.length === watched.size && all.every((d) => d.done)) {
      post({ type: "progress", text: "Starting Python…" });
      return;
    }
    const total = all.length === watched.size && all.every((d) => d.total) ? all.reduce((s, d) => s + d.total, 0) : 0;
    const step = total ? Math.floor((received / total) * PROGRESS_STEPS) : Math.floor(received / MB); // a total unknown: each MB
    if (step === shown) return;
    shown = step;
    const text = total ? `${(received / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB` : `${(received / MB).toFixed(1)} MB`;
    post({ type: "progress", text: `Downloading Python: ${text}…` });
  };
  self.fetch = async (input, init) => {
    const response = await plainFetch(input, init);
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, self.location.href).href;
    if (!watched.has(url) || (init && init.method === "HEAD") || !response.ok || !response.body) return response;
    const length = Number(response.headers.get("content-length"));
    const download = { received: 0, total: !response.headers.get("content-encoding") && length > 0 ? length : 0, done: false };
    downloads.set(url, download);
    report();
    countBody(response.clone().body, download, report);
    return response;
  };
}

async function countBody(body, download, report) {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      download.received += value.byteLength;
      report();
    }
  } catch {
    return; // the download itself failed: Pyodide's own read says so
  }
  download.done = true;
  report();
}

let failedAlready = false;

function fail(error) {
  if (failedAlready || session) return;
  failedAlready = true;
  post({ type: "failed", error: String((error && error.message) || error || "unknown error").split("\n").slice(-2).join(" ") });
}

// A cheap look at the runtime before Pyodide fetches it: a 404, or a host
// that sends it as anything but application/wasm, fails at once and says why.
async function checkRuntime(url) {
  const response = await fetch(url, { method: "HEAD" });
  if (!response.ok) throw new Error(`pyodide.asm.wasm: HTTP ${response.status}`);
  const type = (response.headers.get("content-type") || "").split(";")[0].trim();
  if (type !== "application/wasm") {
    throw new Error(`the host sends pyodide.asm.wasm as ${type || "no type"}, not application/wasm`);
  }
}

async function fetchWheel(entry, lockUrl) {
  const integrity = "sha256-" + btoa(String.fromCharCode(...entry.sha256.match(/../g).map((h) => parseInt(h, 16))));
  const response = await fetch(new URL(entry.file_name, lockUrl), { integrity });
  if (!response.ok) throw new Error(`${entry.file_name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchJson(url) {
  return JSON.parse(await fetchText(url));
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

// Two replies to each request: the point figures at once, then (unless a
// newer request has come in meanwhile) the whole result with the Monte Carlo
// and the flips, which cost several times the rest.
function answer(message) {
  latest = message.id;
  if (!reply(message, "point")) return;
  setTimeout(() => {
    if (message.id === latest) reply(message, "full");
  }, 0);
}

function reply(message, phase) {
  try {
    const text = session.handle(JSON.stringify({ fields: message.fields, today: message.today, phase }));
    post({ type: "result", id: message.id, phase, reply: text });
    return true;
  } catch (error) {
    post({ type: "result", id: message.id, phase, error: String((error && error.message) || error) });
    return false;
  }
}

function record({ id, format, fields, today, data_version, address }) {
  try {
    post({ type: "record", id, format, reply: session.record(JSON.stringify({ fields, today, data_version, address })) });
  } catch (error) {
    post({ type: "record", id, format, error: String((error && error.message) || error) });
  }
}

// A training file, streamed through the engine a slice at a time: memory
// holds one slice, the page is never blocked, and the file's text goes
// nowhere but into Python here. A newer file stops the reading of an older.
const SLICE = 1 << 20; // bytes read at a time
let reading = 0;

async function readFile({ id, file, fields, today }) {
  reading = id;
  let reader = null;
  try {
    reader = session.training_file(JSON.stringify({ fields, today }));
    for (let start = 0; start < file.size; start += SLICE) {
      const bytes = await file.slice(start, start + SLICE).arrayBuffer();
      if (reading !== id) return;
      reader.feed(new Uint8Array(bytes)); // bytes: the engine decodes line by line and names a line that is not UTF-8
      post({ type: "file-progress", id, read: Math.min(file.size, start + SLICE), size: file.size });
    }
    post({ type: "file", id, reply: reader.finish() });
  } catch (error) {
    post({ type: "file", id, error: String((error && error.message) || error) });
  } finally {
    reader?.destroy();
  }
}

function post(message) {
  self.postMessage(message);
}
