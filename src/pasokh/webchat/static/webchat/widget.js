/* Pasokh web chat widget.
 *
 * Embedded with one tag on a business's site:
 *   <script src="https://pasokh.example/webchat/widget.js" data-key="pk_…" async></script>
 * It builds its DOM with createElement/textContent only (customer and agent text is never
 * parsed as HTML), talks to Pasokh's origin over fetch and a WebSocket, and keeps the signed
 * conversation token in localStorage so a reload or a lost connection resumes the same chat.
 */
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || window.__pasokhChat) return;
  window.__pasokhChat = true;

  const key = script.getAttribute("data-key") || "";
  const base = new URL(script.src).origin;
  const wsBase = base.replace(/^http/, "ws");
  const pageLang = (script.getAttribute("data-lang") || document.documentElement.lang || "").slice(0, 2);
  const storeKey = "pasokh-chat:" + key;
  const TYPING_EVERY_MS = 2000;

  let config = null;
  let socket = null;
  let retry = 0;
  let lastId = 0;
  let ended = false;
  let agentName = "";
  let typingTimer = null;
  let lastTypingSent = 0;
  let clientSeq = 0;
  const outbox = [];
  const shown = new Map(); // message id -> element
  const pending = new Map(); // client id -> element

  // ── small DOM helpers (text only) ─────────────────────────────────────────────────────────
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function t(name, values) {
    let text = (config && config.strings[name]) || name;
    for (const [k, v] of Object.entries(values || {})) text = text.split("{" + k + "}").join(v);
    return text;
  }
  function saved() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { return null; }
  }
  function save(data) {
    try {
      if (data) localStorage.setItem(storeKey, JSON.stringify(data));
      else localStorage.removeItem(storeKey);
    } catch (e) { /* storage disabled: the chat still works until the page closes */ }
  }
  function field(labelText, input) {
    const label = el("label", "psk-field");
    label.append(el("span", "psk-label", labelText), input);
    return label;
  }

  // ── the frame: launcher and panel ─────────────────────────────────────────────────────────
  const root = el("div", "psk-chat");
  root.setAttribute("data-pasokh-chat", "");
  const launcher = el("button", "psk-launcher");
  launcher.type = "button";
  const launcherIcon = el("span", "psk-launcher-icon", "💬");
  const launcherText = el("span", "psk-launcher-text");
  const badge = el("span", "psk-badge");
  badge.hidden = true;
  launcher.append(launcherIcon, launcherText, badge);
  const panel = el("section", "psk-panel");
  panel.hidden = true;
  const header = el("header", "psk-header");
  const heading = el("div", "psk-heading");
  const title = el("strong", "psk-title");
  const status = el("span", "psk-status");
  heading.append(title, status);
  const closeButton = el("button", "psk-icon-button psk-close", "×");
  closeButton.type = "button";
  header.append(heading, closeButton);
  const body = el("div", "psk-body");
  const notice = el("div", "psk-notice");
  notice.hidden = true;
  panel.append(header, notice, body);
  root.append(panel, launcher);

  function setStatus(text) { status.textContent = text || ""; }
  function showNotice(text) { notice.textContent = text || ""; notice.hidden = !text; }
  function isOpen() { return !panel.hidden; }

  launcher.addEventListener("click", function () {
    panel.hidden = !panel.hidden;
    root.classList.toggle("psk-open", !panel.hidden);
    if (isOpen()) { badge.hidden = true; badge.textContent = ""; markSeen(); focusComposer(); }
  });
  closeButton.addEventListener("click", function () {
    panel.hidden = true;
    root.classList.remove("psk-open");
  });

  // ── pre-chat and offline forms ────────────────────────────────────────────────────────────
  function topicSelect() {
    const select = el("select", "psk-input");
    select.name = "topic";
    for (const topic of config.topics) {
      const option = el("option", null, topic.name);
      option.value = topic.code;
      select.append(option);
    }
    return select;
  }

  function prechat() {
    body.replaceChildren();
    const form = el("form", "psk-form");
    const intro = el("p", "psk-intro", config.open ? t("subtitle") : t("closed"));
    const name = el("input", "psk-input");
    name.name = "name"; name.maxLength = 80; name.autocomplete = "name"; name.required = true;
    const contact = el("input", "psk-input");
    contact.name = "contact"; contact.maxLength = 120; contact.required = true;
    contact.dir = "ltr"; contact.autocomplete = "tel";
    const topic = topicSelect();
    form.append(intro, field(t("name"), name), field(t("contact"), contact), field(t("topic"), topic));
    let message = null;
    if (!config.open) {
      message = el("textarea", "psk-input psk-textarea");
      message.name = "body"; message.maxLength = config.max_message_chars; message.required = true;
      form.append(field(t("leave_message"), message));
    }
    const error = el("p", "psk-error");
    const submit = el("button", "psk-primary", config.open ? t("start") : t("send_message"));
    submit.type = "submit";
    form.append(error, submit);
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      error.textContent = "";
      if (!name.value.trim() || !contact.value.trim()) { error.textContent = t("missing"); return; }
      submit.disabled = true;
      const payload = { name: name.value, contact: contact.value, topic: topic.value, lang: config.language };
      if (message) payload.body = message.value;
      try {
        const response = await fetch(base + (config.open ? "/webchat/start" : "/webchat/offline") + "?key=" + encodeURIComponent(key), {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
        });
        const data = await response.json();
        if (!response.ok) { error.textContent = data.error && data.error.length > 20 ? data.error : t("error"); submit.disabled = false; return; }
        if (config.open) {
          save({ token: data.token, lastId: 0 });
          conversation();
          connect();
        } else {
          body.replaceChildren(el("p", "psk-done", t("message_left")));
        }
      } catch (e) {
        error.textContent = t("error");
        submit.disabled = false;
      }
    });
    body.append(form);
    name.focus();
  }

  // ── the conversation ──────────────────────────────────────────────────────────────────────
  let list, typingLine, composer, textarea, fileInput, csatBox;

  function conversation() {
    body.replaceChildren();
    list = el("ol", "psk-messages");
    list.setAttribute("aria-live", "polite");
    typingLine = el("div", "psk-typing");
    typingLine.hidden = true;
    composer = el("form", "psk-composer");
    textarea = el("textarea", "psk-input psk-compose");
    textarea.rows = 1;
    textarea.maxLength = config.max_message_chars;
    textarea.placeholder = t("placeholder");
    const attach = el("button", "psk-icon-button psk-attach", "📎");
    attach.type = "button";
    attach.title = t("attach");
    attach.setAttribute("aria-label", t("attach"));
    fileInput = el("input");
    fileInput.type = "file";
    fileInput.hidden = true;
    fileInput.accept = "image/png,image/jpeg,image/gif,image/webp,application/pdf";
    const send = el("button", "psk-send", t("send"));
    send.type = "submit";
    composer.append(attach, textarea, send, fileInput);
    const end = el("button", "psk-link psk-end", t("end"));
    end.type = "button";
    body.append(list, typingLine, composer, end);
    setStatus(t("waiting"));

    attach.addEventListener("click", function () { fileInput.click(); });
    fileInput.addEventListener("change", uploadFile);
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); composer.requestSubmit(); }
    });
    textarea.addEventListener("input", function () {
      const now = Date.now();
      if (now - lastTypingSent > TYPING_EVERY_MS) { lastTypingSent = now; sendFrame({ type: "typing" }); }
    });
    composer.addEventListener("submit", function (event) {
      event.preventDefault();
      const text = textarea.value.trim();
      if (!text) return;
      textarea.value = "";
      const clientId = "c" + (++clientSeq) + "-" + Date.now();
      const item = renderMessage({ id: null, sender: "customer", body: text, delivery: "sending", at: new Date().toISOString() });
      pending.set(clientId, item);
      const frame = { type: "message", body: text, client_id: clientId };
      if (!sendFrame(frame)) outbox.push(frame);
    });
    end.addEventListener("click", function () { sendFrame({ type: "leave" }); });
  }

  function focusComposer() { if (textarea && !ended) textarea.focus(); }

  function timeOf(iso) {
    try {
      return new Date(iso).toLocaleTimeString(config.language === "fa" ? "fa-IR" : "en-GB", { hour: "2-digit", minute: "2-digit" });
    } catch (e) { return ""; }
  }

  function renderMessage(message) {
    if (message.id && shown.has(message.id)) return shown.get(message.id);
    const item = el("li", "psk-message psk-from-" + message.sender);
    if (message.sender === "system") {
      item.append(el("span", "psk-system", message.body === "joined" ? t("joined", { name: message.author || t("agent") }) : message.body));
    } else {
      const bubble = el("div", "psk-bubble");
      if (message.sender === "agent" && message.author) bubble.append(el("span", "psk-author", message.author));
      if (message.body) {
        const text = el("span", "psk-text", message.body);
        text.dir = "auto";
        bubble.append(text);
      }
      if (message.attachment) bubble.append(renderAttachment(message.attachment));
      const meta = el("span", "psk-meta", timeOf(message.at));
      if (message.sender === "customer") {
        const tick = el("span", "psk-delivery");
        tick.dataset.state = message.delivery;
        tick.textContent = message.delivery === "sending" ? "…" : t(message.delivery);
        meta.append(" · ", tick);
      }
      bubble.append(meta);
      item.append(bubble);
    }
    if (message.id) { shown.set(message.id, item); item.dataset.id = message.id; }
    list.append(item);
    list.scrollTop = list.scrollHeight;
    return item;
  }

  function renderAttachment(attachment) {
    const token = (saved() || {}).token || "";
    const url = base + "/webchat/attachments/" + encodeURIComponent(attachment.id) + "/?token=" + encodeURIComponent(token);
    const link = el("a", "psk-file");
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    if (attachment.type.indexOf("image/") === 0) {
      const img = el("img", "psk-thumb");
      img.src = url;
      img.alt = attachment.name;
      link.append(img);
    } else {
      link.textContent = "📄 " + attachment.name;
    }
    return link;
  }

  function setDelivery(ids, state) {
    for (const id of ids) {
      const item = shown.get(id);
      const tick = item && item.querySelector(".psk-delivery");
      if (tick && (tick.dataset.state !== "read")) { tick.dataset.state = state; tick.textContent = t(state); }
    }
  }

  function confirmSent(clientId, message) {
    const item = pending.get(clientId);
    pending.delete(clientId);
    if (shown.has(message.id)) { if (item) item.remove(); return; }
    if (item) {
      shown.set(message.id, item);
      item.dataset.id = message.id;
      const tick = item.querySelector(".psk-delivery");
      if (tick) { tick.dataset.state = message.delivery; tick.textContent = t(message.delivery); }
    } else {
      renderMessage(message);
    }
  }

  function remember(id) {
    if (id > lastId) {
      lastId = id;
      const data = saved();
      if (data) { data.lastId = lastId; save(data); }
    }
  }

  function markSeen() {
    if (!lastId || !socket || socket.readyState !== WebSocket.OPEN) return;
    const visible = isOpen() && document.visibilityState === "visible";
    sendFrame({ type: "seen", up_to: lastId, state: visible ? "read" : "delivered" });
  }

  function bump() {
    if (isOpen()) return;
    const count = (parseInt(badge.textContent, 10) || 0) + 1;
    badge.textContent = String(count);
    badge.hidden = false;
  }

  function showTyping(author) {
    typingLine.textContent = t("typing", { name: author || agentName || t("agent") });
    typingLine.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.hidden = true; }, 3000);
  }

  function applyStatus(state, agent) {
    if (agent) agentName = agent;
    if (state === "queued") setStatus(t("waiting"));
    else if (state === "active") setStatus(agentName);
    else if (state === "wrap_up" || state === "ended" || state === "abandoned") finish(state !== "abandoned");
  }

  // ── the end: CSAT ─────────────────────────────────────────────────────────────────────────
  function finish(answered, rated) {
    if (ended && csatBox) return;
    ended = true;
    setStatus(t("ended"));
    if (composer) composer.hidden = true;
    const endButton = body.querySelector(".psk-end");
    if (endButton) endButton.hidden = true;
    csatBox = el("div", "psk-csat");
    csatBox.append(el("p", "psk-ended", t("ended")));
    if (answered && !rated) {
      csatBox.append(el("p", "psk-question", t("rate_question")));
      const stars = el("div", "psk-stars");
      stars.setAttribute("role", "radiogroup");
      let score = 0;
      for (let n = 1; n <= 5; n++) {
        const star = el("button", "psk-star", "★");
        star.type = "button";
        star.dataset.score = String(n);
        star.setAttribute("aria-label", t("stars", { n: String(n) }));
        star.addEventListener("click", function () {
          score = n;
          for (const other of stars.children) other.classList.toggle("psk-on", Number(other.dataset.score) <= n);
        });
        stars.append(star);
      }
      const comment = el("textarea", "psk-input psk-textarea");
      comment.maxLength = 1000;
      comment.placeholder = t("rate_comment");
      const send = el("button", "psk-primary", t("rate_send"));
      send.type = "button";
      send.addEventListener("click", function () {
        if (!score) return;
        send.disabled = true;
        sendFrame({ type: "csat", score: score, comment: comment.value });
      });
      csatBox.append(stars, comment, send);
    } else {
      csatBox.append(newChatButton());
    }
    body.append(csatBox);
  }

  function newChatButton() {
    const again = el("button", "psk-link", t("new_chat"));
    again.type = "button";
    again.addEventListener("click", function () {
      save(null);
      if (socket) socket.close();
      socket = null; ended = false; csatBox = null; lastId = 0; agentName = "";
      shown.clear(); pending.clear();
      setStatus("");
      prechat();
    });
    return again;
  }

  function rated() {
    if (!csatBox) return;
    csatBox.replaceChildren(el("p", "psk-done", t("rated")), newChatButton());
  }

  // ── the socket ────────────────────────────────────────────────────────────────────────────
  function sendFrame(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function connect() {
    const data = saved();
    if (!data || !data.token) return;
    const url = wsBase + "/ws/webchat/?token=" + encodeURIComponent(data.token) + "&after=" + encodeURIComponent(lastId);
    socket = new WebSocket(url);
    socket.addEventListener("open", function () { retry = 0; showNotice(""); });
    socket.addEventListener("message", function (event) { onFrame(JSON.parse(event.data)); });
    socket.addEventListener("close", function (event) {
      if (event.code === 4403) { save(null); prechat(); return; }
      if (!saved()) return;
      showNotice(t("reconnecting"));
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 300 * Math.pow(2, retry - 1));
    });
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "hello":
        for (const message of frame.messages) {
          const waiting = Array.from(pending.entries()).find(function (entry) {
            return message.sender === "customer" && entry[1].querySelector(".psk-text") && entry[1].querySelector(".psk-text").textContent === message.body;
          });
          if (waiting) confirmSent(waiting[0], message); else renderMessage(message);
          remember(message.id);
        }
        while (outbox.length) sendFrame(outbox.shift());
        if (frame.conversation.agent) agentName = frame.conversation.agent;
        if (frame.conversation.status === "ended" || frame.conversation.status === "wrap_up" || frame.conversation.status === "abandoned") {
          finish(frame.conversation.status !== "abandoned", frame.conversation.rated);
        } else {
          applyStatus(frame.conversation.status, frame.conversation.agent);
        }
        markSeen();
        break;
      case "sent":
        confirmSent(frame.client_id, frame.message);
        remember(frame.message.id);
        break;
      case "message":
        if (frame.message.sender !== "customer") { typingLine.hidden = true; bump(); }
        if (frame.message.sender === "system" && frame.message.author) agentName = frame.message.author;
        if (!pending.size || frame.message.sender !== "customer") renderMessage(frame.message);
        remember(frame.message.id);
        if (frame.message.sender !== "customer") markSeen();
        break;
      case "delivery":
        setDelivery(frame.ids, frame.state);
        break;
      case "typing":
        showTyping(frame.author);
        break;
      case "status":
        applyStatus(frame.status, frame.agent);
        break;
      case "rated":
        rated();
        break;
      case "error":
        showNotice(frame.detail);
        setTimeout(function () { showNotice(""); }, 4000);
        break;
    }
  }

  async function uploadFile() {
    const file = fileInput.files && fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    if (file.size > config.max_attachment_bytes) { showNotice(t("too_large")); return; }
    const form = new FormData();
    form.append("file", file);
    try {
      const response = await fetch(base + "/webchat/upload?lang=" + config.language, {
        method: "POST", headers: { "X-Conversation-Token": (saved() || {}).token || "" }, body: form,
      });
      const data = await response.json();
      if (!response.ok) { showNotice(data.error || t("error")); return; }
      renderMessage(data.message);
      remember(data.message.id);
    } catch (e) { showNotice(t("error")); }
  }

  document.addEventListener("visibilitychange", markSeen);

  // ── start ─────────────────────────────────────────────────────────────────────────────────
  async function boot() {
    const lang = pageLang === "fa" || pageLang === "en" ? "&lang=" + pageLang : "";
    const response = await fetch(base + "/webchat/config?key=" + encodeURIComponent(key) + lang);
    if (!response.ok) return;
    config = await response.json();
    const css = el("link");
    css.rel = "stylesheet";
    css.href = config.stylesheet;
    document.head.append(css);
    root.dir = config.dir;
    root.lang = config.language;
    title.textContent = t("title");
    launcherText.textContent = t("open");
    launcher.setAttribute("aria-label", t("title"));
    closeButton.setAttribute("aria-label", t("close"));
    document.body.append(root);
    if (saved()) { conversation(); connect(); } else prechat();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
