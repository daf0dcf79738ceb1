/* faqbot chat widget (vanilla JS, no dependencies, no third-party requests).
 * Embed: <script src="https://HOST/widget.js" defer></script>; options: docs/web.md.
 * Whatever a visitor or the server says is inserted with textContent, never as HTML.
 * Every sentence shown comes from the knowledge base through /api/welcome (`strings`),
 * so the launcher appears only once the server has answered.
 * Parts: options, store, transport, view, shell, controller (`Conversation`). */
(function () {
"use strict";
var script = document.currentScript;
var LINK = /\[([^\[\]\n]+)\]\(([^()\s]+)\)/g;
// Pinned to faqbot/markup.py ALLOWED_SCHEMES by tests/test_web_widget_source.py.
var SCHEMES = ["https:", "http:", "mailto:", "tel:"];
var RESOURCE_SCHEMES = SCHEMES.concat(["sms:"]);
var DEFAULTS = {
  title: "", greeting: "", suggestions: [], accent: "#1d5c85", position: "right", open: false,
  theme: "auto", discreet: false, nonce: "", endpoint: "", exitUrl: "https://www.google.com/"
};
var DOUBLE_ESCAPE_MS = 800;
var DARK = `--fb-bg:#1b1b1f;--fb-fg:#f1f1f4;--fb-muted:#c4c4cc;--fb-bubble:#2c2c33;
--fb-border:#55555f;--fb-chip:#23232a;--fb-focus:#9ccaff;--fb-crisis:#3a1a18;--fb-crisis-edge:#ffb4ab`;
var STYLES = `
:host{all:initial;--fb-bg:#fff;--fb-fg:#1b1b1f;--fb-muted:#52525b;--fb-bubble:#f1f1f4;
--fb-border:#c9c9d1;--fb-chip:#fff;--fb-focus:#1d5c85;--fb-crisis:#fff4f2;--fb-crisis-edge:#b3261e;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fb-fg)}
:host([data-theme=dark]){${DARK}}
@media (prefers-color-scheme:dark){:host([data-theme=auto]){${DARK}}}
*{box-sizing:border-box;font:inherit}
button{cursor:pointer;border-radius:8px}
:focus-visible{outline:3px solid var(--fb-focus);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;display:flex;gap:8px;
align-items:center;padding:12px 18px;border:0;border-radius:999px;background:var(--fb-accent);
color:var(--fb-on-accent);font-weight:600;box-shadow:0 4px 16px rgba(0,0,0,.25)}
.launcher[hidden]{display:none}
:host([data-position=left]) .launcher,:host([data-position=left]) .panel{right:auto;left:20px}
.launcher svg{width:22px;height:22px;fill:currentColor}
.unread{position:absolute;top:-3px;right:-3px;width:14px;height:14px;border-radius:50%;
background:#d93025;border:2px solid #fff;overflow:hidden;color:transparent;font-size:1px}
.unread[hidden]{display:none}
.panel{position:fixed;bottom:88px;right:20px;z-index:2147483001;width:380px;
height:min(620px,calc(100dvh - 110px));display:flex;flex-direction:column;background:var(--fb-bg);
color:var(--fb-fg);border:1px solid var(--fb-border);border-radius:14px;overflow:hidden;
box-shadow:0 10px 40px rgba(0,0,0,.3)}
.panel[hidden]{display:none}
.head{display:flex;align-items:center;gap:6px;padding:10px 12px;background:var(--fb-accent);
color:var(--fb-on-accent)}
h2{flex:1;margin:0;font-size:16px;font-weight:600}
.head button{border:1px solid currentColor;background:transparent;color:inherit;padding:4px 10px}
.head button:focus-visible{outline-color:var(--fb-on-accent)}
.exit{font-weight:700}
.log{position:relative;flex:1;overflow-y:auto;overscroll-behavior:contain;padding:12px;display:flex;
flex-direction:column;gap:10px}
.msg{max-width:88%;padding:9px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.msg p{margin:0 0 8px}.msg p:last-child{margin:0}
.bot{align-self:flex-start;background:var(--fb-bubble)}
.you{align-self:flex-end;background:var(--fb-accent);color:var(--fb-on-accent)}
.bot a{color:inherit;text-decoration:underline;font-weight:600}
.note{font-size:13px;color:var(--fb-muted)}
.crisis{background:var(--fb-crisis);border:2px solid var(--fb-crisis-edge);max-width:100%}
.crisis>p{margin:0 0 6px;font-weight:600}.crisis ul,.checkin ul{margin:0 0 8px;padding-left:18px}
.crisis li,.checkin li{margin:4px 0}
.checkin{border-left:4px solid var(--fb-crisis-edge);padding-left:8px;margin:0 0 8px}
.chips{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start}
.chips button,.actions button{border:1px solid var(--fb-border);background:var(--fb-chip);
color:var(--fb-fg);padding:6px 10px;text-align:left}
.options{flex-direction:column;align-items:stretch}
.actions{display:flex;gap:6px;align-items:center;font-size:13px;color:var(--fb-muted)}
.error{align-self:stretch;border:1px solid var(--fb-crisis-edge);border-radius:10px;padding:9px 12px}
.error button{margin-left:8px;border:1px solid currentColor;background:transparent;color:inherit}
.typing{align-self:flex-start;padding:12px;background:var(--fb-bubble);border-radius:12px}
.typing i{display:inline-block;width:7px;height:7px;margin:0 2px;border-radius:50%;
background:var(--fb-muted);animation:fb-dot 1s infinite alternate}
.typing i:nth-child(3){animation-delay:.3s}.typing i:nth-child(4){animation-delay:.6s}
@keyframes fb-dot{to{opacity:.2}}
@media (prefers-reduced-motion:reduce){.typing i{animation:none}}
form{display:flex;gap:8px;padding:10px;border-top:1px solid var(--fb-border)}
input{flex:1;min-width:0;font-size:16px;padding:9px 10px;border:1px solid var(--fb-muted);
border-radius:8px;background:var(--fb-bg);color:var(--fb-fg)}
input::placeholder{color:var(--fb-muted)}
form button{border:0;background:var(--fb-accent);color:var(--fb-on-accent);padding:0 16px;font-weight:600}
@media (max-width:480px){.panel{inset:0;width:100%;height:100vh;height:100dvh;border-radius:0;border:0}}
@media (pointer:coarse),(max-width:480px){button,input{min-height:44px;min-width:44px}}
`;

var current = null;

/* ---- options: what the host page asked for, checked ---- */

function pick(value, choices, fallback) {
  return choices.indexOf(value) >= 0 ? value : fallback;
}

function text(value, max, fallback) {
  return typeof value === "string" && value.trim() && value.length <= max ? value.trim() : fallback;
}

function flag(value) {
  return value === true || value === "" || value === "true";
}

function endpointOf(value) {
  try {
    var url = new URL(value, location.href);
    return /^https?:$/.test(url.protocol) ? url.origin : "";
  } catch (e) { return ""; }
}

// Unknown or malformed values fall back to the default instead of breaking the page.
function settle(raw) {
  raw = raw || {};
  var list = typeof raw.suggestions === "string" ? raw.suggestions.split("|") : raw.suggestions;
  var color = typeof raw.accent === "string" && window.CSS && window.CSS.supports("color", raw.accent);
  var exit = endpointOf(raw.exitUrl) && /^https:/i.test(raw.exitUrl) ? raw.exitUrl : DEFAULTS.exitUrl;
  return {
    title: text(raw.title, 80, ""),
    greeting: text(raw.greeting, 600, ""),
    suggestions: (Array.isArray(list) ? list : []).map(function (q) { return text(q, 200, ""); })
      .filter(Boolean).slice(0, 6),
    accent: color ? raw.accent : DEFAULTS.accent,
    position: pick(raw.position, ["right", "left"], "right"),
    open: flag(raw.open),
    theme: pick(raw.theme, ["light", "dark", "auto"], "auto"),
    discreet: flag(raw.discreet),
    nonce: typeof raw.nonce === "string" ? raw.nonce : "",
    endpoint: endpointOf(raw.endpoint || (script && script.src) || location.href),
    exitUrl: exit
  };
}

function fromScript(tag) {
  var d = tag.dataset;
  return { title: d.title, greeting: d.greeting, suggestions: d.suggestions, accent: d.accent,
    position: d.position, open: d.open, theme: d.theme, discreet: d.discreet,
    exitUrl: d.exitUrl, endpoint: d.endpoint, nonce: tag.nonce };
}

/* ---- store: the conversation in sessionStorage (never in discreet mode) ---- */

// Crisis and check-in turns (the visitor's message and the reply) are marked `memory`
// and never written: a host-page script can read sessionStorage.
function createStore(enabled) {
  var KEY = "faqbot:conversation";
  function read() {
    if (!enabled) return null;
    try {
      var s = JSON.parse(sessionStorage.getItem(KEY));
      if (!s || !Array.isArray(s.items)) return null;
      return { items: s.items, previousId: typeof s.previousId === "string" ? s.previousId : null,
        open: s.open === true };
    } catch (e) { return null; }
  }
  function write(state) {
    if (!enabled) return;
    var kept = state.items.filter(function (item) { return !item.memory; });
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ items: kept, previousId: state.previousId,
        open: state.open }));
    } catch (e) { /* storage disabled: the chat still works */ }
  }
  function wipe() {
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing to wipe */ }
  }
  function gone() {
    try { return sessionStorage.getItem(KEY) === null; } catch (e) { return true; }
  }
  // The welcome (the knowledge base's sentences, nothing the visitor did) is kept for the
  // tab's session too, so a page view costs the server no request.  Discreet mode keeps
  // nothing, not even that a page with the chat was seen: it removes what another page left.
  function welcome(endpoint, data) {
    var key = "faqbot:welcome:" + endpoint;
    try {
      if (!enabled) sessionStorage.removeItem(key);
      if (data && enabled) sessionStorage.setItem(key, JSON.stringify(data));
      if (data || !enabled) return data || null;
      var kept = JSON.parse(sessionStorage.getItem(key));
      return kept && typeof kept.strings === "object" && typeof kept.greeting === "string" &&
        Array.isArray(kept.suggestions) ? kept : null;
    } catch (e) { return null; }
  }
  return { read: read, write: write, wipe: wipe, gone: gone, welcome: welcome,
    stop: function () { enabled = false; } };
}

/* ---- transport: requests to the server, cancelled together on New / Quick exit ---- */

function createTransport(endpoint) {
  var live = [], gen = 0;
  function post(path, body) {
    var abort = new AbortController(), timer = setTimeout(function () { abort.abort(); }, 15000);
    live.push(abort);
    return fetch(endpoint + path, {
      method: body ? "POST" : "GET", body: body ? JSON.stringify(body) : undefined,
      headers: body ? { "Content-Type": "application/json" } : {}, credentials: "omit",
      cache: "no-store", referrerPolicy: "no-referrer", signal: abort.signal
    }).finally(function () {
      clearTimeout(timer);
      live.splice(live.indexOf(abort), 1);
    }).then(function (response) {
      if (response.status === 204) return null;
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) return data;
        throw { status: response.status, data: data, retry: response.headers.get("Retry-After") };
      });
    }, function (error) { throw { status: 0, error: error }; });
  }
  // A failed fetch looks the same whether the server is down or refuses this page's
  // origin (CORS); an opaque request tells the two apart, for the console only.
  function diagnose(failure) {
    if (failure.status !== 0 || endpoint === location.origin) return;
    fetch(endpoint + "/healthz", { mode: "no-cors", credentials: "omit", cache: "no-store",
      referrerPolicy: "no-referrer" }).then(function () {
      console.error("faqbot: the server at " + endpoint + " answered, but it does not allow " +
        "requests from " + location.origin + " (CORS). Start it with: faqbot serve --origins " +
        location.origin);
    }, function () {
      console.error("faqbot: cannot reach the server at " + endpoint + " (network error).");
    });
  }
  // `guard(fn)` runs fn only if New / Quick exit did not happen in between.
  function guard(fn) {
    var mine = gen;
    return function (value) { return mine === gen ? fn(value) : null; };
  }
  function stop() {
    gen++;
    live.slice().forEach(function (abort) { abort.abort(); });
  }
  return { post: post, guard: guard, stop: stop, diagnose: diagnose };
}

/* ---- view: building nodes; knows nothing of requests or storage ---- */

function el(tag, attrs, kids) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) {
    var value = attrs[key];
    if (key === "text") node.textContent = value;
    else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else if (value !== false && value != null) node.setAttribute(key, value);
  });
  (kids || []).forEach(function (kid) { if (kid != null) node.append(kid); });
  return node;
}

function allowed(target, schemes) {
  var lower = String(target).trim().toLowerCase();
  return schemes.some(function (scheme) { return lower.indexOf(scheme) === 0; });
}

function link(label, target, schemes) {
  if (!allowed(target, schemes)) return document.createTextNode(label);
  var web = /^https?:/i.test(target);
  return el("a", { href: target, text: label, target: web ? "_blank" : null,
    rel: web ? "noopener noreferrer" : null });
}

// Answers may hold `[text](target)` links; everything else stays text.
function richText(value) {
  var box = el("div");
  String(value).split(/\n{2,}/).forEach(function (para) {
    var p = el("p"), last = 0, match;
    LINK.lastIndex = 0;
    while ((match = LINK.exec(para))) {
      p.append(para.slice(last, match.index), link(match[1], match[2], SCHEMES));
      last = LINK.lastIndex;
    }
    p.append(para.slice(last));
    box.append(p);
  });
  return box;
}

function icon() {
  var ns = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
  svg.append(path);
  return svg;
}

// `say(name)` is the knowledge base's sentence; `onPick(choice)`, `onRate(id, helpful)`.
class View {
  constructor(say, hooks) {
    this.say = say;
    this.hooks = hooks;
  }

  note(words) { return words ? el("div", { class: "note", text: words }) : ""; }

  chips(choices, kind) {
    if (!choices || !choices.length) return null;
    return el("div", { class: "chips " + kind, role: "group",
      "aria-label": this.say(kind === "options" ? "options_label" : "suggestions_label") },
      choices.map((c) => el("button", { type: "button", text: c.question,
        onclick: () => { this.hooks.onPick(c); } })));
  }

  resources(list) {
    return el("ul", {}, list.map(function (r) {
      var contact = r.link ? link(r.contact, r.link, RESOURCE_SCHEMES) : r.contact;
      return el("li", {}, [el("span", { text: r.name + ": " }), contact]);
    }));
  }

  feedback(id) {
    var say = this.say;
    var box = el("div", { class: "actions" }, [el("span", { text: say("helpful_question") })]);
    [["yes", true], ["no", false]].forEach((pair) => {
      box.append(el("button", { type: "button", text: say("helpful_" + pair[0]),
        "aria-label": say("helpful_" + pair[0] + "_label"), onclick: () => {
          this.hooks.onRate(id, pair[1]);
          box.replaceChildren(el("span", { text: say("feedback_thanks") }));
        } }));
    });
    return box;
  }

  bubble(reply) {
    var crisis = reply.kind === "crisis", list = reply.resources || [];
    var box = el("div", { class: "msg bot" + (crisis ? " crisis" : "") });
    // A reply in another language brings its own heading (`resources_heading`).
    var lead = text(reply.resources_heading, 300, "") || this.say("crisis_heading");
    if (crisis && lead) box.append(el("p", { text: lead }));
    if (crisis && list.length) box.append(this.resources(list));
    if (!crisis && typeof reply.checkin === "string" && reply.checkin) {
      box.append(el("div", { class: "checkin", role: "note" },
        [el("p", { text: reply.checkin }), list.length ? this.resources(list) : null]));
    }
    box.append(richText(reply.answer));
    return box;
  }

  reply(value, canRate) {
    var nodes = [this.bubble(value), this.chips(value.options, "options")];
    if (value.related && value.related.length) {
      var heading = value.kind === "answer" ? "related_heading" : "fallback_heading";
      nodes.push(this.note(this.say(heading)), this.chips(value.related, "related"));
    }
    if (canRate && value.kind === "answer" && value.id) nodes.push(this.feedback(value.id));
    return nodes;
  }

  welcome(greeting, disclaimer, picks) {
    return [el("div", { class: "msg bot" }, [richText(greeting)]),
      disclaimer ? this.note(disclaimer) : null,
      picks && picks.length ? this.note(this.say("start_heading")) : null,
      this.chips(picks, "suggested")];
  }

  problem(failure, retry) {
    var box = el("div", { class: "error", role: "alert" }, [this.problemText(failure)]);
    if (retry) {
      var again = el("button", { type: "button", text: this.say("try_again"), onclick: function () {
        box.remove();
        retry();
      } });
      var wait = failure.status === 429 ? Math.min(Number(failure.retry) || 1, 120) : 0;
      // Rate-limited: the button works once the server's Retry-After has passed.
      if (wait) {
        again.disabled = true;
        setTimeout(function () { again.disabled = false; }, wait * 1000);
      }
      box.append(again);
    }
    return box;
  }

  problemText(failure) {
    var message = failure.data && failure.data.error && failure.data.error.message;
    if (failure.status === 429) return this.say("rate_limited_unknown");
    if (refused(failure)) return message || this.say("unreadable");
    return failure.status ? this.say("server_error") : this.say("offline");
  }

  typing() {
    return el("div", { class: "typing" }, [el("span", { class: "sr", text: this.say("typing") })]
      .concat([1, 2, 3].map(function () { return el("i", { "aria-hidden": "true" }); })));
  }

  you(words) { return el("div", { class: "msg you", text: words }); }
}
function refused(failure) { return [400, 413, 422].indexOf(failure.status) >= 0; }

// Readable text on the accent colour: white on dark accents, near-black on light ones.
function onAccent(root, color) {
  var probe = el("span");
  probe.style.color = color;
  root.append(probe);
  var rgb = (getComputedStyle(probe).color.match(/[\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);
  probe.remove();
  var lum = rgb.map(function (c) {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2] < 0.18 ? "#fff" : "#111";
}

function styleRoot(root, nonce) {
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    root.adoptedStyleSheets = [sheet];
  } catch (e) {
    root.append(el("style", { nonce: nonce || null, text: STYLES }));
  }
}

/* ---- page: focus trap and scroll lock while the panel covers a small screen ---- */

var FULL_SCREEN = "(max-width:480px)";

function focusables(panel) {
  return Array.prototype.filter.call(panel.querySelectorAll("button,input,a[href],[tabindex]"),
    function (node) { return !node.disabled && node.tabIndex >= 0 && node.getClientRects().length; });
}

function trapTab(panel, root, e) {
  if (e.key !== "Tab" || !matchMedia(FULL_SCREEN).matches) return;
  var list = focusables(panel), first = list[0], last = list[list.length - 1];
  var active = root.activeElement;
  if (e.shiftKey && (active === first || !panel.contains(active))) {
    e.preventDefault(); last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault(); first.focus();
  }
}

function scrollLock() {
  var saved = null, html = document.documentElement;
  return {
    on: function () {
      if (saved || !matchMedia(FULL_SCREEN).matches) return;
      saved = [html.style.overflow, document.body.style.overflow];
      html.style.overflow = "hidden";
      document.body.style.overflow = "hidden";
    },
    off: function () {
      if (!saved) return;
      html.style.overflow = saved[0];
      document.body.style.overflow = saved[1];
      saved = null;
    }
  };
}

/* ---- shell: the launcher and the panel, labelled once the welcome has arrived ---- */

function createShell(opts, on) {
  var host = el("div", { id: "faqbot-widget", "data-position": opts.position,
    "data-theme": opts.theme, role: "complementary" });
  var root = host.attachShadow({ mode: "open" });
  styleRoot(root, opts.nonce);
  host.style.setProperty("--fb-accent", opts.accent);
  // A dot on the launcher when a reply arrives while the panel is closed.
  var unread = el("span", { class: "unread", hidden: true });
  var name = el("span");
  var launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false",
    "aria-controls": "faqbot-panel", hidden: true, onclick: on.toggle }, [icon(), name, unread]);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", tabindex: "0" });
  var input = el("input", { id: "faqbot-input", type: "text", autocomplete: "off",
    enterkeyhint: "send", maxlength: "1000" });
  var send = el("button", { type: "submit" });
  var inputLabel = el("label", { class: "sr", for: "faqbot-input" });
  var form = el("form", { onsubmit: function (e) { e.preventDefault(); on.submit(); } },
    [inputLabel, input, send]);
  var title = el("h2", { id: "faqbot-title" });
  var exit = opts.discreet ? el("button", { type: "button", class: "exit",
    "aria-keyshortcuts": "Escape Escape", onclick: on.quickExit }) : null;
  var renew = el("button", { type: "button", onclick: on.reset });
  var shut = el("button", { type: "button", text: "\u00d7", onclick: on.close });
  var panel = el("div", { id: "faqbot-panel", class: "panel", role: "dialog",
    "aria-labelledby": "faqbot-title", hidden: true, onkeydown: on.keydown },
    [el("div", { class: "head" }, [exit, title, renew, shut]), log, form]);
  root.append(launcher, panel);
  (document.body || document.documentElement).append(host);
  host.style.setProperty("--fb-on-accent", onAccent(root, opts.accent));

  // The knowledge base's sentences, language and direction, from /api/welcome.
  function label(say, data) {
    host.setAttribute("lang", text(data.language, 20, "") || "en");
    host.setAttribute("dir", data.direction === "rtl" ? "rtl" : "ltr");
    var neutral = say("title_discreet") || say("launcher_discreet");
    title.textContent = opts.title || (opts.discreet ? neutral : say("title"));
    host.setAttribute("aria-label", title.textContent);
    name.textContent = say(opts.discreet ? "launcher_discreet" : "launcher");
    unread.textContent = say("unread");
    log.setAttribute("aria-label", say("conversation"));
    input.placeholder = say("placeholder") || say("question_label");
    inputLabel.textContent = say("question_label");
    send.textContent = say("send");
    renew.textContent = say("new");
    renew.setAttribute("aria-label", say("new_label"));
    shut.setAttribute("aria-label", say("close_label"));
    if (exit) {
      exit.textContent = say("quick_exit");
      exit.setAttribute("aria-label", say("quick_exit_label"));
    }
    input.maxLength = data.max_question_chars || 1000;
  }

  return { host: host, root: root, launcher: launcher, unread: unread, log: log, input: input,
    send: send, panel: panel, label: label };
}

// Discreet mode: Escape twice, anywhere on the page, is the quick exit; the first one
// closes the panel (`first()` says whether it did).
function escapeTwice(quickExit, first) {
  var last = 0;
  function keydown(e) {
    if (e.key !== "Escape") return;
    var now = Date.now();
    if (now - last < DOUBLE_ESCAPE_MS) { quickExit(); return; }
    last = now;
    if (first()) e.preventDefault();
  }
  document.addEventListener("keydown", keydown, true);
  return { detach: function () { document.removeEventListener("keydown", keydown, true); } };
}

/* ---- controller: a Conversation, and `build` wiring the parts to it ---- */

function fresh() { return { items: [], previousId: null, open: false }; }

// All that changes is here: the stored conversation (`state`), the welcome with its sentences
// and the typing indicator, there exactly while a question awaits its reply.
class Conversation {
  constructor(opts, store, net) {
    this.opts = opts;
    this.store = store;
    this.net = net;
    this.state = store.read() || fresh();
    this.welcome = null;
    this.strings = {};
    this.typing = null;
    // Bound, so a method can be an event listener as it is.
    Object.getOwnPropertyNames(Conversation.prototype).forEach((name) => {
      if (name !== "constructor") this[name] = this[name].bind(this);
    });
  }

  say(name) { return text(this.strings[name], 600, ""); }

  emit(name, detail) {
    this.ui.host.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true,
      detail: detail }));
  }

  save() { this.store.write(this.state); }

  scrollDown() { this.ui.log.scrollTop = this.ui.log.scrollHeight; }

  render(item) {
    var log = this.ui.log, w = this.welcome;
    if (item.who === "you") {
      // Chips already answered leave the tab order (they still work with a pointer).
      log.querySelectorAll(".chips button").forEach((b) => { b.tabIndex = -1; });
      log.append(this.view.you(item.text));
      return;
    }
    var nodes = item.who === "welcome" ? this.greeting() :
      this.view.reply(item.reply, w && w.feedback_stored === true);
    nodes.forEach((node) => { if (node) log.append(node); });
  }

  greeting() {
    var opts = this.opts, w = this.welcome;
    var picks = opts.suggestions.length ?
      opts.suggestions.map((q) => ({ question: q })) : w.suggestions;
    return this.view.welcome(opts.greeting || w.greeting, w.disclaimer, picks);
  }

  add(item) {
    var ui = this.ui, log = ui.log;
    this.state.items.push(item);
    this.save();
    var before = log.children.length;
    this.render(item);
    var first = log.children[before];
    // Show the start of a long reply, not its end.
    if (item.who === "you" || !first) this.scrollDown();
    else log.scrollTop = first.offsetTop - 8;
    if (item.who === "bot" && ui.panel.hidden) ui.unread.hidden = false;
  }

  restore() {
    try { this.state.items.forEach(this.render, this); } catch (e) {
      this.state = fresh();
      this.ui.log.replaceChildren();
    }
  }

  greet() { this.add({ who: "welcome" }); }

  setBusy(on) {
    this.ui.send.disabled = on;
    if (on && !this.typing) {
      this.typing = this.view.typing();
      this.ui.log.append(this.typing);
      this.scrollDown();
    } else if (!on && this.typing) {
      this.typing.remove();
      this.typing = null;
    }
  }

  answered(reply, question) {
    this.setBusy(false);
    var answer = reply.kind === "answer";
    var memory = reply.kind === "crisis" || (typeof reply.checkin === "string" && !!reply.checkin);
    if (answer && reply.id) this.state.previousId = reply.id;
    if (question) question.memory = memory || undefined;
    this.add({ who: "bot", reply: reply, memory: memory || undefined });
    // Never the visitor's words, nor that it was a crisis or a check-in.
    if (!memory) {
      this.emit("faqbot:answer", answer && reply.id ? { kind: "answer", id: reply.id } :
        { kind: reply.kind });
    }
    return reply;
  }

  failed(failure, retry) {
    this.setBusy(false);
    this.net.diagnose(failure);
    this.ui.log.append(this.view.problem(failure, refused(failure) ? null : retry));
    this.scrollDown();
  }

  // `guard`: what comes after New / Quick exit is dropped.
  request(body, question) {
    var net = this.net;
    this.setBusy(true);
    return net.post("/api/ask", body).then(net.guard((reply) => this.answered(reply, question)),
      net.guard((failure) => this.failed(failure, () => this.request(body, question))));
  }

  send(body, shown) {
    if (this.typing || !this.welcome) return Promise.resolve(null);
    // Kept in memory until its reply shows it was not a crisis.
    var question = { who: "you", text: shown, memory: true };
    this.add(question);
    if (this.ui.panel.hidden) this.open(true); // after `add`, so opening does not greet as well
    return this.request(body, question);
  }

  ask(question) {
    question = String(question == null ? "" : question).trim();
    if (!question) return Promise.resolve(null);
    this.ui.input.value = "";
    var context = this.state.previousId ? { previous_id: this.state.previousId } : null;
    return this.send({ question: question, context: context }, question);
  }

  submit() { this.ask(this.ui.input.value); }

  choose(choice) {
    this.ui.input.focus();
    if (choice.id) this.send({ id: choice.id }, choice.question);
    else this.ask(choice.question);
  }

  rate(id, helpful) {
    this.net.post("/api/feedback", { id: id, helpful: helpful }).catch(() => {});
  }

  // The welcome carries every sentence: nothing shows until it has arrived.
  load() {
    var store = this.store, endpoint = this.opts.endpoint, net = this.net;
    var kept = store.welcome(endpoint);
    var fetched = kept ? Promise.resolve(kept) :
      net.post("/api/welcome").then((data) => store.welcome(endpoint, data));
    return fetched.then((data) => this.welcomed(data), (failure) => {
      net.diagnose(failure);
      console.warn("faqbot: the chat is not shown: the server did not send its welcome.");
    });
  }

  welcomed(data) {
    this.welcome = data;
    this.strings = Object.assign({}, data.strings || {}, data.headings || {});
    this.ui.label(this.say, data);
    this.restore();
    this.ui.launcher.hidden = false;
    if (this.state.open || this.opts.open) this.open(true);
  }

  show(on) {
    this.ui.panel.hidden = !on;
    this.ui.launcher.setAttribute("aria-expanded", String(on));
    this.lock[on ? "on" : "off"]();
    this.state.open = on;
    this.save();
  }

  open(quiet) {
    var ui = this.ui;
    ui.unread.hidden = true;
    ui.panel.setAttribute("aria-modal", matchMedia(FULL_SCREEN).matches ? "true" : "false");
    this.show(true);
    if (!this.state.items.length) this.greet();
    if (quiet !== true) ui.input.focus();
    this.scrollDown();
  }

  close() { this.show(false); this.ui.launcher.focus(); }

  toggle() { if (this.ui.panel.hidden) this.open(); else this.close(); }

  keydown(e) {
    trapTab(this.ui.panel, this.ui.root, e);
    if (e.key === "Escape" && !this.opts.discreet) { e.preventDefault(); this.close(); }
  }

  // Discreet mode's first Escape closes the panel, and says whether it did.
  firstEscape() {
    if (this.ui.panel.hidden) return false;
    this.close();
    return true;
  }

  stop() { this.net.stop(); this.setBusy(false); }

  wipe() {
    this.stop();
    this.state = fresh();
    this.state.open = !this.ui.panel.hidden;
    this.store.wipe();
    this.ui.log.replaceChildren();
  }

  reset() {
    this.wipe();
    if (!this.ui.panel.hidden) { this.greet(); this.ui.input.focus(); }
  }

  quickExit() {
    this.wipe();
    this.store.stop(); // nothing is written again, even while the exit page loads
    location.replace(this.opts.exitUrl);
  }

  // Back/forward cache: after a Quick exit (or if discreet) show no old conversation.
  restored(e) {
    if (e.persisted && this.store.gone()) {
      this.wipe();
      if (!this.ui.panel.hidden && this.welcome) this.greet();
    }
  }

  destroy() {
    this.stop();
    this.lock.off();
    window.removeEventListener("pageshow", this.restored);
    if (this.keys) this.keys.detach();
    this.ui.host.remove();
    if (current === this) current = null;
  }
}

// Construction, apart from behaviour: the parts, and the events each method hears.
function build(raw) {
  var opts = settle(raw);
  var c = new Conversation(opts, createStore(!opts.discreet), createTransport(opts.endpoint));
  c.ui = createShell(opts, c); // toggle, submit, reset, close, quickExit, keydown
  c.view = new View(c.say, { onPick: c.choose, onRate: c.rate });
  c.lock = scrollLock();
  c.keys = opts.discreet ? escapeTwice(c.quickExit, c.firstEscape) : null;
  window.addEventListener("pageshow", c.restored);
  return c;
}

// The public API; `open` and `ask` wait for the welcome.
function create(raw) {
  var c = build(raw), ready = c.load();
  var later = (fn) => (arg) => ready.then(() => fn(arg));
  current = c;
  ready.then(() => c.emit("faqbot:ready", {}));
  return { open: later(() => { if (c.welcome) c.open(); }), close: c.close, ask: later(c.ask),
    reset: c.reset, destroy: c.destroy };
}

function init(options) {
  if (current) current.destroy();
  return create(options);
}

window.FaqBot = { init: init };
if (script && !("manual" in script.dataset)) {
  var start = function () { init(fromScript(script)); };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
}
})();
