// Upgrades a page built with the default scenario's figures into a live
// calculator. The page is complete without this file; with it, the engine
// boots in a worker, form fields (named by scenario keys) are read, sent as
// text, and every [data-result] element takes the engine's answer.
//
// Nothing that comes from the URL or the form is ever inserted as markup:
// values go into .value, .checked and .textContent only.
//
// Performance marks (ftsite:engine-ready, ftsite:input, ftsite:shown for the
// point figures, ftsite:full for the whole result) let the benchmark, or
// anyone's devtools, time the boot and each recomputation.

const root = document.documentElement;
const config = root.dataset;
// The page knows no scenario keys of its own: a form control inside a
// [data-field] is a field, and every URL parameter goes to the engine, which
// keeps the ones it knows (and a page without a control for one still keeps it).
const MAX_PARAMETERS = 100;
const MAX_LENGTH = 200;
const LIVE = "Live: the figures follow your answers as you change them.";
// What the figures are while the engine loads, after the step it is on
const WAITING = "Until it is ready these are the default scenario's figures.";
const WAITING_LINK = "The figures for your link show once it is ready.";
// A boot that says nothing for this long has hung (a runtime file that never
// loads); the page then gives up on the live engine and keeps its figures.
const WATCHDOG_MS = 60000;
const SVG_NS = "http://www.w3.org/2000/svg";
const SVG_TAGS = new Set(["g", "line", "polyline", "polygon", "circle", "text", "rect", "path"]);

let form = null;
let statuses = [];
let fields = Object.create(null); // scenario key -> text, as the reader typed it (no prototype to pollute)
let fromLink = Object.create(null); // what the page's address asked for, to say what of it was not used
let linkNotes = []; // what of the address could not be read at all, and why
let worker = null;
let sent = 0;
let due = null; // the newest reply waiting for the next frame, and whether showing it marks ftsite:shown
let failure = null; // why the engine could not start, kept for a form wired later
let watchdog = null;
let fileRead = 0; // the newest training file sent to the worker: replies about older ones are dropped
let recordAsked = 0; // the newest decision record asked for

// The worker was started from the head by start.js, before the page was
// parsed; this takes it over, hears what it has said so far, and wires the
// form up as soon as it exists.
if (window.ftsiteEngine) {
  root.dataset.engine = "loading";
  worker = window.ftsiteEngine.worker;
  takeOver(window.ftsiteEngine.heard);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}

function takeOver(heard) {
  clearTimeout(window.ftsiteEngine.unclaimed);
  worker.onmessage = (event) => receive(event.data);
  worker.onerror = (event) => failed(event.message || "the worker could not start");
  armWatchdog();
  for (const message of heard.splice(0)) receive(message);
}

function start() {
  form = document.querySelector("form[data-engine-form]");
  statuses = Array.from(document.querySelectorAll("[data-engine-status]"));
  trackSummaryHeight();
  if (!form) return;
  fields = readForm();
  const fromUrl = readUrl();
  fromLink = fromUrl;
  for (const key of Object.keys(fromUrl)) fields[key] = fromUrl[key];
  writeForm(fromUrl);
  if (root.dataset.engine === "loading") {
    say(`Loading the engine… ${Object.keys(fromUrl).length ? WAITING_LINK : WAITING}`);
    if (Object.keys(fromUrl).length) markStale(true);
  } else {
    say(root.dataset.engine === "ready" ? LIVE : broken(failure));
    if (root.dataset.engine === "failed") holdLinkFigures(); // it failed before the form was wired
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  wireTrainingFile();
  wireRecord();
  form.addEventListener("submit", (event) => event.preventDefault());
  evaluate();
}

function isField(control) {
  return Boolean(control.name) && Boolean(control.closest("[data-field]"));
}

function readForm() {
  const found = Object.create(null);
  for (const control of form.elements) {
    if (!isField(control)) continue;
    if (control.type === "radio") {
      if (control.checked) found[control.name] = control.value;
      else if (!(control.name in found)) found[control.name] = "";
    } else {
      found[control.name] = control.value;
    }
  }
  return found;
}

// The link's settings by scenario key; what of the link cannot be one (too
// long, too many, given twice) goes to linkNotes, to be listed with why. An
// old key (the form's data-aliases) reads as its new one.
function readUrl() {
  const found = Object.create(null);
  const aliases = JSON.parse(form.dataset.aliases || "{}");
  const pairs = Array.from(new URLSearchParams(location.search));
  linkNotes = [];
  for (const [given, value] of pairs.slice(0, MAX_PARAMETERS)) {
    const key = Object.hasOwn(aliases, given) && !pairs.some(([other]) => other === aliases[given]) ? aliases[given] : given;
    if (key.length > MAX_LENGTH || value.length > MAX_LENGTH) {
      linkNotes.push(`${given.slice(0, 40)}${given.length > 40 ? "…" : ""}: longer than ${MAX_LENGTH} characters`);
    } else {
      if (key in found) linkNotes.push(`${key}=${found[key]}: given again later in the link, and the later value is used`);
      found[key] = value;
    }
  }
  if (pairs.length > MAX_PARAMETERS) {
    linkNotes.push(`${pairs.length - MAX_PARAMETERS} more settings: a link is read up to ${MAX_PARAMETERS}`);
  }
  return found;
}

function writeForm(values) {
  for (const [key, text] of Object.entries(values)) {
    const control = form.elements.namedItem(key);
    if (!control) continue;
    const details = (control instanceof RadioNodeList ? control[0] : control).closest("details");
    if (details) details.open = true; // a value from the link shows where it went
    if (control instanceof RadioNodeList) {
      for (const radio of control) radio.checked = radio.value === text;
    } else if (control instanceof HTMLSelectElement) {
      const known = Array.from(control.options).some((option) => option.value === text);
      if (known) control.value = text;
      else control.selectedIndex = -1; // nothing chosen: any choice then fixes the link's value
    } else {
      control.value = text;
    }
  }
}

function changed(event) {
  const control = event.target;
  if (!isField(control)) return;
  if (control.type === "radio" && !control.checked) return;
  fields[control.name] = control.value;
  performance.mark("ftsite:input");
  evaluate();
}

function evaluate() {
  sent += 1;
  worker.postMessage({ type: "evaluate", id: sent, fields: Object.assign(Object.create(null), fields), today: today() });
}

// The reader's own date: offers close, models retire and prices age by the
// calendar, so a page read months after it was built says what is true now.
function today() {
  const now = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

// What scrolls into view (a link to a field, a field Tab reaches) clears the
// sticky summary: site.css pads the scroll by its height, kept here.
function trackSummaryHeight() {
  const summary = document.querySelector(".tool-summary-narrow");
  if (!summary || typeof ResizeObserver !== "function") return;
  new ResizeObserver(() => {
    root.style.setProperty("--summary-height", `${Math.ceil(summary.getBoundingClientRect().height)}px`);
  }).observe(summary);
}

function armWatchdog() {
  clearTimeout(watchdog);
  watchdog = setTimeout(() => failed("it did not start in time"), WATCHDOG_MS);
}

function receive(message) {
  if (message.type === "progress") {
    if (root.dataset.engine !== "loading") return;
    armWatchdog();
    say(`${message.text} ${Object.keys(fromLink).length ? WAITING_LINK : WAITING}`);
  } else if (message.type === "ready") ready(message);
  else if (message.type === "kept") kept(message);
  else if (message.type === "failed") failed(message.error);
  else if (message.type === "file-progress" && message.id === fileRead) fileProgress(message);
  else if (message.type === "file" && message.id === fileRead) fileMeasured(message);
  else if (message.type === "record" && message.id === recordAsked) recordMade(message);
  else if (message.type === "result" && message.id === sent) {
    if (message.error) return unworkable(message.error);
    // The point and the full reply can both land before a frame: show only
    // the newer, once, and mark it shown if the point reply was among them.
    const waiting = due !== null;
    due = { text: message.reply, marks: (due?.marks ?? false) || message.phase !== "full", full: message.phase === "full" };
    if (!waiting) requestAnimationFrame(showDue);
  }
}

// data-engine-boot says how the engine came up: "snapshot" (restored from
// the one an earlier visit kept) or "normal". The worker's steps become
// marks (ftsite:boot:worker, :imported, :read, :python, :engine), and the
// ready mark's detail says which way it booted and, if a snapshot was kept
// but not used, why.
function ready({ boot, why, steps }) {
  if (root.dataset.engine === "failed") return;
  clearTimeout(watchdog);
  for (const [name, at] of Object.entries(steps || {})) {
    performance.mark(`ftsite:boot:${name}`, { startTime: Math.max(0, at - performance.timeOrigin) });
  }
  performance.mark("ftsite:engine-ready", { detail: { boot, why } });
  if (boot) root.dataset.engineBoot = boot;
  root.dataset.engine = "ready";
  say(LIVE);
  offerTrainingFile();
}

// After a normal boot the worker keeps a snapshot for the next visit, once
// it has gone quiet: data-engine-snapshot="kept" once it is stored
// ("not-kept" if it could not be), and a mark with its size and what making,
// encoding and storing it took.
function kept({ size, made_ms, encoded_ms, stored_ms, error }) {
  performance.mark("ftsite:snapshot-kept", { detail: { size, made_ms, encoded_ms, stored_ms, error } });
  root.dataset.engineSnapshot = error ? "not-kept" : "kept";
}

function failed(reason) {
  if (root.dataset.engine === "failed" || root.dataset.engine === "ready") return;
  clearTimeout(watchdog);
  failure = reason;
  root.dataset.engine = "failed";
  worker?.terminate();
  markStale(false);
  holdLinkFigures();
  say(broken(reason));
}

// The built figures are the default scenario's, not a link's: under a link
// they stay hidden, and the panel says why.
function holdLinkFigures() {
  if (!Object.keys(fromLink).length) return;
  markStale(true);
  for (const wait of document.querySelectorAll("[data-stale-wait]")) {
    wait.textContent = "The figures for the scenario in your link cannot be worked out here: the live engine did not start.";
  }
}

function broken(reason) {
  return `The live engine is unavailable: it could not start (${reason}). The figures shown are the default ` +
    "scenario's, worked out when the site was built.";
}

// The engine is up but could not work out this scenario: a problem with the
// figures, not with the engine. The next change tries again.
function unworkable(reason) {
  markStale(true);
  say(`These figures could not be worked out (${reason}); change a field to try again. ` +
    "The figures shown are the last ones that could.");
}

function say(text) {
  for (const status of statuses) status.textContent = text;
}

// Stale results: their figures rest on something other than what the reader
// entered (a field the engine cannot use, or a link not yet worked out), so
// the panels say so and hide every figure until that is put right.
function markStale(stale) {
  if (!form) return;
  for (const panel of document.querySelectorAll("[data-results]")) {
    panel.setAttribute("aria-busy", stale ? "true" : "false");
    if (stale) panel.dataset.stale = "true";
    else delete panel.dataset.stale;
  }
}

function showDue() {
  const { text, marks, full } = due;
  due = null;
  show(JSON.parse(text), marks);
  if (full) performance.mark("ftsite:full"); // the whole result, with how sure it is, is on the page
}

// ``marks``: this is the first showing of a change (its point reply, or a
// full one that overtook it), which the benchmark times by ftsite:shown.
function show(reply, marks) {
  const onPage = Object.keys(reply.errors).filter((key) => form.elements.namedItem(key));
  for (const message of document.querySelectorAll("[data-error-for]")) {
    showError(message, reply.errors[message.dataset.errorFor]);
  }
  listDropped(reply);
  summariseErrors(onPage, reply.errors);
  keepAddress(reply.result.query);
  if (onPage.length) {
    markStale(true);
    say("Waiting for a value the calculator can use: see the problem in the results.");
    if (marks) performance.mark("ftsite:shown");
    return;
  }
  if (root.dataset.engine === "ready") say(LIVE);
  for (const element of document.querySelectorAll("[data-result]")) {
    const value = reply.display[element.dataset.result];
    if (Array.isArray(value)) fillList(element, value);
    else if (typeof value === "string") element.textContent = value;
  }
  for (const element of document.querySelectorAll("[data-result-state]")) {
    const value = reply.display[element.dataset.resultState];
    if (typeof value === "string") element.dataset.state = value;
  }
  for (const figure of document.querySelectorAll("[data-chart]")) {
    const drawn = lookup(reply.result, figure.dataset.chart);
    if (drawn) {
      figure.querySelector("svg")?.replaceWith(svgOf(drawn));
      delete figure.dataset.pending;
    } else {
      figure.dataset.pending = "true"; // drawn by the full reply, a moment later: dimmed until then
    }
  }
  markStale(false);
  if (marks) performance.mark("ftsite:shown");
}

// The address holds the scenario the engine could read, and so does every
// link that carries the scenario to another page.
function keepAddress(query) {
  // A scenario names the data version it was worked out on (prices.json's)
  if (query && form.dataset.dataVersion) query += `&${form.dataset.versionKey}=${form.dataset.dataVersion}`;
  for (const link of document.querySelectorAll("[data-scenario-link]")) {
    link.dataset.target ??= link.getAttribute("href");
    link.setAttribute("href", link.dataset.target + (query ? `?${query}` : ""));
  }
  const address = location.pathname + (query ? `?${query}` : "") + location.hash;
  history.replaceState(history.state, "", address);
  for (const address of document.querySelectorAll("[data-scenario-address]")) address.textContent = location.href;
}

function lookup(result, key) {
  return key.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), result);
}

// A chart from the engine: [tag, attributes, text] nodes (a "g" may add a
// list of child nodes), built as SVG elements one by one; nothing is parsed
// as markup.
function svgOf(drawn) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${Number(drawn.width)} ${Number(drawn.height)}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("class", "chart");
  for (const [tag, text] of [["title", drawn.title], ["desc", drawn.desc]]) {
    const element = document.createElementNS(SVG_NS, tag);
    element.textContent = text;
    svg.append(element);
  }
  svg.append(...elementsOf(drawn.nodes));
  return svg;
}

function elementsOf(nodes) {
  const made = [];
  for (const [tag, attributes, text, children] of nodes) {
    if (!SVG_TAGS.has(tag)) continue;
    const element = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (/^[a-z][a-z0-9-]*$/.test(name) && !name.startsWith("on")) element.setAttribute(name, String(value));
    }
    if (text) element.textContent = text;
    if (tag === "g" && Array.isArray(children)) element.append(...elementsOf(children));
    made.push(element);
  }
  return made;
}

function fillList(list, items) {
  const entries = items.map((item) => {
    const entry = document.createElement("li");
    if (item.id) entry.dataset.id = item.id;
    const href = linkFor(item.href);
    if (href) {
      const anchor = document.createElement("a");
      anchor.href = href;
      anchor.textContent = item.text;
      entry.append(anchor);
    } else {
      entry.textContent = item.text;
    }
    return entry;
  });
  if (!entries.length) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = list.dataset.empty || "None.";
    entries.push(empty);
  }
  list.replaceChildren(...entries);
}

function linkFor(href) {
  if (!href) return null;
  if (/^https?:\/\//.test(href)) return href;
  if (/^[a-z0-9][a-z0-9./-]*$/.test(href)) return config.base + href;
  return null;
}

// The error summary: one link per field to put right, named as the field
// itself is labelled on the page.
function summariseErrors(keys, errors) {
  for (const box of document.querySelectorAll("[data-error-summary]")) {
    const list = box.querySelector("ul");
    const said = keys.map((key) => `${labelFor(key)}: ${errors[key]}`);
    if (!box.hidden && said.join("\n") === Array.from(list.children, (item) => item.textContent).join("\n")) continue;
    list.replaceChildren(...keys.map((key) => {
      const entry = document.createElement("li");
      const link = document.createElement("a");
      const control = controlFor(key);
      link.href = `#${control && control.id ? control.id : `error-${key}`}`;
      link.textContent = `${labelFor(key)}: ${errors[key]}`;
      entry.append(link);
      return entry;
    }));
    box.hidden = keys.length === 0;
  }
  for (const note of document.querySelectorAll("[data-stale-note]")) {
    note.hidden = keys.length === 0;
    if (!keys.length) continue;
    const link = document.createElement("a");
    const control = controlFor(keys[0]);
    link.href = `#${control && control.id ? control.id : `error-${keys[0]}`}`;
    link.textContent = labelFor(keys[0]);
    note.replaceChildren(`Fix ${keys.length === 1 ? "" : `${keys.length} fields, first `}`, link, " to see figures");
  }
  for (const key of keys) {
    const details = controlFor(key)?.closest("details");
    if (details) details.open = true;
  }
}

// What the link asked for that the engine did not use, and why: a value it
// cannot read for a setting this page has no field for, or no setting at all.
function listDropped(reply) {
  const dropped = [...linkNotes];
  const version = form.dataset.dataVersion;
  for (const [key, text] of Object.entries(fromLink)) {
    if (key === form.dataset.versionKey) {
      if (text !== version) dropped.push(`${key}=${text}: the link was made on other prices; these figures use the site's current data (version ${version})`);
      continue;
    }
    if (reply.unknown.includes(key)) dropped.push(`${key}=${text}: not a setting of this calculator`);
    else if (reply.errors[key] && !form.elements.namedItem(key)) dropped.push(`${key}=${text}: ${reply.errors[key]}`);
  }
  for (const box of document.querySelectorAll("[data-dropped]")) {
    box.querySelector("ul").replaceChildren(...dropped.map((text) => {
      const entry = document.createElement("li");
      entry.textContent = text;
      return entry;
    }));
    box.hidden = dropped.length === 0;
  }
}

function controlFor(key) {
  const holder = form.querySelector(`[data-field="${CSS.escape(key)}"]`);
  return holder ? holder.querySelector("input, select") : null;
}

function labelFor(key) {
  const holder = form.querySelector(`[data-field="${CSS.escape(key)}"]`);
  const label = holder && holder.querySelector("label, legend");
  return label ? label.textContent.trim() : key;
}

function showError(message, text) {
  const key = message.dataset.errorFor;
  const holder = form.querySelector(`[data-field="${CSS.escape(key)}"]`);
  const controls = holder ? holder.querySelectorAll("input, select") : [];
  message.textContent = text || "";
  message.hidden = !text;
  for (const control of controls) {
    if (text) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
}

// A training file, measured by the engine in the worker: the page hands over
// the File (a handle, not its bytes) and shows what comes back. The input has
// no name, so no form submission can carry the file either.
function trainingFileBox() {
  return form ? form.querySelector("[data-training-file]") : null;
}

function offerTrainingFile() {
  if (root.dataset.engine === "ready") trainingFileBox()?.removeAttribute("hidden");
}

function wireTrainingFile() {
  const box = trainingFileBox();
  if (!box) return;
  offerTrainingFile();
  const input = box.querySelector("input[type=file]");
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    if (!file || root.dataset.engine !== "ready") return;
    fileRead += 1;
    const progress = box.querySelector("[data-file-progress]");
    progress.value = 0;
    progress.hidden = false;
    box.querySelector("[data-file-summary]").textContent = `Reading ${file.name} on this device…`;
    box.dataset.file = file.name;
    box.querySelector("[data-file-faults]").hidden = true;
    box.dataset.state = "reading";
    worker.postMessage({ type: "read-file", id: fileRead, file, fields: Object.assign(Object.create(null), fields), today: today() });
    input.value = ""; // the worker holds the file now; picking the same file again, fixed, reads it again
  });
}

function fileProgress({ read, size }) {
  const progress = trainingFileBox().querySelector("[data-file-progress]");
  progress.value = size ? read / size : 1;
}

function fileMeasured(message) {
  const box = trainingFileBox();
  box.querySelector("[data-file-progress]").hidden = true;
  const summary = box.querySelector("[data-file-summary]");
  const faults = box.querySelector("[data-file-faults]");
  if (message.error) {
    box.dataset.state = "failed";
    summary.textContent = `The file could not be read here (${message.error}); nothing was changed.`;
    return;
  }
  const measured = JSON.parse(message.reply);
  box.dataset.state = measured.fault_count ? "faults" : measured.examples ? "read" : "empty";
  summary.textContent = `${box.dataset.file} — ${measured.examples ? `${measured.summary} ${measured.estimate}` : measured.summary}`;
  const listed = measured.faults.map(({ line, message: text }) => {
    const entry = document.createElement("li");
    entry.dataset.line = String(line);
    entry.textContent = `Line ${line.toLocaleString("en-US")}: ${text}`;
    return entry;
  });
  if (measured.fault_count > measured.faults.length) {
    const more = document.createElement("li");
    more.textContent = `…and ${(measured.fault_count - measured.faults.length).toLocaleString("en-US")} more.`;
    listed.push(more);
  }
  faults.replaceChildren(...listed);
  faults.hidden = listed.length === 0;
  const filled = Object.entries(measured.fields);
  if (!filled.length) return;
  for (const [key, text] of filled) {
    const control = form.elements.namedItem(key);
    if (control) control.value = text;
    fields[key] = text;
  }
  performance.mark("ftsite:input");
  evaluate();
}

// The decision record: the built links give the default scenario's; with the
// engine up, a click asks the worker for the reader's own, and saves it.
const RECORD_TYPES = { json: "application/json", csv: "text/csv" };

function wireRecord() {
  for (const link of document.querySelectorAll("a[data-record]")) {
    link.addEventListener("click", (event) => {
      if (root.dataset.engine !== "ready") {
        if (!Object.keys(fromLink).length) return; // the default scenario's record, as built
        event.preventDefault(); // the built file is not the scenario of this link
        sayRecord(root.dataset.engine === "failed"
          ? "The record of the scenario in your link needs the live engine, which could not start."
          : "The record of the scenario in your link can be saved once the engine is ready.");
        return;
      }
      event.preventDefault();
      recordAsked += 1;
      sayRecord("Writing the record of your scenario…");
      worker.postMessage({ type: "record", id: recordAsked, format: link.dataset.record, today: today(),
        fields: Object.assign(Object.create(null), fields), data_version: form.dataset.dataVersion, address: versionedAddress() });
    });
  }
}

function recordMade(message) {
  if (message.error) return sayRecord(`The record could not be written (${message.error}).`);
  const made = JSON.parse(message.reply);
  const wrong = Object.keys(made.errors).filter((key) => form.elements.namedItem(key));
  if (wrong.length) return sayRecord(`Put right ${wrong.map(labelFor).join(", ")} first: a record holds only what you asked for.`);
  const url = URL.createObjectURL(new Blob([made[message.format]], { type: RECORD_TYPES[message.format] }));
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = `${made.stem}.${message.format}`;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000); // once the download has surely begun
  sayRecord(`Saved ${anchor.download}.`);
}

// The page's address with the data version in it, even for the default
// scenario: opened later, the page can tell its reader the prices have moved.
function versionedAddress() {
  const address = new URL(location.href);
  address.searchParams.set(form.dataset.versionKey, form.dataset.dataVersion);
  return address.href;
}

function sayRecord(text) {
  for (const status of document.querySelectorAll("[data-record-status]")) status.textContent = text;
}
