/* CEO Directory: progressive enhancement only. Every page works without this file.
   Search-as-you-type on inputs with data-suggest-url: an ARIA 1.2 combobox whose listbox
   shows /search/suggest results; arrows move, Enter opens the highlighted company,
   Escape closes; without a highlighted option Enter submits the form as usual. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;

  function initCombobox(input) {
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var status = document.getElementById(input.id + "-status");
    if (!listbox) { return; }
    var url = input.getAttribute("data-suggest-url");
    var suggestions = [];
    var active = -1;
    var timer = null;
    var lastQuery = null;
    var controller = null;

    function optionId(index) { return input.id + "-option-" + index; }

    function announce(text) { if (status) { status.textContent = text; } }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function describe(item) {
      var parts = [];
      if (item.ticker) { parts.push(item.ticker); }
      if (item.country) { parts.push(item.country); }
      if (item.ceo) { parts.push("CEO: " + item.ceo); }
      return parts.join(" · ");
    }

    function render(items) {
      suggestions = items;
      listbox.textContent = "";
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = optionId(index);
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "suggestion-name";
        name.textContent = item.name;
        option.appendChild(name);
        var meta = describe(item);
        if (meta) {
          var small = document.createElement("span");
          small.className = "suggestion-meta";
          small.textContent = meta;
          option.appendChild(small);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep focus in the input until we navigate
          go(index);
        });
        listbox.appendChild(option);
      });
      if (items.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        announce(items.length + (items.length === 1 ? " suggestion" : " suggestions") + ", use the arrow keys to choose");
      } else {
        close();
        announce("");
      }
      active = -1;
    }

    function go(index) {
      var item = suggestions[index];
      if (item && item.url) { window.location.assign(item.url); }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) { return; }
      lastQuery = query;
      if (query.length < 2) { render([]); return; }
      if (controller) { controller.abort(); }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() === query) { render(data.suggestions || []); }
        })
        .catch(function () { /* offline or aborted: the form still submits normally */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && suggestions.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) { if (suggestions.length) { render(suggestions); } return; }
        event.preventDefault();
        highlight(active + 1 >= suggestions.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) { return; }
        event.preventDefault();
        highlight(active <= 0 ? suggestions.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          go(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[role=combobox][data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) { initCombobox(inputs[i]); }
  });
})();
