/* What came of it: the follow-up page's filters (status, theme, actor, workshop or
   declaration, country), their counts and the choice kept in the address (#status=unknown&actor=...);
   on entry pages, an item's address opens its citation. A plain script over data in the
   page, so it works from file:// (the USB edition) too. */
(function () {
  "use strict";

  function parseChoice() {
    var choice = {};
    var parts = [window.location.search.replace(/^\?/, ""), window.location.hash.replace(/^#/, "")];
    parts.forEach(function (part) {
      part.split("&").forEach(function (pair) {
        if (pair.indexOf("=") < 0) return;
        var kv = pair.split("=");
        try {
          choice[decodeURIComponent(kv[0])] = decodeURIComponent(kv.slice(1).join("="));
        } catch (e) { /* a malformed address: ignore that part */ }
      });
    });
    return choice;
  }

  /* A row's terms for a facet: on the row, or on the group holding it (status, source, country). */
  function termsOf(row, facet) {
    var holder = row.closest("[data-" + facet + "]");
    return holder ? (holder.getAttribute("data-" + facet) || "").split(" ") : [];
  }

  function setUpPage(form) {
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
    var rows = Array.prototype.slice.call(document.querySelectorAll(".hub-followrow"));
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-status-group]"));
    var status = form.querySelector("[data-followup-count]");
    var empty = document.querySelector("[data-followup-empty]");
    var facets = selects.map(function (s) { return s.getAttribute("data-facet"); });

    function current() {
      var c = {};
      selects.forEach(function (s) { c[s.getAttribute("data-facet")] = s.value; });
      return c;
    }

    // each row's terms, read once
    var terms = rows.map(function (row) {
      var t = {};
      facets.forEach(function (f) { t[f] = termsOf(row, f); });
      return t;
    });

    function apply(writeAddress) {
      var c = current();
      var shown = 0;
      var counts = {};
      facets.forEach(function (f) { counts[f] = {}; });
      rows.forEach(function (row, n) {
        var t = terms[n];
        var missed = [];
        facets.forEach(function (f) {
          if (c[f] && t[f].indexOf(c[f]) < 0) missed.push(f);
        });
        row.hidden = missed.length > 0;
        if (!missed.length) shown += 1;
        // an option's count: the rows it would show with the other choices kept
        facets.forEach(function (f) {
          if (missed.length === 0 || (missed.length === 1 && missed[0] === f)) {
            t[f].forEach(function (v) { if (v) counts[f][v] = (counts[f][v] || 0) + 1; });
          }
        });
      });
      Array.prototype.forEach.call(document.querySelectorAll(".hub-followsource"), function (s) {
        s.hidden = !s.querySelector(".hub-followrow:not([hidden])");
      });
      groups.forEach(function (g) {
        var n = g.querySelectorAll(".hub-followrow:not([hidden])").length;
        g.hidden = n === 0;
        var count = g.querySelector("[data-group-count]");
        if (count) count.textContent = String(n);
      });
      selects.forEach(function (s) {
        var f = s.getAttribute("data-facet");
        Array.prototype.forEach.call(s.options, function (opt) {
          if (!opt.value) return;
          opt.textContent = opt.getAttribute("data-label") + " (" + (counts[f][opt.value] || 0) + ")";
        });
      });
      if (status) status.textContent = shown === 1 ? "1 item." : shown + " items.";
      if (empty) empty.hidden = shown !== 0;
      if (writeAddress) {
        var pairs = [];
        facets.forEach(function (f) {
          if (c[f]) pairs.push(encodeURIComponent(f) + "=" + encodeURIComponent(c[f]));
        });
        var hash = pairs.length ? "#" + pairs.join("&") : "";
        var base = window.location.href.split("#")[0];
        try {
          window.history.replaceState(null, "", base + hash);
        } catch (e) {
          window.location.hash = hash;
        }
      }
    }

    function fromAddress() {
      var choice = parseChoice();
      selects.forEach(function (s) {
        var want = choice[s.getAttribute("data-facet")] || "";
        var known = Array.prototype.some.call(s.options, function (o) { return o.value === want; });
        s.value = known ? want : "";
      });
      apply(false);
    }

    selects.forEach(function (s) {
      s.addEventListener("change", function () { apply(true); });
    });
    window.addEventListener("hashchange", fromAddress);
    fromAddress();
    form.setAttribute("data-ready", "true");
  }

  function openItemCitation() {
    var id = window.location.hash.replace(/^#/, "");
    if (!id || id.indexOf("=") >= 0) return;
    var target = document.getElementById(id);
    if (!target || !target.querySelector) return;
    var cite = target.querySelector(".hub-followup__cite");
    if (cite) cite.open = true;
  }

  function start() {
    var form = document.querySelector("form[data-hub-followup]");
    if (form && form.getAttribute("data-ready") !== "true") setUpPage(form);
    openItemCitation();
  }

  window.addEventListener("hashchange", openItemCitation);
  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
