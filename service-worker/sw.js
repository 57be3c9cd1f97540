/* Suivi Plainte service worker, served at /sw.js with scope "/".
 *
 * - App shell (CSS, JS, icons, offline page) pre-cached at install, in a cache named after the version.
 * - Pages: network first with a short timeout, then the cached copy, then the offline page.
 * - Hashed static assets: cache first.
 * - Documents: kept once opened (cache first: a document never changes under its URL); a complaint
 *   can be marked "kept" so that all of its documents are downloaded and kept up to date.
 * - Privacy: only responses the server marks with the signed-in victim's opaque owner key are kept,
 *   in a cache of that owner; signing out, another owner, or a lost session wipes them.
 * - Alerts: a push shows "Du nouveau sur votre plainte" (never a detail), one notification per
 *   complaint (tag), and tells an open page to refresh its timeline; a tap opens the complaint.
 */
"use strict";

const CONFIG = JSON.parse("__SP_CONFIG__");
const SHELL = "sp-shell-" + CONFIG.version;
const USER_PREFIX = "sp-user-";
const META = "sp-meta";
const OWNER_KEY = "/__sp/owner";
const INDEX_KEY = "/__sp/index.json";
const KEPT_KEY = "/__sp/kept.json";
const OWNER_HEADER = "SP-Cache-Owner";
const DOCUMENT_PATH = /^\/plaintes\/([\w-]+)\/documents\/[\w-]+$/;
const COMPLAINT_PATH = /^\/plaintes\/([\w-]+)$/;
const VICTIM_PAGES = /^\/(mes-plaintes|plaintes\/)/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(CONFIG.precache)));
  // An update waits until the page accepts it ("skip-waiting"), so nothing changes under the reader.
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("sp-shell-") && n !== SHELL).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "skip-waiting") self.skipWaiting();
  if (message.type === "purge") event.waitUntil(purgeUser());
  if (message.type === "keep") event.waitUntil(keepDocuments(event.source, message.complaint, message.urls));
  if (message.type === "unkeep") event.waitUntil(unkeepDocuments(message.complaint, message.urls));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/deconnexion") {
    event.waitUntil(purgeUser());
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(cacheFirst(request));
  } else if (DOCUMENT_PATH.test(url.pathname)) {
    event.respondWith(documentResponse(request));
  } else if (request.mode === "navigate" || request.headers.get("HX-Request") === "true") {
    event.respondWith(networkFirst(event, request));
  }
});

/* ---- the signed-in victim's cache ---- */

async function currentOwner() {
  const meta = await caches.open(META);
  const stored = await meta.match(OWNER_KEY);
  return stored ? stored.text() : null;
}

async function ownerCache(owner) {
  const previous = await currentOwner();
  if (previous !== owner) {
    await purgeUser();
    await (await caches.open(META)).put(OWNER_KEY, new Response(owner));
  }
  return caches.open(USER_PREFIX + owner);
}

async function matchUser(request) {
  const owner = await currentOwner();
  if (!owner) return undefined;
  return (await caches.open(USER_PREFIX + owner)).match(request);
}

async function purgeUser() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(USER_PREFIX) || n === META).map((n) => caches.delete(n)));
}

let queue = Promise.resolve();
function serialised(task) {  // index and kept-list updates, one at a time
  queue = queue.then(task, task);
  return queue;
}

async function readJson(cache, key, fallback) {
  const stored = await cache.match(key);
  return stored ? stored.json() : fallback;
}

function keepable(response) {
  return response && response.ok && response.type === "basic" && response.headers.get(OWNER_HEADER) &&
    !(response.headers.get("Cache-Control") || "").includes("no-store");
}

/* Keep a response of the signed-in victim; forget everything if the server says she is signed out. */
async function remember(request, response) {
  const path = new URL(request.url).pathname;
  if (response.type === "opaqueredirect" && VICTIM_PAGES.test(path)) {
    await purgeUser();  // her pages now send to the sign-in page: the session is over
    return;
  }
  if (!keepable(response)) return;
  const owner = response.headers.get(OWNER_HEADER);
  const cache = await ownerCache(owner);
  const isFragment = request.headers.get("HX-Request") === "true";
  const entry = { url: path, savedAt: new Date().toISOString() };
  if (DOCUMENT_PATH.test(path)) {
    entry.kind = "document";
    entry.title = decodeURIComponent(response.headers.get("SP-Title") || path);
    entry.complaint = "/plaintes/" + DOCUMENT_PATH.exec(path)[1];
  } else if (!isFragment) {
    const html = await response.clone().text();
    const title = /<title>([^<]*)<\/title>/.exec(html);
    entry.kind = "page";
    entry.title = title ? title[1].replace(/ – Suivi Plainte$/, "") : path;
    await refreshKeptDocuments(cache, path, html);
  }
  await cache.put(request, response);
  if (entry.kind) {
    await serialised(async () => {
      const index = await readJson(cache, INDEX_KEY, {});
      index[entry.url] = entry;
      await cache.put(INDEX_KEY, new Response(JSON.stringify(index)));
    });
  }
}

/* ---- strategies ---- */

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL)).put(request, response.clone());
  return response;
}

async function networkFirst(event, request) {
  const network = fetch(request).then(async (response) => {
    await remember(request, response.clone());
    return response;
  });
  const cached = await matchUser(request);
  if (!cached) {
    try {
      return await network;
    } catch (error) {
      return offlineFallback(request);
    }
  }
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), CONFIG.networkTimeoutMs));
  const first = await Promise.race([network.catch(() => null), timeout]);
  if (first) return first;
  // Too slow or no network: show the copy kept on the phone; a late answer refreshes it for next time
  // and tells the page, which then refreshes its timeline.
  event.waitUntil(network.then(() => notifyClients({ type: "page-refreshed", url: request.url })).catch(() => {}));
  return request.mode === "navigate" ? markedAsCached(cached) : cached;
}

async function markedAsCached(cached) {
  const html = (await cached.text()).replace("data-offline-banner hidden", "data-offline-banner");
  return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function offlineFallback(request) {
  if (request.mode === "navigate") {
    const offline = await caches.match(CONFIG.offlineUrl);
    if (offline) return offline;
  }
  return new Response("", { status: 503, statusText: "Hors connexion" });
}

async function documentResponse(request) {
  const cached = await matchUser(request);
  if (cached) return cached;
  try {
    const response = await fetch(request);
    await remember(request, response.clone());
    return response;
  } catch (error) {
    return offlineFallback(request);
  }
}

async function notifyClients(message) {
  const clients = await self.clients.matchAll({ type: "window" });
  clients.forEach((client) => client.postMessage(message));
}

/* ---- "Garder mes documents sur ce téléphone" ---- */

async function updateKept(change) {
  const owner = await currentOwner();
  if (!owner) return;
  const cache = await caches.open(USER_PREFIX + owner);
  await serialised(async () => {
    const kept = new Set(await readJson(cache, KEPT_KEY, []));
    change(kept);
    await cache.put(KEPT_KEY, new Response(JSON.stringify([...kept])));
  });
}

async function keepDocuments(client, complaint, urls) {
  let done = 0;
  for (const url of urls) {
    try {
      if (!(await matchUser(url))) {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) throw new Error("HTTP " + response.status);
        await remember(new Request(url), response);
      }
    } catch (error) {
      client.postMessage({ type: "keep-failed", complaint, done, total: urls.length });
      return;
    }
    done += 1;
    client.postMessage({ type: "keep-progress", complaint, url, done, total: urls.length });
  }
  await updateKept((kept) => kept.add(complaint));
  client.postMessage({ type: "keep-done", complaint, total: urls.length });
}

async function unkeepDocuments(complaint, urls) {
  await updateKept((kept) => kept.delete(complaint));
  const owner = await currentOwner();
  if (!owner) return;
  const cache = await caches.open(USER_PREFIX + owner);
  await Promise.all(urls.map((url) => cache.delete(url)));
  await serialised(async () => {
    const index = await readJson(cache, INDEX_KEY, {});
    urls.forEach((url) => delete index[new URL(url, self.location.origin).pathname]);
    await cache.put(INDEX_KEY, new Response(JSON.stringify(index)));
  });
}

/* A kept complaint's page lists its documents: fetch the new ones as they arrive. */
async function refreshKeptDocuments(cache, path, html) {
  const match = COMPLAINT_PATH.exec(path);
  if (!match) return;
  const kept = await readJson(cache, KEPT_KEY, []);
  if (!kept.includes(match[1])) return;
  const urls = [...html.matchAll(/data-document-url="([^"]+)"/g)].map((m) => m[1]);
  for (const url of urls) {
    if (await cache.match(url)) continue;
    fetch(url, { credentials: "same-origin" }).then((response) => remember(new Request(url), response)).catch(() => {});
  }
}

/* ---- alerts ---- */

function sameOriginPath(url) {
  try {
    const target = new URL(url || "/mes-plaintes", self.location.origin);
    return target.origin === self.location.origin ? target.pathname : "/mes-plaintes";
  } catch (error) {
    return "/mes-plaintes";
  }
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const path = sameOriginPath(data.url);
  event.waitUntil(Promise.all([
    self.registration.showNotification(data.title || "Suivi Plainte", {
      body: data.body || "Du nouveau sur votre plainte",
      icon: CONFIG.icon, badge: CONFIG.badge, lang: "fr",
      tag: data.tag || "suivi-plainte", renotify: true, data: { url: path },
    }),
    notifyClients({ type: "push", url: path }),
  ]));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(sameOriginPath(event.notification.data && event.notification.data.url),
                         self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const open = windows.find((client) => client.url === target);
    if (open) return open.focus();
    return self.clients.openWindow(target);
  }));
});
