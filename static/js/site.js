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

// Forms that guide (templates/form_errors.html, DEVELOPERS.md "Forms that guide").
// The error summary takes the focus when the page loads, so that a screen reader
// reads it first; its links move the focus to their field and bring the field's
// label (or a group's legend) into view. Without JavaScript the summary is the
// first thing in the form and its links still go to the fields.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!target) return;
      event.preventDefault();
      var legend = target.closest("fieldset") && target.closest("fieldset").querySelector("legend");
      var label = target.id && document.querySelector("label[for='" + target.id.replace(/'/g, "\\'") + "']");
      var shown = (target.type === "checkbox" || target.type === "radio") && legend ? legend : (label || legend || target);
      shown.scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }

  // A long picker (the goals an activity serves: forms with a FilterCheckboxSelectMultiple
  // or FilterSelect, lib/pickers.py) gets a text box above it that hides the choices
  // not containing the words typed, and says how many are shown. Without
  // JavaScript the plain list or select stays as it is.
  var counter = 0;
  document.querySelectorAll("[data-filter-picker]").forEach(function (picker) {
    counter += 1;
    var list = picker.querySelector("select") || picker.querySelector(":scope > div[id]") || picker; // the widget, by its id
    var choices = function () {
      if (list.tagName === "SELECT") return Array.prototype.slice.call(list.options);
      return Array.prototype.slice.call(picker.querySelectorAll("input[type=checkbox], input[type=radio]")).map(function (input) {
        return input.closest("div") || input.parentElement;
      });
    };
    if (!list.id) list.id = "filter-picker-list-" + counter;
    var wrapper = document.createElement("div");
    wrapper.className = "filter-picker";
    var id = "filter-picker-" + counter;
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = picker.getAttribute("data-filter-label") || "Filter";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", list.id);
    var status = document.createElement("p");
    status.className = "filter-picker-count";
    status.id = id + "-count";
    status.setAttribute("role", "status");
    input.setAttribute("aria-describedby", status.id);
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    picker.parentElement.insertBefore(wrapper, picker);
    var template = picker.getAttribute("data-filter-count") || "{shown} / {total}";
    var timer = null;
    var apply = function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var all = choices();
      var shown = 0;
      all.forEach(function (choice) {
        var text = choice.textContent.toLowerCase();
        var selected = choice.tagName === "OPTION" ? choice.selected : !!(choice.querySelector("input") || {}).checked;
        var match = selected || words.every(function (word) { return text.indexOf(word) !== -1; });
        choice.hidden = !match;
        if (match) shown += 1;
      });
      // A group with nothing shown is hidden with its heading.
      picker.querySelectorAll("optgroup, fieldset.picker-group").forEach(function (group) {
        var any = Array.prototype.some.call(group.querySelectorAll("option, input"), function (el) {
          var item = el.tagName === "OPTION" ? el : (el.closest("div") || el);
          return !item.hidden;
        });
        group.hidden = !any;
      });
      status.textContent = template.replace("{shown}", shown).replace("{total}", all.length);
    };
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // typing a filter never submits the form
    });
    apply();
  });
})();
