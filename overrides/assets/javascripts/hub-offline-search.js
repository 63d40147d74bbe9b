/* Water Services Knowledge Hub: search for the USB edition, opened from the file system.
 *
 * Pages opened from file:// may not fetch files or import modules, so the index
 * (written by knowledgehub/offline_index.py) is a set of plain scripts that hand
 * their data to window.__hubOffline when loaded with a <script> element. This
 * engine answers the same calls the search interface makes of Pagefind:
 * search(query, {filters, sort}) and filters(), with results that have a score and
 * whose data() has url, meta (title, type, date, place, summary, each item's status),
 * filters and the items as anchors. Facet counts say what ticking a value would give
 * (a facet's own choice left out of its counts). Every word must
 * match, as on Pagefind; partial matches, typos and best bets are the interface's work.
 */
(function () {
  "use strict";

  function words(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  function shardFile(word) {
    return Array.from(word).slice(0, 2).map(function (ch) {
      return /^[a-z0-9]$/.test(ch) ? ch : "_" + ch.codePointAt(0).toString(16);
    }).join("");
  }

  function create(root) {
    var docs = null;
    var shards = {};
    var items = {};
    var waiting = {};

    window.__hubOffline = {
      docs: function (list) { docs = list; (waiting.docs || []).forEach(function (f) { f(); }); },
      shard: function (key, table) { shards[shardFile(key)] = table; (waiting[shardFile(key)] || []).forEach(function (f) { f(); }); },
      items: function (key, table) { items[key] = table; (waiting["items-" + key] || []).forEach(function (f) { f(); }); }
    };

    function load(name, file, ready) {
      return new Promise(function (resolve) {
        if (ready()) { resolve(); return; }
        (waiting[name] = waiting[name] || []).push(resolve);
        if (waiting[name].length > 1) return;
        var script = document.createElement("script");
        script.src = new URL("search-offline/" + file, root).href;
        /* a word nobody used has no shard: that is an empty answer, not an error */
        script.onerror = function () {
          if (name.indexOf("items-") === 0) items[name.slice(6)] = {};
          else if (name !== "docs") shards[name] = {};
          (waiting[name] || []).forEach(function (f) { f(); });
        };
        document.head.appendChild(script);
      });
    }

    function loadDocs() { return load("docs", "docs.js", function () { return docs !== null; }); }
    function loadShard(word) {
      var name = shardFile(word);
      return load(name, "t-" + name + ".js", function () { return name in shards; });
    }

    /* the items of a document (anchor, status, text): in files of ITEMS_PER_FILE documents */
    var ITEMS_PER_FILE = 200;
    function loadItems(id) {
      var key = String(Math.floor(id / ITEMS_PER_FILE));
      return load("items-" + key, "items-" + key + ".js", function () { return key in items; }).then(function () {
        return (items[key] || {})[id] || [];
      });
    }

    function matches(doc, filters) {
      return Object.keys(filters || {}).every(function (key) {
        var wanted = filters[key];
        var any = Array.isArray(wanted) ? wanted : (wanted && wanted.any) || [wanted];
        var have = doc.f[key] || [];
        return any.some(function (v) { return have.indexOf(v) >= 0; });
      });
    }

    function counts(ids) {
      var out = {};
      ids.forEach(function (id) {
        var f = docs[id].f;
        Object.keys(f).forEach(function (key) {
          out[key] = out[key] || {};
          f[key].forEach(function (v) { out[key][v] = (out[key][v] || 0) + 1; });
        });
      });
      return out;
    }

    /* what ticking a value would give: a facet's counts leave out that facet's own choice */
    function honestCounts(ranked, filters) {
      var out = counts(ranked.filter(function (pair) { return matches(docs[pair[0]], filters); }).map(function (p) { return p[0]; }));
      Object.keys(filters || {}).forEach(function (key) {
        var others = {};
        Object.keys(filters).forEach(function (k) { if (k !== key) others[k] = filters[k]; });
        var own = counts(ranked.filter(function (pair) { return matches(docs[pair[0]], others); }).map(function (p) { return p[0]; }));
        out[key] = own[key] || {};
      });
      return out;
    }

    /* doc id → score for one query word; the last word also matches as a prefix (typing);
     * a plural or singular form counts as the word (Pagefind stems words the same way) */
    function scores(word, prefix) {
      var table = shards[shardFile(word)] || {};
      var forms = [word, word + "s", word.replace(/(es|s)$/, "")].filter(function (k, i, all) { return k.length > 1 && all.indexOf(k) === i; });
      var keys = prefix ? Object.keys(table).filter(function (k) { return k.indexOf(word) === 0; }).slice(0, 60) : [];
      forms.forEach(function (k) { if (table[k] && keys.indexOf(k) < 0) keys.push(k); });
      var result = {};
      keys.forEach(function (key) {
        var postings = table[key];
        var df = postings.length / 2;
        var idf = Math.log(1 + docs.length / df);
        var exact = forms.indexOf(key) >= 0 ? 1 : 0.6;
        for (var i = 0; i < postings.length; i += 2) {
          var tf = postings[i + 1];
          var s = exact * idf * tf / (tf + 1.2);
          if (!result[postings[i]] || result[postings[i]] < s) result[postings[i]] = s;
        }
      });
      return result;
    }

    /* a result; its data() has, like Pagefind's, the items as anchors over the words of
     * their text, the places where the query's words are, and each item's status */
    function result(id, score, terms) {
      var doc = docs[id];
      return {
        id: String(id),
        score: score,
        data: function () {
          return loadItems(id).then(function (list) {
            var content = [], anchors = [], locations = [], status = [];
            list.forEach(function (item) {
              anchors.push({ element: "li", id: item[0], location: content.length });
              status.push(item[0] + "=" + item[1]);
              item[2].split(/\s+/).forEach(function (w) {
                var plain = words(w)[0] || "";
                if (plain && terms.some(function (t) { return plain.indexOf(t.replace(/(es|s)$/, "")) === 0; })) locations.push(content.length);
                content.push(w);
              });
            });
            var meta = { title: doc.t, type: doc.m.type, date: doc.m.date, place: doc.m.place, summary: doc.s };
            if (status.length) meta.item_status = status.join(" ");
            return {
              url: new URL(doc.u, root).href, meta: meta, filters: doc.f,
              anchors: anchors, locations: locations, content: content.join(" ")
            };
          });
        }
      };
    }

    return {
      filters: function () {
        return loadDocs().then(function () { return counts(docs.map(function (_, i) { return i; })); });
      },
      search: function (query, options) {
        options = options || {};
        var terms = words(query).filter(function (w) { return w.length > 1; });
        return loadDocs().then(function () {
          return Promise.all(terms.map(loadShard));
        }).then(function () {
          var ranked;
          if (query === null || !terms.length) {
            ranked = docs.map(function (_, i) { return [i, 0]; });
          } else {
            var perWord = terms.map(function (w, i) { return scores(w, i === terms.length - 1); });
            var total = {};
            var hits = {};
            perWord.forEach(function (table) {
              Object.keys(table).forEach(function (id) { total[id] = (total[id] || 0) + table[id]; hits[id] = (hits[id] || 0) + 1; });
            });
            var ids = Object.keys(total);
            /* every word must match, as on Pagefind; the interface falls back to partial matches */
            ranked = ids.filter(function (id) { return hits[id] === terms.length; }).map(function (id) { return [Number(id), total[id]]; });
          }
          var unfiltered = ranked.length;
          var facetCounts = honestCounts(ranked, options.filters);
          ranked = ranked.filter(function (pair) { return matches(docs[pair[0]], options.filters); });
          var sort = options.sort && options.sort.date;
          ranked.sort(function (a, b) {
            if (sort) {
              var da = docs[a[0]].d, db = docs[b[0]].d;
              if (da !== db) return (sort === "asc" ? 1 : -1) * (da < db ? -1 : 1);
            }
            return b[1] - a[1] || a[0] - b[0];
          });
          return {
            results: ranked.map(function (pair) { return result(pair[0], pair[1], terms); }),
            unfilteredResultCount: unfiltered,
            filters: facetCounts
          };
        });
      }
    };
  }

  window.HubOfflineSearch = { create: create };
})();
