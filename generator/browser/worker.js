// The engine's home in the browser: Pyodide in a module worker, so the page
// never freezes while Python starts.
//
// In:  {type: "boot", config: {pyodide, stdlib, lock, catalog, boot, snapshots, built}}   (URLs; the build date)
//      {type: "evaluate", id, fields: {"training.examples": "50000", ...}, today: "YYYY-MM-DD"}
//      {type: "read-file", id, file: File, fields, today}   a training file, read here and nowhere else
//      {type: "record", id, format, fields, today, data_version, address}   the decision record
// Out: {type: "progress", text} ... then {type: "ready", boot, why, steps} or {type: "failed", error}
//      progress texts: "Downloading Python: 3.1 of 9.6 MB…", "Starting Python…", "Starting the engine…"
//      boot: "snapshot" (restored from the one kept) or "normal"; why: what kept a snapshot from use;
//      steps: {worker, imported, read?, python, engine}: when each was done (ms since the epoch)
//      {type: "kept", size, made_ms, encoded_ms, stored_ms} or {type: "kept", error}   the snapshot for the next visit
//      {type: "result", id, reply}   reply: the engine's JSON, as a string
//      {type: "file-progress", id, read, size} ... then {type: "file", id, reply} or {type: "file", id, error}
//      {type: "record", id, format, reply} or {type: "record", id, format, error}   reply: {json, csv, stem, errors}
//
// Every file comes from the site itself: the lockfile lists only the engine
// wheel, so Pyodide has nothing else to look for, and the wheel is fetched
// with the lockfile's sha256 as its Subresource Integrity.
//
// A repeat visit restores the memory snapshot the first one kept
// (snapshots.mjs) and skips Python's start and the engine's import. Anything
// amiss with it (none kept, made for other files, short, altered, refused by
// Pyodide) drops it and boots the normal way, which keeps a fresh one.

let session = null;
let booting = null;
let latest = 0; // the newest request's id: a full reply to an older one is not worth working out
let busy = 0; // when the newest request came in (performance.now())
let fileSeen = false; // a training file was read in this visit: its bytes may linger in Python's memory
const steps = {};
const step = (name) => (steps[name] = performance.timeOrigin + performance.now());
step("worker");

// A runtime that fails inside Emscripten's callbacks (a missing, corrupt or
// wrongly typed .wasm) only logs it and rejects no promise of ours: listen
// for it here, or the page waits for a boot that never ends. The page's own
// watchdog is the last resort. While a snapshot is being restored, trouble
// ends that attempt instead, and the normal boot follows.
let trouble = fail;
self.addEventListener("unhandledrejection", (event) => trouble(event.reason));
self.addEventListener("error", (event) => {
  event.preventDefault(); // handled here: the page's worker.onerror would end a fallback that is under way
  trouble(event.error || event.message);
});
const warn = console.warn.bind(console);
console.warn = (...args) => {
  warn(...args);
  if (!session && /instantiation failed|failed to asynchronously prepare wasm/i.test(String(args[0]))) {
    trouble(new Error("the WebAssembly runtime did not load"));
  }
};

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type !== "boot") busy = performance.now();
  if (message.type === "read-file") fileSeen = true;
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
    // Every download starts at once; Python's start-up overlaps them, and so
    // does reading the kept snapshot.
    const snapshots = import(config.snapshots);
    const address = new URL("engine-snapshot", config.lock).href; // where the kept snapshot is filed, never fetched
    const found = snapshots.then((store) => store.findKept(store.snapshotKey(config), address));
    found.then((kept) => kept.checked?.then(() => step("read"), () => {}));
    const lock = fetchJson(config.lock);
    const bootModule = import(config.boot);
    const wheel = Promise.all([lock, bootModule]).then(([contents, { engineEntry }]) =>
      fetchWheel(engineEntry(contents), config.lock));
    const catalog = fetchText(config.catalog);
    // Awaited only where needed (a restore needs no catalog, and the wheel
    // only for its files): a failed fetch is an error there, not before.
    for (const pending of [lock, wheel, catalog]) pending.catch(() => {});
    const createModule = import(config.pyodide + "pyodide.asm.mjs").then((module) => module.default);
    const [{ loadPyodide }, starter] = await Promise.all([import(config.pyodide + "pyodide.mjs"), bootModule]);
    step("imported");
    const python = {
      indexURL: config.pyodide,
      stdLibURL: config.stdlib,
      lockFileContents: lock,
      stderr: (text) => {
        if (/^Aborted\(/.test(text)) trouble(new Error(text));
      },
      createModule: await createModule,
    };
    const kept = await found;
    let why = kept.why;
    if (kept.bytes) {
      const pyodide = await restored(starter, loadPyodide, { ...python, snapshot: kept.bytes, checked: kept.checked })
        .catch((error) => {
          why = reason(error);
        });
      if (pyodide) {
        post({ type: "ready", boot: "snapshot", steps });
        // Requests wait for this; the engine itself is in memory already.
        await wheel.then((bytes) => starter.restoreFiles(pyodide, bytes), () => {});
        return;
      }
      session = null;
      delete steps.read;
      await (await snapshots).dropKept(address);
    }
    if (kept.bytes || kept.dropped) console.info(`ftsite: the kept engine snapshot was dropped: ${why}; booting the normal way`);
    const pyodide = await starter.startPython(loadPyodide, { ...python, keepable: kept.keepable });
    step("python");
    post({ type: "progress", text: "Starting the engine…" });
    // The lockfile still names the wheel, and fetch checks its sha256.
    session = starter.startEngine(pyodide, await wheel, await catalog, config.built);
    step("engine");
    post({ type: "ready", boot: "normal", why, steps });
    if (kept.keepable) whenQuiet(() => keepSnapshot(starter, pyodide, snapshots, config, address));
  } catch (error) {
    fail(error);
  }
}

// Python and the engine brought back from the kept snapshot (the session is
// set, and the Pyodide returned), or a throw: a failed check, Pyodide refusing
// the bytes, or trouble reported only to the console, which would otherwise
// leave the attempt waiting for ever.
async function restored(starter, loadPyodide, options) {
  try {
    const attempt = starter.startPython(loadPyodide, options);
    attempt.catch(() => {}); // if trouble ends the attempt first, its own failure comes later and means nothing
    const pyodide = await Promise.race([attempt, new Promise((_, reject) => (trouble = reject))]);
    step("python");
    session = starter.resumeEngine(pyodide);
    if (!session) throw new Error("the kept snapshot holds no engine");
    step("engine");
    return pyodide;
  } finally {
    trouble = fail;
  }
}

// The snapshot waits until the worker has answered what the page asked at
// once and then heard nothing for a moment, so the reader's first figures
// do not wait for it; it is never made once a training file has been read.
// It holds what Python held then: the session (which keeps nothing between
// requests) and perhaps fragments of the scenarios answered, in this
// browser's own storage for the site.
const QUIET_MS = 300;

function whenQuiet(action) {
  setTimeout(() => {
    if (fileSeen) return;
    if (performance.now() - busy >= QUIET_MS) action();
    else whenQuiet(action);
  }, QUIET_MS);
}

async function keepSnapshot(starter, pyodide, snapshots, config, address) {
  try {
    const store = await snapshots;
    const started = performance.now();
    const snapshot = starter.snapshotOf(pyodide);
    const made_ms = performance.now() - started;
    const { size, encoded_ms, stored_ms } = await store.keep(store.snapshotKey(config), address, snapshot);
    post({ type: "kept", size, made_ms, encoded_ms, stored_ms });
  } catch (error) {
    post({ type: "kept", error: reason(error) });
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
    if (!watched.has(url) || downloads.has(url) || (init && init.method === "HEAD") || !response.ok || !response.body) {
      return response; // (a second boot after a failed restore fetches them again, from the cache)
    }
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
  post({ type: "failed", error: reason(error || "unknown error").split("\n").slice(-2).join(" ") });
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
    post({ type: "result", id: message.id, phase, error: reason(error) });
    return false;
  }
}

function record({ id, format, fields, today, data_version, address }) {
  try {
    post({ type: "record", id, format, reply: session.record(JSON.stringify({ fields, today, data_version, address })) });
  } catch (error) {
    post({ type: "record", id, format, error: reason(error) });
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
    post({ type: "file", id, error: reason(error) });
  } finally {
    reader?.destroy();
  }
}

// What went wrong, as text for the page.
function reason(error) {
  return String((error && error.message) || error);
}

function post(message) {
  self.postMessage(message);
}
