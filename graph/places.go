package graph

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// placeTree is the containment graph (rb:containedIn), read once per store
// version. A place may have several parents (Daqing lies in Heilongjiang and
// in the Northeast), so it is a DAG rather than a tree.
type placeTree struct {
	parents  map[quad.IRI][]quad.IRI
	children map[quad.IRI][]quad.IRI

	mu     sync.Mutex                     // guards within: every request of a generation shares the tree
	within map[quad.IRI]map[quad.IRI]bool // memoized Within answers; callers must not change them
}

// places returns the containment graph, building it on first use.
func (g *Graph) places(r *reader) (*placeTree, error) {
	r.shared.mu.Lock()
	defer r.shared.mu.Unlock()
	if r.shared.places != nil {
		return r.shared.places, nil
	}
	t := &placeTree{parents: map[quad.IRI][]quad.IRI{}, children: map[quad.IRI][]quad.IRI{}, within: map[quad.IRI]map[quad.IRI]bool{}}
	// The places, then each one's parents, through the indexes: no backend
	// here indexes quads by predicate first, so asking for every
	// rb:containedIn quad would read the whole store.
	places, err := r.all(schema.Place)
	if err != nil {
		return nil, err
	}
	for _, child := range places {
		parents, err := r.objects(child, schema.ContainedIn)
		if err != nil {
			return nil, err
		}
		for _, parent := range parents {
			t.parents[child] = append(t.parents[child], parent)
			t.children[parent] = append(t.children[parent], child)
		}
	}
	r.shared.places = t
	return t, nil
}

// Within returns place and every place it contains, at any depth.
func (t *placeTree) Within(place quad.IRI) map[quad.IRI]bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if w, ok := t.within[place]; ok {
		return w
	}
	w := map[quad.IRI]bool{place: true}
	queue := []quad.IRI{place}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range t.children[p] {
			if !w[c] {
				w[c] = true
				queue = append(queue, c)
			}
		}
	}
	t.within[place] = w
	return w
}

// Ancestors returns, for place and every place containing it, the shortest
// containment chain from place up to that ancestor (place first).
func (t *placeTree) Ancestors(place quad.IRI) map[quad.IRI][]quad.IRI {
	paths := map[quad.IRI][]quad.IRI{place: {place}}
	queue := []quad.IRI{place}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, parent := range t.parents[p] {
			if _, seen := paths[parent]; seen {
				continue
			}
			chain := append(append([]quad.IRI(nil), paths[p]...), parent)
			paths[parent] = chain
			queue = append(queue, parent)
		}
	}
	return paths
}

// contains reports whether outer contains inner (or is it).
func (t *placeTree) contains(outer, inner quad.IRI) bool {
	_, ok := t.Ancestors(inner)[outer]
	return ok
}

// Within returns the place named by id (a short or full IRI) and all the
// places inside it, sorted by id. It is the one containment walk every
// command uses.
func (g *Graph) Within(ctx context.Context, id string) ([]Entity, error) {
	r, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	t, err := g.places(r)
	if err != nil {
		return nil, err
	}
	var out []Entity
	for p := range t.Within(schema.ID(id)) {
		out = append(out, r.entity(p))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// chainText renders a containment chain as "Harbin ⊂ Heilongjiang ⊂ Northeast".
func (r *reader) chainText(chain []quad.IRI) string {
	return strings.Join(r.names(chain), " ⊂ ")
}

// placeKindRank orders place kinds from broadest to narrowest, to choose
// between places that share a name (Jilin province, Jilin city).
var placeKindRank = map[string]int{
	"country": 0, "region": 1, "province": 2, "municipality": 2, "autonomous region": 2,
	"city": 3, "county-level city": 4, "district": 5, "county": 5,
}
