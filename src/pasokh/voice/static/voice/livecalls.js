// The live view's phone calls on the line (templates/voice/live_calls.html): polled every few
// seconds; each has a Listen button that rings the supervisor's SIP phone, which then hears
// the customer and the agent (neither hears the supervisor), and Stop listening; Join the call
// (barge: both sides hear the supervisor) and Whisper to the agent (the agent alone hears
// them), which also turn a listen-in into a barge or a whisper, and Leave the call.
import { postJson } from "./http.js";

const box = document.querySelector("[data-live-calls]");

if (box) {
  const T = JSON.parse(document.getElementById("live-call-strings").textContent);
  const body = box.querySelector("tbody");
  const note = box.querySelector("[data-live-calls-note]");
  const listenBase = box.dataset.listenUrl.replace(/0\/start\/$/, ""); // …/voice/listen/
  const joinBase = box.dataset.joinUrl.replace(/0\/barge\/$/, ""); // …/voice/join/
  const csrf = () => box.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const language = document.documentElement.lang || "fa";
  const time = new Intl.DateTimeFormat(language === "fa" ? "fa-IR" : "en-GB", {
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });

  function cell(row, text) {
    const td = document.createElement("td");
    const bdi = document.createElement("bdi");
    bdi.textContent = text;
    td.append(bdi);
    row.append(td);
    return td;
  }

  async function listen(call, button) {
    button.disabled = true;
    try {
      const verb = call.listening || call.ringing ? "stop" : "start";
      const data = await postJson(listenBase + call.interaction + "/" + verb + "/", csrf());
      note.textContent = data.listening ? T.ringing : "";
      await refresh();
    } catch (error) {
      note.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  }

  async function join(call, verb, buttons) {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const data = await postJson(joinBase + call.interaction + "/" + verb + "/", csrf());
      note.textContent = data.mode ? T.joinRinging : "";
      await refresh();
    } catch (error) {
      note.textContent = error.message;
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  function joinCell(row, call) {
    const td = document.createElement("td");
    const mode = call.join ? call.join.mode : "";
    const buttons = [];
    for (const verb of ["barge", "whisper"]) {
      if (mode === verb) continue;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.dataset.testid = "join-" + verb;
      button.textContent = T[verb];
      button.addEventListener("click", () => join(call, verb, buttons));
      buttons.push(button);
    }
    if (mode) {
      const leave = document.createElement("button");
      leave.type = "button";
      leave.className = "button";
      leave.dataset.testid = "join-stop";
      leave.textContent = T.leave;
      leave.setAttribute("aria-pressed", "true");
      leave.addEventListener("click", () => join(call, "stop", buttons));
      buttons.push(leave);
    }
    td.append(...buttons);
    row.append(td);
  }

  function render(calls) {
    body.replaceChildren();
    if (!calls.length) {
      const row = document.createElement("tr");
      cell(row, T.none).colSpan = 5;
      body.append(row);
      return;
    }
    for (const call of calls) {
      const row = document.createElement("tr");
      row.dataset.interaction = call.interaction;
      const who = cell(row, call.customer ? call.customer + " · " : "");
      const number = document.createElement("bdi");
      number.dir = "ltr"; // +98… keeps its plus sign in front in Persian
      number.textContent = call.caller;
      who.append(number);
      cell(row, call.agent + (call.on_hold ? " · " + T.onHold : ""));
      cell(row, call.answered_at ? time.format(new Date(call.answered_at)) : "");
      const td = document.createElement("td");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.dataset.testid = "listen-in";
      const on = call.listening || call.ringing;
      button.textContent = on ? T.stop : T.listen;
      button.setAttribute("aria-pressed", String(on));
      button.addEventListener("click", () => listen(call, button));
      td.append(button);
      row.append(td);
      joinCell(row, call);
      body.append(row);
    }
    const joined = calls.find((call) => call.join);
    if (joined && joined.join.ringing) note.textContent = T.joinRinging;
    else if (joined) note.textContent = joined.join.mode === "whisper" ? T.whispering : T.barging;
    else if (calls.some((call) => call.listening)) note.textContent = T.listening;
    else if (calls.some((call) => call.ringing)) note.textContent = T.ringing;
    else if ([T.listening, T.ringing, T.barging, T.whispering, T.joinRinging].includes(note.textContent)) {
      note.textContent = "";
    }
  }

  async function refresh() {
    const response = await fetch(box.dataset.callsUrl, { credentials: "same-origin" });
    if (response.ok) render((await response.json()).calls);
  }

  refresh();
  setInterval(() => refresh().catch(() => {}), 3000);
}
