// Persian (۰-۹) and Arabic-Indic (٠-٩) digits are accepted in every numeric input: they are
// rewritten to ASCII as the person types, and the server accepts them too.
const PERSIAN_ZERO = 0x06f0;
const ARABIC_ZERO = 0x0660;

export function toAsciiDigits(text) {
  return text.replace(/[\u06f0-\u06f9\u0660-\u0669]/g, (digit) => {
    const code = digit.charCodeAt(0);
    return String(code >= PERSIAN_ZERO ? code - PERSIAN_ZERO : code - ARABIC_ZERO);
  });
}

function isNumericInput(element) {
  return element instanceof HTMLInputElement && element.inputMode === "numeric";
}

document.addEventListener("input", (event) => {
  const input = event.target;
  if (!isNumericInput(input)) return;
  const converted = toAsciiDigits(input.value);
  if (converted !== input.value) input.value = converted;
});

// Number fields cannot hold Persian digits in browsers, so they become numeric text fields.
for (const input of document.querySelectorAll('input[type="number"]')) {
  input.type = "text";
  input.inputMode = "numeric";
  input.dir = "ltr";
}
