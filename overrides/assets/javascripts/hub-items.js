/* Water Services Knowledge Hub: filter the items page by theme and by who an item
 * is addressed to. Works from the file system too; the choice is kept in the URL
 * (?theme=...&actor=...) so a filtered list can be shared. Without script every
 * item is listed. */
(function () {
  "use strict";
  var form = document.querySelector("[data-hub-items]");
  if (!form) return;
  var theme = form.querySelector("select[name=theme]");
  var actor = form.querySelector("select[name=actor]");
  var status = form.querySelector(".hub-itemfilter__status");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#hub-items .hub-itemrow"));

  function has(row, attr, value) {
    return !value || (" " + row.getAttribute(attr) + " ").indexOf(" " + value + " ") >= 0;
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = has(row, "data-themes", theme.value) && has(row, "data-actors", actor.value);
      row.hidden = !visible;
      if (visible) shown++;
    });
    var chosen = [];
    if (theme.value) chosen.push("theme: " + theme.options[theme.selectedIndex].text);
    if (actor.value) chosen.push("addressed to: " + actor.options[actor.selectedIndex].text);
    // the filters written out, so that a printed list says what it holds
    status.textContent = shown + (shown === 1 ? " item" : " items") +
      (chosen.length ? " match (" + chosen.join("; ") + ")." : ".");
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    [[theme, "theme"], [actor, "actor"]].forEach(function (pair) {
      var value = params.get(pair[1]) || "";
      var known = Array.prototype.some.call(pair[0].options, function (o) { return o.value === value; });
      pair[0].value = known ? value : "";
    });
    apply();
  }

  form.addEventListener("change", function () {
    var params = new URLSearchParams();
    if (theme.value) params.set("theme", theme.value);
    if (actor.value) params.set("actor", actor.value);
    if (location.protocol !== "file:") history.pushState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
    apply();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("popstate", fromUrl);
  fromUrl();
})();
