// Service worker of this town: keeps the start page and styles for offline use
// and shows push notifications (the notifications module sends them).
const CACHE = "dorfkern-v1";
const OFFLINE_URLS = ["/", "{{ offline_css }}", "{{ offline_brand_css }}"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(OFFLINE_URLS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  // Network first: residents always see fresh news; the cache is only the fallback.
  event.respondWith(fetch(request).catch(() => caches.match(request).then((hit) => hit || caches.match("/"))));
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
