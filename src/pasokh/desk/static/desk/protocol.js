// The desk's real-time client (docs/realtime.md): register → snapshot + queue id, events with
// increasing ids applied once and acknowledged, resume after a reconnect, reload when told.
export class DeskSocket {
  constructor(path, handlers) {
    this.path = path;
    this.handlers = handlers; // {snapshot(state), event(event), status(connected)}
    this.queueId = null;
    this.lastEventId = 0;
    this.requests = new Map();
    this.nextRequest = 1;
    this.retry = 0;
    this.ackTimer = null;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.socket = new WebSocket(scheme + "//" + location.host + this.path);
    this.socket.addEventListener("open", () => {
      this.retry = 0;
      this.handlers.status(true);
      if (this.queueId) this.raw({ op: "resume", queue_id: this.queueId, last_event_id: this.lastEventId });
      else this.raw({ op: "register" });
    });
    this.socket.addEventListener("message", (message) => this.onFrame(JSON.parse(message.data)));
    this.socket.addEventListener("close", () => {
      this.handlers.status(false);
      for (const [, pending] of this.requests) pending.reject(new Error("disconnected"));
      this.requests.clear();
      this.retry = Math.min(this.retry + 1, 6);
      setTimeout(() => this.connect(), 250 * Math.pow(2, this.retry - 1));
    });
  }

  raw(frame) {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  onFrame(frame) {
    if (frame.op === "registered") {
      this.queueId = frame.queue_id;
      this.lastEventId = frame.last_event_id;
      this.handlers.snapshot(frame.snapshot);
    } else if (frame.op === "event") {
      if (frame.id <= this.lastEventId) return; // already applied
      this.lastEventId = frame.id;
      this.handlers.event(frame.event);
      clearTimeout(this.ackTimer);
      this.ackTimer = setTimeout(() => this.raw({ op: "ack", last_event_id: this.lastEventId }), 200);
    } else if (frame.op === "reload") {
      this.queueId = null;
      this.lastEventId = 0;
      this.raw({ op: "register" });
    } else if (frame.op === "result") {
      const pending = this.requests.get(frame.request_id);
      if (!pending) return;
      this.requests.delete(frame.request_id);
      if (frame.ok) pending.resolve(frame.data);
      else pending.reject(new Error(frame.error));
    }
  }

  request(op, payload) {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.requests.set(requestId, { resolve, reject });
      this.raw(Object.assign({ op: op, request_id: requestId }, payload));
    });
  }

  do(command, args) { return this.request("do", { command: command, args: args || {} }); }
  fetch(what, args) { return this.request("fetch", { what: what, args: args || {} }); }
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function strings() {
  return JSON.parse(document.getElementById("desk-strings").textContent);
}

export function fill(text, values) {
  for (const [k, v] of Object.entries(values || {})) text = text.split("{" + k + "}").join(v);
  return text;
}

export function localDigits(text, language) {
  if (language !== "fa") return String(text);
  return String(text).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
}

export function duration(seconds, language) {
  seconds = Math.max(0, Math.floor(seconds));
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return localDigits((h ? h + ":" + pad(m) : m) + ":" + pad(s), language);
}
