package graph

import (
	"context"
	"iter"
	"slices"
	"strings"
	"sync"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// placeTree is the containment graph (rb:containedIn), read once per store
// version and then shared, unchanged, by every request of that version. A
// place may have several parents (Daqing lies in Heilongjiang and in the
// Northeast), so it is a DAG rather than a tree. Parents and children are
// sorted by id, so that every walk over the tree is the same walk.
type placeTree struct {
	parents  map[quad.IRI][]quad.IRI
	children map[quad.IRI][]quad.IRI

	mu     sync.Mutex // guards within
	within map[quad.IRI]*nodeSet
}

// places returns the containment graph, building it on first use.
func (g *Graph) places(r *reader) (*placeTree, error) {
	r.shared.mu.Lock()
	defer r.shared.mu.Unlock()
	if r.shared.places != nil {
		return r.shared.places, nil
	}
	t := &placeTree{parents: map[quad.IRI][]quad.IRI{}, children: map[quad.IRI][]quad.IRI{}, within: map[quad.IRI]*nodeSet{}}
	// The places, then each one's parents, through the indexes: no backend
	// here indexes quads by predicate first, so asking for every
	// rb:containedIn quad would read the whole store. Their records are
	// read in one batch (their names are wanted next anyway): one read per
	// place was a second of round trips on PostgreSQL at 1M quads.
	places, err := r.all(schema.Place)
	if err != nil {
		return nil, err
	}
	if err := r.outOfEach(places); err != nil {
		return nil, err
	}
	for _, child := range places {
		p, err := r.out(child)
		if err != nil {
			return nil, err
		}
		for _, parent := range p.refs(schema.ContainedIn) {
			t.parents[child] = append(t.parents[child], parent)
			t.children[parent] = append(t.children[parent], child)
		}
	}
	for _, m := range []map[quad.IRI][]quad.IRI{t.parents, t.children} {
		for _, list := range m {
			slices.Sort(list)
		}
	}
	r.shared.places = t
	return t, nil
}

// Within returns place and every place it contains, at any depth. The set
// is kept for the places that contain others, and shared: it cannot be
// changed.
func (t *placeTree) Within(place quad.IRI) *nodeSet {
	if len(t.children[place]) == 0 {
		// Not kept: the argument may be any id a request names.
		return newNodeSet([]quad.IRI{place})
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if w, ok := t.within[place]; ok {
		return w
	}
	seen := map[quad.IRI]bool{place: true}
	queue := []quad.IRI{place}
	for i := 0; i < len(queue); i++ {
		for _, c := range t.children[queue[i]] {
			if !seen[c] {
				seen[c] = true
				queue = append(queue, c)
			}
		}
	}
	w := newNodeSet(queue)
	t.within[place] = w
	return w
}

// Ancestors returns, for place and every place containing it, the shortest
// containment chain from place up to that ancestor (place first). Among
// chains of one length it takes the one whose ids sort first, read from
// place upward: a breadth-first walk over parents sorted by id finds that
// one first.
func (t *placeTree) Ancestors(place quad.IRI) map[quad.IRI][]quad.IRI {
	paths := map[quad.IRI][]quad.IRI{place: {place}}
	queue := []quad.IRI{place}
	for i := 0; i < len(queue); i++ {
		p := queue[i]
		for _, parent := range t.parents[p] {
			if _, seen := paths[parent]; seen {
				continue
			}
			paths[parent] = append(slices.Clip(paths[p]), parent)
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
	w := t.Within(schema.ID(id))
	out := make([]Entity, 0, w.len())
	for p := range w.all() {
		out = append(out, r.entity(p))
	}
	slices.SortStableFunc(out, func(a, b Entity) int { return strings.Compare(a.ID, b.ID) })
	if err := r.check(); err != nil {
		return nil, err
	}
	return out, nil
}

// nodeSet is a set of nodes that walks its members in id order, so that
// what is built from it comes out in one order. It cannot be changed once
// made, so that sets kept in a shared cache can be handed to every request.
type nodeSet struct {
	members map[quad.IRI]struct{}
	sorted  []quad.IRI
}

// newNodeSet makes the set of nodes, which may repeat.
func newNodeSet(nodes []quad.IRI) *nodeSet {
	s := &nodeSet{members: make(map[quad.IRI]struct{}, len(nodes))}
	for _, n := range nodes {
		if _, ok := s.members[n]; !ok {
			s.members[n] = struct{}{}
			s.sorted = append(s.sorted, n)
		}
	}
	slices.Sort(s.sorted)
	return s
}

// has reports whether n is in the set.
func (s *nodeSet) has(n quad.IRI) bool {
	_, ok := s.members[n]
	return ok
}

// hasAny reports whether any of nodes is in the set.
func (s *nodeSet) hasAny(nodes []quad.IRI) bool {
	return slices.ContainsFunc(nodes, s.has)
}

// all walks the members in id order.
func (s *nodeSet) all() iter.Seq[quad.IRI] { return slices.Values(s.sorted) }

func (s *nodeSet) len() int { return len(s.sorted) }

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
