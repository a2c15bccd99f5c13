/* The sources filed under one initial: the grade filter, in place.
 *
 * Without JavaScript the page lists all its sources and links to a page per
 * reliability grade. With it, the radio buttons (Tab to the group, arrow keys to
 * choose) hide the sources of other grades and the outlets left empty, say in a
 * status line how many are shown, and carry the choice in the address (?grade=b)
 * and in the links to the other initials and pages, so that it stays as the
 * reader moves through the index. Initials with no source of that grade are
 * marked in the A-Z list; their links still work. */
(function () {
  "use strict";
  var form = document.querySelector("form.grade-filter");
  if (!form || !("URLSearchParams" in window)) {
    return;
  }
  var entries = Array.prototype.slice.call(document.querySelectorAll("li.source[data-reliability]"));
  var outlets = Array.prototype.slice.call(document.querySelectorAll("section.outlet"));
  var links = Array.prototype.slice.call(
    document.querySelectorAll("nav.initials a, nav.sources-pager a, nav.initial-steps a")
  );
  var status = form.querySelector(".filter-status");
  var more = form.querySelector(".filter-more");
  var empty = document.querySelector(".filter-empty");

  function radio(grade) {
    return form.querySelector('input[name="grade"][value="' + grade + '"]');
  }

  function withGrade(href, grade) {
    var url = new URL(href, window.location.href);
    if (grade) {
      url.searchParams.set("grade", grade);
    } else {
      url.searchParams.delete("grade");
    }
    return url.pathname + url.search + url.hash;
  }

  function describe(grade, shown) {
    var total = entries.length;
    var noun = total === 1 ? "source" : "sources";
    if (!grade) {
      return "Showing all " + total + " " + noun + " on this page.";
    }
    var input = radio(grade);
    var meaning = input ? input.getAttribute("data-meaning") : "";
    var label = grade === "ungraded" ? "with no reliability grade" :
      "graded " + grade.toUpperCase() + " (" + meaning + ")";
    return "Showing " + shown + " of " + total + " " + noun + " on this page: those " + label + ".";
  }

  function apply(grade) {
    var shown = 0;
    entries.forEach(function (entry) {
      var match = !grade || entry.getAttribute("data-reliability") === grade;
      entry.hidden = !match;
      shown += match ? 1 : 0;
    });
    outlets.forEach(function (outlet) {
      outlet.hidden = !outlet.querySelector("li.source:not([hidden])");
    });
    if (empty) {
      empty.hidden = shown > 0;
    }
    links.forEach(function (link) {
      link.setAttribute("href", withGrade(link.getAttribute("href"), grade));
      var present = link.getAttribute("data-grades");
      if (present !== null) {
        var none = !!grade && (" " + present + " ").indexOf(" " + grade + " ") < 0;
        link.classList.toggle("no-match", none);
        if (none) {
          link.setAttribute("title", "No sources of this grade under " + link.textContent.trim());
        } else {
          link.removeAttribute("title");
        }
      }
    });
    var input = radio(grade);
    var site = input && input.getAttribute("data-url");
    more.hidden = !(grade && site);
    if (grade && site) {
      var anchor = more.querySelector("a");
      anchor.setAttribute("href", site);
      anchor.textContent = grade === "ungraded" ? "Every source with no reliability grade, under all initials" :
        "Every source graded " + grade.toUpperCase() + ", under all initials";
    }
    status.textContent = describe(grade, shown);
  }

  function choose(grade, remember) {
    var input = radio(grade);
    if (!input) {
      grade = "";
      input = radio("");
    }
    input.checked = true;
    apply(grade);
    if (remember && window.history && window.history.replaceState) {
      window.history.replaceState(window.history.state, "", withGrade(window.location.href, grade));
    }
  }

  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "grade") {
      choose(event.target.value, true);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });

  var asked = new URLSearchParams(window.location.search).get("grade");
  if (asked) {
    choose(asked.toLowerCase(), false);
  }
})();
