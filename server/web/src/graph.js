// The graph view: Cytoscape with the fCoSE layout, node colour and shape
// by type, labelled edges, and filters that hide dated elements outside a
// range and, on request, the indicator figures.
import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";

cytoscape.use(fcose);

/**
 * Shape and colour of each entity type; the legend lists them in this
 * order. The colours are those of the exports (in the Cytoscape export's
 * data.colour), so that a download looks like the page.
 */
export const TYPES = {
  Person: { color: "#4e79a7", shape: "ellipse" },
  Place: { color: "#59a14f", shape: "round-rectangle" },
  Policy: { color: "#f28e2b", shape: "diamond" },
  Organization: { color: "#b07aa1", shape: "hexagon" },
  Company: { color: "#e15759", shape: "barrel" },
  Post: { color: "#9c755f", shape: "round-tag" },
  Event: { color: "#edc948", shape: "star" },
  Indicator: { color: "#bab0ac", shape: "triangle" },
  Infrastructure: { color: "#76b7b2", shape: "rectangle" },
};
const OTHER = { color: "#d3d3d3", shape: "ellipse" };

/** colourOf is the colour of a type. */
export function colourOf(type) {
  return (TYPES[type] || OTHER).color;
}

function typeStyles() {
  return Object.entries(TYPES).map(([type, t]) => ({
    selector: `node[type = "${type}"]`,
    style: { "background-color": t.color, shape: t.shape },
  }));
}

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "background-color": OTHER.color,
      width: 26,
      height: 26,
      "font-size": 11,
      "font-family": "system-ui, sans-serif",
      color: "#1d1d1d",
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-wrap": "wrap",
      "text-max-width": 130,
      "text-outline-color": "#ffffff",
      "text-outline-width": 2,
      "border-width": 1,
      "border-color": "#ffffff",
    },
  },
  ...typeStyles(),
  { selector: "node[colour]", style: { "background-color": "data(colour)" } },
  { selector: "node.center", style: { width: 40, height: 40, "font-size": 13, "font-weight": "bold", "border-width": 3, "border-color": "#222" } },
  {
    selector: "edge",
    style: {
      label: "data(label)",
      width: 1.5,
      "line-color": "#b5b5b5",
      "target-arrow-color": "#b5b5b5",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.8,
      "curve-style": "bezier",
      "font-size": 9,
      color: "#444",
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": 1,
    },
  },
  {
    selector: 'edge[type = "Appointment"], edge.move',
    style: { width: 3, "line-color": "#d4500f", "target-arrow-color": "#d4500f", color: "#7a2d05", "font-size": 10 },
  },
  {
    selector: "edge.flow",
    style: {
      width: "mapData(count, 1, 10, 3, 14)", "line-color": "#d4500f", "target-arrow-color": "#d4500f",
      "line-opacity": 0.75, color: "#7a2d05", "font-size": 13, "font-weight": "bold",
    },
  },
  { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffb000" } },
  { selector: "edge:selected", style: { width: 5, "line-color": "#ffb000", "target-arrow-color": "#ffb000" } },
  { selector: ".filtered", style: { display: "none" } },
];

/** GraphView draws elements in container and reports taps to onSelect. */
export class GraphView {
  constructor(container, onSelect) {
    this.cy = cytoscape({ container, style: STYLE, wheelSensitivity: 0.3, minZoom: 0.1, maxZoom: 4 });
    this.cy.on("tap", "node, edge", (e) => onSelect(e.target));
    this.filters = {};
  }

  /**
   * show replaces the graph with elements and lays it out: by force, or,
   * with columns, origins left and destinations right.
   */
  show(elements, { center, columns } = {}) {
    this.cy.elements().remove();
    this.cy.add(elements);
    if (center) this.cy.getElementById(center).addClass("center");
    this.columns = columns;
    this.filter(this.filters);
  }

  /**
   * layout places the nodes shown; the hidden ones wait until a filter
   * shows them, so that they leave no holes in the picture.
   */
  layout() {
    const cy = this.cy;
    const shown = cy.elements(":visible");
    const layout = shown.layout(this.columns ? { name: "preset", positions: columnPositions(cy) } : {
      name: "fcose",
      quality: "proof",
      animate: false,
      randomize: true,
      nodeDimensionsIncludeLabels: true,
      idealEdgeLength: (edge) => (edge.data("type") === "Appointment" ? 120 : 90),
      nodeRepulsion: 15000,
      edgeElasticity: 0.35,
      nodeSeparation: 80,
      numIter: 5000,
      relativePlacementConstraint: moveConstraints(shown),
    });
    withSeededRandom(() => layout.run());
    shown.nodes().scratch("placed", true);
    cy.fit(shown, 40);
  }


  /** select marks one element as chosen. */
  select(id) {
    this.cy.elements().unselect();
    this.cy.getElementById(id).select();
  }

  /**
   * filter hides the dated elements outside [since, until] (years or dates
   * as the vocabulary writes them), the figures (indicators and the edges
   * that carry their values) unless figures is set, and the nodes left
   * with no link shown. Undated elements stay: a person has no date.
   */
  filter(filters) {
    // Showing or hiding the figures changes the picture enough to lay it out again.
    const refigure = Boolean(filters.figures) !== Boolean(this.filters.figures);
    this.filters = filters;
    const { since, until, figures } = filters;
    const cy = this.cy;
    cy.batch(() => {
      cy.elements().removeClass("filtered");
      cy.elements().forEach((el) => {
        const start = el.data("start");
        const end = el.data("end") || start;
        // A partial date stands for its whole period: "2023" ends after "2023-10".
        const outOfRange = start && ((since && end + "~" < since) || (until && start > until + "~"));
        const figure = el.data("type") === "Indicator" || el.data("type") === "Observation";
        if (outOfRange || (figure && !figures && !el.hasClass("center"))) el.addClass("filtered");
      });
      cy.nodes(".filtered").connectedEdges().addClass("filtered");
      // A node all of whose links are hidden goes too: nothing shown explains it.
      cy.nodes().not(".center").forEach((n) => {
        const links = n.connectedEdges();
        if (links.length && links.every((e) => e.hasClass("filtered"))) n.addClass("filtered");
      });
    });
    if (refigure || cy.nodes(":visible").some((n) => !n.scratch("placed"))) this.layout();
  }

  /** counts says how many nodes and edges are shown and how many hidden. */
  counts() {
    const cy = this.cy;
    return {
      nodes: cy.nodes(":visible").length,
      edges: cy.edges(":visible").length,
      hidden: cy.elements(".filtered").length,
      total: cy.elements().length,
    };
  }

  /** png is the drawing as a PNG blob URL, for a download. */
  png() {
    return this.cy.png({ full: true, scale: 2, bg: "#ffffff" });
  }
}

/**
 * columnPositions puts the nodes that edges leave in a left column and the
 * nodes they reach in a right one, each ordered by the mean place of its
 * partners (the barycentre heuristic), so that few arrows cross.
 */
function columnPositions(cy) {
  const right = cy.nodes().filter((n) => n.indegree(false) > 0);
  const left = cy.nodes().not(right);
  const rank = new Map();
  const order = (nodes, partners) => {
    const mean = (n) => {
      const idx = partners(n).map((p) => rank.get(p.id()) ?? 0);
      return idx.length ? idx.reduce((a, b) => a + b, 0) / idx.length : 0;
    };
    const sorted = nodes.toArray().sort((a, b) => mean(a) - mean(b) || a.data("label").localeCompare(b.data("label")));
    sorted.forEach((n, i) => rank.set(n.id(), i));
    return sorted;
  };
  right.toArray().sort((a, b) => a.data("label").localeCompare(b.data("label"))).forEach((n, i) => rank.set(n.id(), i));
  const lefts = order(left, (n) => n.outgoers("node"));
  const rights = order(right, (n) => n.incomers("node"));
  const gap = 70;
  const pos = {};
  const place = (nodes, x) => nodes.forEach((n, i) => { pos[n.id()] = { x, y: (i - (nodes.length - 1) / 2) * gap }; });
  place(lefts, 0);
  place(rights, 560);
  return (n) => pos[n.id()];
}

/**
 * withSeededRandom runs fn with Math.random drawing from a fixed seed, so
 * that the force layout, which starts from random places, draws the same
 * graph the same way every time: a view shared or reloaded looks the same.
 */
function withSeededRandom(fn) {
  const random = Math.random;
  let state = 0x2f6b3a1d;
  // mulberry32: a small, well-mixed 32-bit generator.
  Math.random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  try {
    fn();
  } finally {
    Math.random = random;
  }
}

/**
 * moveConstraints keep each move reading from left to right: the place
 * left, the person, the place reached. A constraint that would contradict
 * the others (someone moving back) is left out.
 */
function moveConstraints(eles) {
  const right = new Map(); // node id -> ids placed to its right
  const reaches = (from, to, seen = new Set()) => {
    if (from === to) return true;
    seen.add(from);
    return [...(right.get(from) || [])].some((n) => !seen.has(n) && reaches(n, to, seen));
  };
  const out = [];
  eles.edges('[type = "Appointment"], [type = "Relocation"]').forEach((e) => {
    const a = e.source().id();
    const b = e.target().id();
    if (reaches(b, a)) return;
    if (!right.has(a)) right.set(a, new Set());
    right.get(a).add(b);
    out.push({ left: a, right: b, gap: 120 });
  });
  return out;
}
