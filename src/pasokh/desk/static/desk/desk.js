// The agent desktop: state, offers, several chats in tabs, customer 360, guided scripts,
// canned answers, notes, dispositions, transfers and wrap-up. Every text from customers or colleagues is put
// into the page with textContent; nothing here builds HTML from strings.
import { DeskSocket, el, strings, fill, localDigits, duration } from "./protocol.js";

const root = document.querySelector("[data-desk]");
const T = strings();
const LANG = root.dataset.language;
const $ = (selector) => root.querySelector(selector);

let desk = null; // the snapshot, kept current by events
let activeId = null;
const unread = new Map();
const customers = new Map();
const drafts = new Map();
const scriptLists = new Map(); // interaction id → the scripts offered for it, with their runs
const openScripts = new Map(); // interaction id → the script whose runner is shown
const runners = new Map(); // "interaction:script" → a mounted runner, kept across renders
const runnerTemplate = document.getElementById("script-runner-template");
const runnerModule = runnerTemplate ? import(runnerTemplate.dataset.module) : null;
let typingTimer = null;
let lastTypingSent = 0;

const socket = new DeskSocket("/ws/desk/", {
  snapshot(state) {
    desk = state;
    desk.conversations = new Map(state.conversations.map((c) => [c.id, c]));
    fillReference();
    if (!activeId || !desk.conversations.has(activeId)) activeId = first();
    for (const id of desk.conversations.keys()) { loadCustomer(id); loadScripts(id); }
    render();
  },
  event: onEvent,
  status(connected) {
    const notice = $("[data-notice]");
    notice.hidden = connected;
    notice.textContent = connected ? "" : T.reconnecting;
  },
});

function first() {
  const ids = Array.from(desk.conversations.keys());
  return ids.length ? ids[0] : null;
}

// ── sound and notifications ─────────────────────────────────────────────────────────────────
let audio = null;
function beep(high) {
  try {
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = high ? 880 : 660;
    gain.gain.value = 0.08;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.15);
  } catch (e) { /* no audio device: the visual cue remains */ }
}
function notify(title, body) {
  if (!("Notification" in window) || Notification.permission !== "granted" || !document.hidden) return;
  try { new Notification(title, { body: body }); } catch (e) { /* not allowed here */ }
}

// ── events ──────────────────────────────────────────────────────────────────────────────────
const OFFER_CLOSED = new Set(["offer.accepted", "offer.rejected", "offer.expired", "offer.revoked"]);

async function onEvent(event) {
  if (!desk) return;
  const me = String(desk.me.id);
  if (event.source === "routing") {
    if ((event.name === "agent.state_changed" || event.name.startsWith("wrapup.")) && event.agent_id === me) {
      desk.presence = await socket.fetch("presence", { id: me });
      renderBar();
      if (event.interaction_id) refreshConversation(event.interaction_id);
    } else if (event.name === "interaction.offered" && event.agent_id === me) {
      const offer = await socket.fetch("offer", { id: event.offer_id });
      if (offer && !desk.offers.some((o) => o.offer_id === offer.offer_id)) {
        desk.offers.push(offer);
        beep(true);
        notify(T.new_offer, offer.customer);
        renderOffers();
      }
    } else if (OFFER_CLOSED.has(event.name)) {
      desk.offers = desk.offers.filter((o) => o.offer_id !== event.offer_id);
      renderOffers();
    }
    // A conversation of mine moved (transferred away, ended by the customer): read it again.
    if (event.interaction_id && desk.conversations.has(event.interaction_id)) {
      await refreshConversation(event.interaction_id);
    }
    return;
  }
  const conversation = desk.conversations.get(event.interaction_id);
  if (event.name === "interaction.updated") {
    await refreshConversation(event.interaction_id);
  } else if (!conversation) {
    return;
  } else if (event.name === "message.created") {
    if (conversation.messages.some((m) => m.id === event.message.id)) return;
    conversation.messages.push(event.message);
    if (event.message.sender === "customer") {
      hideTyping();
      const visible = event.interaction_id === activeId && !document.hidden;
      if (!visible) {
        unread.set(event.interaction_id, (unread.get(event.interaction_id) || 0) + 1);
        beep(false);
        notify(conversation.customer || T.customer, event.message.body);
      }
      socket.do("seen", { interaction_id: event.interaction_id, up_to: event.message.id, state: visible ? "read" : "delivered" }).catch(() => {});
    }
    renderTabs();
    if (event.interaction_id === activeId) appendMessage(event.message);
  } else if (event.name === "message.delivery") {
    for (const message of conversation.messages) {
      if (event.ids.includes(message.id) && message.delivery !== "read") message.delivery = event.state;
    }
    if (event.interaction_id === activeId) updateTicks(conversation);
  } else if (event.name === "note.added") {
    if (!conversation.notes.some((n) => n.id === event.note.id)) conversation.notes.push(event.note);
    if (event.interaction_id === activeId) renderNotes(conversation);
  } else if (event.name === "typing" && event.interaction_id === activeId) {
    showTyping(conversation.customer || T.customer);
  }
}

async function refreshConversation(id) {
  const fresh = await socket.fetch("conversation", { id: id });
  const known = desk.conversations.has(id);
  if (fresh) {
    desk.conversations.set(id, fresh);
    if (!known) { loadCustomer(id); loadScripts(id); if (!activeId) activeId = id; beep(false); }
  } else {
    desk.conversations.delete(id);
    unread.delete(id);
    forgetScripts(id);
    if (activeId === id) activeId = first();
  }
  render();
}

async function loadCustomer(id) {
  try {
    customers.set(id, await socket.fetch("customer", { interaction_id: id }));
    if (id === activeId) renderSide();
  } catch (e) { /* the conversation moved on */ }
}

async function loadScripts(id) {
  if (!runnerModule) return;
  try {
    scriptLists.set(id, await socket.fetch("scripts", { interaction_id: id }));
    if (id === activeId) renderSide();
  } catch (e) { /* the conversation moved on */ }
}

function forgetScripts(id) {
  scriptLists.delete(id);
  openScripts.delete(id);
  for (const key of Array.from(runners.keys())) if (key.startsWith(id + ":")) runners.delete(key);
}

// ── the bar: state, timer, load ─────────────────────────────────────────────────────────────
function fillReference() {
  const select = $("[data-state-select]");
  select.replaceChildren();
  const ready = el("option", null, T.ready);
  ready.value = "ready";
  select.append(ready);
  for (const reason of desk.reference.reasons) {
    const option = el("option", null, T.not_ready + " — " + reason.name);
    option.value = "not_ready:" + reason.code;
    select.append(option);
  }
  const offline = el("option", null, T.offline);
  offline.value = "offline";
  offline.disabled = true;
  select.append(offline);
}

$("[data-state-select]").addEventListener("change", async (event) => {
  if ("Notification" in window && Notification.permission === "default") Notification.requestPermission();
  const [state, reason] = event.target.value.split(":");
  try { await socket.do("state", { state: state, reason: reason || "" }); }
  catch (e) { flash(e.message); renderBar(); }
});

function renderBar() {
  const p = desk.presence;
  const select = $("[data-state-select]");
  select.value = p.state === "not_ready" ? "not_ready:" + p.reason : p.state === "ready" ? "ready" : "offline";
  if (p.state === "wrap_up") select.value = "ready";
  $("[data-state-dot]").dataset.state = p.state;
  const held = Array.from(desk.conversations.values()).filter((c) => c.status === "active").length;
  $("[data-load]").textContent = localDigits(fill(T.chats, { n: held, m: desk.me.chat_capacity }), LANG);
  tickTimers();
}

function tickTimers() {
  if (!desk) return;
  const since = desk.presence.since ? new Date(desk.presence.since) : null;
  const label = desk.presence.state === "wrap_up" ? T.wrap_up + " · " : "";
  $("[data-state-timer]").textContent = since ? label + duration((Date.now() - since) / 1000, LANG) : "";
  for (const node of root.querySelectorAll("[data-countdown]")) {
    const left = (new Date(node.dataset.countdown) - Date.now()) / 1000;
    node.textContent = localDigits(fill(node.dataset.template, { n: Math.max(0, Math.ceil(left)) }), LANG);
    node.classList.toggle("urgent", left < 6);
  }
}
setInterval(tickTimers, 1000);

function flash(text) {
  const notice = $("[data-notice]");
  notice.textContent = text;
  notice.hidden = false;
  setTimeout(() => { notice.hidden = true; }, 5000);
}

// ── offers ──────────────────────────────────────────────────────────────────────────────────
function renderOffers() {
  const box = $("[data-offers]");
  box.replaceChildren();
  for (const offer of desk.offers) {
    const card = el("article", "offer-card");
    card.dataset.testid = "offer";
    const head = el("div", "offer-head");
    head.append(el("strong", null, offer.kind === "queue" ? T.new_offer : fill(T.transfer_offer, { name: offer.from_agent })));
    const countdown = el("span", "offer-countdown");
    countdown.dataset.countdown = offer.expires_at;
    countdown.dataset.template = T.seconds_left;
    head.append(countdown);
    card.append(head, el("div", "offer-customer", offer.customer || T.customer));
    card.append(queueAndSubject("div", "offer-meta muted", offer));
    if (offer.note) card.append(el("blockquote", "offer-note", offer.note));
    const buttons = el("div", "offer-buttons");
    const accept = el("button", "button primary", T.accept);
    accept.dataset.testid = "accept-offer";
    const reject = el("button", "button", T.reject);
    accept.addEventListener("click", () => socket.do("accept", { offer_id: offer.offer_id }).catch((e) => flash(e.message)));
    reject.addEventListener("click", () => socket.do("reject", { offer_id: offer.offer_id }).catch((e) => flash(e.message)));
    buttons.append(accept, reject);
    card.append(buttons);
    box.append(card);
  }
  tickTimers();
}

// ── tabs ────────────────────────────────────────────────────────────────────────────────────
function renderTabs() {
  const tabs = $("[data-tabs]");
  tabs.replaceChildren();
  for (const c of desk.conversations.values()) {
    const tab = el("button", "desk-tab" + (c.id === activeId ? " active" : "") + (c.status !== "active" ? " ended" : ""));
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.dataset.testid = "chat-tab";
    tab.append(el("span", "tab-name", c.customer || T.customer));
    const count = unread.get(c.id) || 0;
    if (count) tab.append(el("span", "tab-unread", localDigits(count, LANG)));
    tab.addEventListener("click", () => { saveDraft(); activeId = c.id; render(); });
    tabs.append(tab);
  }
}

function render() {
  renderBar();
  renderOffers();
  renderTabs();
  renderConversation();
  renderSide();
}

// ── the conversation ────────────────────────────────────────────────────────────────────────
function saveDraft() {
  const box = $("[data-compose]");
  if (box && activeId) drafts.set(activeId, box.value);
}

function renderConversation() {
  const view = $("[data-conversation]");
  view.replaceChildren();
  const c = activeId && desk.conversations.get(activeId);
  // What is shown, for the voice app's call buttons (voice/static/voice/callcontrols.js).
  Object.assign(view.dataset, { interaction: c ? c.id : "", channel: c ? c.channel : "", status: c ? c.status : "" });
  if (!c) { view.append(el("p", "desk-empty muted", T.no_chats)); return; }
  unread.delete(c.id);
  const header = el("header", "conv-head");
  const who = el("div");
  who.append(el("h2", null, c.customer || T.customer), queueAndSubject("span", "muted", c));
  header.append(who);
  if (c.status !== "active") header.append(el("span", "pill", c.status === "wrap_up" ? T.wrap_up : T.ended));
  view.append(header);

  const list = el("ol", "conv-messages");
  list.dataset.messages = "";
  view.append(list);
  for (const message of c.messages) appendMessage(message, list);
  const typing = el("div", "conv-typing muted");
  typing.dataset.typing = "";
  typing.hidden = true;
  view.append(typing);

  if (c.status === "active") view.append(composer(c));
  view.append(tools(c));
  const last = c.messages.filter((m) => m.sender === "customer").pop();
  if (last && last.delivery !== "read" && !document.hidden) {
    socket.do("seen", { interaction_id: c.id, up_to: last.id, state: "read" }).catch(() => {});
  }
  list.scrollTop = list.scrollHeight;
}

function appendMessage(message, list) {
  list = list || $("[data-messages]");
  if (!list || list.querySelector('[data-id="' + message.id + '"]')) return;
  const item = el("li", "msg from-" + message.sender);
  item.dataset.id = message.id;
  if (message.sender === "system") {
    item.append(el("span", "msg-system", message.body === "joined" ? fill(T.joined, { name: message.author }) : message.body));
  } else {
    const bubble = el("div", "msg-bubble");
    if (message.sender === "agent" && message.author) bubble.append(el("span", "msg-author", message.author));
    if (message.body) {
      const text = el("span", "msg-text", message.body);
      text.dir = "auto";
      bubble.append(text);
    }
    if (message.attachment) {
      const link = el("a", "msg-file");
      link.href = "/webchat/attachments/" + encodeURIComponent(message.attachment.id) + "/";
      link.target = "_blank";
      link.rel = "noopener";
      if (message.attachment.type.startsWith("image/")) {
        const img = el("img", "msg-thumb");
        img.src = link.href;
        img.alt = message.attachment.name;
        link.append(img);
      } else {
        link.textContent = "📄 " + message.attachment.name;
      }
      bubble.append(link);
    }
    const meta = el("span", "msg-meta", new Date(message.at).toLocaleTimeString(LANG === "fa" ? "fa-IR" : "en-GB", { hour: "2-digit", minute: "2-digit" }));
    if (message.sender === "agent") {
      const tick = el("span", "msg-tick", " · " + T[message.delivery]);
      tick.dataset.tick = message.id;
      meta.append(tick);
    }
    bubble.append(meta);
    item.append(bubble);
  }
  list.append(item);
  list.scrollTop = list.scrollHeight;
}

function updateTicks(c) {
  for (const message of c.messages) {
    const tick = root.querySelector('[data-tick="' + message.id + '"]');
    if (tick) tick.textContent = " · " + T[message.delivery];
  }
}

function showTyping(name) {
  const line = $("[data-typing]");
  if (!line) return;
  line.textContent = fill(T.typing, { name: name });
  line.hidden = false;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(hideTyping, 3000);
}
function hideTyping() { const line = $("[data-typing]"); if (line) line.hidden = true; }

function composer(c) {
  const form = el("form", "conv-composer");
  const canned = el("div", "canned");
  canned.dataset.canned = "";
  canned.hidden = true;
  const box = el("textarea", "conv-input");
  box.dataset.compose = "";
  box.dataset.testid = "compose";
  box.rows = 2;
  box.maxLength = 2000;
  box.placeholder = T.placeholder;
  box.value = drafts.get(c.id) || "";
  const send = el("button", "button primary", T.send);
  send.type = "submit";
  form.append(canned, box, send);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  box.addEventListener("input", () => {
    const now = Date.now();
    if (now - lastTypingSent > 2000) { lastTypingSent = now; socket.do("typing", { interaction_id: c.id }).catch(() => {}); }
    if (box.value.startsWith("/")) searchCanned(c, box.value, canned, box); else canned.hidden = true;
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = box.value.trim();
    if (!body) return;
    send.disabled = true;
    try {
      const data = await socket.do("send", { interaction_id: c.id, body: body });
      // Clear only what was sent: words typed while it was on its way stay in the box.
      if (box.value.trim() === body) { box.value = ""; drafts.delete(c.id); }
      if (!c.messages.some((m) => m.id === data.message.id)) { c.messages.push(data.message); appendMessage(data.message); }
    } catch (e) { flash(e.message); }
    send.disabled = false;
    box.focus();
  });
  return form;
}

async function searchCanned(c, query, box, input) {
  let answers = [];
  try { answers = await socket.fetch("canned", { interaction_id: c.id, q: query }); } catch (e) { return; }
  box.replaceChildren(el("div", "canned-title muted", T.canned));
  if (!answers.length) box.append(el("div", "canned-empty muted", T.no_canned));
  for (const answer of answers) {
    const item = el("button", "canned-item");
    item.type = "button";
    item.dataset.testid = "canned-item";
    item.append(el("code", null, answer.shortcut), el("strong", null, answer.title), el("span", "muted", answer.text));
    item.addEventListener("click", () => { input.value = answer.text; box.hidden = true; input.focus(); });
    box.append(item);
  }
  box.hidden = false;
}

function tools(c) {
  const panel = el("div", "conv-tools");
  // notes
  const notes = el("section", "tool notes");
  notes.dataset.notes = "";
  panel.append(notes);
  renderNotes(c, notes);
  // disposition
  const disposition = el("section", "tool");
  const label = el("label", "tool-label", T.disposition);
  const select = el("select");
  select.dataset.testid = "disposition";
  const none = el("option", null, T.choose);
  none.value = "";
  select.append(none);
  for (const d of desk.reference.dispositions) {
    const option = el("option", null, d.name);
    option.value = d.code;
    select.append(option);
  }
  select.value = c.disposition || "";
  select.addEventListener("change", () => socket.do("disposition", { interaction_id: c.id, code: select.value })
    .then(() => { c.disposition = select.value; })
    .catch((e) => flash(e.message)));
  label.append(select);
  if (c.disposition_required) label.classList.add("required");
  disposition.append(label);
  panel.append(disposition);
  // transfer
  if (c.status === "active") panel.append(transferForm(c));
  // end / wrap-up
  const finish = el("section", "tool finish");
  if (c.status === "active") {
    const end = el("button", "button danger", T.end);
    end.dataset.testid = "end-chat";
    end.addEventListener("click", () => socket.do("end", { interaction_id: c.id }).catch((e) => flash(e.message)));
    finish.append(end);
  } else if (c.status === "wrap_up") {
    const ends = (desk.presence.wrap_ups || {})[c.id];
    if (ends) {
      const left = el("span", "wrapup-timer");
      left.dataset.countdown = ends;
      left.dataset.template = T.wrapup_left;
      finish.append(left);
    }
    const done = el("button", "button primary", T.finish_wrapup);
    done.dataset.testid = "finish-wrapup";
    done.addEventListener("click", () => socket.do("wrapup_done", { interaction_id: c.id }).catch((e) => flash(e.message)));
    finish.append(done);
  }
  panel.append(finish);
  return panel;
}

function renderNotes(c, box) {
  box = box || $("[data-notes]");
  if (!box) return;
  box.replaceChildren(el("h3", "tool-title", T.notes));
  const list = el("ul", "note-list");
  for (const note of c.notes) {
    const item = el("li", "note");
    item.append(el("strong", null, note.author), el("span", null, note.body));
    list.append(item);
  }
  const input = el("textarea", "note-input");
  input.rows = 2;
  input.maxLength = 5000;
  input.placeholder = T.note_placeholder;
  input.dataset.testid = "note-input";
  const add = el("button", "button", T.add_note);
  add.type = "button";
  add.dataset.testid = "add-note";
  add.addEventListener("click", async () => {
    if (!input.value.trim()) return;
    try {
      const data = await socket.do("note", { interaction_id: c.id, body: input.value });
      if (!c.notes.some((n) => n.id === data.note.id)) c.notes.push({ id: data.note.id, author: desk.me.name, body: data.note.body });
      renderNotes(c);
    } catch (e) { flash(e.message); }
  });
  box.append(list, input, add);
}

// "Queue · subject", the subject isolated for bidi: a call's subject is a number such as
// +98912…, whose plus sign would otherwise move to the wrong end in a right-to-left line.
function queueAndSubject(tag, className, item) {
  const node = el(tag, className, item.queue);
  if (item.subject) node.append(" · ", el("bdi", null, item.subject));
  return node;
}

function transferForm(c) {
  const form = el("section", "tool transfer");
  form.append(el("h3", "tool-title", T.transfer));
  const target = el("select");
  target.dataset.testid = "transfer-target";
  const none = el("option", null, T.choose);
  none.value = "";
  target.append(none);
  const agents = el("optgroup");
  agents.label = T.to_agent;
  for (const a of desk.reference.agents) {
    const option = el("option", null, a.name);
    option.value = "agent:" + a.id;
    agents.append(option);
  }
  const queues = el("optgroup");
  queues.label = T.to_queue;
  for (const q of desk.reference.queues.filter((q) => q.channels.includes(c.channel))) {
    const option = el("option", null, q.name);
    option.value = "queue:" + q.code;
    queues.append(option);
  }
  target.append(agents, queues);
  const note = el("input", "transfer-note");
  note.placeholder = T.transfer_note;
  note.maxLength = 1000;
  note.dataset.testid = "transfer-note";
  const go = el("button", "button", T.transfer);
  go.type = "button";
  go.dataset.testid = "transfer";
  go.addEventListener("click", async () => {
    const [kind, value] = target.value.split(":");
    if (!value) return;
    const args = { interaction_id: c.id, note: note.value };
    if (kind === "queue") args.queue = value; else { args.agent = value; args.warm = true; }
    try { await socket.do("transfer", args); note.value = ""; } catch (e) { flash(e.message); }
  });
  form.append(target, note, go);
  return form;
}

// ── customer 360 ────────────────────────────────────────────────────────────────────────────
function renderSide() {
  const side = $("[data-side]");
  side.replaceChildren();
  const c = activeId && desk.conversations.get(activeId);
  if (c && runnerModule) side.append(scriptsCard(c));
  const info = activeId && customers.get(activeId);
  if (!info || !info.contact) return;
  const card = el("section", "side-card");
  card.dataset.testid = "customer-360";
  side.prepend(card);
  card.append(el("h3", null, T.contact));
  card.append(el("div", "side-name", info.contact.name || T.customer));
  if (info.contact.company) card.append(el("div", "muted", info.contact.company));
  for (const identity of info.contact.identities) {
    const line = el("bdi", "side-identity", identity.value);
    line.dir = "ltr";
    line.dataset.kind = identity.kind; // voice/clicktocall.js puts a call button by phones
    card.append(line);
  }
  const history = el("section", "side-card");
  history.append(el("h3", null, T.history));
  if (!info.history.length) history.append(el("p", "muted", T.none));
  const list = el("ul", "history");
  for (const h of info.history) {
    const item = el("li", "history-item channel-" + h.channel);
    const when = new Date(h.at).toLocaleDateString(LANG === "fa" ? "fa-IR-u-ca-persian" : "en-GB");
    item.append(el("span", "history-channel", h.channel_name), el("span", "history-when muted", when));
    const subject = el("div", "history-subject");
    subject.append(el("bdi", null, h.subject || h.queue)); // "+98…" keeps its plus in front
    item.append(subject);
    const meta = [h.queue, h.agent, h.disposition, h.status].filter(Boolean).join(" · ");
    item.append(el("div", "muted history-meta", meta));
    list.append(item);
  }
  history.append(list);
  side.append(history);
  for (const [key, rows, show] of [["tickets", info.tickets, (t) => t.reference + " — " + t.subject + " (" + t.status + ")"], ["orders", info.orders, (o) => o.number + " (" + o.status + ")"]]) {
    const section = el("section", "side-card");
    section.append(el("h3", null, T[key]));
    if (!rows.length) section.append(el("p", "muted", T.none));
    const ul = el("ul", "plain");
    for (const row of rows) ul.append(el("li", null, show(row)));
    section.append(ul);
    side.append(section);
  }
}

// ── guided scripts ──────────────────────────────────────────────────────────────────────────
function scriptsCard(c) {
  const card = el("section", "side-card scripts-card");
  card.dataset.testid = "scripts";
  const head = el("div", "scripts-head");
  head.append(el("h3", null, T.scripts));
  card.append(head);
  const list = scriptLists.get(c.id);
  const shown = openScripts.get(c.id);
  if (shown) {
    const back = el("button", "button small", T.all_scripts);
    back.type = "button";
    back.dataset.testid = "scripts-back";
    back.addEventListener("click", () => { openScripts.delete(c.id); renderSide(); });
    head.append(back);
    const script = (list || []).find((s) => s.id === shown);
    if (script) card.append(el("div", "script-title", script.name));
    card.append(runnerFor(c.id, shown));
    return card;
  }
  if (!list) return card;
  if (!list.length) card.append(el("p", "muted", T.no_scripts));
  const ul = el("ul", "script-list");
  for (const script of list) {
    const item = el("button", "script-item");
    item.type = "button";
    item.dataset.testid = "script-item";
    item.dataset.script = script.id;
    const line = el("span", "script-line");
    line.append(el("strong", null, script.name));
    if (script.for_this_queue) line.append(el("span", "script-badge queue", T.this_queue));
    if (script.run) {
      const done = script.run.status === "completed";
      const badge = el("span", "script-badge " + (done ? "done" : "started"), done ? T.script_done : T.script_started);
      badge.dataset.status = script.run.status;
      line.append(badge);
    }
    item.append(line);
    if (script.description) item.append(el("span", "muted script-description", script.description));
    item.addEventListener("click", () => { openScripts.set(c.id, script.id); renderSide(); });
    const row = el("li");
    row.append(item);
    ul.append(row);
  }
  card.append(ul);
  return card;
}

function runnerFor(interactionId, scriptId) {
  const key = interactionId + ":" + scriptId;
  let node = runners.get(key);
  if (node) return node;
  node = document.importNode(runnerTemplate.content, true).querySelector("[data-script-runner]");
  node.dataset.script = String(scriptId);
  node.dataset.interaction = String(interactionId);
  runners.set(key, node);
  runnerModule.then((module) => module.mountRunner(node, {
    onChange(run) {
      const script = (scriptLists.get(interactionId) || []).find((s) => s.id === scriptId);
      if (script) script.run = { id: run.id, status: run.status };
    },
  }));
  return node;
}

document.addEventListener("visibilitychange", () => { if (!document.hidden && desk) renderConversation(); });
