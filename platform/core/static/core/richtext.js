// Formatted text for news and event descriptions: turns each textarea[data-richtext] (core.forms.RichTextarea)
// into a small editor built on the vendored pell (core/vendor/pell). Without JavaScript the textarea stays and works.
// The toolbar buttons are real <button>s with visible German labels; Ctrl+B, Ctrl+I and Ctrl+K work from the keyboard.
// The server sanitises whatever is sent (nh3); the cleaning here only keeps the editor and the stored text the same.
(function () {
  "use strict";
  if (!window.pell || !document.execCommand) return;

  // What the server keeps (modules.news.services.ALLOWED_TAGS); what the browser's editing makes is renamed to it.
  var KEEP = { P: 1, H2: 1, H3: 1, UL: 1, OL: 1, LI: 1, STRONG: 1, EM: 1, A: 1, BLOCKQUOTE: 1, BR: 1 };
  var RENAME = { B: "STRONG", I: "EM", DIV: "P", H1: "H2", H4: "H3", H5: "H3", H6: "H3" };
  var DROP = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1, NOSCRIPT: 1 };
  var HAS_MARKUP = /<[a-zA-Z\/!]/;

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  // Plain text as the server reads it: blank lines separate paragraphs, single line breaks stay.
  function paragraphs(text) {
    return text.replace(/\r\n/g, "\n").split(/\n\s*\n/).map(function (part) { return part.trim(); })
      .filter(Boolean).map(function (part) { return "<p>" + escapeText(part).replace(/\n/g, "<br>") + "</p>"; })
      .join("");
  }

  function copyClean(from, to) {
    Array.prototype.forEach.call(from.childNodes, function (node) {
      if (node.nodeType === 3) { to.appendChild(document.createTextNode(node.nodeValue)); return; }
      if (node.nodeType !== 1 || DROP[node.nodeName]) return;
      var name = RENAME[node.nodeName] || node.nodeName;
      if (!KEEP[name]) { copyClean(node, to); return; }  // unknown wrapper (span, font, u): keep its text
      var copy = document.createElement(name);
      if (name === "A") {
        var href = node.getAttribute("href") || "";
        if (!/^(https?:|mailto:)/i.test(href)) { copyClean(node, to); return; }
        copy.setAttribute("href", href);
      }
      copyClean(node, copy);
      to.appendChild(copy);
    });
  }

  // Parsed in an inert document (no scripts run, no images load), rebuilt with the allowed tags only.
  function clean(html) {
    var source = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html").body;
    var target = document.createElement("div");
    copyClean(source, target);
    return target.innerHTML.trim() === "<br>" ? "" : target.innerHTML.trim();
  }

  function enhance(textarea) {
    var data = textarea.dataset;
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    var name = label ? label.textContent.replace("*", "").trim() : data.labelToolbar;
    var holder = document.createElement("div");
    holder.className = "richtext";
    textarea.parentNode.insertBefore(holder, textarea.nextSibling);

    function toggle(command) {
      return function () { return document.queryCommandState(command); };
    }
    function block(tag) {
      return function () { return document.execCommand("formatBlock", false, "<" + tag + ">"); };
    }
    function link() {
      var url = window.prompt(data.labelLinkPrompt, "https://");
      if (!url || url === "https://") return false;
      if (!/^(https?:|mailto:)/i.test(url)) url = (url.indexOf("@") > 0 ? "mailto:" : "https://") + url;
      return document.execCommand("createLink", false, url);
    }
    var actions = [
      { name: "bold", icon: escapeText(data.labelBold), title: data.labelBold, keys: "Control+B", state: toggle("bold"),
        result: function () { return document.execCommand("bold"); } },
      { name: "italic", icon: escapeText(data.labelItalic), title: data.labelItalic, keys: "Control+I", state: toggle("italic"),
        result: function () { return document.execCommand("italic"); } },
      { name: "heading", icon: escapeText(data.labelHeading), title: data.labelHeading, result: block("h2") },
      { name: "paragraph", icon: escapeText(data.labelParagraph), title: data.labelParagraph, result: block("p") },
      { name: "ulist", icon: escapeText(data.labelUlist), title: data.labelUlist, state: toggle("insertUnorderedList"),
        result: function () { return document.execCommand("insertUnorderedList"); } },
      { name: "olist", icon: escapeText(data.labelOlist), title: data.labelOlist, state: toggle("insertOrderedList"),
        result: function () { return document.execCommand("insertOrderedList"); } },
      { name: "link", icon: escapeText(data.labelLink), title: data.labelLink, keys: "Control+K", result: link },
    ];

    var sync = function () { textarea.value = clean(editor.content.innerHTML); };
    var editor = window.pell.init({
      element: holder, actions: actions, defaultParagraphSeparator: "p", onChange: sync,
      classes: { actionbar: "richtext-toolbar", button: "richtext-button", content: "richtext-content",
                 selected: "richtext-button-active" },
    });
    var content = editor.content;
    var toolbar = holder.querySelector(".richtext-toolbar");
    var buttons = toolbar.querySelectorAll("button");

    // pell's buttons get a text label already (icon = the word); add what assistive technology reads.
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", data.labelToolbar + ": " + name);
    actions.forEach(function (action, index) {
      var button = buttons[index];
      button.removeAttribute("title");  // the visible word is the name; a tooltip would repeat it
      if (action.keys) button.setAttribute("aria-keyshortcuts", action.keys);
      if (action.state) button.setAttribute("aria-pressed", "false");
    });
    function showState() {
      actions.forEach(function (action, index) {
        if (action.state) buttons[index].setAttribute("aria-pressed", String(!!action.state()));
      });
    }
    document.addEventListener("selectionchange", function () {
      if (content.contains(document.getSelection().anchorNode)) showState();
    });

    content.id = textarea.id + "_editor";
    content.setAttribute("role", "textbox");
    content.setAttribute("aria-multiline", "true");
    if (label) {
      // The label now names the editor (the textarea is hidden); clicking it puts the cursor in the text.
      label.id = label.id || textarea.id + "_label";
      label.removeAttribute("for");
      label.addEventListener("click", function () { content.focus(); });
      content.setAttribute("aria-labelledby", label.id);
    } else {
      content.setAttribute("aria-label", name);
    }
    ["aria-describedby", "aria-invalid", "aria-required"].forEach(function (attribute) {
      if (textarea.hasAttribute(attribute)) content.setAttribute(attribute, textarea.getAttribute(attribute));
    });
    content.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        link();
        sync();
      }
    });

    // The stored HTML (or plain text typed without the editor) opens formatted, never as tags.
    var value = textarea.value.trim();
    content.innerHTML = clean(value && !HAS_MARKUP.test(value) ? paragraphs(value) : value);
    textarea.hidden = true;
    textarea.form && textarea.form.addEventListener("submit", sync);
    holder.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("button")) { sync(); showState(); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-richtext]"), enhance);
})();
