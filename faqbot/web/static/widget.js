/* faqbot chat widget (vanilla JS, no dependencies, no third-party requests).
 * Embed: <script src="https://HOST/widget.js" defer></script>; options: docs/web.md.
 * Whatever a visitor or the server says is inserted with textContent, never as HTML. */
(function () {
"use strict";
var script = document.currentScript;
var STORE = "faqbot:conversation";
var LINK = /\[([^\[\]\n]+)\]\(([^()\s]+)\)/g;
var SCHEMES = ["https:", "http:", "mailto:", "tel:"];
var RESOURCE_SCHEMES = SCHEMES.concat(["sms:"]);
var DEFAULTS = {
  title: "Questions about therapy", greeting: "", suggestions: [], accent: "#1d5c85",
  position: "right", open: false, theme: "auto", discreet: false, nonce: "",
  endpoint: "", exitUrl: "https://www.google.com/"
};
// Until /api/welcome brings the knowledge base's own.
var HEADINGS = { related_heading: "You could also ask:", fallback_heading: "You could try:" };
var STYLES = `
:host{all:initial;--fb-bg:#fff;--fb-fg:#1b1b1f;--fb-muted:#52525b;--fb-bubble:#f1f1f4;
--fb-border:#c9c9d1;--fb-chip:#fff;--fb-focus:#1d5c85;--fb-crisis:#fff4f2;--fb-crisis-edge:#b3261e;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fb-fg)}
:host([data-theme=dark]){--fb-bg:#1b1b1f;--fb-fg:#f1f1f4;--fb-muted:#c4c4cc;--fb-bubble:#2c2c33;
--fb-border:#55555f;--fb-chip:#23232a;--fb-focus:#9ccaff;--fb-crisis:#3a1a18;--fb-crisis-edge:#ffb4ab}
@media (prefers-color-scheme:dark){:host([data-theme=auto]){--fb-bg:#1b1b1f;--fb-fg:#f1f1f4;
--fb-muted:#c4c4cc;--fb-bubble:#2c2c33;--fb-border:#55555f;--fb-chip:#23232a;--fb-focus:#9ccaff;
--fb-crisis:#3a1a18;--fb-crisis-edge:#ffb4ab}}
*{box-sizing:border-box;font:inherit}
button{cursor:pointer;border-radius:8px}
:focus-visible{outline:3px solid var(--fb-focus);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;display:flex;gap:8px;
align-items:center;padding:12px 18px;border:0;border-radius:999px;background:var(--fb-accent);
color:var(--fb-on-accent);font-weight:600;box-shadow:0 4px 16px rgba(0,0,0,.25)}
:host([data-position=left]) .launcher,:host([data-position=left]) .panel{right:auto;left:20px}
.launcher svg{width:22px;height:22px;fill:currentColor}
.panel{position:fixed;bottom:88px;right:20px;z-index:2147483001;width:380px;
height:min(620px,calc(100dvh - 110px));display:flex;flex-direction:column;background:var(--fb-bg);
color:var(--fb-fg);border:1px solid var(--fb-border);border-radius:14px;overflow:hidden;
box-shadow:0 10px 40px rgba(0,0,0,.3)}
.panel[hidden]{display:none}
header{display:flex;align-items:center;gap:6px;padding:10px 12px;background:var(--fb-accent);
color:var(--fb-on-accent)}
h2{flex:1;margin:0;font-size:16px;font-weight:600}
header button{border:1px solid currentColor;background:transparent;color:inherit;padding:4px 10px}
header button:focus-visible{outline-color:var(--fb-on-accent)}
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
.crisis>p{margin:0 0 6px;font-weight:600}.crisis ul{margin:0 0 8px;padding-left:18px}.crisis li{margin:4px 0}
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
form button{border:0;background:var(--fb-accent);color:var(--fb-on-accent);padding:0 16px;font-weight:600}
@media (max-width:480px){.panel{inset:0;width:100%;height:100vh;height:100dvh;border-radius:0;border:0}}
`;

var current = null;

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

function link(text, target, schemes) {
  if (!allowed(target, schemes)) return document.createTextNode(text);
  var web = /^https?:/i.test(target);
  return el("a", { href: target, text: text, target: web ? "_blank" : null,
    rel: web ? "noopener noreferrer" : null });
}

// Answers may hold `[text](target)` links; everything else stays text.
function richText(text) {
  var box = el("div");
  String(text).split(/\n{2,}/).forEach(function (para) {
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
    title: text(raw.title, 80, DEFAULTS.title),
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

// Anything but {items: [...]} is ignored: the chat starts fresh.
function readStore() {
  try {
    var s = JSON.parse(sessionStorage.getItem(STORE));
    if (!s || !Array.isArray(s.items)) return null;
    return { items: s.items, previousId: typeof s.previousId === "string" ? s.previousId : null,
      open: s.open === true };
  } catch (e) { return null; }
}

function fresh() { return { items: [], previousId: null, open: false }; }

function writeStore(state) {
  try {
    if (state) sessionStorage.setItem(STORE, JSON.stringify(state));
    else sessionStorage.removeItem(STORE);
  } catch (e) { /* storage disabled: the chat still works */ }
}

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

function icon() {
  var ns = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
  svg.append(path);
  return svg;
}

function create(raw) {
  var opts = settle(raw);
  // Discreet: in memory only.
  var state = (!opts.discreet && readStore()) || fresh();
  var host = el("div", { id: "faqbot-widget", "data-position": opts.position, "data-theme": opts.theme });
  var root = host.attachShadow({ mode: "open" });
  var welcome = null, busy = false, typing = null, headings = {};
  // `gen` changes on New/Quick exit: replies to older requests are dropped.
  var gen = 0, live = [], exited = false;
  styleRoot(root, opts.nonce);
  host.style.setProperty("--fb-accent", opts.accent);

  var launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false",
    "aria-controls": "faqbot-panel", onclick: function () { panel.hidden ? open() : close(); } },
    [icon(), el("span", { text: opts.discreet ? "Help" : "Questions? Chat with us" })]);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", tabindex: "0",
    "aria-label": "Conversation" });
  var input = el("input", { id: "faqbot-input", type: "text", autocomplete: "off",
    enterkeyhint: "send", maxlength: "1000" });
  var send = el("button", { type: "submit", text: "Send" });
  var form = el("form", { onsubmit: function (e) { e.preventDefault(); ask(input.value); } },
    [el("label", { class: "sr", for: "faqbot-input", text: "Your question" }), input, send]);
  var header = el("header", {}, [
    opts.discreet ? el("button", { type: "button", class: "exit", text: "Quick exit",
      "aria-label": "Quick exit: clear this chat and leave the page", onclick: quickExit }) : null,
    el("h2", { id: "faqbot-title", text: opts.title }),
    el("button", { type: "button", text: "New", "aria-label": "New conversation", onclick: reset }),
    el("button", { type: "button", text: "\u00d7", "aria-label": "Close chat", onclick: close })
  ]);
  var panel = el("div", { id: "faqbot-panel", class: "panel", role: "dialog",
    "aria-labelledby": "faqbot-title", hidden: true, onkeydown: function (e) {
      if (e.key === "Escape") { e.preventDefault(); close(); }
    } }, [header, log, form]);
  root.append(launcher, panel);
  (document.body || document.documentElement).append(host);
  host.style.setProperty("--fb-on-accent", onAccent(root, opts.accent));

  function save() { if (!exited && !opts.discreet) writeStore(state); }

  function heading(name) { return text(headings[name], 300, HEADINGS[name] || ""); }

  function note(words) { return words ? el("div", { class: "note", text: words }) : ""; }

  function emit(name, detail) {
    host.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail: detail }));
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function chips(choices, className, onPick) {
    if (!choices || !choices.length) return null;
    return el("div", { class: "chips " + className, role: "group", "aria-label":
      className === "options" ? "Did you mean" : "Suggested questions" },
      choices.map(function (c) {
        return el("button", { type: "button", text: c.question, onclick: function () { onPick(c); } });
      }));
  }

  function choose(choice) {
    if (choice.id) submit({ id: choice.id }, choice.question);
    else ask(choice.question);
  }

  function resources(list) {
    return el("ul", {}, list.map(function (r) {
      var contact = r.link ? link(r.contact, r.link, RESOURCE_SCHEMES) : r.contact;
      return el("li", {}, [el("span", { text: r.name + ": " }), contact]);
    }));
  }

  function feedback(id) {
    var box = el("div", { class: "actions" }, [el("span", { text: "Was this helpful?" })]);
    [["Yes", true], ["No", false]].forEach(function (pair) {
      box.append(el("button", { type: "button", text: pair[0], "aria-label": "Helpful: " + pair[0],
        onclick: function () {
          post("/api/feedback", { id: id, helpful: pair[1] }).catch(function () {});
          box.replaceChildren(el("span", { text: "Thank you for the feedback." }));
        } }));
    });
    return box;
  }

  function renderReply(reply) {
    var crisis = reply.kind === "crisis", lead = crisis && heading("crisis_heading");
    var bubble = el("div", { class: "msg bot" + (crisis ? " crisis" : "") });
    if (lead) bubble.append(el("p", { text: lead }));
    if (reply.resources && reply.resources.length) bubble.append(resources(reply.resources));
    bubble.append(richText(reply.answer));
    log.append(bubble);
    log.append(chips(reply.options, "options", choose) || "");
    if (reply.related && reply.related.length) {
      log.append(note(heading(reply.kind === "answer" ? "related_heading" : "fallback_heading")),
        chips(reply.related, "related", choose));
    }
    if (reply.kind === "answer" && reply.id) log.append(feedback(reply.id));
  }

  function renderWelcome(data) {
    if (data.headings && typeof data.headings === "object") headings = data.headings;
    log.append(el("div", { class: "msg bot" }, [richText(opts.greeting || data.greeting)]));
    if (data.disclaimer) log.append(el("div", { class: "note", text: data.disclaimer }));
    var picks = opts.suggestions.length ? opts.suggestions.map(function (q) {
      return { question: q };
    }) : data.suggestions;
    if (picks && picks.length) log.append(note(heading("start_heading")));
    log.append(chips(picks, "suggested", choose) || "");
  }

  function render(item) {
    if (item.who === "you") log.append(el("div", { class: "msg you", text: item.text }));
    else if (item.who === "welcome") renderWelcome(item.data);
    else renderReply(item.reply);
  }

  function add(item) {
    state.items.push(item);
    save();
    var before = log.children.length;
    render(item);
    var first = log.children[before];
    // Show the start of a long reply, not its end.
    if (item.who === "you" || !first) scrollDown();
    else log.scrollTop = first.offsetTop - 8;
  }

  function post(path, body) {
    var abort = new AbortController(), timer = setTimeout(function () { abort.abort(); }, 15000);
    live.push(abort);
    return fetch(opts.endpoint + path, {
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

  function refused(failure) { return [400, 413, 422].indexOf(failure.status) >= 0; }

  function problem(failure) {
    var message = failure.data && failure.data.error && failure.data.error.message;
    if (failure.status === 429) {
      return "You're sending messages quickly. Please wait " + (failure.retry || "a few") +
        " seconds and try again.";
    }
    if (refused(failure)) {
      return message || "I couldn't read that message.";
    }
    return failure.status ? "Something went wrong on our side. Please try again in a moment." :
      "I can't reach the server right now. Please check your connection and try again.";
  }

  function showError(failure, retry) {
    var box = el("div", { class: "error", role: "alert" }, [problem(failure)]);
    if (!refused(failure)) {
      box.append(el("button", { type: "button", text: "Try again", onclick: function () {
        box.remove();
        retry();
      } }));
    }
    log.append(box);
    scrollDown();
  }

  function setBusy(on) {
    busy = on;
    send.disabled = on;
    if (on && !typing) {
      typing = el("div", { class: "typing" }, [el("span", { class: "sr", text: "Typing…" })]
        .concat([1, 2, 3].map(function () { return el("i", { "aria-hidden": "true" }); })));
      log.append(typing);
      scrollDown();
    } else if (!on && typing) {
      typing.remove();
      typing = null;
    }
  }

  function stop() {
    gen++;
    live.slice().forEach(function (abort) { abort.abort(); });
    setBusy(false);
  }

  function request(body) {
    var mine = gen;
    setBusy(true);
    return post("/api/ask", body).then(function (reply) {
      if (mine !== gen) return null;
      setBusy(false);
      var answer = reply.kind === "answer";
      if (answer && reply.id) state.previousId = reply.id;
      add({ who: "bot", reply: reply });
      // Never the visitor's words, nor that it was a crisis.
      if (reply.kind !== "crisis") {
        emit("faqbot:answer", answer && reply.id ? { kind: "answer", id: reply.id } :
          { kind: reply.kind });
      }
      return reply;
    }, function (failure) {
      if (mine !== gen) return null;
      setBusy(false);
      showError(failure, function () { request(body); });
    });
  }

  function submit(body, shown) {
    if (busy) return Promise.resolve(null);
    add({ who: "you", text: shown });
    if (panel.hidden) open(true); // after `add`, so opening does not fetch the greeting too
    return request(body);
  }

  function ask(question) {
    question = String(question == null ? "" : question).trim();
    if (!question) return Promise.resolve(null);
    input.value = "";
    var context = state.previousId ? { previous_id: state.previousId } : null;
    return submit({ question: question, context: context }, question);
  }

  function greet() {
    if (welcome) return add({ who: "welcome", data: welcome });
    var mine = gen;
    setBusy(true);
    post("/api/welcome").then(function (data) {
      if (mine !== gen) return;
      setBusy(false);
      welcome = data;
      input.maxLength = data.max_question_chars || 1000;
      if (!state.items.length) add({ who: "welcome", data: data });
    }, function (failure) {
      if (mine === gen) { setBusy(false); showError(failure, greet); }
    });
  }

  function open(quiet) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    save();
    if (!state.items.length && !busy) greet();
    if (quiet !== true) input.focus();
    scrollDown();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    launcher.focus();
  }

  function wipe() {
    stop();
    state = fresh();
    state.open = !panel.hidden;
    writeStore(null);
    log.replaceChildren();
  }

  function reset() {
    wipe();
    if (!panel.hidden) { greet(); input.focus(); }
  }

  function quickExit() {
    wipe();
    exited = true;
    location.replace(opts.exitUrl);
  }

  // Back/forward cache: after a Quick exit (or if discreet) show no old conversation.
  function restored(e) {
    if (e.persisted && !readStore()) { wipe(); if (!panel.hidden) greet(); }
  }
  window.addEventListener("pageshow", restored);

  function destroy() {
    stop();
    window.removeEventListener("pageshow", restored);
    host.remove();
    if (current && current.host === host) current = null;
  }

  try { state.items.forEach(render); } catch (e) { state = fresh(); log.replaceChildren(); }
  if (state.open || opts.open) open(true);
  var api = { open: function () { open(); }, close: close, ask: ask, reset: reset, destroy: destroy };
  current = { host: host, api: api };
  setTimeout(function () { emit("faqbot:ready", {}); }, 0);
  return api;
}

function init(options) {
  if (current) current.api.destroy();
  return create(options);
}

window.FaqBot = { init: init };
if (script && !("manual" in script.dataset)) {
  var start = function () { init(fromScript(script)); };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
}
})();
