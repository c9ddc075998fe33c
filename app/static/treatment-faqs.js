/*
 * <treatment-faqs treatment="immunotherapy"> — a treatment's FAQs for any page.
 *
 * One classic script, no framework, no build step. Renders the published FAQs
 * as <details>/<summary> inside a shadow root (keyboard and screen-reader
 * support come from the platform), asks for the page's language, and puts a
 * schema.org FAQPage JSON-LD block into the element's light DOM so the host
 * page carries it. Styling: CSS custom properties (--tf-*) and ::part().
 * See docs/embedding.md.
 */
(function () {
  "use strict";

  if (typeof window === "undefined" || !window.customElements) return;
  if (window.customElements.get("treatment-faqs")) return;

  // document.currentScript is only set while this file first runs, so the
  // default API origin (the server that served this script) is read now.
  var SCRIPT = document.currentScript;
  var DEFAULT_API = SCRIPT && SCRIPT.src ? new URL(SCRIPT.src).origin : window.location.origin;

  var SLUG = /^(?=.{1,120}$)[a-z0-9]+(-[a-z0-9]+)*$/;
  var LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

  // Defence in depth: the API already cleans answer HTML with nh3. These lists
  // mirror app/richtext.py; anything else is dropped before it reaches a page.
  var ALLOWED_TAGS = new Set([
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
  ]);
  var ALLOWED_ATTRIBUTES = { a: ["href", "title"], abbr: ["title"], th: ["scope"] };
  var ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:", "tel:"]);
  // Removed with their content; other unknown elements keep their text.
  var DROPPED_TAGS = new Set([
    "script", "style", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "noscript", "noembed", "xmp", "img", "picture", "video",
    "audio", "source", "track", "link", "meta", "base", "form", "input", "button",
    "select", "textarea", "canvas", "title",
  ]);

  // English defaults; a portal sets loading-text, error-text and empty-text.
  var MESSAGES = {
    loading: "Loading questions…",
    error: "The questions could not be loaded.",
    empty: "There are no questions for this treatment yet.",
  };

  var CSS = [
    ":host { display: block; font-family: var(--tf-font, inherit);",
    "  color: var(--tf-text, inherit); }",
    ":host([hidden]) { display: none; }",
    ".list { display: grid; gap: var(--tf-gap, 0.5rem); }",
    "details { border: var(--tf-border, 1px solid #c8ccd0);",
    "  border-radius: var(--tf-radius, 6px); background: var(--tf-background, transparent); }",
    "summary { cursor: pointer; padding: var(--tf-question-padding, 0.75rem 1rem); font-weight: 600; }",
    "summary:focus-visible { outline: 3px solid var(--tf-accent, #0b5cad);",
    "  outline-offset: 2px; }",
    "details[open] > summary { color: var(--tf-accent, #0b5cad); }",
    ".answer { padding: var(--tf-answer-padding, 0 1rem 0.75rem); }",
    ".answer a { color: var(--tf-accent, #0b5cad); }",
    ".status:empty { display: none; }",
  ].join("\n");

  function adoptStyles(root) {
    // A constructed stylesheet is not an inline style, so a host page with a
    // strict Content-Security-Policy (no 'unsafe-inline') still styles us.
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
        return;
      } catch (_) {
        // Older engines without constructable stylesheets fall through.
      }
    }
    var style = document.createElement("style");
    style.textContent = CSS;
    root.appendChild(style);
  }

  function safeHref(value, base) {
    try {
      var url = new URL(value, base);
      return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  function cleanNode(node, base) {
    var children = Array.prototype.slice.call(node.childNodes);
    for (var i = 0; i < children.length; i++) {
      var child = children[i];
      if (child.nodeType === Node.TEXT_NODE) continue;
      if (child.nodeType !== Node.ELEMENT_NODE) {
        child.remove();
        continue;
      }
      var tag = child.localName;
      if (DROPPED_TAGS.has(tag)) {
        child.remove();
        continue;
      }
      cleanNode(child, base);
      if (!ALLOWED_TAGS.has(tag)) {
        child.replaceWith.apply(child, Array.prototype.slice.call(child.childNodes));
        continue;
      }
      var allowed = ALLOWED_ATTRIBUTES[tag] || [];
      var names = child.getAttributeNames();
      for (var j = 0; j < names.length; j++) {
        if (allowed.indexOf(names[j]) === -1) child.removeAttribute(names[j]);
      }
      if (tag === "a") {
        var href = child.hasAttribute("href") ? safeHref(child.getAttribute("href"), base) : null;
        if (href) {
          child.setAttribute("href", href);
          child.setAttribute("rel", "noopener noreferrer");
        } else {
          child.removeAttribute("href");
        }
      }
    }
  }

  // <template> content is inert: parsing it runs no script and loads nothing.
  function sanitize(html, base) {
    var template = document.createElement("template");
    template.innerHTML = typeof html === "string" ? html : "";
    cleanNode(template.content, base);
    return template.content;
  }

  function jsonLd(faqs, locale) {
    var page = {
      "@context": "https://schema.org",
      "@type": "FAQPage",
      mainEntity: faqs.map(function (faq) {
        return {
          "@type": "Question",
          name: faq.question,
          acceptedAnswer: { "@type": "Answer", text: faq.answer ? faq.answer.text : "" },
        };
      }),
    };
    if (locale) page.inLanguage = locale;
    // Escaped so that serialising the host page can never close the script.
    return JSON.stringify(page).replace(/</g, "\\u003c");
  }

  function isLocaleRejection(response, body) {
    if (response.status !== 400 || !body || !Array.isArray(body.errors)) return false;
    return body.errors.some(function (error) {
      return error && error.field === "locale";
    });
  }

  class TreatmentFaqs extends HTMLElement {
    static get observedAttributes() {
      return ["treatment", "api", "lang"];
    }

    constructor() {
      super();
      this._root = this.attachShadow({ mode: "open" });
      adoptStyles(this._root);
      this._status = document.createElement("p");
      this._status.className = "status";
      this._status.setAttribute("part", "status");
      this._status.setAttribute("role", "status");
      this._status.setAttribute("aria-live", "polite");
      this._list = document.createElement("div");
      this._list.className = "list";
      this._list.setAttribute("part", "list");
      this._root.append(this._status, this._list);
      this._controller = null;
      this._scheduled = false;
    }

    connectedCallback() {
      this._schedule();
    }

    disconnectedCallback() {
      if (this._controller) this._controller.abort();
    }

    attributeChangedCallback(name, oldValue, newValue) {
      if (oldValue !== newValue && this.isConnected) this._schedule();
    }

    get api() {
      return (this.getAttribute("api") || DEFAULT_API).replace(/\/+$/, "");
    }

    get locale() {
      var holder = this.closest("[lang]");
      var lang = (holder ? holder.getAttribute("lang") : document.documentElement.lang) || "";
      // Language tags are case-insensitive; the API expects a lower-case primary subtag.
      lang = lang.trim().replace(/^[A-Za-z]+/, function (primary) {
        return primary.toLowerCase();
      });
      return LOCALE.test(lang) ? lang : "";
    }

    _message(kind) {
      return this.getAttribute(kind + "-text") || MESSAGES[kind];
    }

    // Several attributes often change together; render once for all of them.
    _schedule() {
      if (this._scheduled) return;
      this._scheduled = true;
      var self = this;
      queueMicrotask(function () {
        self._scheduled = false;
        self._load();
      });
    }

    async _load() {
      if (this._controller) this._controller.abort();
      var controller = new AbortController();
      this._controller = controller;
      var slug = this.getAttribute("treatment") || "";
      this._list.replaceChildren();
      this._setJsonLd(null);
      this.setAttribute("aria-busy", "true");
      this._status.textContent = this._message("loading");
      try {
        if (!SLUG.test(slug)) throw new Error('treatment must be a slug, e.g. "immunotherapy"');
        var body = await this._fetch(slug, this.locale, controller.signal);
        if (!controller.signal.aborted) this._render(Array.isArray(body.data) ? body.data : []);
      } catch (error) {
        if (!controller.signal.aborted) this._fail(error);
      }
    }

    async _fetch(slug, locale, signal) {
      var url = new URL(this.api + "/v1/treatments/" + encodeURIComponent(slug) + "/faqs");
      url.searchParams.set("limit", "100");
      var headers = { Accept: "application/json" };
      if (locale) {
        url.searchParams.set("locale", locale);
        headers["Accept-Language"] = locale;
      }
      var init = { headers: headers, signal: signal, credentials: "omit", mode: "cors" };
      var response = await fetch(url.href, init);
      var body = await response.json().catch(function () {
        return null;
      });
      // An API without ?locale= support names it in a 400 problem; the
      // Accept-Language header still carries the language, so ask again.
      if (locale && isLocaleRejection(response, body)) {
        url.searchParams.delete("locale");
        response = await fetch(url.href, init);
        body = await response.json();
      }
      if (!response.ok || !body) throw new Error("HTTP " + response.status);
      return body;
    }

    _render(faqs) {
      var base = this.api + "/";
      var items = faqs.map(function (faq) {
        var details = document.createElement("details");
        details.setAttribute("part", "item");
        if (faq.locale && LOCALE.test(faq.locale)) details.lang = faq.locale;
        if (faq.slug) details.dataset.slug = faq.slug;
        var summary = document.createElement("summary");
        summary.setAttribute("part", "question");
        summary.textContent = faq.question;
        var answer = document.createElement("div");
        answer.className = "answer";
        answer.setAttribute("part", "answer");
        answer.append(sanitize(faq.answer && faq.answer.html, base));
        details.append(summary, answer);
        return details;
      });
      this._list.replaceChildren.apply(this._list, items);
      this._status.textContent = items.length ? "" : this._message("empty");
      this.removeAttribute("aria-busy");
      var served = faqs.length && faqs[0].locale ? faqs[0].locale : this.locale;
      this._setJsonLd(items.length ? jsonLd(faqs, served) : null);
      this.dispatchEvent(new CustomEvent("tf-load", { detail: { count: items.length } }));
    }

    _fail(error) {
      this._list.replaceChildren();
      this._setJsonLd(null);
      this._status.textContent = this._message("error");
      this.removeAttribute("aria-busy");
      this.dispatchEvent(new CustomEvent("tf-error", { detail: { message: String(error) } }));
    }

    _setJsonLd(text) {
      var script = this.querySelector(":scope > script[data-treatment-faqs]");
      if (text === null) {
        if (script) script.remove();
        return;
      }
      if (!script) {
        script = document.createElement("script");
        script.type = "application/ld+json";
        script.setAttribute("data-treatment-faqs", "");
        this.append(script);
      }
      script.textContent = text;
    }
  }

  window.customElements.define("treatment-faqs", TreatmentFaqs);
})();
