// Every staff page (templates/base.html): the menu button on small screens, wide
// tables in their own scroll regions, and the "Print" buttons. All enhancements:
// without JavaScript the buttons stay hidden, the menu is simply shown, a wide
// table widens the page and the browser's own Print works (the print stylesheet
// is in site.css either way).
(function () {
  "use strict";

  // The menu: a disclosure button, shown by CSS only on narrow screens, where
  // the menu starts closed. Escape closes it and gives the focus back.
  var toggle = document.querySelector("[data-menu-toggle]");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && nav) {
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-closed", !open);
    };
    setOpen(false);
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      var inside = nav.contains(document.activeElement) || document.activeElement === toggle;
      if (event.key === "Escape" && inside && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // A table wider than the page (a phone, a zoomed window) scrolls sideways in
  // its own region, as the coverage matrix does, rather than the whole page:
  // wrapped in a keyboard-focusable .table-scroll named by the table's caption,
  // else by the heading before it, and the word "table" (data-table-word on this
  // script, translated), so that its name is not that of a section around it.
  // Tables already in a region are left alone.
  var script = document.currentScript;
  var tableWord = (script && script.getAttribute("data-table-word")) || "table";
  function labelFor(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var node = table;
    while (node && node !== document.body) {
      var previous = node.previousElementSibling;
      while (previous) {
        if (/^H[1-6]$/.test(previous.tagName)) return previous.textContent.trim();
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return document.title;
  }
  function wrapWideTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-scroll")) return;
      var parent = table.parentElement;
      if (table.getBoundingClientRect().width <= parent.clientWidth + 1 && table.scrollWidth <= parent.clientWidth + 1) return;
      var region = document.createElement("div");
      region.className = "table-scroll";
      region.tabIndex = 0;
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", labelFor(table).replace(/\s+/g, " ") + " (" + tableWord + ")");
      parent.insertBefore(region, table);
      region.appendChild(table);
    });
  }
  wrapWideTables();
  document.addEventListener("toggle", wrapWideTables, true); // a <details> opened: its tables are laid out now
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(wrapWideTables, 200);
  });

  // "Print" (templates/print_button.html): shown, and opens the browser's print dialogue.
  document.querySelectorAll("[data-print]").forEach(function (wrapper) {
    var button = wrapper.querySelector("button");
    if (!button) return;
    wrapper.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
