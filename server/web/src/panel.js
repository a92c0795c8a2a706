// The side panel: the `show` card of an entity, or the facts of an edge,
// each fact with the articles it comes from.

/** h makes an element with attributes and children (strings are text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null && c !== false) el.append(c);
  }
  return el;
}

/**
 * article reads a source as "NewsChina, 2024-12-01: Rust to Riches", and
 * one that states no title, publisher or date as such.
 */
function article(src) {
  const who = [src.publisher, src.date].filter(Boolean).join(", ") || "publisher and date unknown";
  const title = src.title || (src.untitled ? "untitled article" : src.id);
  return [h("span", { class: "who" }, who + ": "), h("cite", { class: src.title ? null : "untitled" }, title)];
}

/**
 * citation is one source of a fact; a fact a curator inferred cites the
 * inference, how it was made, and the article it was drawn from.
 */
function citation(src) {
  if (src.inferred_from) {
    return h("li", { class: "source inferred", title: src.id },
      h("span", { class: "inferred-mark" }, "inferred from "), ...article(src.inferred_from),
      h("div", { class: "inference" }, src.inference));
  }
  return h("li", { class: "source", title: src.id }, ...article(src));
}

export function sources(list) {
  if (!list || list.length === 0) return h("p", { class: "unsourced" }, "no source");
  return h("ul", { class: "sources" }, list.map(citation));
}

/** entityLink opens another entity's card and graph. */
export function entityLink(id, text, open) {
  return h("a", { href: `#entity=${id}`, onclick: (e) => { e.preventDefault(); open(id); } }, text);
}

function factRows(facts, open) {
  return h("table", { class: "facts" },
    h("tbody", {}, facts.map((f) => h("tr", {},
      h("th", { scope: "row" }, f.predicate),
      h("td", {},
        h("div", { class: "value" }, f.value_id ? entityLink(f.value_id, f.value, open) : f.value),
        sources(f.sources))))));
}

function section(title, count, body) {
  if (!count) return null;
  return h("section", {}, h("h3", {}, `${title} (${count})`), body);
}

/** fill replaces panel's content, skipping the parts left out (null). */
function fill(panel, ...parts) {
  panel.replaceChildren(...parts.filter(Boolean));
}

/** renderCard fills panel with an entity's card. */
export function renderCard(panel, card, open) {
  fill(panel,
    h("h2", {}, card.name),
    h("p", { class: "meta" }, `${card.classes.join(", ") || card.class} · `, h("code", {}, card.id)),
    card.aliases.length ? h("p", { class: "aliases" }, "Also known as " + card.aliases.join(", ")) : null,
    section("Facts", card.facts.length, factRows(card.facts, open)),
    section("Records", card.records.length, h("ol", { class: "records" }, card.records.map((r) => h("li", {},
      h("div", {}, h("span", { class: "date" }, r.date), " ", h("span", { class: "kind" }, r.kind), " ",
        entityLink(r.id, r.summary, open)),
      sources(r.sources))))),
    section("Mentioned by", card.mentioned_by.length, factRows(card.mentioned_by, open)),
  );
}

/** EDGE_FIELDS are the data of an edge shown apart from its attributes. */
const EDGE_FIELDS = new Set(["id", "source", "target", "label", "type", "sources", "start", "end", "record", "colour"]);

/** renderEdge fills panel with what an edge stands for. */
export function renderEdge(panel, data, ends, open) {
  const attrs = Object.entries(data).filter(([k]) => !EDGE_FIELDS.has(k));
  fill(panel,
    h("h2", {}, data.label || data.type),
    h("p", { class: "meta" },
      entityLink(data.source, ends.source, open), " → ", entityLink(data.target, ends.target, open)),
    data.start ? h("p", { class: "date" }, data.end ? `${data.start} – ${data.end}` : data.start) : null,
    attrs.length ? h("table", { class: "facts" }, h("tbody", {}, attrs.map(([k, v]) =>
      h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, v))))) : null,
    data.record ? h("p", {}, entityLink(data.record, "Open the record", open)) : null,
    h("h3", {}, "Sources"),
    sources(data.sources),
  );
}

/** renderMessage shows a notice, with candidates to choose from. */
export function renderMessage(panel, title, text, candidates = [], open) {
  fill(panel,
    h("h2", {}, title),
    h("p", {}, text),
    candidates.length ? h("ul", { class: "candidates" },
      candidates.map((c) => h("li", {}, entityLink(c.id, c.name, open), ` — ${c.class}`))) : null,
  );
}

/** SEVERITIES are the severities of check findings, most serious first. */
const SEVERITIES = ["error", "warning", "info"];

/** renderFindings fills panel with the findings of `rustbelt check`. */
export function renderFindings(panel, findings, open) {
  const count = (sev) => findings.filter((f) => f.severity === sev).length;
  const summary = SEVERITIES.map((sev) => `${count(sev)} ${sev}${count(sev) === 1 ? "" : "s"}`).join(", ");
  fill(panel,
    h("h2", {}, "Check of the graph"),
    h("p", { class: "meta check-summary" }, summary),
    count("error") === 0 ? h("p", {}, "No figures disagree and no record lacks what it needs.") : null,
    ...SEVERITIES.map((sev) => section(sev === "info" ? "Infos" : `${sev[0].toUpperCase()}${sev.slice(1)}s`, count(sev),
      h("ol", { class: "findings" }, findings.filter((f) => f.severity === sev).map((f) => h("li", { class: `finding ${f.severity}`, "data-rule": f.rule },
        h("div", {},
          h("span", { class: "rule" }, f.rule), " ",
          f.ids.length && !f.ids[0].startsWith("obs/") ? entityLink(f.ids[0], f.subject, open) : h("span", {}, f.subject)),
        h("div", { class: "message" }, f.message),
        sources(f.sources)))))),
  );
}
