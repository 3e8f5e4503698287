// The staffing calculator: every change of the form asks POST /api/planning/staffing and
// redraws the figures and the service-level chart. Persian digits are fine: the server
// parses them, and digits.js rewrites them as they are typed.
import {
  colours,
  formatNumber,
  formatPercent,
  setupCharts,
  startSideAxis,
  valueAxis,
} from "./charts.js";

const Chart = setupCharts();
const form = document.getElementById("staffing-form");
const errorBox = document.getElementById("staffing-error");
const canvas = document.getElementById("sl-chart");
const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
let chart = null;
let pending = null;
let sequence = 0;

function fieldValues() {
  const values = {};
  for (const input of form.querySelectorAll("input[name], select[name]")) {
    if (input.name === "csrfmiddlewaretoken") continue;
    const text = input.value.trim();
    if (text === "") continue;
    values[input.name] = input.hasAttribute("data-percent") ? percentToFraction(text) : text;
  }
  return values;
}

function percentToFraction(text) {
  // Sent as text so the server reads any digits; "۸۰" → "0.8" once converted.
  const ascii = text.replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace("\u066b", ".");
  const number = Number(ascii);
  return Number.isFinite(number) ? String(number / 100) : text;
}

function show(name, value) {
  for (const element of document.querySelectorAll(`[data-out="${name}"]`)) {
    const format = element.dataset.format;
    if (name === "model") {
      element.textContent = value === "erlang_a" ? element.dataset.erlangA : element.dataset.erlangC;
    } else if (format === "percent") {
      element.textContent = formatPercent(value);
    } else if (format === "decimal") {
      element.textContent = formatNumber(value, 2);
    } else if (format === "seconds") {
      element.textContent = `${formatNumber(value, 1)} ${element.dataset.unit}`;
    } else {
      element.textContent = formatNumber(value);
    }
  }
}

function showErrors(errors) {
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  const messages = [];
  for (const [name, message] of Object.entries(errors || {})) {
    const input = form.querySelector(`[name="${name}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      messages.push(`${input.closest("label").firstChild.textContent.trim()}: ${message}`);
    } else {
      messages.push(message);
    }
  }
  errorBox.textContent = messages.join(" · ");
  errorBox.hidden = messages.length === 0;
  document.querySelector(".results").classList.toggle("stale", messages.length > 0);
}

function drawCurve(curve, target, rawAgents) {
  const labels = curve.map((point) => formatNumber(point.agents));
  const data = curve.map((point) => point.service_level);
  const pointRadius = curve.map((point) => (point.agents === rawAgents ? 6 : 2));
  if (chart === null) {
    chart = new Chart(canvas, {
      type: "line",
      data: {
        labels,
        datasets: [
          {
            label: canvas.dataset.label,
            data,
            borderColor: colours.brand,
            backgroundColor: colours.brandSoft,
            fill: true,
            tension: 0.25,
            pointRadius,
            pointBackgroundColor: colours.brand,
          },
          {
            label: canvas.dataset.targetLabel,
            data: data.map(() => target),
            borderColor: colours.accent,
            borderDash: [6, 4],
            pointRadius: 0,
            fill: false,
          },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: startSideAxis({ title: { display: true, text: canvas.dataset.xLabel } }),
          y: valueAxis({ max: 1, ticks: { callback: (v) => formatPercent(v, 0) } }),
        },
        plugins: {
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatPercent(c.parsed.y)}` } },
        },
      },
    });
    return;
  }
  chart.data.labels = labels;
  chart.data.datasets[0].data = data;
  chart.data.datasets[0].pointRadius = pointRadius;
  chart.data.datasets[1].data = data.map(() => target);
  chart.update("none"); // figures follow the keyboard; an animation would only lag behind
}

async function recalculate() {
  const values = fieldValues();
  const mine = ++sequence;
  const response = await fetch(form.dataset.endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
    credentials: "same-origin",
    body: JSON.stringify(values),
  });
  if (mine !== sequence) return; // a newer keystroke already asked again
  const body = await response.json();
  if (!response.ok) {
    showErrors(body.errors || { __all__: body.detail || response.statusText });
    return;
  }
  showErrors({});
  for (const name of ["agents", "raw_agents", "service_level", "model", "traffic", "asa", "occupancy", "p_wait", "p_abandon"]) {
    show(name, body[name]);
  }
  document.querySelector(".erlang-a-only").hidden = body.model !== "erlang_a";
  drawCurve(body.curve, Number(values.service_level), body.raw_agents);
  form.dataset.ready = String(mine);
}

function schedule() {
  clearTimeout(pending);
  pending = setTimeout(recalculate, 200);
}

form.addEventListener("input", schedule);
form.addEventListener("change", schedule);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  recalculate();
});
recalculate();
