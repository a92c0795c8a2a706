// Calls to the rustbelt server. Every error answer is JSON with "error"
// and, for names, "candidates"; ApiError carries both to the page.

export class ApiError extends Error {
  constructor(status, body) {
    super(body.error || `HTTP ${status}`);
    this.status = status;
    this.candidates = body.candidates || [];
  }
}

function getJSON(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") query.append(k, v);
  }
  return fetchJSON(query.toString() ? `${path}?${query}` : path);
}

async function fetchJSON(url) {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status, { error: `${url}: the server answered ${res.status} without JSON` });
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/** search resolves a name and lists the entities a user may mean. */
export function search(q, limit = 10) {
  return getJSON("/api/search", { q, limit });
}

/** card is everything the graph says about one entity (`rustbelt show`). */
export function card(id) {
  return getJSON(`/api/entities/${id.split("/").map(encodeURIComponent).join("/")}`);
}

/** appointments lists cross-regional appointments, as the CLI does. */
export function appointments(filter) {
  return getJSON("/api/appointments", filter);
}

/** career is a person's tenures and moves (`rustbelt career`). */
export function career(id) {
  return getJSON(`/api/careers/${id.split("/").map(encodeURIComponent).join("/")}`);
}

/** flows counts appointments by origin and destination at a level (`rustbelt flows`). */
export function flows(filter) {
  return getJSON("/api/flows", filter);
}

/** check lints the graph (`rustbelt check`): findings, errors first. */
export function check() {
  return getJSON("/api/check");
}

/** exportURL is the address of the graph around center in a format. */
export function exportURL(format, { center, depth, since, until } = {}) {
  const query = new URLSearchParams({ format });
  if (center) query.set("center", center);
  if (center && depth) query.set("depth", depth);
  if (since) query.set("since", since);
  if (until) query.set("until", until);
  return `/api/export?${query}`;
}

/** formats lists the export formats: name, ext, content_type, doc. */
export function formats() {
  return fetchJSON("/api/export/formats");
}

/** neighbourhood is the graph around center as Cytoscape elements. */
export function neighbourhood(center, depth) {
  return fetchJSON(exportURL("cytoscape", { center, depth }));
}
