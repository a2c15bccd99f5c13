/* The search page: Pagefind's UI over the index written at build time, started
 * with the query from the header's search box (?q=...). */
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof window.PagefindUI === "undefined") {
    return;
  }
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: element.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
