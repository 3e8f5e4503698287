// Shared chart settings for the planning pages: the shell's font and colours, numbers in
// the page's digits (Persian in fa), and right-to-left legends and tooltips in fa.
const Chart = window.Chart;

export const isPersian = document.documentElement.lang === "fa";
export const isRtl = document.documentElement.dir === "rtl";
const locale = isPersian ? "fa-IR" : "en-US";

export const colours = {
  brand: "#0f6e6e",
  brandSoft: "rgba(15, 110, 110, 0.15)",
  accent: "#e08a1e",
  accentSoft: "rgba(224, 138, 30, 0.18)",
  ink: "#1c2430",
  muted: "#5d6b7c",
  line: "#dde3ea",
  danger: "#b3261e",
};

export function formatNumber(value, digits = 0) {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

export function formatPercent(fraction, digits = 1) {
  return new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(fraction);
}

export function setupCharts() {
  Chart.defaults.font.family = "Vazirmatn, system-ui, sans-serif";
  Chart.defaults.font.size = 13;
  Chart.defaults.color = colours.muted;
  Chart.defaults.borderColor = colours.line;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation.duration = 250;
  Chart.defaults.plugins.legend.rtl = isRtl;
  Chart.defaults.plugins.legend.labels.usePointStyle = true;
  Chart.defaults.plugins.tooltip.rtl = isRtl;
  Chart.defaults.plugins.tooltip.textDirection = isRtl ? "rtl" : "ltr";
  Chart.defaults.locale = locale;
  return Chart;
}

// A category or linear axis that runs from the start side of the page (right in fa).
export function startSideAxis(extra = {}) {
  return { reverse: isRtl, grid: { display: false }, ...extra };
}

export function valueAxis(extra = {}) {
  return { position: isRtl ? "right" : "left", beginAtZero: true, ...extra };
}

export function readJson(id) {
  const element = document.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}
