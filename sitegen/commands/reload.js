(function () {
  "use strict";
  // The build this page was read from, written into its script tag by the server.
  var script = document.currentScript;
  var page = script ? script.getAttribute("data-build") : null;
  var overlay = null;
  // Colours of its own, not the theme's nor the colour scheme's: text 17:1, title 10:1.
  var reset = "all:initial;display:block;box-sizing:border-box;";
  var mono = "ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(message) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "sitegen-error";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = reset + "position:fixed;inset:0;z-index:2147483647;" +
      "overflow:auto;padding:2rem;background:#17181b;color:#f1f1f1;color-scheme:dark;" +
      "font:14px/1.5 " + mono + ";";
    var title = document.createElement("h2");
    title.textContent = "sitegen: the site could not be built";
    title.style.cssText = reset + "margin:0 0 1rem;color:#ffb4a9;" +
      "font:600 18px/1.3 system-ui,sans-serif;";
    var pre = document.createElement("pre");
    pre.textContent = message;
    pre.style.cssText = reset + "margin:0;padding:1rem;white-space:pre-wrap;" +
      "overflow-wrap:anywhere;background:#0e0f11;color:#f1f1f1;" +
      "border:1px solid #5f636b;border-radius:4px;font:14px/1.5 " + mono + ";";
    overlay.appendChild(title);
    overlay.appendChild(pre);
    document.body.appendChild(overlay);
  }
  var source = new EventSource("__EVENTS__");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (page === null) { page = state.build; }
    if (state.build !== page) { source.close(); window.location.reload(); return; }
    if (state.error) { show(state.error); } else { hide(); }
  });
})();
