// Service worker of this town: the last visited pages stay readable offline, a German offline page
// answers for pages this device doesn't hold, and push notifications are shown (the notifications
// module sends them).
//
// Pages: network first (residents always see fresh news and a valid sign-in state), each good page
// kept in a bounded cache; offline, the kept copy answers, else the offline page. Pages with
// personal or administrative content are never kept, and signing out empties the page cache.
const STATIC_CACHE = "dorfkern-static-v2";
const PAGE_CACHE = "dorfkern-pages-v1";
const OFFLINE_URL = "{{ offline_url }}";
const PRECACHE = [OFFLINE_URL, "{{ offline_css }}", "{{ offline_brand_css }}", "{{ pwa_js }}"];
const LOGOUT_PATH = "{{ logout_path }}";
const MAX_PAGES = {{ max_pages }};
const PRIVATE_PREFIXES = [{% for prefix in private_prefixes %}"{{ prefix }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  const keep = [STATIC_CACHE, PAGE_CACHE];
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => !keep.includes(k)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function keepable(url, response) {
  if (!response || !response.ok || response.type !== "basic" || response.redirected) return false;
  if (PRIVATE_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) return false;
  if ((response.headers.get("Cache-Control") || "").includes("no-store")) return false;
  return (response.headers.get("Content-Type") || "").startsWith("text/html");
}

async function remember(key, response) {
  const cache = await caches.open(PAGE_CACHE);
  await cache.delete(key); // a page visited again moves to the end: the oldest visits go first
  await cache.put(key, response);
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - MAX_PAGES; i++) await cache.delete(keys[i]);
}

async function navigate(event) {
  const url = new URL(event.request.url);
  url.hash = "";
  const key = url.href;
  try {
    const response = await fetch(event.request);
    if (keepable(url, response)) event.waitUntil(remember(key, response.clone()));
    return response;
  } catch (error) {
    const kept = await caches.match(key, { cacheName: PAGE_CACHE, ignoreVary: true });
    return kept || (await caches.match(OFFLINE_URL, { ignoreVary: true })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Signing out: nothing of this person's visit stays on the device.
    if (url.pathname === LOGOUT_PATH) event.waitUntil(caches.delete(PAGE_CACHE));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
    return;
  }
  // Styles, scripts, images: the network, and offline whatever was kept.
  event.respondWith(fetch(request).catch(() => caches.match(request, { ignoreVary: true })
    .then((hit) => hit || Response.error())));
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "", {
    body: data.body || "", icon: "/icon-192.png", data: { url: data.url || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
