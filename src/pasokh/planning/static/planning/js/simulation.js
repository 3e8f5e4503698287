// A simulation run: poll its status while it runs (the bar moves), reload when it ends;
// a finished run draws one bar chart per measure with its 95 % confidence whiskers.
import {
  colours,
  formatNumber,
  formatPercent,
  readJson,
  setupCharts,
  startSideAxis,
  valueAxis,
} from "./charts.js";

const POLL_MS = 700;
const Chart = setupCharts();
const statusBox = document.getElementById("run-status");

async function poll() {
  const response = await fetch(statusBox.dataset.statusUrl, { credentials: "same-origin" });
  if (!response.ok) return setTimeout(poll, POLL_MS * 3);
  const run = await response.json();
  statusBox.querySelector("progress").value = run.progress;
  statusBox.querySelector('[data-out="progress"]').textContent = formatPercent(run.progress, 0);
  const badge = statusBox.querySelector('[data-out="status_label"]');
  badge.textContent = run.status_label;
  badge.className = `badge status-${run.status}`;
  if (run.status === "done" || run.status === "failed") {
    window.location.reload();
    return;
  }
  setTimeout(poll, POLL_MS);
}

// Draws the interval [value − ci, value + ci] over each bar.
const whiskers = {
  id: "whiskers",
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const meta = chart.getDatasetMeta(0);
    const half = chart.data.datasets[0].ci;
    const y = chart.scales.y;
    ctx.save();
    ctx.strokeStyle = colours.ink;
    ctx.lineWidth = 1.5;
    meta.data.forEach((bar, index) => {
      const value = chart.data.datasets[0].data[index];
      const ci = half[index];
      if (value === null || !ci) return;
      const top = y.getPixelForValue(value + ci);
      const bottom = y.getPixelForValue(Math.max(0, value - ci));
      const cap = Math.min(10, bar.width / 4);
      ctx.beginPath();
      ctx.moveTo(bar.x, top);
      ctx.lineTo(bar.x, bottom);
      ctx.moveTo(bar.x - cap, top);
      ctx.lineTo(bar.x + cap, top);
      ctx.moveTo(bar.x - cap, bottom);
      ctx.lineTo(bar.x + cap, bottom);
      ctx.stroke();
    });
    ctx.restore();
  },
};

function drawResults(rows) {
  const container = document.getElementById("result-charts");
  const palette = [colours.brand, colours.accent, "#4a6fa5", "#8c5e9e", "#5f8f3e", colours.danger];
  for (const canvas of container.querySelectorAll("canvas[data-measure]")) {
    const measure = canvas.dataset.measure;
    const asPercent = canvas.dataset.format === "percent";
    const show = (v) => (asPercent ? formatPercent(v) : formatNumber(v, 1));
    const values = rows.map((row) => (typeof row[measure] === "number" ? row[measure] : null));
    const ci = rows.map((row) => row[`${measure}_ci`] || 0);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map((row) => row.label || row.queue),
        datasets: [{ data: values, ci, backgroundColor: rows.map((_, i) => palette[i % palette.length]), borderRadius: 6, maxBarThickness: 56 }],
      },
      options: {
        scales: {
          x: startSideAxis(),
          y: valueAxis({
            max: canvas.dataset.max ? Number(canvas.dataset.max) : undefined,
            ticks: { callback: (v) => (asPercent ? formatPercent(v, 0) : formatNumber(v)) },
          }),
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (c) => `${show(c.parsed.y)} ± ${show(ci[c.dataIndex])} (${container.dataset.ciLabel})`,
            },
          },
        },
      },
      plugins: [whiskers],
    });
  }
  container.dataset.drawn = "true";
}

if (statusBox.dataset.status === "queued" || statusBox.dataset.status === "running") {
  setTimeout(poll, POLL_MS);
}
const rows = readJson("result-data");
if (rows) drawResults(rows);
