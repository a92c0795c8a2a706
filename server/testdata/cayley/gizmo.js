// The Gizmo queries of Cayley v0.7.7's own test suite (query/gizmo), written
// out for rustbelt's comparison with stock Cayley (server/cayley_test.go).
// A block starts with a line "// == NAME" and runs to the next one. Every
// query runs on Cayley's data/testdata.nq and data/testdata_multigraph.nq;
// expected-*.json hold stock Cayley's answers.

// == get a single vertex
g.V("<alice>").all()

// == get a single vertex (legacy All)
g.V("<alice>").All()

// == use getLimit
g.V().getLimit(5)

// == get a single vertex (IRI)
g.V(iri("alice")).all()

// == use out
g.V("<alice>").out("<follows>").all()

// == use out (IRI)
g.V(iri("alice")).out(iri("follows")).all()

// == use out (any)
g.V("<bob>").out().all()

// == use in
g.V("<bob>").in("<follows>").all()

// == use in (any)
g.V("<bob>").in().all()

// == use in with filter
g.V("<bob>").in("<follows>").filter(gt(iri("c")),lt(iri("d"))).all()

// == use in with filter(regex)
g.V("<bob>").in("<follows>").filter(regex("ar?li.*e")).all()

// == use in with filter(prefix)
g.V("<bob>").in("<follows>").filter(like("al%")).all()

// == use in with filter(wildcard)
g.V("<bob>").in("<follows>").filter(like("a?i%e")).all()

// == use in with filter(regex with IRIs)
g.V("<bob>").in("<follows>").filter(regex("ar?li.*e", true)).all()

// == use in with filter(regex of an IRI), an error
g.V("<bob>").in("<follows>").filter(regex(iri("ar?li.*e"))).all()

// == use in with filter(regex, gt)
g.V("<bob>").in("<follows>").filter(regex("ar?li.*e", true),gt(iri("c"))).all()

// == filter with a wrong type, an error
g.V().filter(/<alice>/).all()

// == use both
g.V("<fred>").both("<follows>").all()

// == use both with tag
g.V("<fred>").both(null, "pred").all()

// == use tag-is-back
g.V("<bob>").in("<follows>").tag("foo").out("<status>").is("cool_person").back("foo").all()

// == separate tag-is-back
x = g.V("<charlie>").out("<follows>").tag("foo").out("<status>").is("cool_person").back("foo")
x.in("<follows>").is("<dani>").back("foo").all()

// == do multiple back
g.V("<emily>").out("<follows>").as("f").out("<follows>").out("<status>").is("cool_person").back("f").in("<follows>").in("<follows>").as("acd").out("<status>").is("cool_person").back("f").all()

// == use except to filter out a single vertex
g.V("<alice>", "<bob>").except(g.V("<alice>")).all()

// == use chained except
g.V("<alice>", "<bob>", "<charlie>").except(g.V("<bob>")).except(g.V("<charlie>")).all()

// == use unique
g.V("<alice>", "<bob>", "<charlie>").out("<follows>").unique().all()

// == show simple morphism
grandfollows = g.M().out("<follows>").out("<follows>")
g.V("<charlie>").follow(grandfollows).all()

// == show reverse morphism
grandfollows = g.M().out("<follows>").out("<follows>")
g.V("<fred>").followR(grandfollows).all()

// == show simple intersection
function follows(x) { return g.V(x).out("<follows>") }
follows("<dani>").and(follows("<charlie>")).all()

// == show simple morphism intersection
grandfollows = g.M().out("<follows>").out("<follows>")
function gfollows(x) { return g.V(x).follow(grandfollows) }
gfollows("<alice>").and(gfollows("<charlie>")).all()

// == show double morphism intersection
grandfollows = g.M().out("<follows>").out("<follows>")
function gfollows(x) { return g.V(x).follow(grandfollows) }
gfollows("<emily>").and(gfollows("<charlie>")).and(gfollows("<bob>")).all()

// == show reverse intersection
grandfollows = g.M().out("<follows>").out("<follows>")
g.V("<greg>").followR(grandfollows).intersect(g.V("<fred>").followR(grandfollows)).all()

// == show standard sort of morphism intersection, continue follow
gfollowers = g.M().in("<follows>").in("<follows>")
function cool(x) { return g.V(x).as("a").out("<status>").is("cool_person").back("a") }
cool("<greg>").follow(gfollowers).intersect(cool("<bob>").follow(gfollowers)).all()

// == use or
g.V("<bob>").out("<follows>").or(g.V().has("<status>", "cool_person")).all()

// == show a simple has
g.V().has("<status>", "cool_person").all()

// == show a simple hasR
g.V().hasR("<status>", "<bob>").all()

// == show a double has
g.V().has("<status>", "cool_person").has("<follows>", "<fred>").all()

// == show a has with filter
g.V().has("<follows>", gt("<f>")).all()

// == use limit
g.V().has("<status>", "cool_person").limit(2).all()

// == use skip
g.V().has("<status>", "cool_person").skip(2).all()

// == use skip and limit
g.V().has("<status>", "cool_person").skip(1).limit(1).all()

// == show count
g.V().has("<status>").count()

// == use count value
g.emit(g.V().has("<status>").count()+1)

// == show a simple save
g.V().save("<status>", "somecool").all()

// == show a simple save optional
g.V("<bob>","<charlie>").out("<follows>").saveOpt("<status>", "somecool").all()

// == save iri no tag
g.V().save(g.IRI("status")).all()

// == show a simple saveR
g.V("cool_person").saveR("<status>", "who").all()

// == show an out save
g.V("<dani>").out(null, "pred").all()

// == show a tag list
g.V("<dani>").out(null, ["pred", "foo", "bar"]).all()

// == show a pred list
g.V("<dani>").out(["<follows>", "<status>"]).all()

// == show a predicate path
g.V("<dani>").out(g.V("<follows>"), "pred").all()

// == list all bob's incoming predicates
g.V("<bob>").inPredicates().all()

// == save all bob's incoming predicates
g.V("<bob>").saveInPredicates("pred").all()

// == list all labels
g.V().labels().all()

// == list all in predicates
g.V().inPredicates().all()

// == list all out predicates
g.V().outPredicates().all()

// == traverse using labelContext
g.V("<greg>").labelContext("<smart_graph>").out("<status>").all()

// == open and close a labelContext
g.V().labelContext("<smart_graph>").in("<status>").labelContext(null).in("<follows>").all()

// == issue 254, an error
g.V({"id":"<alice>"}).all()

// == roundtrip values
v = g.V("<bob>").toValue()
s = g.V(v).out("<status>").toValue()
g.V(s).all()

// == roundtrip values (tag map)
v = g.V("<bob>").tagValue()
s = g.V(v.id).out("<status>").tagValue()
g.V(s.id).all()

// == show toArray
arr = g.V("<bob>").in("<follows>").toArray()
for (i in arr) g.emit(arr[i]);

// == show toArray with limit
arr = g.V("<bob>").in("<follows>").toArray(2)
for (i in arr) g.emit(arr[i]);

// == show forEach
g.V("<bob>").in("<follows>").forEach(function(o){g.emit(o.id)});

// == show forEach with limit
g.V("<bob>").in("<follows>").forEach(2, function(o){g.emit(o.id)});

// == clone paths
var alice = g.V('<alice>')
g.emit(alice.toValue())
var out = alice.out('<follows>')
g.emit(out.toValue())
g.emit(alice.toValue())

// == default namespaces
g.addDefaultNamespaces()
g.emit(g.IRI('rdf:type'))

// == add namespace
g.addNamespace('ex','http://example.net/')
g.emit(g.IRI('ex:alice'))

// == recursive follow
g.V("<charlie>").followRecursive("<follows>").all();

// == recursive follow tag
g.V("<charlie>").followRecursive("<follows>", "depth").all();

// == recursive follow path
g.V("<charlie>").followRecursive(g.V().out("<follows>")).all();

// == find non-existent
g.V('<not-existing>').forEach(function(d){ g.emit(d); })

// == saveOpt respects labelContext (issue 758)
g.V("<greg>").labelContext("<smart_graph>").saveOpt("<status>", "statusTag").all()

// == saveR respects labelContext (issue 758)
g.V("smart_person").labelContext("<other_graph>").saveR("<status>", "who").all()

// == use order
g.V().order().all()

// == use order tags
g.V().Tag("target").order().all()
