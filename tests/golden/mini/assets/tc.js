/* tc trust center: small enhancements; every page works without them.
   - search as you type under the header search box (combobox pattern)
   - "copy link" buttons for measure permalinks
   - a print button on the DPA annex */
(function () {
  "use strict";
  var d = document;

  function el(tag, attrs, text) {
    var e = d.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }

  /* the page's words (data-* attributes, from the language's catalogue),
     with {name} filled in */
  function words(node, key, vals) {
    var w = node.getAttribute("data-" + key) || "";
    return w.replace(/\{(\w+)\}/g, function (m, k) { return k in (vals || {}) ? vals[k] : m; });
  }

  function setupSearch(form) {
    var input = form.querySelector("input[name=q]");
    if (!input || !window.fetch) return;
    /* the page's language: its search answers in it */
    var lang = form.querySelector("input[name=lang]");
    var list = el("ul", { id: "q-list", role: "listbox", "aria-label": words(form, "suggestions"), hidden: "" });
    var status = el("p", { "class": "vh", role: "status", "aria-live": "polite" });
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "q-list");
    input.setAttribute("aria-expanded", "false");
    var timer = 0, seq = 0, active = -1, items = [];

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(i) {
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0) input.setAttribute("aria-activedescendant", items[i].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function show(res) {
      list.textContent = "";
      items = res.results.map(function (r, i) {
        var li = el("li", { id: "q-opt-" + i, role: "option", "aria-selected": "false" });
        var a = el("a", { href: r.url, tabindex: "-1" });
        a.appendChild(el("span", { "class": "mid" }, r.id));
        a.appendChild(d.createTextNode(" " + r.text));
        var snip = el("span", { "class": "snippet" });
        snip.innerHTML = r.snippet; /* HTML-escaped by tc-search, <mark> only */
        a.appendChild(snip);
        li.appendChild(a);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); location.href = r.url; });
        list.appendChild(li);
        return li;
      });
      var n = res.total;
      status.textContent = n === 0 ? words(form, "none") :
        words(form, n === 1 ? "one" : "many", { n: n }) +
        (n > items.length ? words(form, "showing", { k: items.length }) : "") + words(form, "keys");
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }
    function query() {
      var q = input.value.trim(), mine = ++seq;
      if (q.length < 2) { close(); status.textContent = ""; return; }
      fetch("/api/search?limit=8&q=" + encodeURIComponent(q) + (lang ? "&lang=" + encodeURIComponent(lang.value) : ""),
        { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (res) { if (mine === seq) show(res); })
        .catch(function () {
          /* API unreachable: the form still submits to the results page */
          if (mine === seq) { close(); status.textContent = ""; }
        });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(query, 180); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && items.length) {
        e.preventDefault(); list.hidden = false; input.setAttribute("aria-expanded", "true");
        mark(active + 1 < items.length ? active + 1 : 0);
      } else if (e.key === "ArrowUp" && items.length) {
        e.preventDefault(); mark(active > 0 ? active - 1 : items.length - 1);
      } else if (e.key === "Enter" && active >= 0 && !list.hidden) {
        e.preventDefault(); location.href = items[active].querySelector("a").href;
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function setupCopy() {
    if (!navigator.clipboard) return;
    d.querySelectorAll("tr[id] a.mid").forEach(function (a) {
      var id = a.textContent;
      var body = d.body;
      var b = el("button", { type: "button", "class": "copy", "aria-label": words(body, "copy-to", { id: id }) }, words(body, "copy"));
      b.addEventListener("click", function () {
        navigator.clipboard.writeText(a.href).then(function () {
          b.textContent = words(body, "copied");
          setTimeout(function () { b.textContent = words(body, "copy"); }, 1500);
        });
      });
      a.parentNode.appendChild(b);
    });
  }

  function setup() {
    var f = d.querySelector("form.search");
    if (f) setupSearch(f);
    setupCopy();
    d.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
