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
      if (item.matched === "typo") { parts.push("Did you mean this?"); }
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

/* Letter composer (/companies/<slug>/write): progressive enhancement of a form that works
   without JavaScript. As the user types, the preview's field spans update, optional parts
   hide while their field is empty, and the mailto link is rebuilt with the same rules as
   directory/escalation/letters.py (RFC 6068: UTF-8 percent-encoding, CRLF line breaks).
   Changing the step or the letter resubmits the form to get the new template. Nothing
   leaves the browser except that same-page form submission. */
(function () {
  "use strict";

  function visibleText(node) {
    if (node.nodeType === 3) { return node.nodeValue; }
    if (node.nodeType !== 1 || node.hidden) { return ""; }
    if (node.tagName === "BR") { return "\n"; }
    var text = "";
    for (var i = 0; i < node.childNodes.length; i++) { text += visibleText(node.childNodes[i]); }
    return text;
  }

  function encode(value) {
    return encodeURIComponent(value.replace(/\r\n|\r/g, "\n").replace(/\n/g, "\r\n"))
      .replace(/[!'()*]/g, function (ch) { return "%" + ch.charCodeAt(0).toString(16).toUpperCase(); });
  }

  function initComposer(form) {
    var letter = document.getElementById("letter-preview");
    if (!letter) { return; }
    var mailto = document.querySelector("[data-mailto]");
    var copyButton = document.querySelector("[data-copy-letter]");
    var printButton = document.querySelector("[data-print-letter]");
    var status = document.querySelector(".copy-status");

    function subject() { return visibleText(letter.querySelector("[data-letter-subject]")); }

    function body() {
      var parts = letter.querySelectorAll("[data-body-part]");
      var texts = [];
      for (var i = 0; i < parts.length; i++) {
        if (!parts[i].hidden) { texts.push(visibleText(parts[i])); }
      }
      return texts.join("\n\n");
    }

    function update(name, value) {
      var trimmed = value.trim();
      var spans = letter.querySelectorAll("[data-field='" + name + "']");
      for (var i = 0; i < spans.length; i++) {
        spans[i].textContent = trimmed || spans[i].getAttribute("data-placeholder");
        spans[i].classList.toggle("placeholder", !trimmed);
      }
      var optional = letter.querySelectorAll("[data-requires='" + name + "']");
      for (var j = 0; j < optional.length; j++) { optional[j].hidden = !trimmed; }
      if (mailto) {
        var to = encodeURIComponent(letter.getAttribute("data-mailto-to") || "").replace(/%40/g, "@");
        mailto.href = "mailto:" + to + "?subject=" + encode(subject()) + "&body=" + encode(body());
      }
    }

    form.addEventListener("input", function (event) {
      var target = event.target;
      if (target.name && target.tagName !== "SELECT") { update(target.name, target.value); }
    });
    var selects = form.querySelectorAll("select[data-resubmit]");
    for (var k = 0; k < selects.length; k++) {
      selects[k].addEventListener("change", function () { form.submit(); });
    }
    if (copyButton && navigator.clipboard) {
      copyButton.hidden = false;
      copyButton.addEventListener("click", function () {
        navigator.clipboard.writeText("Subject: " + subject() + "\n\n" + body()).then(
          function () { if (status) { status.textContent = "Letter copied."; } },
          function () { if (status) { status.textContent = "Could not copy; select the letter and copy it instead."; } }
        );
      });
    }
    if (printButton && window.print) {
      printButton.hidden = false;
      printButton.addEventListener("click", function () { window.print(); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-composer]");
    if (form) { initComposer(form); }
  });
})();
