// Forecast against actual: one line per series over the week's open intervals.
import { colours, formatNumber, readJson, setupCharts, startSideAxis, valueAxis } from "./charts.js";

const Chart = setupCharts();
const data = readJson("forecast-data");
const canvas = document.getElementById("forecast-chart");

function dayName(iso) {
  const day = new Date(`${iso}T12:00:00`);
  return new Intl.DateTimeFormat(document.documentElement.lang === "fa" ? "fa-IR-u-ca-persian" : "en-GB", {
    weekday: "short",
  }).format(day);
}

if (data && canvas) {
  const labels = [];
  data.days.forEach((iso) => {
    const name = dayName(iso);
    data.slots.forEach((slot) => labels.push([name, slot.replace(/\d/g, (d) => formatNumber(Number(d)))]));
  });
  const datasets = [
    {
      label: canvas.dataset.forecastLabel,
      data: data.forecast.flat(),
      borderColor: colours.brand,
      backgroundColor: colours.brandSoft,
      fill: true,
      tension: 0.3,
      pointRadius: 0,
      borderWidth: 2,
    },
  ];
  if (data.actual.length) {
    datasets.push({
      label: canvas.dataset.actualLabel,
      data: data.actual.flat(),
      borderColor: colours.accent,
      backgroundColor: colours.accent,
      pointRadius: 2,
      borderWidth: 1.5,
      tension: 0,
    });
  }
  new Chart(canvas, {
    type: "line",
    data: { labels, datasets },
    options: {
      interaction: { mode: "index", intersect: false },
      scales: {
        x: startSideAxis({
          ticks: {
            autoSkip: false,
            maxRotation: 0,
            // One label per day, on its first interval.
            callback: (value, index) => (index % data.slots.length === 0 ? labels[index][0] : ""),
          },
        }),
        y: valueAxis({
          title: { display: true, text: canvas.dataset.yLabel },
          ticks: { callback: (v) => formatNumber(v) },
        }),
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items) => labels[items[0].dataIndex].join(" "),
            label: (c) => `${c.dataset.label}: ${formatNumber(c.parsed.y, 1)}`,
          },
        },
      },
    },
  });
}
