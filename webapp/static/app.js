// Suivi Plainte – small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  var $ = function (selector, root) { return (root || document).querySelector(selector); };
  var $$ = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };

  // The activation QR code carries the code after "#": fill the field, then drop it from the address bar
  // and history so that it is not left behind on the phone.
  function fillActivationCode() {
    var match = /[#&]code=([A-Za-z0-9-]{10,40})/.exec(window.location.hash);
    var input = document.getElementById("code");
    if (!match || !input) return;
    input.value = match[1];
    history.replaceState(null, "", window.location.pathname + window.location.search);
    var day = document.getElementById("birth_day");
    if (day) day.focus();
  }

  function enablePrintButtons() {
    $$("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function refreshTimeline() {
    var timeline = $("#chronologie[hx-get]");
    if (timeline && window.htmx && navigator.onLine !== false) window.htmx.trigger(timeline, "refresh");
  }

  // Refresh the timeline when the person comes back to the app, not only on the timer.
  function refreshWhenVisible() {
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") refreshTimeline();
    });
  }

  /* ---- installing the app ---- */
  function offerInstall() {
    var standalone = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone;
    if (standalone) return;
    var isIos = /iphone|ipad|ipod/i.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
    if (isIos) {
      $$("[data-install]").forEach(function (box) { box.hidden = false; });
      $$("[data-install-ios]").forEach(function (text) { text.hidden = false; });
    }
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      $$("[data-install]").forEach(function (box) { box.hidden = false; });
      $$("[data-install-button]").forEach(function (button) {
        button.hidden = false;
        button.onclick = function () {
          event.prompt();
          event.userChoice.then(function () { $$("[data-install]").forEach(function (b) { b.hidden = true; }); });
        };
      });
    });
  }

  /* ---- service worker: offline reading, updates ---- */
  var worker = navigator.serviceWorker;
  var reloadWhenUpdated = false;

  function showUpdate(registration) {
    var banner = $("[data-update-banner]");
    if (!banner) return;
    banner.hidden = false;
    $("[data-update-reload]", banner).onclick = function () {
      reloadWhenUpdated = true;
      if (registration.waiting) registration.waiting.postMessage({ type: "skip-waiting" });
    };
  }

  function registerWorker() {
    worker.ready.then(function () {
      // Offline features are offered only once a service worker is running and can keep things.
      markOfflineDocuments();
      enableKeepSwitch();
      listOfflineContent();
    });
    worker.register("/sw.js", { scope: "/" }).then(function (registration) {
      if (!registration) return;  // service workers disabled by the browser's settings
      if (registration.waiting && worker.controller) showUpdate(registration);
      registration.addEventListener("updatefound", function () {
        var installing = registration.installing;
        installing.addEventListener("statechange", function () {
          if (installing.state === "installed" && worker.controller) showUpdate(registration);
        });
      });
    });
    worker.addEventListener("controllerchange", function () {
      if (reloadWhenUpdated) window.location.reload();  // the person accepted the new version
    });
    worker.addEventListener("message", onWorkerMessage);
  }

  function onWorkerMessage(event) {
    var message = event.data || {};
    if (message.type === "push" && message.url === window.location.pathname) refreshTimeline();
    if (message.type === "page-refreshed" && message.url === window.location.href) {
      refreshTimeline();
      var banner = $("[data-offline-banner]");
      if (banner) banner.hidden = true;
    }
    if (message.type === "keep-progress" || message.type === "keep-done" || message.type === "keep-failed") {
      showKeepProgress(message);
    }
  }

  function documentUrls() {
    return $$("[data-document-url]").map(function (row) { return row.getAttribute("data-document-url"); });
  }

  function markOfflineDocuments() {
    $$("[data-document-url]").forEach(function (row) {
      var status = $("[data-offline-status]", row);
      caches.match(row.getAttribute("data-document-url")).then(function (found) {
        status.hidden = false;
        status.textContent = found ? "✓ Disponible sans connexion sur ce téléphone" : "Pas encore disponible sans connexion";
        status.className = "offline-status" + (found ? " offline-yes" : "");
      });
    });
  }

  function showKeepProgress(message) {
    var progress = $("[data-keep-progress]");
    var status = $("[data-keep-status]");
    if (!progress) return;
    progress.hidden = message.type !== "keep-progress";
    progress.max = message.total;
    progress.value = message.done || 0;
    if (message.type === "keep-progress") status.textContent = "Téléchargement : " + message.done + " sur " + message.total;
    if (message.type === "keep-done") status.textContent = "Vos " + message.total + " documents sont disponibles sans connexion.";
    if (message.type === "keep-failed") {
      status.textContent = "Le téléchargement n'a pas pu se terminer. Réessayez quand vous aurez du réseau.";
      $("[data-keep-complaint]").checked = false;
    }
    markOfflineDocuments();
  }

  function enableKeepSwitch() {
    var box = $("[data-keep-complaint]");
    if (!box) return;
    var complaint = box.getAttribute("data-keep-complaint");
    $("[data-offline-tools]").hidden = false;
    caches.keys().then(function (names) {
      var userCache = names.filter(function (n) { return n.indexOf("sp-user-") === 0; })[0];
      return userCache && caches.open(userCache).then(function (c) { return c.match("/__sp/kept.json"); });
    }).then(function (kept) { return kept && kept.json(); }).then(function (list) {
      box.checked = !!list && list.indexOf(complaint) !== -1;
    });
    box.addEventListener("change", function () {
      worker.ready.then(function (registration) {
        registration.active.postMessage({ type: box.checked ? "keep" : "unkeep", complaint: complaint, urls: documentUrls() });
        if (!box.checked) {
          $("[data-keep-status]").textContent = "Les documents ne seront plus gardés sur ce téléphone.";
          setTimeout(markOfflineDocuments, 300);
        }
      });
    });
  }

  function listOfflineContent() {
    var box = $("[data-offline-list]");
    if (!box) return;
    caches.keys().then(function (names) {
      var userCache = names.filter(function (n) { return n.indexOf("sp-user-") === 0; })[0];
      return userCache ? caches.open(userCache).then(function (c) { return c.match("/__sp/index.json"); }) : null;
    }).then(function (found) { return found ? found.json() : {}; }).then(function (index) {
      box.hidden = false;
      var entries = Object.keys(index).map(function (key) { return index[key]; });
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = entry.url;
        link.textContent = entry.title;
        item.appendChild(link);
        $(entry.kind === "document" ? "[data-offline-documents]" : "[data-offline-pages]", box).appendChild(item);
      });
      $("[data-offline-empty]", box).hidden = entries.length > 0;
    });
  }

  /* ---- alerts (web push) ---- */
  function csrfToken() {
    var meta = $("meta[name=csrf-token]");
    return meta ? meta.getAttribute("content") : "";
  }

  function keyBytes(value) {
    var raw = atob((value + "===".slice((value.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function subscribe(box, key) {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("denied");
      return worker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
    }).then(function (subscription) {
      return fetch(box.getAttribute("data-subscribe-url"), {
        method: "POST", credentials: "same-origin", body: JSON.stringify(subscription),
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() }
      });
    }).then(function (response) {
      if (!response.ok) throw new Error("server");
    });
  }

  function offerAlerts() {
    $$("[data-push]").forEach(function (box) {
      var button = $("[data-push-subscribe]", box);
      var status = $("[data-push-status]", box);
      var say = function (name) { status.textContent = box.getAttribute("data-msg-" + name); };
      var key = box.getAttribute("data-vapid-key");
      if (!key || !worker || !("PushManager" in window) || !("Notification" in window)) return say("unsupported");
      if (Notification.permission === "denied") return say("denied");
      worker.ready.then(function (registration) { return registration.pushManager.getSubscription(); })
        .then(function (existing) { if (existing && Notification.permission === "granted") say("done"); });
      button.hidden = false;
      button.addEventListener("click", function () {
        button.disabled = true;
        subscribe(box, key).then(function () {
          say("done");
          button.hidden = true;
        }).catch(function (error) {
          say(error.message === "denied" ? "denied" : "failed");
          button.disabled = false;
        });
      });
    });
  }

  function showOfflineBanner() {
    var banner = $("[data-offline-banner]");
    if (!banner || !$("#chronologie")) return;
    window.addEventListener("offline", function () { banner.hidden = false; });
    window.addEventListener("online", function () { banner.hidden = true; refreshTimeline(); });
  }

  function init() {
    fillActivationCode();
    enablePrintButtons();
    refreshWhenVisible();
    offerInstall();
    showOfflineBanner();
    if (!worker || !window.caches) return offerAlerts();  // works without a service worker, online only
    registerWorker();
    offerAlerts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
