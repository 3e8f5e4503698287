// The REC indicator of the agent's live phone call (templates/voice/recording_controls.html):
// a red "REC" badge whenever rtpengine records the call, and, when the tenant records on
// demand, a Record / Stop recording toggle. It adds its own section to the conversation view
// desk.js renders (marked with the interaction's id, channel and status), after each render.
import { getJson, postJson } from "./http.js";

const box = document.querySelector("[data-recording-controls]");
const view = document.querySelector("[data-conversation]");

if (box && view) {
  const T = JSON.parse(document.getElementById("recording-strings").textContent);
  const base = box.dataset.recordUrl.replace(/0\/$/, ""); // …/voice/record/
  const states = new Map(); // interaction id → {mode, recording}
  const csrf = () => box.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";

  const ask = (id, verb) =>
    verb ? postJson(base + id + "/" + verb + "/", csrf()) : getJson(base + id + "/");

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
    if (!finish || view.querySelector("[data-recording-tool]")) return;
    const tool = make("section", "tool rec-tool");
    tool.dataset.recordingTool = "";
    const row = make("div", "rec-row");
    const badge = make("span", "rec-badge", T.rec);
    badge.dataset.testid = "call-rec";
    badge.title = T.recorded;
    badge.setAttribute("role", "status");
    const button = make("button", "button");
    button.type = "button";
    button.dataset.testid = "call-record";
    const note = make("span", "muted");
    note.setAttribute("aria-live", "polite");
    const render = () => {
      const state = states.get(id) || { mode: "", recording: false };
      badge.hidden = !state.recording;
      button.hidden = state.mode !== "on_demand";
      button.textContent = state.recording ? T.stop : T.record;
      button.setAttribute("aria-pressed", String(state.recording));
      tool.hidden = state.mode === "" || (state.mode === "none" && !state.recording);
      if (!note.dataset.error) note.textContent = state.recording ? "" : T.off;
    };
    button.addEventListener("click", async () => {
      button.disabled = true;
      delete note.dataset.error;
      try {
        const state = states.get(id);
        const data = await ask(id, state.recording ? "stop" : "start");
        states.set(id, { ...state, recording: data.recording });
      } catch (error) {
        note.dataset.error = "1";
        note.textContent = error.message;
      } finally {
        button.disabled = false;
        render();
      }
    });
    row.append(badge, button, note);
    tool.append(make("h3", "tool-title", T.title), row);
    finish.before(tool);
    render();
    // The policy "every call" starts the recording at the answer: ask the server each time.
    ask(id).then((data) => { states.set(id, data); render(); }).catch(() => {});
  }

  new MutationObserver(decorate).observe(view, { childList: true });
}
