// Appointments out of a place and every place inside it. params.place: a name or alias ("Jiangsu", "Zhejiang").
var NS = "https://rustbelt.dev/ns/";
var NAME = "<http://schema.org/name>", ALIAS = "<http://schema.org/alternateName>";
var TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";

var start = g.V().Has(NAME, params.place).Union(g.V().Has(ALIAS, params.place));
var within = start.Union(start.FollowRecursive(g.M().In("<" + NS + "containedIn>")));

within.In("<" + NS + "fromPlace>").Has(TYPE, "<" + NS + "Appointment>").Unique().ForEach(function (a) {
  var one = function (pred) { return g.V(a.id).Out("<" + NS + pred + ">").Out(NAME).ToValue(); };
  g.Emit({
    id: a.id,
    person: one("person"),
    from_post: one("fromPost"),
    from_place: one("fromPlace"),
    to_post: one("toPost"),
    to_place: one("toPlace"),
    date: g.V(a.id).Out("<" + NS + "date>").ToValue(),
    sources: g.V(a.id).Labels().ToArray(),
  });
});
