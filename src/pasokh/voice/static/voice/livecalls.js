// The live view's phone calls on the line (templates/voice/live_calls.html): polled every few
// seconds; each has a Listen button that rings the supervisor's SIP phone, which then hears
// the customer and the agent (neither hears the supervisor), and Stop listening.
const box = document.querySelector("[data-live-calls]");

if (box) {
  const T = JSON.parse(document.getElementById("live-call-strings").textContent);
  const body = box.querySelector("tbody");
  const note = box.querySelector("[data-live-calls-note]");
  const listenBase = box.dataset.listenUrl.replace(/0\/start\/$/, ""); // …/voice/listen/
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
      const response = await fetch(listenBase + call.interaction + "/" + verb + "/", {
        method: "POST", headers: { "X-CSRFToken": csrf() }, credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
      note.textContent = data.listening ? T.ringing : "";
      await refresh();
    } catch (error) {
      note.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  }

  function render(calls) {
    body.replaceChildren();
    if (!calls.length) {
      const row = document.createElement("tr");
      cell(row, T.none).colSpan = 4;
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
      body.append(row);
    }
    if (calls.some((call) => call.listening)) note.textContent = T.listening;
    else if (calls.some((call) => call.ringing)) note.textContent = T.ringing;
    else if (note.textContent === T.listening || note.textContent === T.ringing) {
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
