// Polls the import's JSON status and moves the progress bar until the import finishes.
const card = document.querySelector("[data-status-url]");
const persian = document.documentElement.lang === "fa";
const digits = (value) =>
  persian ? String(value).replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]) : String(value);

async function poll() {
  const response = await fetch(card.dataset.statusUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  const state = await response.json();
  for (const element of card.querySelectorAll("[data-field]")) {
    const value = state[element.dataset.field];
    if (element.tagName === "PROGRESS") element.value = value;
    else element.textContent = "digits" in element.dataset ? digits(value) : value;
  }
  if (state.finished) {
    card.querySelector("[data-when-finished]").classList.remove("hidden");
    if (state.skipped > 0 && !document.querySelector("[data-testid=import-errors]")) {
      window.location.reload();
    }
    return;
  }
  window.setTimeout(poll, 700);
}

if (card) poll();
