// Names of everything within two steps of an entity, either direction. params.name: a name ("Cao Lubao").
var NAME = "<http://schema.org/name>";

// Cayley's bolt store fails on Both() from nothing, so an unknown name stops here.
var start = g.V().Has(NAME, params.name);
if (start.Count() > 0) {
  start.Both().Both().Unique().Out(NAME).Unique().All();
}
