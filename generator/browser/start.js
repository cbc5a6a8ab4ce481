// Starts the engine's worker from the head, before the page's body is parsed.
//
// This small classic script sits ahead of the stylesheet, so nothing holds it
// back: Python's runtime is on its way while the page is parsed and drawn.
// (app.js, an async module, runs only once the page has rendered: on a first
// visit that was 0.3 s after the page arrived.) app.js takes the worker over
// and hears, in order, whatever it said before app.js came.
//
// Exposes window.ftsiteEngine = {worker, heard, unclaimed}: the worker, its
// messages so far (app.js replaces the handlers that collect them), and the
// timer that ends the worker if app.js never comes for it. The page is marked
// data-engine="loading" by app.js, which alone can say more.
(() => {
  const root = document.documentElement;
  const config = root.dataset;
  if (!config.engineWorker || typeof Worker !== "function") return;
  const absolute = (path) => new URL(path, location.href).href;
  const heard = [];
  let worker;
  try {
    worker = new Worker(config.engineWorker, { type: "module" });
  } catch (error) {
    return; // no worker here (a sandboxed frame): the page keeps its figures
  }
  worker.onmessage = (event) => heard.push(event.data);
  worker.onerror = (event) => heard.push({ type: "failed", error: event.message || "the worker could not start" });
  worker.postMessage({
    type: "boot",
    config: {
      pyodide: absolute(config.enginePyodide),
      stdlib: absolute(config.engineStdlib),
      lock: absolute(config.engineLock),
      catalog: absolute(config.engineCatalog),
      boot: absolute(config.engineBootModule),
      snapshots: absolute(config.engineSnapshots),
      built: config.engineBuilt,
    },
  });
  // Nobody came for it (app.js did not load): the page stays as built.
  const unclaimed = setTimeout(() => worker.terminate(), 60000);
  window.ftsiteEngine = { worker, heard, unclaimed };
})();
