// The desk's call buttons (templates/voice/call_controls.html). On the shown conversation, when
// it is the agent's own connected phone call: a Hold / Resume toggle, the desk's end button
// reads "Hang up", and the chat composer is hidden. desk.js renders the conversation and marks its view with the interaction's
// id, channel and status; this module only adds to what it rendered, after each render.
const box = document.querySelector("[data-call-controls]");
const view = document.querySelector("[data-conversation]");

if (box && view) {
  const T = JSON.parse(document.getElementById("call-control-strings").textContent);
  const base = box.dataset.callsUrl.replace(/0\/$/, ""); // …/voice/calls/
  const held = new Map(); // interaction id → on hold
  const asked = new Set(); // calls whose hold state was asked from the server once
  const csrf = () => box.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";

  async function ask(id, verb) {
    const options = verb
      ? { method: "POST", headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" }
      : { credentials: "same-origin" };
    const response = await fetch(base + id + "/" + (verb ? verb + "/" : ""), options);
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  }

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function decorate() {
    const id = view.dataset.interaction;
    if (!id || view.dataset.channel !== "voice" || view.dataset.status !== "active") return;
    const finish = view.querySelector(".conv-tools .finish");
    if (!finish || view.querySelector("[data-call-tool]")) return;
    const end = finish.querySelector("[data-testid=end-chat]");
    if (end) end.textContent = T.hangUp;
    // A phone call has no chat to type into: the desk's composer and empty message list go.
    for (const chat of view.querySelectorAll(".conv-composer, .conv-messages, .conv-typing")) {
      chat.hidden = true;
    }
    const tool = make("section", "tool call");
    tool.dataset.callTool = "";
    const button = make("button", "button");
    button.type = "button";
    button.dataset.testid = "call-hold";
    const note = make("span", "muted");
    note.setAttribute("aria-live", "polite");
    const render = () => {
      const onHold = held.get(id) === true;
      button.textContent = onHold ? T.resume : T.hold;
      button.setAttribute("aria-pressed", String(onHold));
      note.textContent = onHold ? T.onHold : "";
    };
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        held.set(id, (await ask(id, held.get(id) ? "resume" : "hold")).on_hold);
        render();
      } catch (error) {
        note.textContent = error.message;
      } finally {
        button.disabled = false;
      }
    });
    tool.append(make("h3", "tool-title", T.call), button, note);
    finish.before(tool);
    render();
    if (!asked.has(id)) {
      // After a reload during hold the server knows it, the page does not yet.
      asked.add(id);
      ask(id).then((data) => { held.set(id, data.on_hold); render(); }).catch(() => {});
    }
  }

  new MutationObserver(decorate).observe(view, { childList: true });
}
