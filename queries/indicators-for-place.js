// Figures about a place, the places inside it and the companies based there. params.place: a name; params.indicator (optional): an indicator id such as "gdp-growth".
var NS = "https://rustbelt.dev/ns/", ID = "https://rustbelt.dev/id/";
var NAME = "<http://schema.org/name>", ALIAS = "<http://schema.org/alternateName>";
var TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";

var start = g.V().Has(NAME, params.place).Union(g.V().Has(ALIAS, params.place));
var within = start.Union(start.FollowRecursive(g.M().In("<" + NS + "containedIn>")));
var subjects = within.Union(within.In(["<" + NS + "basedIn>", "<" + NS + "locatedIn>"]));

var obs = subjects.In("<" + NS + "about>").Has(TYPE, "<" + NS + "Observation>");
if (params.indicator) {
  obs = obs.Has("<" + NS + "indicator>", "<" + ID + "indicator/" + params.indicator + ">");
}
obs.Unique().ForEach(function (o) {
  g.Emit({
    id: o.id,
    place: g.V(o.id).Out("<" + NS + "about>").Out(NAME).ToValue(),
    indicator: g.V(o.id).Out("<" + NS + "indicator>").Out(NAME).ToValue(),
    period: g.V(o.id).Out("<" + NS + "period>").ToValue(),
    value: g.V(o.id).Out("<" + NS + "value>").ToValue(),
    unit: g.V(o.id).Out("<" + NS + "unit>").ToValue(),
    sources: g.V(o.id).Labels().ToArray(),
  });
});
