package sheet

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"
	"go.yaml.in/yaml/v3"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
)

// refParts are what a reference says: a name, and where the name alone
// does not tell, the kind meant (a place's kind or a class: province,
// company) or an id; and the reasoning when the link is inferred.
type refParts struct {
	name, kind, id, reason string
}

func readRef(n *yaml.Node) refParts {
	if n.Kind == yaml.MappingNode {
		return refParts{name: mapValue(n, "name"), kind: mapValue(n, "kind"), id: mapValue(n, idKey), reason: mapValue(n, inferredKey)}
	}
	return refParts{name: strings.TrimSpace(n.Value)}
}

// ref resolves one reference of an entry's key: the entity it names, and
// the label of the link (the entry's, or an inference's).
func (sc *sheetCompiler) ref(e *entry, f field, n *yaml.Node, label quad.IRI) (quad.IRI, quad.IRI, bool) {
	r := readRef(n)
	if r.reason != "" {
		label = sc.inference(r.reason, n)
	}
	iri, ok := sc.lookup(f, n, r, label)
	return sc.resolvedTo(e, f, n, r, iri, ok), label, ok
}

// resolvedTo notes what a reference resolved to, or that it failed.
func (sc *sheetCompiler) resolvedTo(e *entry, f field, n *yaml.Node, r refParts, iri quad.IRI, ok bool) quad.IRI {
	if !ok {
		sc.markFailed(e, f.key)
		return ""
	}
	sc.resolved[n] = iri
	if _, named := sc.names[iri]; !named {
		sc.names[iri] = cmp.Or(r.name, r.id)
	}
	return iri
}

// lookup finds the entity a reference names among those the view holds and
// those the sheet made for new names. A name that fits nothing is a new
// entity, unless it is close to a name the graph has (a misspelling, most
// likely) or names a place (which needs a kind and a place it is in).
func (sc *sheetCompiler) lookup(f field, n *yaml.Node, r refParts, label quad.IRI) (quad.IRI, bool) {
	what := classNames(f.classes)
	if r.id != "" {
		return sc.byID(f, n, r)
	}
	for _, c := range f.classes {
		if iri, ok := sc.implicit[implicitKey(c, r.name)]; ok {
			return iri, true
		}
	}
	ents := sc.matches(r.name)
	if sc.err != nil {
		return "", false
	}
	if len(ents) == 0 {
		return sc.newName(f, n, r, label)
	}
	fit := slices.DeleteFunc(slices.Clone(ents), func(ent graph.Entity) bool { return !ofClass(ent, f.classes) })
	if len(fit) == 0 {
		sc.addf(n, "%s: %q is not a %s: it names %s", f.key, r.name, what, sc.describe(ents))
		return "", false
	}
	if r.kind != "" {
		if fit = sc.ofKind(fit, r.kind); len(fit) == 0 {
			sc.addf(n, "%s: no %s named %q is a %s; the name fits %s", f.key, what, r.name, r.kind, sc.describe(ents))
			return "", false
		}
	}
	if len(fit) > 1 {
		sc.addf(n, "%s: %q fits %s; say which, as in %s", f.key, r.name, sc.describe(fit), sc.disambiguation(r.name, fit))
		return "", false
	}
	return schema.ID(fit[0].ID), true
}

// byID checks a reference written with an id.
func (sc *sheetCompiler) byID(f field, n *yaml.Node, r refParts) (quad.IRI, bool) {
	if !strings.Contains(r.id, "/") {
		sc.addf(n, "%s: an id in a reference starts with its kind of entity, as in place/jilin-city", f.key)
		return "", false
	}
	iri := sc.normID(n, r.id, "")
	classes := sc.classesOf(iri)
	switch {
	case len(classes) == 0:
		sc.addf(n, "%s: nothing has the id %s", f.key, r.id)
	case !slices.ContainsFunc(classes, func(c schema.Class) bool { return slices.Contains(f.classes, c) }):
		sc.addf(n, "%s: %s is a %s, not a %s", f.key, r.id, classNames(classes), classNames(f.classes))
	case r.name != "" && !slices.ContainsFunc(sc.matches(r.name), func(ent graph.Entity) bool { return schema.ID(ent.ID) == iri }):
		sc.addf(n, "%s: %s is not named %q", f.key, r.id, r.name)
	default:
		return iri, true
	}
	return "", false
}

// disambiguation shows how to name one of several entities that share a
// name: by kind where their kinds differ, else by id.
func (sc *sheetCompiler) disambiguation(name string, ents []graph.Entity) string {
	kinds := map[string]bool{}
	for _, e := range ents {
		kinds[sc.kindOf(e)] = true
	}
	if len(kinds) == len(ents) {
		return fmt.Sprintf("{name: %s, kind: %s}", name, sc.kindOf(ents[0]))
	}
	return fmt.Sprintf("{name: %s, id: %s}", name, ents[0].ID)
}

// newName makes the entity a name that fits nothing stands for: of the
// first class the key takes, with that name and nothing else.
func (sc *sheetCompiler) newName(f field, n *yaml.Node, r refParts, label quad.IRI) (quad.IRI, bool) {
	class := f.classes[0]
	if close := sc.suggestions(r.name, f.classes...); len(close) > 0 {
		sc.addf(n, "%s: no %s is named %q; did you mean %s? If it is a new one, list it under %s:",
			f.key, classNames(f.classes), r.name, quoteNames(close), sectionOf(class).key)
		return "", false
	}
	if class == schema.Place {
		sc.addf(n, "%s: no place is named %q: list it under places:, with its kind and the place it is in", f.key, r.name)
		return "", false
	}
	iri := sc.makeEntity(class, r.name, n, label)
	sc.implicit[implicitKey(class, r.name)] = iri
	return iri, true
}

// makeEntity writes a new entity of class with a name.
func (sc *sheetCompiler) makeEntity(class schema.Class, name string, n *yaml.Node, label quad.IRI) quad.IRI {
	iri := sc.newID(sectionOf(class).idBase + slug(name))
	sc.add(quad.Quad{Subject: iri, Predicate: schema.Type, Object: class.IRI(), Label: label}, n)
	sc.add(quad.Quad{Subject: iri, Predicate: schema.Name, Object: quad.String(name), Label: label}, n)
	sc.names[iri] = name
	sc.made[iri] = class
	return iri
}

// postValues resolves the posts of an appointment's key (from_post,
// to_post): a post is found by name, among those of the key's place when
// several share it, or made new in that place. Post names are formulaic
// ("Party secretary of …"), so a new one is never taken for a misspelling.
func (sc *sheetCompiler) postValues(e *entry, f field, label quad.IRI, places []value) []value {
	var at []quad.IRI
	for _, p := range places {
		at = append(at, p.obj.(quad.IRI))
	}
	var out []value
	for _, n := range items(e.vals[f.key]) {
		r := readRef(n)
		l := label
		if r.reason != "" {
			l = sc.inference(r.reason, n)
		}
		iri, ok := sc.post(e, f, n, r, at, l)
		if iri = sc.resolvedTo(e, f, n, r, iri, ok); ok {
			out = append(out, value{pred: f.pred, obj: iri, node: n, label: l})
		}
	}
	return out
}

func (sc *sheetCompiler) post(e *entry, f field, n *yaml.Node, r refParts, at []quad.IRI, label quad.IRI) (quad.IRI, bool) {
	if r.id != "" {
		return sc.byID(f, n, r)
	}
	key := implicitKey(schema.Post, r.name) + fmt.Sprint(at)
	if iri, ok := sc.implicit[key]; ok {
		return iri, true
	}
	ents := sc.matches(r.name, schema.Post)
	if len(ents) > 1 {
		ents = slices.DeleteFunc(ents, func(ent graph.Entity) bool {
			return !slices.ContainsFunc(sc.objects(schema.ID(ent.ID), schema.PostPlace), func(p quad.Value) bool {
				iri, _ := p.(quad.IRI)
				return slices.Contains(at, iri)
			})
		})
	}
	placeKey := strings.Replace(f.key, "post", "place", 1)
	switch {
	case len(ents) == 1:
		return schema.ID(ents[0].ID), true
	case len(ents) > 1:
		sc.addf(n, "%s: %q fits %s in %s; say which, as in {name: %s, id: %s}", f.key, r.name, sc.describe(ents), placeKey, r.name, ents[0].ID)
		return "", false
	case len(at) != 1 && sc.reported(e, placeKey):
		return "", false // the place's own problem says why
	case len(at) != 1:
		sc.addf(n, "%s: %q is a new post: give the one %s it sits in, or list it under posts: with its place", f.key, r.name, placeKey)
		return "", false
	}
	iri := sc.makeEntity(schema.Post, r.name, n, label)
	sc.add(quad.Quad{Subject: iri, Predicate: schema.PostPlace, Object: at[0], Label: label}, n)
	sc.implicit[key] = iri
	return iri, true
}

// objects are what node points at with pred, in the view and in what the
// sheet has written so far.
func (sc *sheetCompiler) objects(node quad.IRI, pred quad.IRI) []quad.Value {
	vals, err := sc.view.Linked(sc.ctx, node, pred, quad.Subject, quad.Object)
	if err != nil {
		sc.fail(err)
	}
	for _, q := range sc.out {
		if q.Subject == node && q.Predicate == pred {
			vals = append(vals, q.Object)
		}
	}
	return vals
}

func implicitKey(class schema.Class, name string) string {
	return string(class) + "\x00" + strings.ToLower(strings.TrimSpace(name))
}

func ofClass(ent graph.Entity, classes []schema.Class) bool {
	return slices.ContainsFunc(classes, func(c schema.Class) bool { return c.Short() == ent.Class })
}

// quoteNames lists entities for a "did you mean": "Meihekou" (place/meihekou).
func quoteNames(ents []graph.Entity) string {
	parts := make([]string, len(ents))
	for i, e := range ents {
		parts[i] = fmt.Sprintf("%q (%s)", e.Name, e.ID)
	}
	return strings.Join(parts, ", ")
}
