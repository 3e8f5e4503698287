// The guided-script editor: a form over the script's JSON definition.
// The server validates on publish (ids, dangling targets, loops); this module only keeps the
// form and the hidden JSON field in step. Labels come from <template>s in the page (gettext).

const ID_CHARS = /[^a-z0-9_-]/g;

function words() {
  const out = {};
  const template = document.getElementById("editor-words");
  for (const node of template.content.querySelectorAll("[data-word]")) {
    out[node.dataset.word] = node.textContent;
  }
  return out;
}

function freshId(questions) {
  const taken = new Set(questions.map((q) => q.id));
  let n = questions.length + 1;
  while (taken.has(`q${n}`)) n += 1;
  return `q${n}`;
}

function answerKeys(question) {
  if (question.type === "yes_no") return ["yes", "no"];
  if (question.type === "choice") return question.choices || [];
  return [];
}

function targetOptions(select, questions, self, value, emptyLabel, w) {
  select.replaceChildren();
  const none = document.createElement("option");
  none.value = "";
  none.textContent = emptyLabel;
  select.append(none);
  questions.forEach((q, index) => {
    if (q === self) return;
    const option = document.createElement("option");
    option.value = q.id;
    const text = (q.text || "").slice(0, 40);
    option.textContent = `${w.question} ${index + 1}: ${text || q.id}`;
    select.append(option);
  });
  select.value = value || "";
}

export function mountEditor(form) {
  const w = words();
  const field = form.querySelector("[data-role=definition]");
  const list = form.querySelector("[data-role=questions]");
  const start = form.querySelector("[data-role=start]");
  const template = document.getElementById("question-template");
  let definition;
  try {
    definition = JSON.parse(field.value || "{}");
  } catch {
    definition = {};
  }
  const questions = Array.isArray(definition.questions) ? definition.questions : [];
  let startId = definition.start || (questions[0] && questions[0].id) || "";

  function save() {
    field.value = JSON.stringify({ start: startId, questions });
  }

  // Target lists name questions by their text: rename the options in place, keeping focus.
  function relabel(question, index) {
    const label = `${w.question} ${index + 1}: ${(question.text || "").slice(0, 40) || question.id}`;
    for (const option of form.querySelectorAll(`option[value="${CSS.escape(question.id)}"]`)) {
      option.textContent = label;
    }
  }

  function renderBranches(card, question) {
    const box = card.querySelector("[data-role=branches]");
    box.replaceChildren();
    for (const key of answerKeys(question)) {
      const label = document.createElement("label");
      label.className = "inline";
      const shown = key === "yes" ? w.yes : key === "no" ? w.no : key;
      label.append(`${w.if} «${shown}» →`);
      const select = document.createElement("select");
      select.dataset.branch = key;
      targetOptions(select, questions, question, (question.branches || {})[key], w.same, w);
      select.addEventListener("change", () => {
        question.branches = { ...(question.branches || {}) };
        if (select.value) question.branches[key] = select.value;
        else delete question.branches[key];
        save();
      });
      label.append(select);
      box.append(label);
    }
  }

  function render() {
    list.replaceChildren();
    questions.forEach((question, index) => {
      const card = template.content.firstElementChild.cloneNode(true);
      card.dataset.index = String(index);
      card.querySelector(".question-number").textContent = String(index + 1);
      const id = card.querySelector("[data-field=id]");
      const type = card.querySelector("[data-field=type]");
      const text = card.querySelector("[data-field=text]");
      const choices = card.querySelector("[data-field=choices]");
      const next = card.querySelector("[data-field=next]");
      id.value = question.id;
      type.value = question.type || "yes_no";
      text.value = question.text || "";
      choices.value = (question.choices || []).join("\n");
      card.querySelector("[data-show=choice]").hidden = question.type !== "choice";
      targetOptions(next, questions, question, question.next, w.end, w);
      renderBranches(card, question);

      id.addEventListener("change", () => {
        const old = question.id;
        question.id = id.value.toLowerCase().replace(ID_CHARS, "_").slice(0, 40) || old;
        for (const other of questions) {
          if (other.next === old) other.next = question.id;
          for (const [key, target] of Object.entries(other.branches || {})) {
            if (target === old) other.branches[key] = question.id;
          }
        }
        if (startId === old) startId = question.id;
        save();
        render();
      });
      type.addEventListener("change", () => {
        question.type = type.value;
        if (question.type !== "choice") delete question.choices;
        const keys = new Set(answerKeys(question));
        for (const key of Object.keys(question.branches || {})) {
          if (!keys.has(key)) delete question.branches[key];
        }
        save();
        render();
      });
      text.addEventListener("input", () => {
        question.text = text.value;
        save();
      });
      text.addEventListener("change", () => relabel(question, index));
      choices.addEventListener("change", () => {
        question.choices = choices.value.split("\n").map((c) => c.trim()).filter(Boolean);
        save();
        render();
      });
      next.addEventListener("change", () => {
        question.next = next.value || null;
        save();
      });
      card.querySelector("[data-action=remove]").addEventListener("click", () => {
        questions.splice(index, 1);
        if (startId === question.id) startId = questions[0] ? questions[0].id : "";
        save();
        render();
      });
      list.append(card);
    });
    targetOptions(start, questions, null, startId, "—", w);
    save();
  }

  start.addEventListener("change", () => {
    startId = start.value;
    save();
  });
  form.querySelector("[data-role=add]").addEventListener("click", () => {
    const question = { id: freshId(questions), text: "", type: "yes_no", branches: {}, next: null };
    const last = questions[questions.length - 1];
    if (last && !last.next && answerKeys(last).length === 0) last.next = question.id;
    questions.push(question);
    if (!startId) startId = question.id;
    render();
    list.lastElementChild.querySelector("[data-field=text]").focus();
  });
  form.addEventListener("submit", save);
  render();
}

for (const form of document.querySelectorAll("[data-script-editor]")) {
  mountEditor(form);
}
