/**
 * The API page at /docs (Swagger UI) made able to call the exchange as its real clients do. Two ways, both done in
 * the browser, in a small script served with the page:
 * - signed calls: a box at the top takes an API key's id and secret (kept in the tab's sessionStorage, never sent);
 *   each call then carries X-Sauda-Key, X-Sauda-Timestamp and X-Sauda-Signature, computed with WebCrypto exactly as
 *   signing.ts checks them (HMAC-SHA256 over time, method, path with query and the body's SHA-256);
 * - the signed-in browser: without a key, unsafe calls carry the session's CSRF token, read from GET /api/session.
 * WebCrypto needs a secure context: https, or http on localhost.
 *
 * The signing box speaks the reader's language as the web application chooses it (the language picked in its header,
 * kept in localStorage, else the browser's), in Kazakh, Russian or English; Swagger UI's own words stay English.
 */

import type { Language } from "../domain/locale.ts";

/** The signing box's words; `{key}` is the key id. A language missing a text fails the type check. */
export const DOCS_PANEL_TEXTS: Readonly<Record<Language, Readonly<Record<DocsPanelText, string>>>> = {
  en: {
    title: "Sign calls with an API key",
    keyId: "key id",
    secret: "secret (stays in this tab)",
    use: "Use key",
    forget: "Forget key",
    signing: "signing as key {key}",
    unsigned: "no key: calls go as the signed-in browser (if any)",
  },
  ru: {
    title: "Подписывать вызовы ключом API",
    keyId: "идентификатор ключа",
    secret: "секрет (остаётся в этой вкладке)",
    use: "Использовать ключ",
    forget: "Забыть ключ",
    signing: "вызовы подписываются ключом {key}",
    unsigned: "ключа нет: вызовы идут от браузера, в котором выполнен вход (если он выполнен)",
  },
  kk: {
    title: "Шақыруларға API кілтімен қол қою",
    keyId: "кілт идентификаторы",
    secret: "құпия сөз (осы қойындыда қалады)",
    use: "Кілтті қолдану",
    forget: "Кілтті ұмыту",
    signing: "шақыруларға {key} кілтімен қол қойылады",
    unsigned: "кілт жоқ: шақырулар жүйеге кірген браузерден жіберіледі (егер кірген болса)",
  },
};

type DocsPanelText = "title" | "keyId" | "secret" | "use" | "forget" | "signing" | "unsigned";

const SIGNING_SCRIPT = String.raw`
(function () {
  var KEY = "sauda.docs.key", SECRET = "sauda.docs.secret";
  var TEXTS = ${JSON.stringify(DOCS_PANEL_TEXTS)};
  // The web application's choice (web/src/i18n/index.tsx): the saved language, else the browser's, else English.
  var stored = localStorage.getItem("sauda.language");
  var preferred = (navigator.language || "en").slice(0, 2);
  var language = TEXTS[stored] ? stored : TEXTS[preferred] ? preferred : "en";
  var text = TEXTS[language];
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  async function sha256(text) {
    return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  }
  async function hmac(secret, text) {
    var key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
  }
  window.saudaSign = async function (req) {
    var method = (req.method || "GET").toUpperCase();
    var url = new URL(req.url, window.location.href);
    var path = url.pathname + url.search;
    var body = typeof req.body === "string" ? req.body : req.body == null ? "" : JSON.stringify(req.body);
    var keyId = sessionStorage.getItem(KEY), secret = sessionStorage.getItem(SECRET);
    req.headers = req.headers || {};
    if (keyId && secret) {
      var timestamp = String(Date.now());
      req.headers["X-Sauda-Key"] = keyId;
      req.headers["X-Sauda-Timestamp"] = timestamp;
      req.headers["X-Sauda-Signature"] = await hmac(secret, timestamp + "\n" + method + "\n" + path + "\n" + (await sha256(body)));
    } else if (method !== "GET" && method !== "HEAD") {
      var session = await fetch("/api/session", { credentials: "same-origin" }).then(function (r) { return r.json(); });
      if (session && session.csrfToken) req.headers["X-CSRF-Token"] = session.csrfToken;
    }
    return req;
  };
  function panel() {
    var box = document.createElement("form");
    box.id = "sauda-signing";
    box.lang = language;
    box.style.cssText = "margin:12px auto;max-width:1420px;padding:8px 20px;font:14px sans-serif;display:flex;gap:8px;align-items:center;flex-wrap:wrap;border:1px solid #ccc;border-radius:4px";
    box.innerHTML =
      '<strong></strong><input name="key" autocomplete="off" style="width:16em;max-width:100%">' +
      '<input name="secret" type="password" autocomplete="off" style="width:22em;max-width:100%">' +
      '<button type="submit"></button><button type="button" name="clear"></button>' +
      '<span name="state" role="status"></span>';
    box.querySelector("strong").textContent = text.title;
    box.key.placeholder = text.keyId;
    box.key.setAttribute("aria-label", text.keyId);
    box.secret.placeholder = text.secret;
    box.secret.setAttribute("aria-label", text.secret);
    box.querySelector("[type=submit]").textContent = text.use;
    box.querySelector("[name=clear]").textContent = text.forget;
    var state = box.querySelector("[name=state]");
    function show() {
      var keyId = sessionStorage.getItem(KEY);
      state.textContent = keyId ? text.signing.replace("{key}", keyId) : text.unsigned;
    }
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      sessionStorage.setItem(KEY, box.key.value.trim());
      sessionStorage.setItem(SECRET, box.secret.value);
      box.secret.value = "";
      show();
    });
    box.querySelector("[name=clear]").addEventListener("click", function () {
      sessionStorage.removeItem(KEY);
      sessionStorage.removeItem(SECRET);
      show();
    });
    show();
    document.body.insertBefore(box, document.body.firstChild);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", panel); else panel();
})();
`;

/** Options for @fastify/swagger-ui: the signing script, and an interceptor that hands every call to it. */
export const DOCS_PAGE_OPTIONS = {
  routePrefix: "/docs",
  theme: { js: [{ filename: "sauda-signing.js", content: SIGNING_SCRIPT }] },
  uiConfig: {
    // Runs in the browser: the page serialises this function's source into its start-up script.
    requestInterceptor: new Function("req", "return window.saudaSign ? window.saudaSign(req) : req;") as (
      request: Record<string, unknown>,
    ) => Record<string, unknown>,
  },
};
