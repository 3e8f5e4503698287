// The supervisor's live view: a snapshot, then a fresh one (at most once a second) whenever
// routing reports something; the time-in-state and wait clocks tick locally.
import { DeskSocket, el, strings, localDigits, duration, fill } from "./protocol.js";

const root = document.querySelector("[data-live]");
const T = strings();
const LANG = root.dataset.language;
let view = null;
let pending = false;
let receivedAt = Date.now();

const socket = new DeskSocket("/ws/live/", {
  snapshot(state) { show(state); },
  event() {
    if (pending) return;
    pending = true;
    setTimeout(async () => {
      pending = false;
      try { show(await socket.fetch("live")); } catch (e) { /* reconnecting */ }
    }, 1000);
  },
  status() {},
});

function show(state) {
  view = state;
  receivedAt = Date.now();
  render();
}

function workCell(work) {
  const cell = el("td", "num");
  cell.dataset.work = "";
  const parts = work.map((w) => fill(T["load_" + w.channel] || w.channel + " {n}/{m}", { n: w.load, m: w.capacity }));
  cell.textContent = parts.length ? localDigits(parts.join(" · "), LANG) : T.not_answered;
  return cell;
}

function render() {
  if (!view) return;
  const elapsed = (Date.now() - receivedAt) / 1000;
  const queues = root.querySelector("[data-queues] tbody");
  queues.replaceChildren();
  for (const q of view.queues) {
    const row = el("tr");
    row.dataset.queue = q.code;
    const wait = q.waiting ? duration(q.longest_wait_s + elapsed, LANG) : T.not_answered;
    const level = q.service_level === null ? T.not_answered : localDigits(q.service_level + (LANG === "fa" ? "٪" : "%"), LANG);
    const levelCell = el("td", null, level);
    if (q.service_level !== null && q.service_level < q.target) levelCell.className = "below-target";
    row.append(el("td", null, q.name), el("td", "num", localDigits(q.waiting, LANG)), el("td", "num", wait), levelCell);
    queues.append(row);
  }
  const agents = root.querySelector("[data-agents] tbody");
  agents.replaceChildren();
  for (const a of view.agents) {
    const row = el("tr");
    const state = el("td");
    const dot = el("span", "state-dot");
    dot.dataset.state = a.state;
    state.append(dot, el("span", null, (T[a.state] || a.state) + (a.reason ? " — " + a.reason : "")));
    const since = (Date.now() - new Date(a.since)) / 1000;
    row.append(el("td", null, a.name), state, el("td", "num", duration(since, LANG)), workCell(a.work));
    agents.append(row);
  }
}
setInterval(render, 1000);
