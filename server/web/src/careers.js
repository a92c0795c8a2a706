// Careers and flows: a person's career as a small timeline in the side
// panel (`rustbelt career`), and the flows of appointments between places
// (`rustbelt flows`) as a graph whose edges open the appointments they
// count.
import { h, sources, entityLink } from "./panel.js";

/** LEVELS are the levels flows are counted at. */
export const LEVELS = ["province", "region", "city"];

/**
 * yearOf places a bound on the year scale: its first day for a start, its
 * last for an end (2023-10 ends at 2023-11), or null when it is unknown
 * (or known only as "by" a day, for a start).
 */
function yearOf(date, precision, atEnd) {
  if (!date || precision === "unknown" || (precision === "reported" && !atEnd)) return null;
  const [y, m = atEnd ? 12 : 1, d] = date.split("-").map(Number);
  let at = y + (m - 1) / 12;
  if (atEnd && !d) at += date.length === 4 ? 1 : 1 / 12;
  else if (d) at += (d - 1) / 365;
  return at;
}

/**
 * renderCareer is the Career section of a person's card: each tenure a bar
 * over the years its sources give, left open (faded) where a bound is
 * unknown or imprecise, then the timeline of tenures, moves, gaps and
 * overlaps with their sources.
 */
export function renderCareer(career, open) {
  const tenures = career.tenures.map((t) => ({
    t,
    from: yearOf(t.start_date, t.start_precision, false),
    to: yearOf(t.end_precision === "range" ? t.end_date_end : t.end_date, t.end_precision, true),
  }));
  const known = tenures.flatMap((x) => [x.from, x.to]).filter((y) => y !== null);
  const first = Math.floor(Math.min(...known));
  const last = Math.ceil(Math.max(...known));
  const span = Math.max(last - first, 1);
  const pct = (y) => `${(100 * (y - first)) / span}%`;
  const bars = known.length === 0 ? null : h("div", { class: "career-chart", role: "img", "aria-label": `tenures from ${first} to ${last}` },
    h("div", { class: "career-axis" }, h("span", {}, String(first)), h("span", {}, String(last))),
    tenures.map(({ t, from, to }) => h("div", { class: "career-row" },
      h("div", { class: "career-label" }, t.post),
      h("div", { class: "career-track" },
        h("div", {
          class: ["career-bar", from === null || t.start_precision === "range" || t.start_precision === "reported" ? "open-start" : "",
            to === null || t.end_precision === "range" || t.end_precision === "reported" ? "open-end" : "", t.stated ? "stated" : "derived"].join(" "),
          style: `left:${from === null ? "0%" : pct(from)};right:${to === null ? "0%" : `calc(100% - ${pct(to)})`}`,
          title: `${t.post}: ${t.start} to ${t.end}`,
        })))));
  return h("section", { class: "career" },
    h("h3", {}, `Career (${career.tenures.length} tenure${career.tenures.length === 1 ? "" : "s"}, ${career.moves.length} move${career.moves.length === 1 ? "" : "s"})`),
    bars,
    h("ol", { class: "career-lines" }, career.timeline.map((l) => h("li", { class: `career-line ${l.what}` },
      h("div", {},
        h("span", { class: "date" }, l.end ? `${l.start} to ${l.end}` : l.start), " ",
        h("span", { class: "kind" }, l.what), " ",
        l.id ? entityLink(l.id, l.summary, open) : h("span", {}, l.summary)),
      l.note ? h("div", { class: "note" }, l.note) : null,
      l.sources.length ? sources(l.sources) : null))),
  );
}

/** flowElements draws flows: a node a place, an edge a cell, as wide as its count. */
export function flowElements(flows) {
  const nodes = new Map();
  const node = (id, name) => {
    const key = id || "unknown-origin";
    nodes.set(key, { data: { id: key, label: name, type: "Place" } });
    return key;
  };
  const edges = flows.cells.map((c) => ({
    classes: "flow",
    data: {
      id: `flow:${c.from_id}>${c.to_id}`, source: node(c.from_id, c.from), target: node(c.to_id, c.to), type: "Flow",
      label: String(c.count), count: c.count, cell: c,
    },
  }));
  return [...nodes.values(), ...edges];
}

/** renderFlows fills panel with the matrix of flows at a level. */
export function renderFlows(panel, flows, onLevel, onCell) {
  const count = new Map(flows.cells.map((c) => [`${c.from_id}>${c.to_id}`, c]));
  panel.replaceChildren(
    h("h2", {}, `Flows between ${flows.level === "city" ? "cities" : `${flows.level}s`}`),
    h("p", {}, `${flows.total} move${flows.total === 1 ? "" : "s"} (appointments, and the moves between tenures that careers show), ` +
      `counted by the ${flows.level} officials left and the one they went to; each place is rolled up through the places that contain it. ` +
      "Click an arrow or a count for the moves."),
    h("p", { class: "levels" }, "Count by ", LEVELS.map((l) => l === flows.level
      ? h("strong", {}, l)
      : h("a", { href: `#view=flows&level=${l}`, "data-level": l, onclick: (e) => { e.preventDefault(); onLevel(l); } }, l))
      .flatMap((el, i) => (i ? [", ", el] : [el]))),
    h("table", { class: "flows" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "from \\ to"), flows.destinations.map((d) => h("th", { scope: "col" }, d.name)))),
      h("tbody", {}, flows.origins.map((o) => h("tr", {},
        h("th", { scope: "row" }, o.name),
        flows.destinations.map((d) => {
          const c = count.get(`${o.id || ""}>${d.id || ""}`);
          return h("td", {}, c ? h("a", { href: "#", "data-cell": `${c.from_id}>${c.to_id}`, onclick: (e) => { e.preventDefault(); onCell(c); } }, String(c.count)) : "·");
        }))))),
  );
}

/**
 * renderFlowCell fills panel with the moves one cell counts: its
 * appointments, then the tenures careers move into (people lists both, in
 * that order).
 */
export function renderFlowCell(panel, cell, open) {
  const records = [...cell.appointments, ...(cell.tenures || [])];
  panel.replaceChildren(
    h("h2", {}, `${cell.from} → ${cell.to}`),
    h("p", { class: "meta" }, `${cell.count} move${cell.count === 1 ? "" : "s"}`),
    h("ol", { class: "records" }, records.map((id, i) => h("li", {}, entityLink(id, cell.people[i], open)))),
  );
}
