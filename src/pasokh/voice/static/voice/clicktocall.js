// Click-to-call (templates/voice/call_controls.html): a Call button under each phone number of
// the desk's customer 360 card (desk.js marks the lines with their kind) and of a page that
// marks its numbers with data-dial-number (the contact page). The service rings the agent's own
// phone first, then the customer; the note by the button says where the call is until it ends.
const box = document.querySelector("[data-call-controls]");
const side = document.querySelector("[data-side]"); // the desk's 360 card, rendered again often
const NUMBERS = ".side-identity[data-kind=phone], [data-dial-number]";

if (box && box.dataset.dialUrl) {
  const T = JSON.parse(document.getElementById("call-control-strings").textContent);
  const dialUrl = box.dataset.dialUrl;
  const csrf = () => box.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const calls = new Map(); // number → {id, message, ended}: the card is rendered again often

  function showAll(number) {
    for (const row of document.querySelectorAll("[data-dial-row]")) {
      if (row.dataset.number === number) show(row, number);
    }
  }

  function settle(number) {
    // An ended call's sentence stays a while, then the button is as new.
    const call = calls.get(number);
    setTimeout(() => {
      if (calls.get(number) === call) {
        calls.delete(number);
        showAll(number);
      }
    }, 10000);
  }

  function show(row, number) {
    const call = calls.get(number);
    const note = row.querySelector("[data-dial-note]");
    const button = row.querySelector("button");
    note.textContent = call ? call.message : "";
    button.disabled = Boolean(call && !call.ended);
  }

  async function follow(number) {
    const call = calls.get(number);
    while (call && !call.ended) {
      await new Promise((done) => setTimeout(done, 1000));
      try {
        const response = await fetch(dialUrl + call.id + "/", { credentials: "same-origin" });
        const data = await response.json();
        call.message = response.ok ? data.message : data.error;
        call.ended = !response.ok || data.ended || data.state === "connected";
      } catch (error) {
        call.message = error.message;
        call.ended = true;
      }
      showAll(number);
    }
    if (call && call.ended) settle(number);
  }

  async function dial(number, row) {
    const button = row.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch(dialUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrf() },
        credentials: "same-origin",
        body: new URLSearchParams({ number }),
      });
      const data = await response.json();
      if (!response.ok) {
        calls.set(number, { id: null, message: data.error || response.statusText, ended: true });
        settle(number);
      } else {
        calls.set(number, { id: data.interaction_id, message: T.dialRinging, ended: false });
        follow(number);
      }
    } catch (error) {
      calls.set(number, { id: null, message: error.message, ended: true });
      settle(number);
    }
    show(row, number);
  }

  function decorate() {
    for (const line of document.querySelectorAll(NUMBERS)) {
      if (line.nextElementSibling?.dataset.dialRow !== undefined) continue;
      const number = line.dataset.dialNumber || line.textContent.trim();
      const row = document.createElement("div");
      row.className = "dial-row";
      row.dataset.dialRow = "";
      row.dataset.number = number;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button small";
      button.dataset.testid = "dial";
      button.textContent = T.dial;
      // The number is in the line above, isolated (bdi, ltr): "+98…" keeps its plus in front.
      button.setAttribute("aria-label", T.dial + " \u2066" + number + "\u2069");
      const note = document.createElement("span");
      note.className = "muted";
      note.dataset.dialNote = "";
      note.dataset.testid = "dial-note";
      note.setAttribute("aria-live", "polite");
      button.addEventListener("click", () => dial(number, row));
      row.append(button, note);
      line.after(row);
      show(row, number);
    }
  }

  if (side) new MutationObserver(decorate).observe(side, { childList: true, subtree: true });
  decorate();
}
