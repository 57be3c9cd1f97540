// Suivi Plainte – small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

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
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // Refresh the timeline when the person comes back to the app, not only on the timer.
  function refreshWhenVisible() {
    document.addEventListener("visibilitychange", function () {
      var timeline = document.querySelector("#chronologie[hx-get]");
      if (document.visibilityState === "visible" && timeline && window.htmx) {
        window.htmx.trigger(timeline, "refresh");
      }
    });
  }

  function init() {
    fillActivationCode();
    enablePrintButtons();
    refreshWhenVisible();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
