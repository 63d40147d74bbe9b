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
  /* Words that do not say what a reader is looking for: question words, filler and
   * pronouns ("how do we pass Blue Drop" searches for "pass blue drop"). */
  var STOP_WORDS = ("a about an and any are as at be been but by can could did do does dont don for from get " +
    "got has have how i if in into is it its lot lots me much my need no not of on or our please should so " +
    "some than that the their them then there these they this to us very was we were what when where which " +
    "who why will with would you your").split(" ");
  var MAX_QUERY = 500;
  var PARTIAL_COUNTED = 100;

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
        return Promise.resolve(pf.options({
          baseUrl: root.pathname, excerptLength: 22,
          ranking: { metaWeights: { title: 5, aka: 2, summary: 1, place: 1, type: 0, date: 0, item_status: 0 } }
        }))
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

  /* Plain scripts of the site (they work from file:// too): best bets, filter values, vocabulary. */
  var scripts = {};
  function loadScript(path, global) {
    if (!scripts[path]) {
      scripts[path] = new Promise(function (resolve) {
        if (window[global]) { resolve(window[global]); return; }
        var script = document.createElement("script");
        script.src = new URL(path, root).href;
        script.onload = function () { resolve(window[global] || null); };
        script.onerror = function () { resolve(null); };
        document.head.appendChild(script);
      });
    }
    return scripts[path];
  }
  function aids() { return loadScript("search-aids/aids.js", "__hubAids").then(function (a) { return a || { bets: [], filters: [] }; }); }
  function filterValues() { return loadScript("search-aids/params.js", "__hubParams").then(function (v) { return v || {}; }); }
  function vocabulary() { return loadScript("search-aids/vocabulary.js", "__hubVocabulary").then(function (v) { return v || []; }); }

  function splitWords(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }
  /* The words of a query that can find anything (none for stop-words and punctuation only). */
  function contentWords(query) {
    return splitWords(query).filter(function (w) { return STOP_WORDS.indexOf(w) < 0; });
  }
  function meaningful(query) { return contentWords(query).join(" "); }
  function singular(w) { return w.length > 3 ? w.replace(/(es|s)$/, "") : w; }

  /* Edit distance up to max (max + 1 when further). */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (cur[j] < best) best = cur[j];
      }
      if (best > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }
  /* The library's own word nearest to w, within max edits, or null. */
  function nearest(w, words, max) {
    var found = null, best = max + 1;
    words.forEach(function (v) {
      if (v === w || v[0] !== w[0] && max < 2) return;
      var d = distance(w, v, max);
      if (d < best) { best = d; found = v; }
    });
    return found;
  }

  /* Best bets: the challenge, theme or country pages a query names (their label, id or a synonym). */
  function bestBets(query, bets) {
    var have = contentWords(query).map(singular);
    if (!have.length) return [];
    return bets.filter(function (bet) {
      return bet.p.some(function (phrase) {
        var need = contentWords(phrase).map(singular);
        return need.length && need.every(function (w) { return have.indexOf(w) >= 0; });
      });
    }).sort(function (a, b) { return (a.k === "Challenge" ? 0 : 1) - (b.k === "Challenge" ? 0 : 1); }).slice(0, 2);
  }

  /* One search; practice comes before organisation profiles among the results shown
   * (see shown()). */
  function ask(pf, text, filters, sort) {
    var options = { filters: filters };
    if (sort) options.sort = sort;
    return pf.search(text, options).then(function (r) { return { results: r.results, filters: r.filters }; });
  }

  /* The data of the first n results, practice first: a profile of an organisation (the
   * "kind" filter of its page, loaded with it) counts half its score among them, so it
   * comes after practice that matches as well. Only these n fragments are loaded. */
  function shown(results, n, byScore) {
    var first = results.slice(0, n);
    return Promise.all(first.map(function (r) { return r.data(); })).then(function (datas) {
      if (!byScore) return datas;
      return datas.map(function (d, i) {
        var r = first[i];
        var profile = ((d.filters || {}).kind || []).indexOf("profile") >= 0;
        var score = r.hubScore !== undefined ? r.hubScore : r.score || 0;
        return { d: d, g: r.hubGroup || 0, s: score * (profile ? 0.5 : 1), i: i };
      }).sort(function (a, b) { return (b.g - a.g) || (b.s - a.s) || (a.i - b.i); }).map(function (x) { return x.d; });
    });
  }

  var knownWords = null;
  /* The answer to a reader's query, on either engine: a word the library does not use is
   * corrected first when one of its words is one edit away; then every word must match;
   * then entries with some of the words. note says which; suggestions when nothing. */
  function answer(pf, query, filters, sort) {
    var all = contentWords(query);
    if (!all.length) return ask(pf, null, filters, sort).then(function (r) { r.note = null; r.text = null; return r; });
    return aids().then(function (a) {
      var words = telling(all, a.common || []);
      /* the reader's own words first: the vocabulary is loaded only when they find nothing */
      return ask(pf, words.join(" "), filters, sort).then(function (exact) {
        if (exact.results.length) { exact.note = null; exact.text = words.join(" "); return exact; }
        return vocabulary().then(function (vocab) { return corrections(pf, words, vocab, exact, filters, sort); })
          .then(function (r) { if (r.note) r.note.asked = words.join(" "); return r; });
      });
    });
  }
  /* A query of several words is searched without the words most entries have ("water" in
   * "water loss"): they tell no entry apart, and their postings are the largest to load. */
  function telling(words, common) {
    if (words.length < 2) return words;
    var kept = words.filter(function (w) { return common.indexOf(w) < 0; });
    return kept.length ? kept : words;
  }

  /* A word the library does not use is corrected when one of its words is one edit away;
   * then the entries with some of the words; suggestions when nothing. */
  function corrections(pf, words, vocab, exact, filters, sort) {
      if (!knownWords) { knownWords = {}; vocab.forEach(function (v) { knownWords[v] = true; }); }
      var corrected = words.map(function (w) {
        return (w.length > 3 && !knownWords[w] && !knownWords[singular(w)] && !/\d/.test(w) && nearest(w, vocab, 1)) || w;
      });
      var changed = corrected.join(" ") !== words.join(" ");
      var first = changed ? ask(pf, corrected.join(" "), filters, sort).then(function (r) {
        if (r.results.length) { r.note = { kind: "corrected", text: corrected.join(" ") }; return r; }
        corrected = words;
        return exact;
      }) : Promise.resolve(exact);
      return first.then(function (all) {
        if (all.results.length) { all.note = all.note || null; all.text = corrected.join(" "); return all; }
        return Promise.all(corrected.map(function (w) { return ask(pf, w, filters, sort); })).then(function (parts) {
          var byId = {}, used = [];
          parts.forEach(function (part, i) {
            if (part.results.length) used.push(corrected[i]);
            part.results.forEach(function (r, rank) {
              var hit = byId[r.id] = byId[r.id] || { r: r, n: 0, s: 0 };
              hit.n++; hit.s += 1 / (rank + 1);
            });
          });
          /* entries with more of the words first; among them, better ranks first */
          var merged = Object.keys(byId).map(function (k) { return byId[k]; })
            .sort(function (a, b) { return (b.n - a.n) || (b.s - a.s); })
            .map(function (h) { h.r.hubGroup = h.n; h.r.hubScore = h.s; return h.r; });
          var widest = parts.filter(function (p) { return p.results.length; })
            .sort(function (a, b) { return b.results.length - a.results.length; })[0];
          var suggestions = merged.length ? [] : words.map(function (w) { return w.length > 2 ? nearest(w, vocab, 2) : null; }).filter(Boolean);
          return {
            results: merged, filters: widest ? widest.filters : null, suggestions: suggestions, text: null,
            note: merged.length ? { kind: "partial", text: used.join(" ") } : null
          };
        });
      });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
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

  /* Each item's status (anchor → the status's value), from the result's metadata. */
  function itemStatuses(data) {
    var out = {};
    ((data.meta || {}).item_status || "").split(" ").forEach(function (pair) {
      var at = pair.lastIndexOf("=");
      if (at > 0) out[pair.slice(0, at)] = pair.slice(at + 1);
    });
    return out;
  }
  /* The items of a result at one of the statuses wanted, in the page's order. */
  function itemsAt(data, statuses, wanted) {
    var anchors = (data.anchors || []).slice().sort(function (a, b) { return a.location - b.location; });
    var words = (data.content || "").split(/\s+/);
    return anchors.map(function (a, i) {
      if (a.element !== "li" || wanted.indexOf(statuses[a.id]) < 0) return null;
      var end = i + 1 < anchors.length ? anchors[i + 1].location : words.length;
      return { id: a.id, text: words.slice(a.location, Math.min(end, a.location + 28)).join(" ") };
    }).filter(Boolean);
  }

  /* Text with the query's words marked, built as text nodes (never HTML from the query). */
  function marked(text, query) {
    var wanted = contentWords(query).map(singular).filter(function (w) { return w.length > 1; });
    var node = el("p", { "class": "hub-result__excerpt" });
    (text || "").split(/([\p{L}\p{N}]+)/u).forEach(function (part) {
      var w = splitWords(part)[0];
      var hit = w && wanted.some(function (q) { return w.indexOf(q) === 0; });
      node.appendChild(hit ? el("mark", { text: part }) : document.createTextNode(part));
    });
    return node;
  }

  function resultNode(data, options) {
    var meta = data.meta || {};
    var facts = [meta.type, meta.date, meta.place].filter(Boolean).join(" · ");
    var item = el("li", { "class": "hub-result" + (options.option ? " hub-result--option" : "") });
    if (options.option) { item.setAttribute("role", "option"); item.id = options.id; }
    item.appendChild(el("a", { href: data.url, "class": "hub-result__title", text: meta.title || data.url }));
    if (facts) item.appendChild(el("p", { "class": "hub-result__meta", text: facts }));
    /* the snippet is the summary (search data such as synonyms never shows) */
    item.appendChild(marked(meta.summary || "", options.query));
    var statuses = itemStatuses(data);
    var items = itemHits(data);
    if (options.statuses) {
      /* a status chosen: only the items at that status, those with the query's words first */
      items = items.filter(function (hit) { return options.statuses.indexOf(statuses[hit.id]) >= 0; });
      if (!items.length) items = itemsAt(data, statuses, options.statuses);
    }
    items = items.slice(0, options.items || 3);
    if (items.length) {
      var list = el("ul", { "class": "hub-result__items" });
      items.forEach(function (hit) {
        var row = el("li", { "data-hub-status": statuses[hit.id] || "" }, [el("a", { href: data.url.split("#")[0] + "#" + hit.id, "class": "hub-result__item", text: hit.text + "…" })]);
        if (options.statuses && options.statusLabel) row.appendChild(el("span", { "class": "hub-result__status", text: " " + options.statusLabel(statuses[hit.id]) }));
        list.appendChild(row);
      });
      item.appendChild(list);
    }
    return item;
  }

  var BET_LABELS = { Challenge: "Challenge: what has worked", Theme: "Theme: what has worked", Country: "Country" };
  function betNode(bet, options) {
    var item = el("li", { "class": "hub-result hub-result--bestbet" + (options.option ? " hub-result--option" : "") });
    if (options.option) { item.setAttribute("role", "option"); item.id = options.id; }
    item.appendChild(el("p", { "class": "hub-result__badge", text: "Best bet · " + (BET_LABELS[bet.k] || bet.k) }));
    item.appendChild(el("a", { href: new URL(bet.u, root).href, "class": "hub-result__title", text: bet.l }));
    if (bet.d) item.appendChild(el("p", { "class": "hub-result__excerpt", text: bet.d }));
    return item;
  }

  /* "Showing results for …" when the answer is not the query itself; "Did you mean" when nothing. */
  function noteNode(note, query) {
    if (!note) return null;
    var text = note.kind === "corrected"
      ? "No entry has “" + query + "”. Showing results for “" + note.text + "”."
      : note.text === (note.asked || meaningful(query))
        ? "No entry has every word of “" + query + "”. Showing results for entries with some of them."
        : "No entry has every word of “" + query + "”. Showing results for “" + note.text + "” (entries with some of the words).";
    return el("p", { "class": "hub-search__note", text: text });
  }
  function suggestionNode(suggestions, link) {
    if (!suggestions || !suggestions.length) return null;
    var words = suggestions.join(" ");
    return el("p", { "class": "hub-search__suggest" }, [
      document.createTextNode("Did you mean "), el("a", { href: link(words), text: words }), document.createTextNode("?")
    ]);
  }
  function tooLong(query) { return query.length > MAX_QUERY; }
  function tooLongText(query) {
    return "Your search is " + query.length + " characters long; use a few words (up to " + MAX_QUERY + " characters).";
  }
  function resultCount(n) { return n === 1 ? "1 result" : n + " results"; }

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
  var busy = null, pending = false;

  function options() { return panel.querySelectorAll("[role=option]"); }

  // The examples in the box's placeholder, where they fit; on a narrow screen, a cut
  // "Search: w" says less than "Search" does
  var longPlaceholder = input.placeholder;
  var shortPlaceholder = input.getAttribute("data-hub-short-placeholder") || longPlaceholder;
  var ruler = null;
  function fitPlaceholder() {
    if (!input.clientWidth) return;
    ruler = ruler || document.createElement("canvas").getContext("2d");
    var style = getComputedStyle(input);
    ruler.font = style.font;
    var room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    input.placeholder = ruler.measureText(longPlaceholder).width <= room ? longPlaceholder : shortPlaceholder;
  }
  fitPlaceholder();
  window.addEventListener("resize", fitPlaceholder);

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
    if (tooLong(query)) { show([el("p", { "class": "hub-search__empty", text: tooLongText(query) })]); return; }
    if (!meaningful(query)) {
      show([el("p", { "class": "hub-search__empty", text: "Type a word that says what you are looking for, such as “water loss” or “Blue Drop”." })]);
      return;
    }
    /* one search at a time: while one runs, only the latest query waits for it (the ones
     * typed in between are never searched, so they do not queue up in the engine) */
    if (busy) { pending = true; return; }
    busy = Promise.all([engine(), aids()]).then(function (got) {
      return answer(got[0], query, {}, null).then(function (found) { return [found, bestBets(query, got[1].bets)]; });
    }).then(function (got) {
      var found = got[0], bets = got[1];
      if (ticket !== latest) return null;
      return shown(found.results, 10, true).then(function (results) {
        if (ticket !== latest) return;
        results = results.slice(0, 6 - bets.length);
        if (!results.length && !bets.length) {
          show([el("p", { "class": "hub-search__empty", text: "Nothing found for “" + query + "”. Try another word, or browse by theme." }),
            suggestionNode(found.suggestions, function (w) { return searchPageUrl(w); })].filter(Boolean));
          return;
        }
        var list = el("ul", { "class": "hub-results" });
        var n = 0;
        bets.forEach(function (bet) { list.appendChild(betNode(bet, { option: true, id: "hub-option-" + n++ })); });
        results.forEach(function (data) { list.appendChild(resultNode(data, { option: true, id: "hub-option-" + n++, items: 2, query: found.note ? found.note.text : query })); });
        var total = found.results.length;
        var more = el("a", { "class": "hub-search__more", href: searchPageUrl(query),
          text: (total === 1 ? "The 1 result" : "All " + resultCount(total)) + " and filters for “" + query + "” →" });
        show([noteNode(found.note, query), list, more].filter(Boolean));
      });
    }).catch(function () {
      if (ticket === latest) show([el("p", { "class": "hub-search__empty", text: unavailable() })]);
    }).then(function () {
      busy = null;
      if (pending) { pending = false; runHeader(); }
    });
  }

  var timer = null;
  /* the search code and its index start loading when the box gets focus */
  input.addEventListener("focus", function () { engine().catch(function () {}); aids(); });
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
  var shared = { bets: [], params: {} };
  var itemFilters = {};  /* filters of item results (an item's status): key → values in the model's order */
  /* on a small screen the filter groups sit behind this button, the results first */
  var filtersButton = document.querySelector(".hub-filters-button");
  if (filtersButton) {
    filtersButton.hidden = false;
    filtersButton.addEventListener("click", function () {
      var open = !filterBox.classList.contains("hub-filters--open");
      filterBox.classList.toggle("hub-filters--open", open);
      filtersButton.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  var pageTicket = 0;

  /* Filters travel in the URL by the same values as on the items page (theme=water-loss);
   * the labels Pagefind filters by are accepted too, for links made before. */
  function toLabel(key, value) {
    var byValue = shared.params[key] || {};
    if (value in byValue) return byValue[value];
    return value;
  }
  function toValue(key, label) {
    var byValue = shared.params[key] || {};
    var found = Object.keys(byValue).filter(function (v) { return byValue[v] === label; })[0];
    return found === undefined ? label : found;
  }

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
    FILTERS.forEach(function (f) { (state.filters[f[0]] || []).forEach(function (v) { params.append(f[0], toValue(f[0], v)); }); });
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
        if (itemFilters[f[0]]) return itemFilters[f[0]].indexOf(toValue(f[0], a)) - itemFilters[f[0]].indexOf(toValue(f[0], b));
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
    if (filtersButton) {
      var chosenCount = Object.keys(state.filters).reduce(function (n, key) { return n + state.filters[key].length; }, 0);
      filtersButton.textContent = "Filters (" + chosenCount + ")";
    }
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

  /* Facet counts that say what ticking a value would give: within a facet that has a
   * choice, the counts are those of the same search without that facet's choice. */
  function facetCounts(pf, result, filterSpec) {
    var keys = Object.keys(filterSpec);
    if (!keys.length) return Promise.resolve(result.filters);
    return Promise.all(keys.map(function (key) {
      var others = {};
      keys.forEach(function (k) { if (k !== key) others[k] = filterSpec[k]; });
      return ask(pf, result.text, others, null);
    })).then(function (rs) {
      var counts = {};
      Object.keys(result.filters || {}).forEach(function (k) { counts[k] = result.filters[k]; });
      keys.forEach(function (key, i) { counts[key] = (rs[i].filters || {})[key] || {}; });
      return counts;
    });
  }
  /* Counts of the values of loaded results (their filters). */
  function tally(datas) {
    var counts = {};
    datas.forEach(function (d) {
      Object.keys(d.filters || {}).forEach(function (key) {
        counts[key] = counts[key] || {};
        (d.filters[key] || []).forEach(function (v) { counts[key][v] = (counts[key][v] || 0) + 1; });
      });
    });
    return counts;
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
    if (tooLong(state.q)) {
      list.replaceChildren();
      status.textContent = tooLongText(state.q);
      document.body.setAttribute("data-hub-search-state", "empty");
      return Promise.resolve();
    }
    return Promise.all([engine(), aids(), filterValues()]).then(function (got) {
      var pf = got[0];
      shared = { bets: got[1].bets, params: got[2] };
      Object.keys(state.filters).forEach(function (key) {
        state.filters[key] = state.filters[key].map(function (v) { return toLabel(key, v); });
      });
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
        var sort = state.sort === "newest" ? { date: "desc" } : state.sort === "oldest" ? { date: "asc" } : null;
        var bets = hasFilters || sort ? [] : bestBets(state.q, shared.bets);
        var statusKey = Object.keys(itemFilters).filter(function (k) { return state.filters[k]; })[0];
        var statusValues = statusKey ? state.filters[statusKey].map(function (l) { return toValue(statusKey, l); }) : null;
        return answer(pf, state.q, filterSpec, sort).then(function (result) {
          if (ticket !== pageTicket) return;
          var partial = result.note && result.note.kind === "partial";
          /* the partial matches: counted from the results' own filters, up to PARTIAL_COUNTED of
           * them (beyond, the counts of the word that found most are the nearest there is) */
          var counted = partial && result.results.length <= PARTIAL_COUNTED
            ? Promise.all(result.results.map(function (r) { return r.data(); })).then(tally)
            : partial ? Promise.resolve(result.filters) : facetCounts(pf, result, filterSpec);
          return Promise.all([shown(result.results, 30, !sort && (result.text !== null || partial)), counted]).then(function (got) {
            if (ticket !== pageTicket) return;
            var results = got[0];
            var counts = got[1];
            renderFilters(state, counts);
            var shownFor = result.note ? result.note.text : state.q;
            var nodes = bets.map(function (bet) { return betNode(bet, {}); })
              .concat(results.map(function (data) {
                return resultNode(data, {
                  items: 4, query: shownFor, statuses: statusValues,
                  statusLabel: function (v) { return toLabel(statusKey, v); }
                });
              }));
            list.replaceChildren.apply(list, nodes);
            var n = result.results.length;
            var parts = [];
            var note = noteNode(result.note, state.q);
            if (note) parts.push(note);
            if (n) {
              parts.push(document.createTextNode(resultCount(n) + (n > 30 ? " (showing the first 30)" : "") + "."));
            } else {
              parts.push(document.createTextNode(bets.length ? "No entries match every word; see the page above. " : "Nothing found. Remove a filter or try another word. "));
              var suggest = suggestionNode(result.suggestions, function (w) { return location.pathname + "?q=" + encodeURIComponent(w); });
              if (suggest) parts.push(suggest);
            }
            status.replaceChildren.apply(status, parts);
            document.body.setAttribute("data-hub-search-state", n || bets.length ? "results" : "none");
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
  /* the filters of item results come from the model, with the best bets */
  aids().then(function (a) {
    (a.filters || []).forEach(function (f) {
      if (!FILTERS.some(function (g) { return g[0] === f[0]; })) FILTERS.push([f[0], f[1]]);
      itemFilters[f[0]] = f[2] || [];
    });
    search(readState());
  });
})();
