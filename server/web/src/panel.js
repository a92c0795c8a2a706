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

/** citation reads a source as "NewsChina, 2024-12-01: Rust to Riches". */
function citation(src) {
  const who = [src.publisher, src.date].filter(Boolean).join(", ");
  return h("li", { class: "source", title: src.id },
    who ? h("span", { class: "who" }, who + ": ") : null,
    h("cite", {}, src.title || src.id));
}

function sources(list) {
  if (!list || list.length === 0) return h("p", { class: "unsourced" }, "no source");
  return h("ul", { class: "sources" }, list.map(citation));
}

/** entityLink opens another entity's card and graph. */
function entityLink(id, text, open) {
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
