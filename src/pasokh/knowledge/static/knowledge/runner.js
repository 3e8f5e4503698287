// The guided-script runner: asks one question at a time and saves each answer at once.
// Mount it in any container rendered from knowledge/_runner.html (the agent desk embeds it
// beside a conversation): mountRunner(element, { onChange(run) }). The server decides the next
// question. data-run shows a run already started; data-interaction opens the run of this
// script in that interaction (or starts one); neither starts a run of its own.

function csrfToken(container) {
  const input = container.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function wordsOf(container) {
  const out = {};
  const template = container.querySelector("template[data-role=words]");
  for (const node of template.content.querySelectorAll("[data-word]")) {
    out[node.dataset.word] = node.textContent;
  }
  return out;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

export function mountRunner(container, options = {}) {
  const api = container.dataset.api;
  const w = wordsOf(container);
  const pathList = container.querySelector("[data-role=path]");
  const step = container.querySelector("[data-role=step]");
  const meta = container.querySelector("[data-role=meta]");
  let run = null;
  let editing = null;

  async function call(url, body) {
    const request = { method: "GET", credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      request.method = "POST";
      request.headers = { "Content-Type": "application/json", "X-CSRFToken": csrfToken(container) };
      request.body = JSON.stringify(body);
    }
    const response = await fetch(url, request);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || w.failed);
    return data;
  }

  function shown(question, value) {
    if (question.type === "yes_no") return value === "yes" ? w.yes : w.no;
    if (question.type === "info") return "✓";
    return String(value);
  }

  function questionOf(id) {
    return run.definition.questions.find((q) => q.id === id);
  }

  function inputFor(question, submit) {
    if (question.type === "yes_no" || question.type === "choice") {
      const keys = question.type === "yes_no" ? ["yes", "no"] : question.choices;
      const box = el("div", { className: "choices" });
      for (const key of keys) {
        const button = el("button", {
          type: "button",
          className: "button",
          textContent: question.type === "yes_no" ? w[key] : key,
        });
        button.dataset.answer = key;
        button.addEventListener("click", () => submit(key));
        box.append(button);
      }
      return box;
    }
    if (question.type === "info") {
      const button = el("button", { type: "button", className: "button primary", textContent: w.ok });
      button.dataset.answer = "ok";
      button.addEventListener("click", () => submit(true));
      return button;
    }
    const form = el("form", { className: "actions" });
    const field =
      question.type === "text"
        ? el("textarea", { rows: 2, maxLength: 2000, name: "answer" })
        : el("input", { name: "answer" });
    if (question.type === "number") {
      field.inputMode = "decimal";
      field.dir = "ltr";
    }
    if (question.type === "date") {
      field.dir = "ltr";
      field.placeholder = w.date_hint;
    }
    const previous = run.answers[question.id];
    if (previous !== undefined) field.value = previous;
    form.append(field, el("button", { type: "submit", className: "button primary", textContent: w.next }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(field.value);
    });
    queueMicrotask(() => field.focus());
    return form;
  }

  function changed() {
    container.dataset.run = String(run.id);
    if (options.onChange) options.onChange(run);
    render();
  }

  function render() {
    const locale = document.documentElement.lang === "fa" ? "fa-IR" : "en";
    meta.textContent = `${w.version} ${run.version_number.toLocaleString(locale)}`;
    pathList.replaceChildren();
    for (const id of run.path) {
      const question = questionOf(id);
      const change = el("button", { type: "button", className: "button small", textContent: w.change });
      change.addEventListener("click", () => {
        editing = id;
        render();
      });
      pathList.append(
        el(
          "li",
          {},
          el("span", {}, question.text),
          el("span", { className: "answer" }, shown(question, run.answers[id])),
          question.type === "info" ? "" : change,
        ),
      );
    }
    const current = editing ? questionOf(editing) : run.next_question;
    step.replaceChildren();
    if (!current) {
      step.append(el("p", { className: "runner-done" }, w.done));
      container.dataset.state = "completed";
      return;
    }
    container.dataset.state = "asking";
    const error = el("p", { className: "runner-error", role: "alert" });
    const submit = async (answer) => {
      try {
        run = await call(`${api}script-runs/${run.id}/answers`, { question_id: current.id, answer });
        editing = null;
        changed();
      } catch (failure) {
        error.textContent = failure.message;
      }
    };
    const box = el("div", { className: "runner-step" }, el("p", { className: "prompt" }, current.text));
    box.dataset.question = current.id;
    box.append(inputFor(current, submit), error);
    step.append(box);
  }

  async function start() {
    const script_id = Number(container.dataset.script);
    const interaction_id = Number(container.dataset.interaction);
    try {
      if (container.dataset.run) run = await call(`${api}script-runs/${Number(container.dataset.run)}`);
      else if (interaction_id) run = await call(`${api}script-runs/open`, { script_id, interaction_id });
      else run = await call(`${api}script-runs`, { script_id });
      changed();
    } catch (failure) {
      step.replaceChildren(el("p", { className: "runner-error", role: "alert" }, failure.message));
    }
  }

  start();
}

for (const container of document.querySelectorAll("[data-script-runner]")) {
  mountRunner(container);
}
