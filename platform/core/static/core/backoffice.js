// Back-office helpers. Everything works without them; they only save typing and show feedback early.
(function () {
  "use strict";

  // Ortsgemeinde form: suggest the short name while the name is typed, until the admin edits it by hand.
  var form = document.querySelector("form[data-slug-url]");
  if (form) {
    var name = form.querySelector("[data-slug-source]");
    var slug = name && document.getElementById(name.getAttribute("data-slug-source"));
    if (name && slug) {
      var touched = slug.value !== "";
      var timer = null;
      slug.addEventListener("input", function () { touched = slug.value !== ""; });
      name.addEventListener("input", function () {
        if (touched) return;
        clearTimeout(timer);
        timer = setTimeout(function () {
          var url = form.getAttribute("data-slug-url") + "?name=" + encodeURIComponent(name.value);
          var exclude = form.getAttribute("data-slug-exclude");
          if (exclude) url += "&exclude=" + encodeURIComponent(exclude);
          fetch(url, { credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : { slug: "" }; })
            .then(function (data) { if (!touched) slug.value = data.slug; })
            .catch(function () {});
        }, 250);
      });
    }
  }

  // Branding form: preview the colours and show the contrast the server will check (WCAG 2.1).
  var preview = document.querySelector("[data-brand-preview]");
  var primary = document.getElementById("id_primary_colour");
  var accent = document.getElementById("id_accent_colour");
  if (!preview || !primary || !accent) return;

  function luminance(hex) {
    var rgb = [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16) / 255; });
    var lin = rgb.map(function (c) { return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  }
  function ratio(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function textOn(bg) { return ratio(bg, "#ffffff") >= ratio(bg, "#1a1a1a") ? "#ffffff" : "#1a1a1a"; }
  function fmt(r) { return (Math.floor(r * 10) / 10).toLocaleString(document.documentElement.lang, { minimumFractionDigits: 1 }); }

  var out = preview.querySelector('[data-preview="ratios"]');
  var labels = {
    link: out.getAttribute("data-label-link") || "Links on white",
    primary: out.getAttribute("data-label-primary") || "Text on primary",
    accent: out.getAttribute("data-label-accent") || "Text on accent",
  };
  function update() {
    var p = primary.value, a = accent.value;
    if (!/^#[0-9a-fA-F]{6}$/.test(p) || !/^#[0-9a-fA-F]{6}$/.test(a)) return;
    var head = preview.querySelector('[data-preview="primary"]');
    head.style.background = p; head.style.color = textOn(p);
    preview.querySelector('[data-preview="link"]').style.color = p;
    var badge = preview.querySelector('[data-preview="accent"]');
    badge.style.background = a; badge.style.color = textOn(a);
    var checks = [[labels.link, ratio(p, "#ffffff")], [labels.primary, ratio(p, textOn(p))], [labels.accent, ratio(a, textOn(a))]];
    out.textContent = checks.map(function (c) { return c[0] + ": " + fmt(c[1]) + ":1 " + (c[1] >= 4.5 ? "✓" : "✗"); }).join(" · ");
  }
  primary.addEventListener("input", update);
  accent.addEventListener("input", update);
  update();
})();
