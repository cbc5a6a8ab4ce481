// The engine's memory snapshot, kept in the browser's Cache Storage between
// visits: Python's whole memory once the engine is up, so the next visit
// restores it instead of starting Python and importing the engine again.
//
//   const found = await findKept(key, address);  // {bytes, checked} to restore, or {why, keepable, dropped?}
//   found.checked                                // fills found.bytes; rejects if they are not what was stored
//   await dropKept(address);                     // a kept snapshot that failed to restore
//   const {size, encoded_ms, stored_ms} = await keep(key, address, snapshot);
//
// One snapshot per site: it is stored under one address, with the key it was
// made for (Pyodide's version folder, the standard library, the lockfile and
// so the engine's wheel, the catalog, the boot module, the build date and
// this file's own version, all by their hashed names) beside it. Pyodide
// itself refuses a snapshot of another build of its runtime. A snapshot made for
// other files is never restored: it would bring back old prices. The stored
// form keeps only the memory's non-zero pages (about 40% of 30 MiB), and its
// SHA-256 and length go with it, so a truncated or altered copy is caught
// before Python sees it.

const CACHE = "ftsite-engine";
const MAGIC = 0x31535446; // "FTS1", little-endian
const PAGE = 4096;
const HEADER = 16; // magic, page size, memory length, page count (u32 each)
const MAX_MEMORY = 128 * 1024 * 1024; // four times what the engine uses: a size past this is not one made here

export function snapshotKey(config) {
  return [import.meta.url, config.pyodide, config.stdlib, config.lock, config.catalog, config.boot, config.built].join(" ");
}

export async function findKept(key, address) {
  let cache;
  try {
    cache = await caches.open(CACHE);
  } catch {
    return { why: "this browser keeps no Cache Storage for the site", keepable: false }; // no secure context, or storage off
  }
  try {
    const response = await cache.match(address);
    if (!response) return { why: "no snapshot kept", keepable: true };
    if (response.headers.get("x-ftsite-key") !== key) throw new Error("the kept snapshot was made for other files");
    const length = Number(response.headers.get("x-ftsite-memory"));
    if (!Number.isInteger(length) || length <= 0 || length > MAX_MEMORY) throw new Error("the kept snapshot has no size");
    // Handed over at once, and filled while the runtime compiles: the boot
    // waits for `checked` before Python sees any of it.
    const bytes = new Uint8Array(length);
    const checked = fill(bytes, response);
    checked.catch(() => {}); // the boot awaits it; failing before then is not an unhandled rejection
    return { bytes, checked, keepable: true };
  } catch (error) {
    await cache.delete(address).catch(() => {});
    return { why: String(error.message || error), keepable: true, dropped: true };
  }
}

async function fill(bytes, response) {
  const stored = new Uint8Array(await response.arrayBuffer());
  if (String(stored.byteLength) !== response.headers.get("x-ftsite-length")) throw new Error("the kept snapshot is short");
  const digest = sha256(stored);
  expand(stored, bytes);
  if ((await digest) !== response.headers.get("x-ftsite-sha256")) throw new Error("the kept snapshot fails its SHA-256");
}

export async function dropKept(address) {
  try {
    await (await caches.open(CACHE)).delete(address);
  } catch {
    // nothing kept, or nowhere to keep it
  }
}

export async function keep(key, address, snapshot) {
  const started = performance.now();
  const stored = sparse(snapshot);
  const digest = await sha256(stored);
  const encoded = performance.now();
  const headers = { "content-type": "application/octet-stream", "x-ftsite-key": key, "x-ftsite-sha256": digest,
    "x-ftsite-length": String(stored.byteLength), "x-ftsite-memory": String(snapshot.byteLength) };
  await (await caches.open(CACHE)).put(address, new Response(stored, { headers }));
  return { size: stored.byteLength, encoded_ms: encoded - started, stored_ms: performance.now() - encoded };
}

// The snapshot's non-zero pages: a header, the pages' numbers, the pages.
function sparse(snapshot) {
  const pages = Math.ceil(snapshot.byteLength / PAGE);
  const kept = [];
  for (let page = 0; page < pages; page += 1) {
    if (!allZero(snapshot, page * PAGE, Math.min(snapshot.byteLength, (page + 1) * PAGE))) kept.push(page);
  }
  const out = new Uint8Array(HEADER + kept.length * 4 + kept.length * PAGE);
  const view = new DataView(out.buffer);
  [MAGIC, PAGE, snapshot.byteLength, kept.length].forEach((value, index) => view.setUint32(index * 4, value, true));
  kept.forEach((page, index) => {
    view.setUint32(HEADER + index * 4, page, true);
    out.set(snapshot.subarray(page * PAGE, (page + 1) * PAGE), HEADER + kept.length * 4 + index * PAGE);
  });
  return out;
}

function allZero(bytes, start, end) {
  const words = (end - start) >> 2;
  if (start % 4 === 0 && bytes.byteOffset % 4 === 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + start, words);
    for (let i = 0; i < words; i += 1) if (view[i] !== 0) return false;
    start += words * 4;
  }
  for (let i = start; i < end; i += 1) if (bytes[i] !== 0) return false;
  return true;
}

// Back to the snapshot Pyodide made, written into `snapshot`; a copy that
// does not add up throws.
function expand(stored, snapshot) {
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  if (stored.byteLength < HEADER || view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== PAGE) {
    throw new Error("the kept snapshot is not one this site stores");
  }
  const length = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  const data = HEADER + count * 4;
  if (length !== snapshot.byteLength || stored.byteLength !== data + count * PAGE) {
    throw new Error("the kept snapshot does not add up");
  }
  for (let index = 0; index < count; index += 1) {
    const page = view.getUint32(HEADER + index * 4, true);
    const room = Math.min(PAGE, length - page * PAGE);
    if (room <= 0) throw new Error("the kept snapshot names a page past its end");
    snapshot.set(stored.subarray(data + index * PAGE, data + index * PAGE + room), page * PAGE);
  }
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
