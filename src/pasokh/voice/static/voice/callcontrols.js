// The desk's call buttons (templates/voice/call_controls.html). On the shown conversation, when
// it is the agent's own connected phone call: a Hold / Resume toggle, a Mute / Unmute toggle
// with a "Muted" badge, a keypad sending digits to the far end, a transfer to a phone number
// (through the trunk), the desk's end button reads
// "Hang up", and the chat composer is hidden. desk.js renders the conversation and marks its
// view with the interaction's id, channel and status; this module only adds to what it
// rendered, after each render.
import { getJson, postJson } from "./http.js";

const box = document.querySelector("[data-call-controls]");
const view = document.querySelector("[data-conversation]");

if (box && view) {
  const T = JSON.parse(document.getElementById("call-control-strings").textContent);
  const base = box.dataset.callsUrl.replace(/0\/$/, ""); // …/voice/calls/
  const states = new Map(); // interaction id → {on_hold, muted}
  const asked = new Set(); // calls whose state was asked from the server once
  const csrf = () => box.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const persian = document.documentElement.lang === "fa";
  const shown = (text) => (persian ? text.replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]) : text);

  const ask = (id, verb, form) =>
    verb ? postJson(base + id + "/" + verb + "/", csrf(), form) : getJson(base + id + "/");

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function toggle(testid) {
    const button = make("button", "button");
    button.type = "button";
    button.dataset.testid = testid;
    return button;
  }

  function keypad(id, note) {
    const pad = make("div", "call-keypad");
    pad.dataset.testid = "call-keypad";
    pad.dir = "ltr"; // a phone's keypad reads the same in every language
    pad.hidden = true;
    const typed = make("bdi", "call-keypad-typed");
    typed.dataset.testid = "call-keypad-typed";
    typed.dir = "ltr";
    const keys = make("div", "call-keypad-keys");
    for (const digit of "123456789*0#") {
      const key = make("button", "button call-key", shown(digit));
      key.type = "button";
      key.dataset.digit = digit;
      key.setAttribute("aria-label", T.sendDigit + " " + shown(digit));
      key.addEventListener("click", async () => {
        try {
          await ask(id, "digits", { digits: digit });
          typed.textContent = (typed.textContent + shown(digit)).slice(-20);
          note.textContent = "";
        } catch (error) {
          note.textContent = error.message;
        }
      });
      keys.append(key);
    }
    pad.append(typed, keys);
    return pad;
  }

  function forwardForm(id, onState) {
    // Transfer to a number: blind, through the trunk; the call stays the agent's until the
    // number answers (a busy number gives it back), so the note follows the server's state.
    const form = make("form", "call-forward");
    form.dataset.testid = "call-forward";
    const label = make("label", "tool-label", T.forwardTo);
    const input = make("input");
    input.type = "tel";
    input.name = "number";
    input.dir = "ltr";
    input.required = true;
    input.autocomplete = "off";
    input.placeholder = "+98…";
    label.append(input);
    const go = make("button", "button", T.forward);
    go.type = "submit";
    const note = make("span", "muted");
    note.dataset.testid = "call-forward-note";
    note.setAttribute("aria-live", "polite");
    form.append(label, go, note);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      go.disabled = true;
      try {
        await ask(id, "forward", { number: input.value });
        note.textContent = T.forwardRinging;
        for (;;) {
          await new Promise((done) => setTimeout(done, 1000));
          let data;
          try {
            data = await ask(id);
          } catch (error) {
            note.textContent = T.forwarded; // no longer this agent's call: it went through
            return;
          }
          onState(data); // on hold while the number rings, and off again if it refuses
          note.textContent = data.transfer_message || "";
          if (data.transfer !== "ringing") break;
        }
      } catch (error) {
        note.textContent = error.message;
      }
      go.disabled = false;
    });
    return form;
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
    const hold = toggle("call-hold");
    const mute = toggle("call-mute");
    const pad = toggle("call-keypad-toggle");
    pad.textContent = T.keypad;
    const badge = make("span", "call-badge", T.muted);
    badge.dataset.testid = "call-muted";
    badge.hidden = true;
    const note = make("span", "muted");
    note.setAttribute("aria-live", "polite");
    const keys = keypad(id, note);
    const state = () => states.get(id) || { on_hold: false, muted: false };
    const render = () => {
      const { on_hold: onHold, muted } = state();
      hold.textContent = onHold ? T.resume : T.hold;
      hold.setAttribute("aria-pressed", String(onHold));
      mute.textContent = muted ? T.unmute : T.mute;
      mute.setAttribute("aria-pressed", String(muted));
      badge.hidden = !muted;
      note.textContent = onHold ? T.onHold : "";
    };
    const clicked = (button, verbs, key) =>
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          const data = await ask(id, state()[key] ? verbs[1] : verbs[0]);
          states.set(id, { ...state(), [key]: data[key] });
          render();
        } catch (error) {
          note.textContent = error.message;
        } finally {
          button.disabled = false;
        }
      });
    clicked(hold, ["hold", "resume"], "on_hold");
    clicked(mute, ["mute", "unmute"], "muted");
    pad.addEventListener("click", () => {
      keys.hidden = !keys.hidden;
      pad.setAttribute("aria-expanded", String(!keys.hidden));
    });
    const row = make("div", "call-buttons");
    row.append(hold, mute, pad, badge);
    const forward = forwardForm(id, (data) => {
      states.set(id, { on_hold: data.on_hold, muted: data.muted });
      render();
    });
    tool.append(make("h3", "tool-title", T.call), row, keys, note, forward);
    finish.before(tool);
    render();
    if (!asked.has(id)) {
      // After a reload during hold or mute the server knows it, the page does not yet.
      asked.add(id);
      ask(id).then((data) => { states.set(id, data); render(); }).catch(() => {});
    }
  }

  new MutationObserver(decorate).observe(view, { childList: true });
}
