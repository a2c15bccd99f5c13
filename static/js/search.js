/* The search page: Pagefind's UI over the indexes written at build time, started
 * with the query from the header's search box (?q=...). */
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof window.PagefindUI === "undefined") {
    return;
  }
  // One index per year of posts: the newest is the main bundle, the others merge in.
  var merged = (element.getAttribute("data-merge") || "").split(" ").filter(Boolean);
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: element.getAttribute("data-bundle"),
    mergeIndex: merged.map(function (path) { return { bundlePath: path }; }),
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  // Pagefind's input has only a placeholder; give it a visible label.
  var input = element.querySelector(".pagefind-ui__search-input");
  if (input) {
    input.id = "search-input";
    var label = document.createElement("label");
    label.htmlFor = "search-input";
    label.className = "search-label";
    label.textContent = "Search reports";
    // Into the slot the page keeps for it, so that nothing below moves.
    var slot = element.previousElementSibling;
    if (slot && slot.className === "search-label-slot") {
      slot.appendChild(label);
    } else {
      element.parentNode.insertBefore(label, element);
    }
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
