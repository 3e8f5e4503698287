// The desk's three-way call (templates/voice/conference_controls.html): under the call buttons
// that callcontrols.js adds to the agent's connected phone call, a number field and Add (the
// number is called through the trunk, then the customer, the agent and the number all hear
// each other), then "Leave them talking" (the agent leaves, the other two go on) and "End the
// three-way call" (the number is hung up, the call is two-way again).
import { getJson, postJson } from "./http.js";

const box = document.querySelector("[data-conference]");
const view = document.querySelector("[data-conversation]");

if (box && view) {
  const T = JSON.parse(document.getElementById("conference-strings").textContent);
  const base = box.dataset.url.replace(/0\/$/, ""); // …/voice/conference/
  const csrf = () =>
    document.querySelector("[data-call-controls] input[name=csrfmiddlewaretoken]")?.value || "";

  const ask = (id, verb, form) =>
    verb ? postJson(base + id + "/" + verb + "/", csrf(), form) : getJson(base + id + "/");

  function button(testid, text) {
    const node = document.createElement("button");
    node.type = "button";
    node.className = "button";
    node.dataset.testid = testid;
    node.textContent = text;
    return node;
  }

  function decorate() {
    const id = view.dataset.interaction;
    const tool = view.querySelector("[data-call-tool]");
    if (!id || !tool || tool.querySelector("[data-conference-form]")) return;
    const form = document.createElement("form");
    form.className = "call-forward";
    form.dataset.conferenceForm = "";
    form.dataset.testid = "call-conference";
    const label = document.createElement("label");
    label.className = "tool-label";
    label.textContent = T.title;
    const input = document.createElement("input");
    input.name = "number";
    input.type = "tel";
    input.autocomplete = "off";
    input.dir = "ltr";
    label.append(document.createElement("br"), input);
    const add = button("call-conference-add", T.add);
    add.type = "submit";
    const leave = button("call-conference-leave", T.leave);
    const end = button("call-conference-end", T.end);
    const row = document.createElement("div");
    row.className = "call-buttons";
    row.append(add, leave, end);
    const note = document.createElement("span");
    note.className = "muted";
    note.dataset.testid = "call-conference-note";
    note.setAttribute("aria-live", "polite");
    form.append(label, row, note);
    tool.append(form);
    let timer = null;
    let was = "";
    const show = (state) => {
      add.hidden = state !== "";
      input.disabled = state !== "";
      leave.hidden = state !== "on";
      end.hidden = state === "";
      if (state) note.textContent = state === "on" ? T.on : T.ringing;
      else if (was) note.textContent = T.over;
      was = state;
      clearTimeout(timer);
      if (state) timer = setTimeout(poll, 1500);
    };
    const poll = () => ask(id).then((data) => show(data.conference)).catch(() => {});
    const send = async (verb, data) => {
      for (const b of [add, leave, end]) b.disabled = true;
      try {
        const answer = await ask(id, verb, data);
        if (verb === "leave") {
          clearTimeout(timer);
          note.textContent = T.left;
          for (const b of [add, leave, end]) b.hidden = true;
          return;
        }
        show(answer.conference);
      } catch (error) {
        note.textContent = error.message;
      } finally {
        for (const b of [add, leave, end]) b.disabled = false;
      }
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send("add", { number: input.value });
    });
    leave.addEventListener("click", () => send("leave"));
    end.addEventListener("click", () => send("end"));
    show("");
    poll();
  }

  new MutationObserver(decorate).observe(view, { childList: true, subtree: true });
}
