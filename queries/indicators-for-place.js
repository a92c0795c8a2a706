// Figures about a place, the places inside it and the companies based there. params.place: a name; params.indicator (optional): an indicator id such as "gdp-growth".
var NS = "https://rustbelt.dev/ns/", ID = "https://rustbelt.dev/id/";
var NAME = "<http://schema.org/name>", ALIAS = "<http://schema.org/alternateName>";
var TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";

var start = g.V().Has(NAME, params.place).Union(g.V().Has(ALIAS, params.place));
var within = start.Union(start.FollowRecursive(g.M().In("<" + NS + "containedIn>")));
var located = ["<" + NS + "basedIn>", "<" + NS + "locatedIn>"];
var inside = {};
within.Unique().ForEach(function (p) { inside[p.id] = true; });
// A company or facility counts for the place only when everything it is
// based or located in lies inside the place (a rail corridor through two
// provinces is neither province's).
var subjects = Object.keys(inside);
within.In(located).Unique().ForEach(function (c) {
  if (g.V(c.id).Out(located).ToArray().every(function (p) { return inside[p]; })) {
    subjects.push(c.id);
  }
});

var seen = {};
subjects.forEach(function (subject) {
  var obs = g.V(subject).In("<" + NS + "about>").Has(TYPE, "<" + NS + "Observation>");
  if (params.indicator) {
    obs = obs.Has("<" + NS + "indicator>", "<" + ID + "indicator/" + params.indicator + ">");
  }
  obs.ForEach(function (o) {
    if (seen[o.id]) {
      return;
    }
    seen[o.id] = true;
    emit(o);
  });
});

function emit(o) {
  g.Emit({
    id: o.id,
    place: g.V(o.id).Out("<" + NS + "about>").Out(NAME).ToValue(),
    indicator: g.V(o.id).Out("<" + NS + "indicator>").Out(NAME).ToValue(),
    period: g.V(o.id).Out("<" + NS + "period>").ToValue(),
    value: g.V(o.id).Out("<" + NS + "value>").ToValue(),
    unit: g.V(o.id).Out("<" + NS + "unit>").ToValue(),
    sources: g.V(o.id).Labels().ToArray(),
  });
}
