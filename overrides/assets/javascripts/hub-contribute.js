/* The contribute page: a form per content type, built from the description the page
   carries (a JSON data block made from the content model), that writes an entry file in
   the browser. Checks as you type, a live preview, drafts kept in localStorage, and
   three ways out: download (one file, or every draft as a .zip), propose on GitHub,
   send to the editors by email. No request is made: it works from file:// too.
   User text reaches the page as text nodes only. */
(function () {
  "use strict";

  var dataBlock = document.getElementById("hub-contribute-model");
  var root = document.getElementById("hub-contribute");
  if (!dataBlock || !root) return;
  var MODEL;
  try {
    MODEL = JSON.parse(dataBlock.textContent);
  } catch (e) {
    root.parentNode.insertBefore(Object.assign(document.createElement("p"), {
      className: "hub-cf-noscript",
      textContent: "The form could not start: its description in this page is damaged. Please tell the editors.",
    }), root);
    return;
  }
  var SETTINGS = MODEL.settings || {};
  var TYPES = {};
  MODEL.types.forEach(function (t) { TYPES[t.name] = t; });
  var STORE_KEY = "hub-contribute-drafts";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var FIRST_YEAR = (MODEL.years || [1800, 2200])[0];
  var LAST_YEAR = (MODEL.years || [1800, 2200])[1];
  var ID_LENGTH = MODEL.id_length || 100;
  var MAIL_LIMIT = 1800;
  var GITHUB_LIMIT = 7000;

  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) return;
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  };

  /* -- choices, slugs ------------------------------------------------------------------ */

  function choicesOf(q) {
    if (q.choices && q.choices.length) return q.choices;
    return (MODEL.lists && MODEL.lists[q.choices_from]) || [];
  }
  function choiceLabel(q, value) {
    var found = choicesOf(q).filter(function (c) { return c.value === value; })[0];
    return found ? found.label : value;
  }
  function slug(text, limit) {
    var s = String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (s.length > (limit || ID_LENGTH)) s = s.slice(0, limit || ID_LENGTH).replace(/-+[^-]*$/, "") || s.slice(0, limit || ID_LENGTH);
    return s.replace(/-+$/, "");
  }
  function questionsOf(type) { return (TYPES[type] || { questions: [] }).questions; }
  function keyOf(q) { return q.kind === "body" ? "body:" + q.label : q.field; }
  function titleQuestion(type) {
    var qs = questionsOf(type);
    return qs.filter(function (q) { return q.field === "title"; })[0] || qs.filter(function (q) { return q.kind === "line"; })[0];
  }
  function partNamed(q, name) { return (q.parts || []).filter(function (p) { return p.field === name; })[0]; }

  /* -- drafts -------------------------------------------------------------------------- */

  var storageOk = true;
  function readStore() {
    try {
      var raw = window.localStorage.getItem(STORE_KEY);
      var parsed = raw ? JSON.parse(raw) : null;
      if (parsed && parsed.drafts) return parsed;
    } catch (e) {
      storageOk = false;
    }
    return { drafts: {}, order: [], current: null };
  }
  var store = readStore();
  var deleted = null;

  /* Drafts another tab of this page saved meanwhile are kept: what is on disk is merged in
     (the newer copy of a draft wins; a draft deleted here stays deleted). */
  var removedHere = {};
  function mergeFromDisk() {
    var disk;
    try { disk = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null"); } catch (e) { disk = null; }
    if (!disk || !disk.drafts) return false;
    var changed = false;
    Object.keys(disk.drafts).forEach(function (k) {
      if (removedHere[k]) return;
      var mine = store.drafts[k], theirs = disk.drafts[k];
      if (!mine || (theirs.updated || 0) > (mine.updated || 0)) {
        if (k === store.current && mine) return;  // never replace what is being typed here
        store.drafts[k] = theirs;
        if (store.order.indexOf(k) < 0) store.order.push(k);
        changed = true;
      }
    });
    return changed;
  }
  function saveStore() {
    try {
      mergeFromDisk();
      window.localStorage.setItem(STORE_KEY, JSON.stringify(store));
      storageOk = true;
      var now = new Date();
      $("hub-cf-saved").textContent = "Saved in this browser at " +
        String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0") + ".";
    } catch (e) {
      storageOk = false;
      $("hub-cf-saved").textContent = "This browser does not let the page keep drafts: download the file before you close the page.";
    }
  }
  function newDraft(type, values) {
    var id = "d" + Date.now().toString(36) + Math.random().toString(36).slice(2, 7);
    store.drafts[id] = { id: id, type: type, values: values || {}, names: {}, updated: Date.now() };
    store.order.push(id);
    store.current = id;
    return store.drafts[id];
  }
  function current() { return store.drafts[store.current]; }
  function isEmpty(draft) {
    return !Object.keys(draft.values).some(function (k) { return hasValue(draft.values[k]); });
  }
  function hasValue(v) {
    if (v === null || v === undefined) return false;
    if (typeof v === "string") return v.trim() !== "";
    if (Array.isArray(v)) return v.some(hasValue);
    if (typeof v === "object") return Object.keys(v).some(function (k) { return hasValue(v[k]); });
    return true;
  }

  /* -- values at a path ---------------------------------------------------------------- */

  function getAt(values, path) {
    var v = values;
    for (var i = 0; i < path.length; i++) {
      if (v === null || v === undefined) return undefined;
      v = v[path[i]];
    }
    return v;
  }
  function setAt(values, path, value) {
    var v = values;
    for (var i = 0; i < path.length - 1; i++) {
      if (v[path[i]] === undefined || v[path[i]] === null) v[path[i]] = typeof path[i + 1] === "number" ? [] : {};
      v = v[path[i]];
    }
    v[path[path.length - 1]] = value;
  }
  function domId(path) { return "hub-cf-f-" + path.join("-").replace(/[^A-Za-z0-9_-]/g, "_"); }

  /* -- checks -------------------------------------------------------------------------- */

  function dateText(v) {
    if (!v || typeof v !== "object") return typeof v === "string" ? v : "";
    var y = String(v.year || "").trim(), m = String(v.month || "").trim(), d = String(v.day || "").trim();
    if (!y && !m && !d) return "";
    var out = y;
    if (m) out += "-" + m.padStart(2, "0");
    if (m && d) out += "-" + d.padStart(2, "0");
    return out;
  }
  function dateProblem(v) {
    if (!v || typeof v !== "object") return "";
    var y = String(v.year || "").trim(), m = String(v.month || "").trim(), d = String(v.day || "").trim();
    if (!y && !m && !d) return "";
    if (!/^\d{4}$/.test(y)) return "Write the year in four digits, for example 2013" + (y ? " (not “" + y + "”)." : ".");
    if (+y < FIRST_YEAR || +y > LAST_YEAR) return "The year must be between " + FIRST_YEAR + " and " + LAST_YEAR + ".";
    if (d && !m) return "Choose the month too, or leave the day empty.";
    if (d) {
      if (!/^\d{1,2}$/.test(d)) return "Write the day as a number, 1 to 31 (not “" + d + "”).";
      var last = new Date(+y, +m, 0).getDate();
      if (+d < 1 || +d > last) return MONTHS[+m - 1] + " " + y + " has " + last + " days: “" + d + "” is not one of them.";
    }
    return "";
  }
  function scalarProblem(q, value) {
    var s = String(value === undefined || value === null ? "" : value).trim();
    if (!s) return "";
    if (q.kind === "url") {
      var ok = /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(s);
      try { new URL(s); } catch (e) { ok = false; }
      return ok ? "" : "Write the full address, starting with https:// (for example https://www.example.org/report.pdf).";
    }
    if (q.kind === "email") return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? "" : "This is not an email address: it needs a name, an @ and a domain (name@example.org).";
    if (q.kind === "integer") {
      if (!/^-?\d{1,15}$/.test(s)) return "Write a whole number in digits, with no spaces or units (for example 35).";
      if (q.min !== null && q.min !== undefined && +s < q.min) return "The least value is " + q.min + ".";
    }
    if (q.kind === "number") {
      if (!/^-?\d+(\.\d+)?$/.test(s)) return /^-?\d+,\d+$/.test(s) ? "Use a point for decimals (" + s.replace(",", ".") + ")." : "Write a number in digits, with no units (for example 42 or 3.5).";
      if (q.min !== null && q.min !== undefined && +s < q.min) return "The least value is " + q.min + ".";
    }
    return "";
  }
  /* Markup in a text answer: a start or end tag, or a comment. "a < b" is text, and so is a
     Markdown autolink (<https://example.org>): a tag's name is followed by a space, a slash or >. */
  var TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:[\s\/][^>]*)?>|<!--/;
  var TEXT_KINDS = { line: true, text: true, body: true, lines: true };
  function textOf(q, value) {
    var s = value === undefined || value === null ? "" : String(value);
    return q.kind === "line" ? s.trim() : s;
  }
  function charCount(s) { return Array.from(s).length; }
  function textProblem(q, value) {
    if (!TEXT_KINDS[q.kind]) return "";
    var s = textOf(q, value);
    if (TAG.test(s)) return "Write plain text here: tags such as <script> or <img> are not accepted.";
    var n = charCount(s);
    if (q.max_length && n > q.max_length) {
      return "This has " + n + " characters; the most is " + q.max_length + ". Shorten it by " + (n - q.max_length) + ".";
    }
    return "";
  }
  /* The model's not_after / not_before: an answer compared with another of the same record
     (or of the entry), once both are given and valid. Dates compare on what both give. */
  function orderValue(q, v) {
    if (q.kind === "date") { var t = dateText(v); return t && !dateProblem(v) ? t : null; }
    var s = String(v === undefined || v === null ? "" : v).trim();
    return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null;
  }
  function comesBefore(a, b) { return typeof a === "string" ? a < b.slice(0, a.length) : a < b; }
  function orderProblem(q, value, siblings, values) {
    var rules = [[q.not_after, true], [q.not_before, false]];
    for (var i = 0; i < rules.length; i++) {
      var name = rules[i][0], after = rules[i][1];
      var other = name && siblings.filter(function (s) { return s.field === name; })[0];
      if (!other) continue;
      var theirs = values ? values[name] : undefined;
      var a = orderValue(q, value), b = orderValue(other, theirs);
      if (a === null || b === null || typeof a !== typeof b) continue;
      if (after ? comesBefore(b, a) : comesBefore(a, b)) {
        return "This cannot be " + (after ? "later than" : "earlier than") + " “" + other.label + "” (" +
          (other.kind === "date" ? dateWords(theirs) : String(theirs).trim()) + ").";
      }
    }
    return "";
  }
  /* The entries a draft names that are not in the library yet (a new organisation, say):
     dom id of the field → their names. */
  function newNames(draft) {
    var out = {};
    function look(q, path, value) {
      if (q.kind === "entry" || q.kind === "entries") {
        var known = choicesOf(q);
        (Array.isArray(value) ? value : value ? [value] : []).forEach(function (v) {
          if (known.some(function (c) { return c.value === v; })) return;
          (out[domId(path)] = out[domId(path)] || []).push({ id: v, type: q.ref_type, name: (draft.names && draft.names[v]) || v });
        });
      } else if ((q.kind === "records" || q.kind === "items") && Array.isArray(value)) {
        value.forEach(function (item, i) {
          (q.parts || []).forEach(function (p) { look(p, path.concat([i, p.field]), item && item[p.field]); });
        });
      }
    }
    questionsOf(draft.type).forEach(function (q) { look(q, [keyOf(q)], draft.values[keyOf(q)]); });
    return out;
  }
  function draftOf(type, id) {
    var tq = titleQuestion(type);
    return store.order.map(function (k) { return store.drafts[k]; }).filter(function (o) {
      return o && o.type === type && tq && slug(o.values[tq.field]) === id;
    })[0];
  }
  function itemIds(q, list) {
    var idPart = partNamed(q, "id"), textPart = partNamed(q, "text");
    return (list || []).map(function (item) {
      var typed = idPart ? String(item[idPart.field] || "").trim() : "";
      return typed || (textPart ? slug(String(item[textPart.field] || "").split(/\s+/).slice(0, 6).join(" "), 60) : "");
    });
  }
  /* Every problem of the draft: dom id of the field → message. */
  var problemLabels = {};
  function problems(draft) {
    var found = {};
    problemLabels = {};
    function check(q, path, value, pending, siblings, values) {
      var id = domId(path);
      problemLabels[id] = (path.length > 1 ? problemLabels[domId(path.slice(0, 1))] + " " + (path[1] + 1) + ", " : "") + (q.label || q.field);
      var pend = pending && draft.values["_pending:" + id];
      if (pend && String(pend).trim()) {
        found[id] = "“" + pend + "” is not in the list: pick one of the suggestions" +
          (q.kind === "entry" || q.kind === "entries" ? ", or press Add to name a new one." : ".");
        return;
      }
      if (q.kind === "body") {
        if (q.required && !String(value || "").trim()) found[id] = "This section needs an answer: a few sentences are enough.";
        else if (textProblem(q, value)) found[id] = textProblem(q, value);
        return;
      }
      var empty = !hasValue(q.kind === "date" ? dateText(value) : value);
      if (q.kind === "lines") empty = !linesOf(value).length;
      if (q.required && empty) { found[id] = "This question needs an answer."; return; }
      if (empty) return;
      var tp0 = textProblem(q, value);
      if (tp0) { found[id] = tp0; return; }
      var op = orderProblem(q, value, siblings || [], values);
      if (q.kind === "date") { var dp = dateProblem(value); if (dp || op) found[id] = dp || op; return; }
      var many = q.kind === "choices" || q.kind === "countries" || q.kind === "entries" || q.kind === "items" || q.kind === "records";
      if (many && q.min && value.length < q.min) { found[id] = "Give at least " + q.min + "."; }
      if (q.kind === "items" || q.kind === "records") {
        var ids = q.kind === "items" ? itemIds(q, value) : [];
        value.forEach(function (item, i) {
          (q.parts || []).forEach(function (p) {
            check(p, path.concat([i, p.field]), item[p.field], true, q.parts, item);
          });
          if (q.kind === "items") {
            var idp = partNamed(q, "id"), tp = partNamed(q, "text");
            var pid = domId(path.concat([i, (idp || tp || { field: "id" }).field]));
            var first = ids.indexOf(ids[i]);
            if (ids[i] && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(ids[i])) found[pid] = "An id is lower-case letters, digits and hyphens (for example share-lessons).";
            else if (ids[i] && first !== i) found[pid] = idp ? "Another item above has the id “" + ids[i] + "”: each item needs its own." :
              "This begins with the same words as item " + (first + 1) + ", and an item's link is made from its first words (“" + ids[i] + "”): change the first words of one of them.";
            else if (!ids[i] && !found[pid] && (idp || hasValue(item[tp ? tp.field : ""]))) found[pid] = idp ? "Give the item an id (a few words, for example share-lessons)." : "The text needs some letters or digits: the item's link is made from them.";
          }
        });
        return;
      }
      var sp = scalarProblem(q, value) || op;
      if (sp) found[id] = sp;
    }
    var qs = questionsOf(draft.type);
    qs.forEach(function (q) { check(q, [keyOf(q)], draft.values[keyOf(q)], true, qs, draft.values); });
    var fresh = newNames(draft);
    Object.keys(fresh).forEach(function (id) {
      if (found[id]) return;
      found[id] = fresh[id].map(function (n) {
        var kind = TYPES[n.type] ? TYPES[n.type].label.toLowerCase() : "entry";
        return "This entry names “" + n.name + "”, which is not in the library yet, so the editors cannot add this file alone: " +
          (draftOf(n.type, n.id) ? "download both files (Download all drafts (.zip)), or complete the draft " + kind + " “" + n.name + "” under Your drafts and send it too."
            : "start a draft " + kind + " for it (New draft) and send both files, or remove it.");
      }).join(" ");
    });
    var tq = titleQuestion(draft.type);
    if (tq && hasValue(draft.values[tq.field]) && !slug(draft.values[tq.field])) {
      found[domId([tq.field])] = "The title needs some letters or digits: the file name is made from it.";
    }
    return found;
  }

  /* -- the entry file ------------------------------------------------------------------ */

  /* A YAML double-quoted string: JSON's quoting, with every character YAML does not allow
     written as an escape, so the value reads back as typed whatever it holds. */
  function quote(s) {
    return JSON.stringify(String(s)).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, function (c) {
      return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
    });
  }
  function yamlKey(k) { return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : quote(k); }
  function linesOf(v) { return String(v || "").split(/\r?\n/).map(function (l) { return l.trim(); }).filter(Boolean); }

  /* The value a question gives the front matter: a string, number, boolean, list or
     mapping; undefined when there is none. */
  function outValue(q, v, draft) {
    switch (q.kind) {
      case "body": return undefined;
      case "date": { var d = dateText(v); return d || undefined; }
      case "integer": case "number": {
        var s = String(v || "").trim();
        if (!s) return undefined;
        return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
      }
      case "boolean": return v === "true" ? true : v === "false" ? false : undefined;
      case "lines": { var ls = linesOf(v); return ls.length ? ls : undefined; }
      case "choices": case "countries": case "entries": return Array.isArray(v) && v.length ? v.slice() : undefined;
      case "items": case "records": {
        if (!Array.isArray(v) || !v.length) return undefined;
        var ids = q.kind === "items" ? itemIds(q, v) : [];
        var out = v.map(function (item, i) {
          var m = [];
          if (q.kind === "items" && q.id_field && !partNamed(q, q.id_field) && ids[i]) m.push([q.id_field, ids[i]]);
          (q.parts || []).forEach(function (p) {
            var pv = p.field === "id" && q.kind === "items" ? ids[i] : outValue(p, item[p.field], draft);
            if (pv !== undefined && pv !== "") m.push([p.field, pv]);
          });
          return m;
        }).filter(function (m) { return m.length > (q.kind === "items" && q.id_field ? 1 : 0); });
        if (!out.length) return undefined;
        return q.max === 1 ? { mapping: out[0] } : { records: out };
      }
      default: { var t = String(v === undefined || v === null ? "" : v); if (q.kind !== "text") t = t.trim(); return t.trim() ? t : undefined; }
    }
  }
  function yamlScalar(v) {
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return quote(v);
  }
  function yamlLines(key, v, indent) {
    var pad = " ".repeat(indent);
    if (Array.isArray(v)) {
      if (v.every(function (x) { return typeof x !== "object"; }) && v.join("").length < 60) {
        return [pad + yamlKey(key) + ": [" + v.map(yamlScalar).join(", ") + "]"];
      }
      return [pad + yamlKey(key) + ":"].concat(v.map(function (x) { return pad + "  - " + yamlScalar(x); }));
    }
    if (v && typeof v === "object" && v.records) {
      var lines = [pad + yamlKey(key) + ":"];
      v.records.forEach(function (pairs) {
        pairs.forEach(function (pair, j) {
          var sub = yamlLines(pair[0], pair[1], indent + 4);
          sub[0] = pad + (j === 0 ? "  - " : "    ") + sub[0].slice(indent + 4);
          lines = lines.concat(sub);
        });
      });
      return lines;
    }
    if (v && typeof v === "object" && v.mapping) {
      var out = [pad + yamlKey(key) + ":"];
      v.mapping.forEach(function (pair) { out = out.concat(yamlLines(pair[0], pair[1], indent + 2)); });
      return out;
    }
    return [pad + yamlKey(key) + ": " + yamlScalar(v)];
  }
  function entryFile(draft) {
    var type = TYPES[draft.type];
    var tq = titleQuestion(draft.type);
    var id = slug(tq ? draft.values[tq.field] : "") || "new-" + slug(type.label);
    var lines = ["---"];
    var body = [];
    type.questions.forEach(function (q) {
      var v = draft.values[keyOf(q)];
      if (q.kind === "body") {
        var text = String(v || "").replace(/\r\n?/g, "\n").replace(/^\n+|\s+$/g, "");
        if (text) body.push("## " + q.label + "\n\n" + text + "\n");
        return;
      }
      var out = outValue(q, v, draft);
      if (out !== undefined) lines = lines.concat(yamlLines(q.field, out, 0));
    });
    lines.push("---", "");
    var text = lines.join("\n") + (body.length ? "\n" + body.join("\n") : "");
    var folder = type.folder;
    return { id: id, name: id + ".md", folder: folder, path: (SETTINGS.content_folder || "content") + "/" + folder + "/" + id + ".md", text: text };
  }

  /* -- a store-only zip ---------------------------------------------------------------- */

  var CRC_TABLE = (function () {
    var t = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })();
  function crc32(bytes) {
    var c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }
  function zip(files) {
    var enc = new TextEncoder(), parts = [], central = [], offset = 0;
    var now = new Date();
    var dosTime = (now.getHours() << 11) | (now.getMinutes() << 5) | (now.getSeconds() >> 1);
    var dosDate = ((now.getFullYear() - 1980) << 9) | ((now.getMonth() + 1) << 5) | now.getDate();
    function header(size) { var b = new DataView(new ArrayBuffer(size)); return b; }
    files.forEach(function (f) {
      var name = enc.encode(f.name), data = enc.encode(f.text), crc = crc32(data);
      var h = header(30);
      h.setUint32(0, 0x04034b50, true); h.setUint16(4, 20, true); h.setUint16(6, 0x0800, true);
      h.setUint16(8, 0, true); h.setUint16(10, dosTime, true); h.setUint16(12, dosDate, true);
      h.setUint32(14, crc, true); h.setUint32(18, data.length, true); h.setUint32(22, data.length, true);
      h.setUint16(26, name.length, true); h.setUint16(28, 0, true);
      parts.push(new Uint8Array(h.buffer), name, data);
      var c = header(46);
      c.setUint32(0, 0x02014b50, true); c.setUint16(4, 20, true); c.setUint16(6, 20, true);
      c.setUint16(8, 0x0800, true); c.setUint16(10, 0, true); c.setUint16(12, dosTime, true);
      c.setUint16(14, dosDate, true); c.setUint32(16, crc, true); c.setUint32(20, data.length, true);
      c.setUint32(24, data.length, true); c.setUint16(28, name.length, true);
      c.setUint32(42, offset, true);
      central.push(new Uint8Array(c.buffer), name);
      offset += 30 + name.length + data.length;
    });
    var size = central.reduce(function (n, p) { return n + p.length; }, 0);
    var e = header(22);
    e.setUint32(0, 0x06054b50, true); e.setUint16(8, files.length, true); e.setUint16(10, files.length, true);
    e.setUint32(12, size, true); e.setUint32(16, offset, true);
    return new Blob(parts.concat(central, [new Uint8Array(e.buffer)]), { type: "application/zip" });
  }
  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  /* -- the form ------------------------------------------------------------------------ */

  /* Which fields show their messages: those left or edited, or all of them once the file
     was asked for. Kept with the draft, so that a reload shows them again. */
  var touched = {};
  var showAll = false;
  function bindChecks() {
    var d = current();
    d.touched = d.touched || {};
    touched = d.touched;
    showAll = !!d.showAll;
  }

  function describedBy(id, q) {
    return [q.help || q.example ? id + "-help" : "", q.max_length ? id + "-count" : "", id + "-error"].filter(Boolean).join(" ");
  }
  function countNode(id, q) {
    return q.max_length && TEXT_KINDS[q.kind] ? el("p", { id: id + "-count", className: "hub-cf__count", "data-count-for": id, "data-kind": q.kind, "data-max": q.max_length }) : null;
  }
  function helpNode(id, q) {
    var text = [q.help, q.example !== null && q.example !== undefined && q.example !== "" && typeof q.example !== "object" ? "For example: " + q.example : ""].filter(Boolean).join(" ");
    return text ? el("p", { id: id + "-help", className: "hub-cf__hint", text: text }) : null;
  }
  function errorNode(id) { return el("p", { id: id + "-error", className: "hub-cf__error", "data-error-for": id }); }
  function labelText(q) { return (q.label || q.field) + (q.required ? " (required)" : ""); }

  function changed(id) {
    if (id) touched[id] = true;
    var d = current();
    d.updated = Date.now();
    saveStore();
    refresh();
  }

  function render() {
    var d = current();
    var form = $("hub-cf-form");
    bindChecks();
    form.textContent = "";
    var type = TYPES[d.type];
    $("hub-cf-type").value = d.type;
    $("hub-cf-type-hint").textContent = type.description || "";
    type.questions.forEach(function (q) { form.appendChild(field(q, [keyOf(q)], d.values)); });
    renderDrafts();
    refresh();
  }

  function field(q, path, values) {
    var id = domId(path);
    var wrap = el("div", { className: "hub-cf__field hub-cf__field--" + q.kind, "data-kind": q.kind });
    var value = getAt(values, path);
    var set = function (v) { setAt(values, path, v); changed(id); };
    var note = q.public_note ? el("p", { className: "hub-cf__hint hub-cf__public", text: q.public_note }) : null;
    switch (q.kind) {
      case "text": case "lines": case "body": {
        var heading = q.kind === "body" ? "Section “" + q.label + "” of the write-up" : labelText(q);
        var ta = el("textarea", { id: id, rows: q.kind === "body" ? 6 : 3, "aria-describedby": describedBy(id, q) });
        ta.value = typeof value === "string" ? value : "";
        ta.addEventListener("input", function () { set(ta.value); });
        var help = q.kind === "lines" && !/one per line/i.test(q.help || "") ? Object.assign({}, q, { help: (q.help ? q.help + " " : "") + "One per line." }) : q;
        wrap.append(el("label", { for: id, text: heading }), helpNode(id, help) || "", ta, countNode(id, q) || "");
        break;
      }
      case "date": wrap.appendChild(dateField(q, id, value, set)); break;
      case "boolean": {
        var sel = el("select", { id: id, "aria-describedby": describedBy(id, q) }, [
          el("option", { value: "", text: "Not stated" }), el("option", { value: "true", text: "Yes" }), el("option", { value: "false", text: "No" })]);
        sel.value = value || "";
        sel.addEventListener("change", function () { set(sel.value); });
        wrap.append(el("label", { for: id, text: labelText(q) }), helpNode(id, q) || "", sel);
        break;
      }
      case "choice": {
        var s = el("select", { id: id, "aria-describedby": describedBy(id, q) }, [el("option", { value: "", text: "Choose…" })]);
        choicesOf(q).forEach(function (c) { s.appendChild(el("option", { value: c.value, text: c.label })); });
        s.value = value || "";
        s.addEventListener("change", function () { set(s.value); });
        wrap.append(el("label", { for: id, text: labelText(q) }), helpNode(id, q) || "", s);
        break;
      }
      case "choices": wrap.appendChild(checkboxes(q, id, value, set, path.length > 1)); break;
      case "country": case "countries": case "entry": case "entries":
        wrap.appendChild(picker(q, id, value, set)); break;
      case "items": case "records": wrap.appendChild(records(q, path, values)); break;
      default: {
        var attrs = { id: id, type: q.kind === "url" ? "url" : q.kind === "email" ? "email" : "text", autocomplete: "off", "aria-describedby": describedBy(id, q) };
        if (q.kind === "integer") attrs.inputmode = "numeric";
        if (q.kind === "number") attrs.inputmode = "decimal";
        var input = el("input", attrs);
        input.value = value === undefined || value === null ? "" : String(value);
        input.addEventListener("input", function () { set(input.value); });
        input.addEventListener("blur", function () { touched[id] = true; refresh(); });
        wrap.append(el("label", { for: id, text: labelText(q) }), helpNode(id, q) || "", input, countNode(id, q) || "");
      }
    }
    if (note) wrap.appendChild(note);
    wrap.appendChild(errorNode(id));
    return wrap;
  }

  function dateField(q, id, value, set) {
    var v = value && typeof value === "object" ? value : { year: "", month: "", day: "" };
    var fs = el("fieldset", { className: "hub-cf__date", id: id, "aria-describedby": describedBy(id, q) });
    fs.appendChild(el("legend", { text: labelText(q) }));
    var hint = helpNode(id, q);
    if (hint) fs.appendChild(hint);
    var year = el("input", { id: id + "-year", inputmode: "numeric", maxlength: "6", autocomplete: "off", className: "hub-cf__year", "aria-describedby": id + "-error" });
    var month = el("select", { id: id + "-month", "aria-describedby": id + "-error" }, [el("option", { value: "", text: "No month" })]);
    MONTHS.forEach(function (m, i) { month.appendChild(el("option", { value: String(i + 1).padStart(2, "0"), text: m })); });
    var day = el("input", { id: id + "-day", inputmode: "numeric", maxlength: "3", autocomplete: "off", className: "hub-cf__day", "aria-describedby": id + "-error" });
    year.value = v.year || ""; month.value = v.month || ""; day.value = v.day || "";
    var update = function () { set({ year: year.value, month: month.value, day: day.value }); };
    year.addEventListener("input", update); month.addEventListener("change", update); day.addEventListener("input", update);
    fs.append(
      el("span", { className: "hub-cf__part" }, [el("label", { for: id + "-year", text: "Year" }), year]),
      el("span", { className: "hub-cf__part" }, [el("label", { for: id + "-month", text: "Month" }), month]),
      el("span", { className: "hub-cf__part" }, [el("label", { for: id + "-day", text: "Day" }), day]));
    return fs;
  }

  function checkboxes(q, id, value, set, brief) {
    var chosen = Array.isArray(value) ? value : [];
    var fs = el("fieldset", { className: "hub-cf__choices", id: id, "aria-describedby": describedBy(id, q) });
    fs.appendChild(el("legend", { text: labelText(q) }));
    var hint = helpNode(id, q);
    if (hint) fs.appendChild(hint);
    var list = el("div", { className: "hub-cf__checklist" });
    choicesOf(q).forEach(function (c, i) {
      var cid = id + "-" + i;
      var box = el("input", { type: "checkbox", id: cid, value: c.value });
      box.checked = chosen.indexOf(c.value) >= 0;
      box.addEventListener("change", function () {
        var now = Array.isArray(getValue()) ? getValue().slice() : [];
        if (box.checked && now.indexOf(c.value) < 0) now.push(c.value);
        if (!box.checked) now = now.filter(function (x) { return x !== c.value; });
        set(now);
      });
      list.appendChild(el("div", { className: "hub-cf__check" }, [box, el("label", { for: cid }, [
        el("span", { className: "hub-cf__choice", text: c.label }),
        c.description && !brief ? el("span", { className: "hub-cf__desc", text: c.description }) : null])]));
    });
    function getValue() { return getAt(current().values, pathFromId(id)); }
    fs.appendChild(list);
    return fs;
  }
  var PATHS = {};
  function pathFromId(id) { return PATHS[id]; }

  /* Countries and entries of the library: type a name, pick it from the list. A name the
     library does not have starts a draft of that type (for an entry) and is referred to by
     the id that draft will have. */
  function picker(q, id, value, set) {
    var many = q.kind === "countries" || q.kind === "entries";
    var isRef = q.kind === "entry" || q.kind === "entries";
    var d = current();
    var box = el("div", { className: "hub-cf__picker" });
    var listId = id + "-list";
    var input = el("input", { id: id, list: listId, autocomplete: "off", "aria-describedby": describedBy(id, q) + " " + id + "-chosen" });
    var datalist = el("datalist", { id: listId });
    choicesOf(q).forEach(function (c) { datalist.appendChild(el("option", { value: c.label })); });
    var add = el("button", { type: "button", className: "md-button hub-cf__add", text: "Add" });
    add.setAttribute("aria-label", "Add to " + q.label);
    var chosenList = el("ul", { className: "hub-cf__chosen", id: id + "-chosen", "aria-label": "Chosen: " + q.label });
    var pendingKey = "_pending:" + id;
    input.value = d.values[pendingKey] || "";
    function values() { var v = getAt(current().values, PATHS[id]); return many ? (Array.isArray(v) ? v : []) : (v ? [v] : []); }
    function drawChosen() {
      chosenList.textContent = "";
      values().forEach(function (v) {
        var name = labelFor(q, v);
        var isNew = isRef && !choicesOf(q).some(function (c) { return c.value === v; });
        var remove = el("button", { type: "button", className: "hub-cf__remove", text: "×", "aria-label": "Remove " + name });
        remove.addEventListener("click", function () {
          var now = values().filter(function (x) { return x !== v; });
          set(many ? now : "");
          drawChosen();
        });
        chosenList.appendChild(el("li", {}, [name + (isNew ? " (new to the library: a draft of it was started under Your drafts)" : ""), remove]));
      });
    }
    function take(allowNew) {
      var typed = input.value.trim();
      if (!typed) return;
      var lower = typed.toLowerCase();
      var match = choicesOf(q).filter(function (c) { return c.label.toLowerCase() === lower || c.value.toLowerCase() === lower; })[0];
      var v = match ? match.value : null;
      if (!v && isRef && allowNew) v = newReference(q, typed);
      if (!v) { current().values[pendingKey] = typed; touched[id] = true; changed(id); return; }
      delete current().values[pendingKey];
      input.value = "";
      var now = values().filter(function (x) { return x !== v; });
      now.push(v);
      set(many ? now : v);
      drawChosen();
    }
    /* A name picked from the list is taken at once; one typed is taken on Enter, Add or on
       leaving the field (typing "Niger" on the way to "Nigeria" must not pick Niger). */
    input.addEventListener("input", function (e) {
      current().values[pendingKey] = input.value;
      if (e.inputType === "insertReplacementText" || !e.inputType) take(false);
      else changed(null);
    });
    input.addEventListener("change", function () { take(false); });
    input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); take(true); } });
    add.addEventListener("click", function () { take(true); });
    var hint = isRef ? "Start typing and pick from the library's list; a name that is not there yet is added as new." : "Start typing a country's name and pick it from the list.";
    var own = String(q.help || "").split(/(?<=\.)\s+/).filter(function (x) { return !/one per line/i.test(x); }).join(" ");
    var qq = Object.assign({}, q, { help: (own ? own + " " : "") + hint });
    box.append(el("label", { for: id, text: labelText(q) }), helpNode(id, qq), el("div", { className: "hub-cf__row" }, [input, add]), datalist, chosenList);
    setTimeout(drawChosen, 0);
    return box;
  }
  function labelFor(q, v) {
    var d = current();
    if (d.names && d.names[v]) return d.names[v];
    return choiceLabel(q, v);
  }
  function newReference(q, name) {
    var id = slug(name);
    if (!id) return null;
    var d = current();
    d.names = d.names || {};
    d.names[id] = name;
    var type = q.ref_type;
    if (TYPES[type]) {
      var tq = titleQuestion(type);
      var exists = Object.keys(store.drafts).some(function (k) {
        var o = store.drafts[k];
        return o.type === type && tq && slug(o.values[tq.field]) === id;
      });
      if (!exists && tq) {
        var keep = store.current;
        var values = {};
        values[tq.field] = name;
        newDraft(type, values);
        store.current = keep;
        say("“" + name + "” is new to the library: a draft " + TYPES[type].label.toLowerCase() + " was started under Your drafts. Fill it in and send it with this entry.");
      }
    }
    return id;
  }

  function records(q, path, values) {
    var id = domId(path);
    var fs = el("fieldset", { className: "hub-cf__records", id: id, "aria-describedby": describedBy(id, q) });
    fs.appendChild(el("legend", { text: labelText(q) }));
    var hint = helpNode(id, q);
    if (hint) fs.appendChild(hint);
    var list = el("ol", { className: "hub-cf__record-list" });
    fs.appendChild(list);
    var single = q.max === 1;
    function draw() {
      list.textContent = "";
      var items = getAt(values, path) || [];
      if (single && !items.length) { items = [{}]; setAt(values, path, items); }
      items.forEach(function (item, i) {
        var li = el("li", { className: "hub-cf__record" });
        if (!single) li.appendChild(el("p", { className: "hub-cf__record-head", text: (i + 1) + " of " + items.length }));
        (q.parts || []).forEach(function (p) {
          var ppath = path.concat([i, p.field]);
          PATHS[domId(ppath)] = ppath;
          li.appendChild(field(p, ppath, values));
        });
        var remove = el("button", { type: "button", className: "md-button hub-cf__remove-record", text: "Remove " + (i + 1) });
        remove.setAttribute("aria-label", "Remove " + q.label + " " + (i + 1));
        remove.addEventListener("click", function () {
          var now = getAt(values, path).slice();
          now.splice(i, 1);
          setAt(values, path, now);
          changed(id);
          draw();
        });
        if (!single) li.appendChild(remove);
        list.appendChild(li);
      });
    }
    var add = el("button", { type: "button", className: "md-button hub-cf__add-record", text: q.add_label || "Add another" });
    add.addEventListener("click", function () {
      var now = (getAt(values, path) || []).slice();
      now.push({});
      setAt(values, path, now);
      changed(id);
      draw();
      var first = list.lastElementChild && list.lastElementChild.querySelector("input, textarea, select");
      if (first) first.focus();
    });
    draw();
    if (!single) fs.appendChild(add);
    return fs;
  }

  /* -- preview ------------------------------------------------------------------------- */

  function display(q, v) {
    if (q.kind === "date") return dateWords(v);
    if (q.kind === "boolean") return v === "true" ? "Yes" : v === "false" ? "No" : "";
    if (q.kind === "choice" || q.kind === "country" || q.kind === "entry") return v ? labelFor(q, v) : "";
    if (q.kind === "choices" || q.kind === "countries" || q.kind === "entries") return (v || []).map(function (x) { return labelFor(q, x); }).join(", ");
    if (q.kind === "lines") return linesOf(v).join("; ");
    return v === undefined || v === null ? "" : String(v);
  }
  function dateWords(v) {
    var t = dateText(v);
    if (!t || dateProblem(v)) return t;
    var p = t.split("-");
    return (p[2] ? +p[2] + " " : "") + (p[1] ? MONTHS[+p[1] - 1] + " " : "") + p[0];
  }
  function preview(d) {
    var box = $("hub-cf-preview");
    box.textContent = "";
    var type = TYPES[d.type];
    var tq = titleQuestion(d.type);
    box.appendChild(el("p", { className: "hub-kicker", text: type.label }));
    box.appendChild(el("h3", { className: "hub-cf__preview-title", text: (tq && String(d.values[tq.field] || "").trim()) || "Untitled " + type.label.toLowerCase() }));
    var facts = el("dl", { className: "hub-cf__facts" });
    var sections = [];
    type.questions.forEach(function (q) {
      var v = d.values[keyOf(q)];
      if (q === tq || !hasValue(v)) return;
      if (q.kind === "body") {
        var sec = el("section", {}, [el("h4", { text: q.label })]);
        String(v).split(/\n\s*\n/).forEach(function (para) { if (para.trim()) sec.appendChild(el("p", { text: para.trim() })); });
        sections.push(sec);
      } else if (q.kind === "items" || q.kind === "records") {
        var list = el(q.kind === "items" ? "ol" : "ul", { className: "hub-cf__preview-list" });
        v.forEach(function (item) {
          var bits = [];
          (q.parts || []).forEach(function (p) {
            if (p.field === "id") return;
            var t = display(p, item[p.field]);
            if (t) bits.push(p.kind === "text" || p.kind === "line" ? t : p.label + ": " + t);
          });
          if (bits.length) list.appendChild(el("li", { text: bits.join(" — ") }));
        });
        sections.push(el("section", {}, [el("h4", { text: q.shown_label || q.label }), list]));
      } else if (q.kind === "text" && q.field === "summary") {
        box.appendChild(el("p", { className: "hub-lead", text: String(v) }));
      } else {
        var t = display(q, v);
        if (t) facts.append(el("dt", { text: q.shown_label || q.label }), el("dd", { text: t }));
      }
    });
    if (facts.childNodes.length) box.appendChild(facts);
    sections.forEach(function (s) { box.appendChild(s); });
  }

  /* -- refresh: checks, preview, the ways out ------------------------------------------ */

  function refresh() {
    var d = current();
    var found = problems(d);
    var shown = 0;
    root.querySelectorAll("[data-error-for]").forEach(function (slot) {
      var id = slot.getAttribute("data-error-for");
      var msg = found[id] && (showAll || touched[id]) ? found[id] : "";
      slot.textContent = msg;
      if (msg) shown++;
      var control = $(id);
      if (control) {
        if (msg) control.setAttribute("aria-invalid", "true"); else control.removeAttribute("aria-invalid");
      }
    });
    root.querySelectorAll("[data-count-for]").forEach(function (slot) {
      var fid = slot.getAttribute("data-count-for"), most = +slot.getAttribute("data-max");
      var n = charCount(textOf({ kind: slot.getAttribute("data-kind") }, PATHS[fid] ? getAt(d.values, PATHS[fid]) : ""));
      slot.textContent = n + " of " + most + " characters";
      slot.className = "hub-cf__count" + (n > most ? " hub-cf__count--over" : "");
    });
    var count = Object.keys(found).length;
    var probs = $("hub-cf-problems");
    probs.textContent = count ? count + (count === 1 ? " thing needs" : " things need") + " your attention before the editors can publish this entry; each is explained next to its field. You can still download the draft." : "Everything the library needs is there.";
    probs.className = "hub-cf__problems" + (count ? " hub-cf__warn" : " hub-cf__ok");
    var list = $("hub-cf-problem-list");
    list.textContent = "";
    Object.keys(found).forEach(function (id) {
      var target = $(id) && $(id).matches("fieldset") ? $(id).querySelector("input, select, textarea") || $(id) : $(id);
      var a = el("a", { href: "#" + (target && target.id ? target.id : id), text: (problemLabels[id] || "") + " — " + found[id] });
      list.appendChild(el("li", {}, [a]));
    });
    preview(d);
    ways(d);
    renderDrafts();
    return found;
  }
  function ways(d) {
    var file = entryFile(d);
    $("hub-cf-filename").textContent = file.name;
    $("hub-cf-folder").textContent = (SETTINGS.content_folder || "content") + "/" + file.folder + "/";
    if (SETTINGS.repo_url) {
      var url = SETTINGS.repo_url + "/new/" + encodeURIComponent(SETTINGS.branch || "main") +
        "?filename=" + encodeURIComponent(file.path) + "&value=" + encodeURIComponent(file.text);
      $("hub-cf-github").href = url;
      $("hub-cf-github-way").hidden = false;
      $("hub-cf-github-long").hidden = url.length <= GITHUB_LIMIT;
    }
    if (SETTINGS.editors_email) {
      var type = TYPES[d.type];
      var subject = "New " + type.label.toLowerCase() + " for the library: " + file.name;
      var intro = "Here is a new " + type.label.toLowerCase() + " for the library (the file " + file.path + "):\n\n";
      var body = encodeURIComponent(intro + file.text);
      var long = body.length > MAIL_LIMIT;
      if (long) body = encodeURIComponent("Here is a new " + type.label.toLowerCase() + " for the library: the file " + file.name + " is attached.\n");
      $("hub-cf-email").href = "mailto:" + SETTINGS.editors_email + "?subject=" + encodeURIComponent(subject) + "&body=" + body;
      $("hub-cf-email-address").textContent = SETTINGS.editors_email;
      $("hub-cf-email-long").hidden = !long;
      $("hub-cf-email-way").hidden = false;
    }
  }
  function say(text) { $("hub-cf-status").textContent = text; }

  function draftName(o) {
    var tq = titleQuestion(o.type);
    var title = tq ? String(o.values[tq.field] || "").trim() : "";
    var type = TYPES[o.type] ? TYPES[o.type].label : o.type;
    return (title || "Untitled") + " (" + type + ")";
  }
  function renderDrafts() {
    var sel = $("hub-cf-draft");
    var ids = store.order.filter(function (k) { return store.drafts[k]; });
    var names = ids.map(function (k) { return draftName(store.drafts[k]); });
    var same = sel.options.length === ids.length && ids.every(function (k, i) { return sel.options[i].value === k && sel.options[i].textContent === names[i]; });
    if (!same) {
      sel.textContent = "";
      ids.forEach(function (k, i) { sel.appendChild(el("option", { value: k, text: names[i] })); });
    }
    sel.value = store.current;
    $("hub-cf-zip").hidden = ids.length < 2;
  }

  /* -- start --------------------------------------------------------------------------- */

  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    var type = params.get("type");
    if (!type || !TYPES[type]) return;
    var d = current();
    if (!d || d.type !== type) {
      var empty = store.order.filter(function (k) { return store.drafts[k] && store.drafts[k].type === type && isEmpty(store.drafts[k]); })[0];
      if (empty) store.current = empty;
      else if (d && isEmpty(d)) d.type = type;
      else newDraft(type);
      d = current();
    }
    if (d.prefilled === window.location.search) return;  // a reload does not undo a choice
    d.prefilled = window.location.search;
    questionsOf(type).forEach(function (q) {
      var given = params.getAll(q.field).filter(function (v) { return choicesOf(q).some(function (c) { return c.value === v; }); });
      if (!given.length || !q.field) return;
      if (q.kind === "choices") {
        var now = Array.isArray(d.values[q.field]) ? d.values[q.field].slice() : [];
        given.forEach(function (v) { if (now.indexOf(v) < 0) now.push(v); });
        d.values[q.field] = now;
      } else if (q.kind === "choice" && !d.values[q.field]) {
        d.values[q.field] = given[0];
      }
    });
  }

  function start() {
    store.order = (store.order || []).filter(function (k) { return store.drafts[k]; });
    Object.keys(store.drafts).forEach(function (k) {
      if (store.order.indexOf(k) < 0) store.order.push(k);
      if (!TYPES[store.drafts[k].type]) store.drafts[k].type = MODEL.types[0].name;
    });
    if (!store.drafts[store.current]) store.current = store.order[store.order.length - 1] || null;
    if (!store.current) newDraft(MODEL.types[0].name);
    fromAddress();
    (function register(qs, base) {
      qs.forEach(function (q) { var p = base.concat([keyOf(q)]); PATHS[domId(p)] = p; });
    })(questionsOf(current().type), []);
    root.hidden = false;
    $("hub-cf-type").addEventListener("change", function () {
      var d = current();
      d.type = $("hub-cf-type").value;
      registerPaths();
      saveStore();
      render();
    });
    $("hub-cf-draft").addEventListener("change", function () {
      store.current = $("hub-cf-draft").value;
      registerPaths();
      saveStore();
      render();
    });
    $("hub-cf-new").addEventListener("click", function () {
      newDraft(current().type);
      registerPaths();
      saveStore();
      render();
      say("A new draft was started; the others are kept under Your drafts.");
    });
    $("hub-cf-delete").addEventListener("click", function () {
      var d = current();
      deleted = d;
      delete store.drafts[d.id];
      removedHere[d.id] = true;
      store.order = store.order.filter(function (k) { return k !== d.id; });
      store.current = store.order[store.order.length - 1] || null;
      if (!store.current) newDraft(d.type);
      registerPaths();
      saveStore();
      render();
      say("The draft “" + draftName(d) + "” was deleted.");
      var undo = el("button", { type: "button", className: "md-button hub-cf__undo", text: "Undo" });
      undo.addEventListener("click", function () {
        if (!deleted) return;
        store.drafts[deleted.id] = deleted;
        delete removedHere[deleted.id];
        store.order.push(deleted.id);
        store.current = deleted.id;
        deleted = null;
        registerPaths();
        saveStore();
        render();
        say("The draft is back.");
      });
      $("hub-cf-status").appendChild(document.createTextNode(" "));
      $("hub-cf-status").appendChild(undo);
    });
    $("hub-cf-download").addEventListener("click", function () {
      showAll = true;
      current().showAll = true;
      saveStore();
      var found = refresh();
      var file = entryFile(current());
      save(new Blob([file.text], { type: "text/markdown;charset=utf-8" }), file.name);
      var n = Object.keys(found).length;
      say("Downloaded " + file.name + "." + (n ? " It still has " + n + (n === 1 ? " thing" : " things") + " to fix, shown next to the fields." : " Send it to the editors or add it in a pull request."));
    });
    $("hub-cf-zip").addEventListener("click", function () {
      var used = {};
      var files = store.order.filter(function (k) { return store.drafts[k]; }).map(function (k) {
        var f = entryFile(store.drafts[k]);
        var name = f.folder + "/" + f.id, n = 1;
        while (used[name + (n > 1 ? "-" + n : "")]) n++;
        name += n > 1 ? "-" + n : "";
        used[name] = true;
        return { name: name + ".md", text: f.text };
      });
      save(zip(files), "drafts.zip");
      say("Downloaded drafts.zip with " + files.length + " entries, one folder per type as in the repository's content folder.");
    });
    $("hub-cf-form").addEventListener("submit", function (e) { e.preventDefault(); });
    $("hub-cf-form").addEventListener("focusout", function (e) {
      var t = e.target;
      var id = t && t.id ? t.id.replace(/-(year|month|day)$/, "") : "";
      if (id && !touched[id] && PATHS[id]) { touched[id] = true; saveStore(); refresh(); }
    });
    window.addEventListener("storage", function (e) {
      if (e.key === STORE_KEY && mergeFromDisk()) renderDrafts();
    });
    saveStore();
    render();
    if (!storageOk) $("hub-cf-saved").textContent = "This browser does not let the page keep drafts: download the file before you close the page.";
  }
  function registerPaths() {
    questionsOf(current().type).forEach(function (q) { var p = [keyOf(q)]; PATHS[domId(p)] = p; });
  }

  start();
})();
