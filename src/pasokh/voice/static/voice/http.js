// The voice scripts' requests to their own endpoints: the answer's JSON, or an Error carrying
// the endpoint's translated refusal (`{"error": …}`) when the answer is not OK. POSTs carry the
// page's CSRF token and, when given, a form.
async function requestJson(url, options) {
  const response = await fetch(url, { ...options, credentials: "same-origin" });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

export async function getJson(url) {
  return requestJson(url, {});
}

export async function postJson(url, csrfToken, form) {
  const options = { method: "POST", headers: { "X-CSRFToken": csrfToken } };
  if (form) options.body = new URLSearchParams(form);
  return requestJson(url, options);
}
