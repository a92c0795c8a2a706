// Policies aimed at a place or at any place containing it. params.place: a name or alias ("Harbin").
var NS = "https://rustbelt.dev/ns/";
var NAME = "<http://schema.org/name>", ALIAS = "<http://schema.org/alternateName>";
var TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";

// The place, then every place that contains it, walking containedIn upwards.
var start = g.V().Has(NAME, params.place).Union(g.V().Has(ALIAS, params.place));
var affected = start.Union(start.FollowRecursive("<" + NS + "containedIn>"));

affected.In("<" + NS + "targets>").Has(TYPE, "<" + NS + "Policy>").Unique().ForEach(function (p) {
  g.Emit({
    id: p.id,
    policy: g.V(p.id).Out(NAME).ToValue(),
    date: g.V(p.id).Out("<" + NS + "date>").ToValue(),
    issuer: g.V(p.id).Out("<" + NS + "issuer>").Out(NAME).ToArray(),
    targets: g.V(p.id).Out("<" + NS + "targets>").Out(NAME).ToArray(),
    sources: g.V(p.id).Labels().ToArray(),
  });
});
