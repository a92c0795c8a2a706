// The page: a search box with suggestions, the neighbourhood of the chosen
// entity as a graph, a side panel with every fact and its sources, a date
// filter, the "appointments into the Northeast" view and downloads.
//
// The address (#entity=ID&depth=N or #view=northeast, with since= and
// until=) holds what is shown, so views can be shared and the Back button
// works; everything is drawn from it by route().
import "./style.css";
import * as api from "./api.js";
import { GraphView, TYPES, colourOf } from "./graph.js";
import { h, renderCard, renderEdge, renderFindings, renderMessage } from "./panel.js";
import { flowElements, renderCareer, renderFlowCell, renderFlows } from "./careers.js";

const $ = (id) => document.getElementById(id);
const panel = $("panel");
const statusLine = $("status");
const graph = new GraphView($("cy"), selectElement);
// The Cytoscape instance, for the browser test and the console.
window.rustbelt = { cy: graph.cy };

/** The years the date filter spans; at either end it does not filter. */
const FIRST_YEAR = 2000;
const LAST_YEAR = new Date().getFullYear();

// ---- the address ----

function readState() {
  const p = new URLSearchParams(location.hash.slice(1));
  return {
    entity: p.get("entity") || "",
    view: p.get("view") || "",
    depth: p.get("depth") || "2",
    level: p.get("level") || "",
    since: p.get("since") || "",
    until: p.get("until") || "",
  };
}

function writeState(change) {
  const next = { ...readState(), ...change };
  const p = new URLSearchParams();
  if (next.view) p.set("view", next.view);
  else if (next.entity) p.set("entity", next.entity);
  if (next.entity && !next.view) p.set("depth", next.depth);
  if (next.view === "flows" && next.level) p.set("level", next.level);
  if (next.since) p.set("since", next.since);
  if (next.until) p.set("until", next.until);
  const hash = "#" + p.toString().replaceAll("%2F", "/");
  if (hash !== location.hash) location.hash = hash;
}

/** openEntity draws an entity's neighbourhood and shows its card. */
function openEntity(id) {
  writeState({ entity: id, view: "" });
}

let drawn = ""; // what the graph shows, so that a date change does not redraw it

async function route() {
  const st = readState();
  $("depth").value = st.depth;
  setRange(st.since, st.until);
  const key = st.view ? `view=${st.view}&level=${st.level}` : `entity=${st.entity}&depth=${st.depth}`;
  if (key !== drawn) {
    drawn = key;
    if (st.view === "northeast") await drawNortheast();
    else if (st.view === "check") await showCheck();
    else if (st.view === "flows") await drawFlows(st.level || "province");
    else if (st.entity) await drawEntity(st.entity, st.depth);
  }
  graph.filter({ since: st.since, until: st.until, figures: $("figures").checked });
  showCounts();
  updateDownloads(st);
}

// ---- drawing ----

async function drawEntity(id, depth) {
  status(`Loading the neighbourhood of ${id}…`);
  const [elements, c] = await Promise.allSettled([api.neighbourhood(id, depth), api.card(id)]);
  if (c.status === "rejected") return fail(c.reason);
  renderCard(panel, c.value, openEntity);
  showCareer(c.value);
  $("search").value = c.value.name;
  document.title = `${c.value.name} — rustbelt`;
  if (elements.status === "rejected") {
    graph.show([]);
    status(`No graph around ${c.value.name}: ${elements.reason.message}`);
    return;
  }
  graph.show(elements.value.elements, { center: c.value.id });
  graph.select(c.value.id);
}

/** drawNortheast draws each appointment into the Northeast as an edge from origin to destination. */
async function drawNortheast() {
  status("Loading the appointments into the Northeast…");
  try {
    const rows = await api.appointments({ to: "Northeast" });
    const nodes = new Map();
    const edges = rows.map((a) => {
      nodes.set(a.from_place_id, { data: { id: a.from_place_id, label: a.from_place, type: "Place" } });
      nodes.set(a.to_place_id, { data: { id: a.to_place_id, label: a.to_place, type: "Place" } });
      return {
        classes: "move",
        data: {
          id: a.id, source: a.from_place_id, target: a.to_place_id, type: "Appointment",
          label: `${a.person} (${a.date})`, start: a.date_start, end: a.date_end, sources: a.sources, record: a.id,
          person: a.person, fromPost: a.from_post, toPost: a.to_post, date: a.date, appointmentKind: a.kind,
        },
      };
    });
    graph.show([...nodes.values(), ...edges], { columns: true });
    renderMessage(panel, "Appointments into the Northeast",
      `${rows.length} officials moved from posts elsewhere in China into Liaoning, Jilin and Heilongjiang. ` +
      "Each arrow runs from the place they left to the place they were appointed to; click one for the posts and sources.");
    document.title = "Appointments into the Northeast — rustbelt";
  } catch (err) {
    fail(err);
  }
}

/** drawFlows draws the appointments counted by origin and destination at a level. */
async function drawFlows(level) {
  status(`Counting the appointments by ${level}…`);
  try {
    const flows = await api.flows({ level });
    graph.show(flowElements(flows), { columns: true });
    renderFlows(panel, flows, (l) => writeState({ view: "flows", level: l }), (cell) => {
      graph.select(`flow:${cell.from_id}>${cell.to_id}`);
      renderFlowCell(panel, cell, openEntity);
    });
    document.title = `Flows between ${level === "city" ? "cities" : `${level}s`} — rustbelt`;
  } catch (err) {
    fail(err);
  }
}

/**
 * showCareer adds a person's career to their card, once it comes, unless
 * the panel has moved on to something else by then.
 */
async function showCareer(card) {
  if (card.class !== "Person") return;
  try {
    const c = await api.career(card.id);
    const shown = panel.querySelector("p.meta code")?.textContent === card.id;
    if (shown && !panel.querySelector("section.career")) panel.append(renderCareer(c, openEntity));
  } catch (err) {
    status(`No career for ${card.name}: ${err.message}`);
  }
}

/** showCheck lists what `rustbelt check` finds in the side panel; the graph stays as it is. */
async function showCheck() {
  status("Checking the graph…");
  try {
    renderFindings(panel, await api.check(), openEntity);
    document.title = "Check of the graph — rustbelt";
    status("");
  } catch (err) {
    fail(err);
  }
}

/** selectElement shows what a tapped node or edge stands for. */
async function selectElement(el) {
  graph.select(el.id());
  if (el.isEdge() && el.data("type") === "Flow") {
    renderFlowCell(panel, el.data("cell"), openEntity);
    return;
  }
  if (el.isEdge()) {
    renderEdge(panel, el.data(), { source: el.source().data("label"), target: el.target().data("label") }, openEntity);
    return;
  }
  try {
    const card = await api.card(el.id());
    renderCard(panel, card, openEntity);
    showCareer(card);
  } catch (err) {
    fail(err);
  }
}

function fail(err) {
  status("");
  if (err instanceof api.ApiError && err.candidates.length) {
    renderMessage(panel, "Which one?", err.message, err.candidates, openEntity);
  } else {
    renderMessage(panel, "Something went wrong", err.message);
  }
}

function status(text) {
  statusLine.textContent = text;
}

function showCounts() {
  const c = graph.counts();
  if (c.total === 0) return;
  status(`${c.nodes} nodes, ${c.edges} edges` + (c.hidden ? `; ${c.hidden} more hidden by the filters` : ""));
  const present = new Set(graph.cy.nodes(":visible").map((n) => n.data("type")));
  $("legend").replaceChildren(...Object.entries(TYPES).filter(([t]) => present.has(t)).map(([t, s]) =>
    h("li", {}, h("span", { class: `swatch ${s.shape}`, style: `background:${colourOf(t)}` }), t)));
}

// ---- the search box ----

const input = $("search");
const list = $("suggestions");
let choices = [];
let active = -1;
let searchTimer;
let searchSeq = 0;

input.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(suggest, 150);
});

input.addEventListener("keydown", (e) => {
  if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    e.preventDefault();
    if (choices.length) highlight((active + (e.key === "ArrowDown" ? 1 : choices.length - 1)) % choices.length);
  } else if (e.key === "Enter") {
    e.preventDefault();
    if (choices.length) choose(choices[Math.max(active, 0)]);
    else suggest().then(() => choices.length === 1 && choose(choices[0]));
  } else if (e.key === "Escape") {
    closeList();
  }
});

input.addEventListener("blur", () => setTimeout(closeList, 150));

async function suggest() {
  const q = input.value.trim();
  const seq = ++searchSeq;
  if (!q) return closeList();
  let found = [];
  let note = "";
  try {
    const res = await api.search(q);
    found = res.match ? [res.match, ...res.candidates] : res.candidates;
  } catch (err) {
    if (!(err instanceof api.ApiError)) throw err;
    found = err.candidates;
    note = found.length ? "Did you mean" : err.message;
  }
  if (seq !== searchSeq) return; // a later keystroke has its own answer
  choices = found;
  active = -1;
  const lower = q.toLowerCase();
  list.replaceChildren(
    note ? h("li", { class: "note", role: "presentation" }, note) : null,
    ...found.map((e, i) => h("li", {
      role: "option", id: `choice-${i}`, "data-id": e.id,
      onmousedown: (ev) => { ev.preventDefault(); choose(e); },
    },
    h("span", { class: "name" }, e.name),
    h("span", { class: `type t-${e.class}` }, e.class),
    e.name.toLowerCase().includes(lower) ? null : h("span", { class: "alias" }, "by another name"))),
  );
  list.hidden = list.children.length === 0;
}

function highlight(i) {
  active = i;
  [...list.querySelectorAll("[role=option]")].forEach((li, j) => li.setAttribute("aria-selected", j === i));
}

function choose(entity) {
  closeList();
  input.value = entity.name;
  openEntity(entity.id);
}

function closeList() {
  list.hidden = true;
  choices = [];
  active = -1;
}

// ---- controls ----

$("depth").addEventListener("change", (e) => writeState({ depth: e.target.value }));
$("preset-northeast").addEventListener("click", () => writeState({ view: "northeast" }));
$("check").addEventListener("click", () => writeState({ view: "check" }));
$("preset-flows").addEventListener("click", () => writeState({ view: "flows", level: "province" }));
$("figures").addEventListener("change", route);

const since = $("since");
const until = $("until");
for (const r of [since, until]) {
  r.min = FIRST_YEAR;
  r.max = LAST_YEAR;
  r.step = 1;
}

function setRange(s, u) {
  since.value = s || FIRST_YEAR;
  until.value = u || LAST_YEAR;
  rangeLabel();
}

function rangeLabel() {
  const s = Number(since.value);
  const u = Number(until.value);
  $("range-label").textContent = s <= FIRST_YEAR && u >= LAST_YEAR ? "all dates" : `${s} – ${u}`;
}

function rangeChanged(moved) {
  if (Number(since.value) > Number(until.value)) (moved === since ? until : since).value = moved.value;
  rangeLabel();
  const s = Number(since.value);
  const u = Number(until.value);
  writeState({ since: s > FIRST_YEAR ? String(s) : "", until: u < LAST_YEAR ? String(u) : "" });
}
since.addEventListener("input", () => rangeChanged(since));
until.addEventListener("input", () => rangeChanged(until));

const formats = api.formats().catch(() => []);

async function updateDownloads(st) {
  const center = st.view === "northeast" ? "Northeast" : st.entity;
  const opts = { center, depth: st.view ? 1 : st.depth, since: st.since, until: st.until };
  $("downloads").replaceChildren(
    h("span", { class: "label" }, "Download"),
    ...(await formats).map((f) => h("a", { class: "button", href: api.exportURL(f.name, opts), download: true, title: f.doc }, f.name)),
    h("button", { type: "button", onclick: downloadPNG, title: "the drawing as shown" }, "png"),
  );
}

function downloadPNG() {
  const a = h("a", { href: graph.png(), download: "rustbelt-graph.png" });
  document.body.append(a);
  a.click();
  a.remove();
}

window.addEventListener("hashchange", route);
route();
