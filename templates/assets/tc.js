/* tc trust center: small enhancements, every page works without them: search
   as you type (combobox), "copy link" for permalinks, the annex's print button */
(function () {
  "use strict";
  var d = document;

  function set(e, attrs) {
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function el(tag, attrs, text) {
    var e = set(d.createElement(tag), attrs);
    if (text) e.textContent = text;
    return e;
  }

  /* the page's words (data-*, from its language's catalogue), {k} filled */
  function words(node, key, v) {
    return (node.getAttribute("data-" + key) || "").replace(/\{(\w+)\}/g, function (m, k) { return v ? v[k] : m; });
  }

  function setupSearch(form) {
    var input = form.querySelector("input[name=q]");
    if (!input || !window.fetch) return;
    var list = el("ul", { id: "q-list", role: "listbox", "aria-label": words(form, "suggestions"), hidden: "" });
    var status = el("p", { "class": "vh", role: "status", "aria-live": "polite" });
    form.appendChild(list);
    form.appendChild(status);
    set(input, { role: "combobox", "aria-autocomplete": "list", "aria-controls": "q-list", "aria-expanded": "false" });
    var timer = 0, seq = 0, active = -1, items = [];

    function close() {
      list.hidden = true;
      status.textContent = "";
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
      /* paths under the site's own (base_url's), as the action is */
      var base = form.getAttribute("action").replace(/\/api\/search$/, "");
      items = res.results.map(function (r, i) {
        var url = r.url.charAt(0) === "/" ? base + r.url : r.url;
        var li = el("li", { id: "q-opt-" + i, role: "option", "aria-selected": "false" });
        var a = el("a", { href: url, tabindex: "-1" });
        /* a certificate, subprocessor, location or page ("kind") says
           where it is; a measure shows its ID */
        a.appendChild(el("span", { "class": "mid" }, r.kind ? r.category.title : r.id));
        a.appendChild(d.createTextNode(" " + r.text));
        var snip = el("span", { "class": "snippet" });
        snip.innerHTML = r.snippet; /* HTML-escaped by tc-search, <mark> only */
        a.appendChild(snip);
        li.appendChild(a);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); location.href = url; });
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
      if (q.length < 2) return close();
      /* the form's fields: q, and lang on a translation's pages */
      fetch(form.getAttribute("action") + "?limit=8&" + new URLSearchParams(new FormData(form)), { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (res) { if (mine === seq) show(res); })
        .catch(function () {
          /* API unreachable: the form still submits to the results page */
          if (mine === seq) close();
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
      var t = d.body, b = el("button", { type: "button", "class": "copy",
        "aria-label": words(t, "copy-to", { id: a.textContent }) }, words(t, "copy"));
      b.addEventListener("click", function () {
        navigator.clipboard.writeText(a.href).then(function () {
          b.textContent = words(t, "copied");
          setTimeout(function () { b.textContent = words(t, "copy"); }, 1500);
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
