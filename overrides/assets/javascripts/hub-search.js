/* Water Services Knowledge Hub: search with Pagefind.
 *
 * Two interfaces share one Pagefind instance:
 *  - the header box: results as you type, arrow keys to move, Enter to open,
 *    Escape to close, "/" to focus from anywhere;
 *  - the search page: query, filters with counts and sort, all kept in the URL
 *    (?q=...&type=...&theme=...&sort=newest) so a search can be shared and the
 *    back button works.
 * Results that match a recommendation, commitment or finding link straight to
 * that item's anchor. Everything is loaded from the site itself; the site root
 * is worked out from the page, so any base path works.
 */
(function () {
  "use strict";

  var FILTERS = [
    ["type", "Type"], ["theme", "Theme"], ["challenge", "Challenge"], ["country", "Country"],
    ["region", "Region"], ["organisation", "Organisation"], ["year", "Year"]
  ];
  var STOP_WORDS = ("a an and are as at be but by for from has have how i if in into is it its of on or " +
    "our so than that the their then there these they this to was we were what when where which who why " +
    "will with you your").split(" ");

  var form = document.querySelector("[data-hub-search]");
  if (!form) return;
  var root = new URL(form.getAttribute("data-hub-root") || "./", document.baseURI);
  var offline = form.getAttribute("data-hub-offline") === "true";
  var enginePromise = null;

  /* The search engine: Pagefind on a served site; on the USB edition, opened from
   * the file system where Pagefind cannot run, the offline index (same calls). */
  function engine() {
    if (!enginePromise) {
      enginePromise = offline ? loadOffline() : import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: root.pathname, excerptLength: 22 }))
          .then(function () { return pf.init(); })
          .then(function () { return pf; });
      });
    }
    return enginePromise;
  }

  function loadOffline() {
    return new Promise(function (resolve, reject) {
      if (window.HubOfflineSearch) { resolve(window.HubOfflineSearch.create(root)); return; }
      var script = document.createElement("script");
      script.src = new URL("assets/javascripts/hub-offline-search.js", root).href;
      script.onload = function () { resolve(window.HubOfflineSearch.create(root)); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  /* The words of a query that can find anything, or "" for stop-words and punctuation only. */
  function meaningful(query) {
    var words = (query || "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return words.filter(function (w) { return STOP_WORDS.indexOf(w) < 0; }).length ? query.trim() : "";
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "html") node.innerHTML = attrs[key]; /* only for Pagefind's excerpts, which are escaped */
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  /* Item-level hits: the recommendations / commitments / findings (li elements with ids)
   * in which the query's words were found, best first. */
  function itemHits(data) {
    var anchors = (data.anchors || []).slice().sort(function (a, b) { return a.location - b.location; });
    var words = (data.content || "").split(/\s+/);
    var hits = {};
    (data.locations || []).forEach(function (loc) {
      var owner = null;
      for (var i = 0; i < anchors.length && anchors[i].location <= loc; i++) owner = i;
      if (owner === null || anchors[owner].element !== "li") return;
      var a = anchors[owner];
      var end = owner + 1 < anchors.length ? anchors[owner + 1].location : words.length;
      if (!hits[a.id]) hits[a.id] = { id: a.id, count: 0, terms: {}, text: words.slice(a.location, Math.min(end, a.location + 28)).join(" ") };
      hits[a.id].count++;
      hits[a.id].terms[(words[loc] || "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")] = true;
    });
    /* items that match more of the query's different words first, then more often */
    return Object.keys(hits).map(function (k) { return hits[k]; }).sort(function (a, b) {
      return (Object.keys(b.terms).length - Object.keys(a.terms).length) || (b.count - a.count);
    });
  }

  function resultNode(data, options) {
    var meta = data.meta || {};
    var facts = [meta.type, meta.date, meta.place].filter(Boolean).join(" · ");
    var item = el("li", { "class": "hub-result" + (options.option ? " hub-result--option" : "") });
    if (options.option) { item.setAttribute("role", "option"); item.id = options.id; }
    item.appendChild(el("a", { href: data.url, "class": "hub-result__title", text: meta.title || data.url }));
    if (facts) item.appendChild(el("p", { "class": "hub-result__meta", text: facts }));
    item.appendChild(el("p", { "class": "hub-result__excerpt", html: data.excerpt || "" }));
    var items = itemHits(data).slice(0, options.items || 3);
    if (items.length) {
      var list = el("ul", { "class": "hub-result__items" });
      items.forEach(function (hit) {
        list.appendChild(el("li", {}, [el("a", { href: data.url.split("#")[0] + "#" + hit.id, "class": "hub-result__item", text: hit.text + "…" })]));
      });
      item.appendChild(list);
    }
    return item;
  }

  function unavailable() {
    return location.protocol === "file:" && !offline
      ? "Search needs the library to be served (it cannot run from a file). Browse by theme, challenge or country instead."
      : "Search could not be loaded. Browse by theme, challenge or country instead.";
  }

  /* ---------------- header box ---------------- */
  var input = form.querySelector("input[name=q]");
  var panel = form.querySelector(".hub-search__results");
  var active = -1;
  var latest = 0;

  function options() { return panel.querySelectorAll("[role=option]"); }

  function setActive(index) {
    var opts = options();
    if (!opts.length) return;
    active = (index + opts.length) % opts.length;
    opts.forEach(function (node, i) { node.classList.toggle("hub-result--active", i === active); node.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", opts[active].id);
    opts[active].scrollIntoView({ block: "nearest" });
  }

  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function show(nodes) {
    panel.replaceChildren.apply(panel, nodes);
    panel.setAttribute("data-hub-query", input.value);
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function searchPageUrl(query) {
    return form.getAttribute("action") + (query ? "?q=" + encodeURIComponent(query) : "");
  }

  function runHeader() {
    var query = input.value;
    var ticket = ++latest;
    if (!query.trim()) { close(); return; }
    if (!meaningful(query)) {
      show([el("p", { "class": "hub-search__empty", text: "Type a word that says what you are looking for, such as “water loss” or “Blue Drop”." })]);
      return;
    }
    engine().then(function (pf) {
      return pf.search(meaningful(query));
    }).then(function (search) {
      if (ticket !== latest || !search) return null;
      return Promise.all(search.results.slice(0, 6).map(function (r) { return r.data(); })).then(function (results) {
        if (ticket !== latest) return;
        if (!results.length) {
          show([el("p", { "class": "hub-search__empty", text: "Nothing found for “" + query + "”. Try another word, or browse by theme." })]);
          return;
        }
        var list = el("ul", { "class": "hub-results" });
        results.forEach(function (data, i) { list.appendChild(resultNode(data, { option: true, id: "hub-option-" + i, items: 2 })); });
        var more = el("a", { "class": "hub-search__more", href: searchPageUrl(query), text: "All " + search.results.length + " results and filters for “" + query + "” →" });
        show([list, more]);
      });
    }).catch(function () {
      if (ticket === latest) show([el("p", { "class": "hub-search__empty", text: unavailable() })]);
    });
  }

  var timer = null;
  input.addEventListener("focus", function () { engine().catch(function () {}); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(runHeader, 60);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); if (panel.hidden) runHeader(); else setActive(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); setActive(active - 1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      var link = options()[active].querySelector("a");
      if (link) location.href = link.href;
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    location.href = searchPageUrl(input.value.trim());
  });
  document.addEventListener("click", function (event) { if (!form.contains(event.target)) close(); });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });

  /* ---------------- search page ---------------- */
  var page = document.querySelector("[data-hub-search-page]");
  if (!page) return;
  var pageInput = page.querySelector("input[name=q]");
  var sortSelect = page.querySelector("select[name=sort]");
  var filterBox = document.querySelector(".hub-filters");
  var status = document.querySelector(".hub-search-status");
  var list = document.querySelector(".hub-search-list");
  var known = null;
  var pageTicket = 0;

  function readState() {
    var params = new URLSearchParams(location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") || "relevance", filters: {} };
    FILTERS.forEach(function (f) {
      var values = params.getAll(f[0]).filter(Boolean);
      if (values.length) state.filters[f[0]] = values;
    });
    params.forEach(function (_, key) {
      if (["q", "sort"].indexOf(key) < 0 && !FILTERS.some(function (f) { return f[0] === key; })) {
        (state.unknownKeys = state.unknownKeys || []).push(key);
      }
    });
    return state;
  }

  function writeState(state, push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FILTERS.forEach(function (f) { (state.filters[f[0]] || []).forEach(function (v) { params.append(f[0], v); }); });
    if (state.sort && state.sort !== "relevance") params.set("sort", state.sort);
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (url === location.pathname + location.search) return;
    try {
      (push ? history.pushState : history.replaceState).call(history, null, "", url);
    } catch (error) { /* some browsers refuse history changes on file:// pages */ }
  }

  function currentState() {
    var state = { q: pageInput.value.trim(), sort: sortSelect.value, filters: {} };
    filterBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (state.filters[box.name] = state.filters[box.name] || []).push(box.value);
    });
    return state;
  }

  function renderFilters(state, counts) {
    var groups = FILTERS.map(function (f) {
      var values = Object.keys(known[f[0]] || {});
      if (!values.length) return null;
      values.sort(function (a, b) {
        if (f[0] === "year") return b.localeCompare(a);
        return (known[f[0]][b] - known[f[0]][a]) || a.localeCompare(b);
      });
      var chosen = state.filters[f[0]] || [];
      var set = el("fieldset", { "class": "hub-filter" }, [el("legend", { text: f[1] })]);
      values.forEach(function (value, i) {
        var count = counts && counts[f[0]] ? (counts[f[0]][value] || 0) : known[f[0]][value];
        var box = el("input", { type: "checkbox", name: f[0], value: value });
        box.checked = chosen.indexOf(value) >= 0;
        var label = el("label", { "class": "hub-filter__option" + (i >= 8 && !box.checked ? " hub-filter__option--more" : "") }, [
          box, document.createTextNode(" " + value + " "), el("span", { "class": "hub-count", text: String(count) })
        ]);
        if (!count && !box.checked) label.classList.add("hub-filter__option--none");
        set.appendChild(label);
      });
      if (values.length > 8) {
        var toggle = el("button", { type: "button", "class": "hub-filter__toggle", text: "Show all " + values.length });
        toggle.addEventListener("click", function () {
          set.classList.toggle("hub-filter--open");
          toggle.textContent = set.classList.contains("hub-filter--open") ? "Show fewer" : "Show all " + values.length;
        });
        set.appendChild(toggle);
      }
      return set;
    }).filter(Boolean);
    filterBox.replaceChildren.apply(filterBox, groups);
  }

  function unknownFilters(state) {
    var problems = (state.unknownKeys || []).map(function (key) { return "“" + key + "” is not a filter"; });
    Object.keys(state.filters).forEach(function (key) {
      state.filters[key].forEach(function (value) {
        if (!known[key] || !(value in known[key])) problems.push("no " + key + " called “" + value + "”");
      });
    });
    return problems;
  }

  function runPage(push) {
    var state = currentState();
    writeState(state, push);
    return search(state);
  }

  function search(state) {
    var ticket = ++pageTicket;
    pageInput.value = state.q;
    sortSelect.value = ["relevance", "newest", "oldest"].indexOf(state.sort) >= 0 ? state.sort : "relevance";
    status.textContent = "Searching…";
    return engine().then(function (pf) {
      return (known ? Promise.resolve(known) : pf.filters()).then(function (filters) {
        known = filters;
        var problems = unknownFilters(state);
        if (problems.length) {
          renderFilters({ filters: {} }, null);
          list.replaceChildren();
          status.replaceChildren(
            el("strong", { text: "No such filter: " }), document.createTextNode(problems.join("; ") + ". "),
            el("a", { href: location.pathname + (state.q ? "?q=" + encodeURIComponent(state.q) : ""), text: "Search without it" })
          );
          document.body.setAttribute("data-hub-search-state", "unknown-filter");
          return;
        }
        var query = meaningful(state.q);
        var hasFilters = Object.keys(state.filters).length > 0;
        if (!query && !hasFilters) {
          renderFilters(state, null);
          list.replaceChildren();
          status.textContent = state.q
            ? "“" + state.q + "” has no words to search for. Try a word such as “water loss”, “Blue Drop” or “customer care”."
            : "Type what you are looking for, or choose filters.";
          document.body.setAttribute("data-hub-search-state", "empty");
          return;
        }
        var filterSpec = {};
        Object.keys(state.filters).forEach(function (key) { filterSpec[key] = { any: state.filters[key] }; });
        var searchOptions = { filters: filterSpec };
        if (state.sort === "newest") searchOptions.sort = { date: "desc" };
        if (state.sort === "oldest") searchOptions.sort = { date: "asc" };
        return pf.search(query || null, searchOptions).then(function (result) {
          if (ticket !== pageTicket) return;
          renderFilters(state, result.filters);
          return Promise.all(result.results.slice(0, 30).map(function (r) { return r.data(); })).then(function (results) {
            if (ticket !== pageTicket) return;
            list.replaceChildren.apply(list, results.map(function (data) { return resultNode(data, { items: 4 }); }));
            var n = result.results.length;
            status.textContent = n
              ? n + (n === 1 ? " entry" : " entries") + (n > 30 ? " (showing the first 30)" : "") + "."
              : "Nothing found. Remove a filter or try another word.";
            document.body.setAttribute("data-hub-search-state", n ? "results" : "none");
          });
        });
      });
    }).catch(function () {
      status.textContent = unavailable();
      document.body.setAttribute("data-hub-search-state", "unavailable");
    });
  }

  var pageTimer = null;
  page.addEventListener("submit", function (event) { event.preventDefault(); runPage(true); });
  pageInput.addEventListener("input", function () { clearTimeout(pageTimer); pageTimer = setTimeout(function () { runPage(false); }, 150); });
  sortSelect.addEventListener("change", function () { runPage(true); });
  filterBox.addEventListener("change", function () { runPage(true); });
  window.addEventListener("popstate", function () { search(readState()); });
  search(readState());
})();
