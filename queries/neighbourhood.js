// Names of everything within two steps of an entity, either direction. params.name: a name ("Cao Lubao").
var NAME = "<http://schema.org/name>";

g.V().Has(NAME, params.name).Both().Both().Unique().Out(NAME).Unique().All();
