// Investments into a place and every place inside it. params.place: a name or alias ("Shenyang", "Liaoning").
var NS = "https://rustbelt.dev/ns/";
var NAME = "<http://schema.org/name>", ALIAS = "<http://schema.org/alternateName>";
var TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";

var start = g.V().Has(NAME, params.place).Union(g.V().Has(ALIAS, params.place));
var within = start.Union(start.FollowRecursive(g.M().In("<" + NS + "containedIn>")));

within.In("<" + NS + "place>").Has(TYPE, "<" + NS + "Investment>").Unique().ForEach(function (i) {
  g.Emit({
    id: i.id,
    company: g.V(i.id).Out("<" + NS + "investor>").Out(NAME).ToValue(),
    place: g.V(i.id).Out("<" + NS + "place>").Out(NAME).ToValue(),
    amount: g.V(i.id).Out("<" + NS + "amount>").ToValue(),
    currency: g.V(i.id).Out("<" + NS + "currency>").ToValue(),
    sources: g.V(i.id).Labels().ToArray(),
  });
});
