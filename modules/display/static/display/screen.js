/* Schaukasten: keeps a public screen current without anyone touching it.
 *
 * The page arrives with its first state (a JSON block); every refresh_seconds this script fetches the
 * state again. When the network fails it keeps showing the last state and says so next to its time
 * ("Stand: 14:05"); when the town signs the screen off (410) or its key is unknown (404) it shows that
 * and stops asking. News items take turns every rotate_seconds. Text goes in with textContent only.
 */
(function () {
  "use strict";
  var root = document.getElementById("screen");
  var source = document.getElementById("screen-state");
  if (!root || !source) return;
  var state = JSON.parse(source.textContent);
  var text = root.dataset;
  var current = 0;
  var rotateTimer = null;
  var refreshTimer = null;

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function field(name) { return root.querySelector('[data-field="' + name + '"]'); }
  function list(name) { return root.querySelector('[data-list="' + name + '"]'); }

  function warningItem(item, withLabelPrefix) {
    var li = el("li", "prio-" + item.priority + (withLabelPrefix ? " screen-warning" : ""));
    if (withLabelPrefix) {
      li.appendChild(el("strong", "", item.label + ": "));
      li.appendChild(document.createTextNode(item.title));
    } else {
      li.appendChild(el("p", "screen-label", item.label));
      li.appendChild(el("strong", "", item.title));
    }
    if (item.text) li.appendChild(el("span", "screen-warning-text", item.text));
    return li;
  }

  function fill(node, nodes) {
    while (node.firstChild) node.removeChild(node.firstChild);
    nodes.forEach(function (child) { node.appendChild(child); });
  }

  function showNews(index) {
    var articles = list("news").querySelectorAll("article");
    var count = field("news-count");
    if (!articles.length) { count.textContent = ""; return; }
    current = index % articles.length;
    for (var i = 0; i < articles.length; i++) articles[i].hidden = i !== current;
    count.textContent = articles.length > 1 ? "(" + (current + 1) + "/" + articles.length + ")" : "";
  }

  function render(data) {
    field("town").textContent = data.town;
    var place = field("place");
    if (place) place.textContent = data.place;
    field("date").textContent = data.date;
    var banner = list("banner");
    fill(banner.querySelector("ul"), data.banner.map(function (item) { return warningItem(item, true); }));
    banner.hidden = !data.banner.length;
    fill(list("warnings"), data.warnings.map(function (item) { return warningItem(item, false); }));
    root.querySelector('[data-list-box="warnings"]').hidden = !data.warnings.length;
    var today = data.today.map(function (entry) {
      var li = el("li", entry.cancelled ? "cancelled" : "");
      li.appendChild(el("span", "screen-time", entry.time));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "screen-what", entry.title + (entry.cancelled ? " (" + text.textCancelled + ")" : "")));
      if (entry.place) li.appendChild(el("span", "screen-where", entry.place));
      return li;
    });
    fill(list("today"), today.length ? today : [el("li", "screen-empty", text.textNothingToday)]);
    var more = field("today-more");
    more.textContent = "+ " + data.today_more + " " + text.textMore;
    more.hidden = !data.today_more;
    fill(list("news"), data.news.length ? data.news.map(function (item) {
      var article = el("article", "screen-article");
      article.appendChild(el("p", "screen-label", item.label));
      article.appendChild(el("h3", "", item.title));
      article.appendChild(el("p", "", item.text));
      return article;
    }) : [el("p", "screen-empty", text.textNoNews)]);
    showNews(current);
  }

  function setStand(offline) {
    var stand = field("stand");
    stand.textContent = (offline ? text.textOffline + " · " : "") + text.textStand + " " + state.stand;
    root.classList.toggle("is-offline", offline);
  }

  function signOff() {
    window.clearInterval(rotateTimer);
    window.clearTimeout(refreshTimer);
    var off = el("main", "screen-off");
    off.appendChild(el("h1", "", text.textOffTitle));
    off.appendChild(el("p", "", text.textOffBody));
    root.replaceWith(off);
  }

  function schedule() {
    refreshTimer = window.setTimeout(refresh, Math.max(5, state.refresh_seconds) * 1000);
  }

  function refresh() {
    fetch(text.stateUrl, { cache: "no-store", credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404 || response.status === 410) return "signed-off";
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (data === "signed-off") { signOff(); return; }
        state = data;
        render(data);
        setStand(false);
        schedule();
      })
      .catch(function () { setStand(true); schedule(); });
  }

  render(state);
  setStand(false);
  rotateTimer = window.setInterval(function () { showNews(current + 1); }, Math.max(3, state.rotate_seconds) * 1000);
  schedule();
  // Tests and a technician's console can ask at once instead of waiting for the next turn.
  root.addEventListener("screen:refresh", function () { window.clearTimeout(refreshTimer); refresh(); });
})();
