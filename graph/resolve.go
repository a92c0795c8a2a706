package graph

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// Resolution is the entity a name resolved to. When the name fitted several
// entities and a rule chose one, Others lists the rest and Reason says why.
type Resolution struct {
	Entity
	Others []Entity `json:"others,omitempty"`
	Reason string   `json:"reason,omitempty"`
}

// nameIndex maps lower-cased names and aliases to the nodes that bear them.
type nameIndex struct {
	byName map[string][]quad.IRI
	names  []string // the distinct lower-cased names, sorted
}

// maxNameLen bounds a name argument: nothing in the graph is that long.
const maxNameLen = 500

// Resolve finds the entity a user means by name: an id (place/jilin or a full
// IRI), a name or an alias, in any letter case. With classes given, only
// entities of those classes count. A name that fits several places resolves
// to the broadest of them; other ties are an Ambiguous error listing the
// candidates, and a name that fits nothing is a NotFound error with the
// closest names.
func (g *Graph) Resolve(ctx context.Context, name string, classes ...schema.Class) (Resolution, error) {
	r, err := g.read(ctx)
	if err != nil {
		return Resolution{}, err
	}
	return g.resolve(r, name, classes...)
}

func (g *Graph) resolve(r *reader, name string, classes ...schema.Class) (Resolution, error) {
	res, err := g.resolveName(r, name, classes...)
	if rerr := r.check(); rerr != nil {
		// A read that failed midway leaves names unread: the answer, or the
		// "not found" or "ambiguous" error, would be built from that.
		return Resolution{}, rerr
	}
	return res, err
}

func (g *Graph) resolveName(r *reader, name string, classes ...schema.Class) (Resolution, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Resolution{}, fail.Errorf(fail.Invalid, "empty name")
	}
	if len(name) > maxNameLen || !utf8.ValidString(name) {
		return Resolution{}, fail.Errorf(fail.Invalid, "name is not valid UTF-8 text of at most %d bytes", maxNameLen)
	}
	found, err := g.lookup(r, name)
	if err != nil {
		return Resolution{}, err
	}
	matches, err := r.filterClasses(found, classes)
	if err != nil {
		return Resolution{}, err
	}
	switch {
	case len(matches) == 0 && len(found) > 0:
		return Resolution{}, &fail.Error{Code: fail.NotFound, Msg: fmt.Sprintf("%q is not a %s", name, classList(classes)), Candidates: r.entities(found)}
	case len(matches) == 0:
		suggestions, err := g.suggest(r, name, classes)
		if err != nil {
			return Resolution{}, err
		}
		return Resolution{}, &fail.Error{Code: fail.NotFound, Msg: fmt.Sprintf("nothing is named %q", name), Candidates: suggestions}
	case len(matches) == 1:
		return Resolution{Entity: r.entity(matches[0])}, nil
	}
	best, ok, err := g.broadestPlace(r, matches)
	if err != nil {
		return Resolution{}, err
	}
	if ok {
		res := Resolution{Entity: r.entity(best), Reason: "the broadest place of that name"}
		for _, m := range matches {
			if m != best {
				res.Others = append(res.Others, r.entity(m))
			}
		}
		return res, nil
	}
	return Resolution{}, &fail.Error{Code: fail.Ambiguous, Msg: fmt.Sprintf("%q names %d entities; use an id", name, len(matches)), Candidates: r.entities(matches)}
}

// lookup returns the nodes a name, alias or id refers to, sorted: an exact
// match first (index lookups only), then a case-insensitive one through the
// name index.
func (g *Graph) lookup(r *reader, name string) ([]quad.IRI, error) {
	id := name
	if len(id) > 2 && id[0] == '<' && id[len(id)-1] == '>' {
		id = id[1 : len(id)-1] // one pair only: <a>> is no IRI
	}
	if strings.Contains(id, "/") || strings.Contains(id, ":") {
		iri := schema.ID(id)
		p, err := r.out(iri)
		if err != nil {
			return nil, err
		}
		if len(p) > 0 {
			return []quad.IRI{iri}, nil
		}
	}
	var found iriSet
	for _, pred := range []quad.IRI{schema.Name, schema.AlternateName} {
		subs, err := r.subjects(quad.String(name), pred)
		if err != nil {
			return nil, err
		}
		found.add(subs...)
	}
	if len(found.list) > 0 {
		slices.Sort(found.list)
		return found.list, nil
	}
	idx, err := g.names(r)
	if err != nil {
		return nil, err
	}
	return slices.Clone(idx.byName[strings.ToLower(name)]), nil // the index is shared
}

// names returns the name index, building it on first use.
func (g *Graph) names(r *reader) (*nameIndex, error) {
	r.shared.mu.Lock()
	defer r.shared.mu.Unlock()
	if r.shared.names != nil {
		return r.shared.names, nil
	}
	idx := &nameIndex{byName: map[string][]quad.IRI{}}
	for _, pred := range []quad.IRI{schema.Name, schema.AlternateName} {
		err := r.quads(pred, quad.Predicate, func(q quad.Quad) {
			sub, ok := q.Subject.(quad.IRI)
			lit, ok2 := schema.Literal(q.Object)
			if !ok || !ok2 {
				return
			}
			key := strings.ToLower(lit)
			if _, seen := idx.byName[key]; !seen {
				idx.names = append(idx.names, key)
			}
			if !slices.Contains(idx.byName[key], sub) {
				idx.byName[key] = append(idx.byName[key], sub)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(idx.names)
	for _, nodes := range idx.byName {
		slices.Sort(nodes)
	}
	r.shared.names = idx
	return idx, nil
}

// Suggest returns up to limit entities whose names start with or contain
// prefix (case-insensitive), for search boxes.
func (g *Graph) Suggest(ctx context.Context, prefix string, limit int) ([]Entity, error) {
	r, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	idx, err := g.names(r)
	if err != nil {
		return nil, err
	}
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	if prefix == "" {
		return nil, nil
	}
	var starts, inside iriSet
	for _, n := range idx.names {
		switch {
		case strings.HasPrefix(n, prefix):
			starts.add(idx.byName[n]...)
		case strings.Contains(n, prefix):
			inside.add(idx.byName[n]...)
		}
	}
	starts.add(inside.list...)
	all := starts.list
	if len(all) > limit {
		all = all[:limit]
	}
	out := r.entities(all)
	if err := r.check(); err != nil {
		return nil, err
	}
	return out, nil
}

// suggest lists the entities whose names are closest to a name that matched
// nothing: same prefix or containing it first, then small edit distances.
func (g *Graph) suggest(r *reader, name string, classes []schema.Class) ([]Entity, error) {
	idx, err := g.names(r)
	if err != nil {
		return nil, err
	}
	want := strings.ToLower(name)
	type scored struct {
		name string
		d    int
	}
	var best []scored
	maxD := max(2, utf8.RuneCountInString(want)/3)
	for _, n := range idx.names {
		d := levenshtein(want, n)
		if strings.Contains(n, want) || strings.Contains(want, n) && len(n) > 3 {
			d = min(d, 1)
		}
		if d <= maxD {
			best = append(best, scored{n, d})
		}
	}
	sort.SliceStable(best, func(i, j int) bool { return best[i].d < best[j].d })
	var nodes []quad.IRI
	for _, b := range best {
		kept, err := r.filterClasses(idx.byName[b.name], classes)
		if err != nil {
			return nil, err
		}
		nodes = appendNew(nodes, kept...)
		if len(nodes) >= 5 {
			break
		}
	}
	if len(nodes) > 5 {
		nodes = nodes[:5]
	}
	return r.entities(nodes), nil
}

// broadestPlace picks, among places sharing a name, the one that contains
// all the others, or failing that the one of the broadest kind; ok is false
// when nodes are not all places or no rule decides.
func (g *Graph) broadestPlace(r *reader, nodes []quad.IRI) (best quad.IRI, ok bool, err error) {
	rank := map[quad.IRI]int{}
	for _, n := range nodes {
		p, err := r.out(n)
		if err != nil {
			return "", false, err
		}
		if !p.has(schema.Place) {
			return "", false, nil
		}
		rank[n] = 99
		if k, ok := placeKindRank[p.str(schema.PlaceKind)]; ok {
			rank[n] = k
		}
	}
	t, err := g.places(r)
	if err != nil {
		return "", false, err
	}
	for _, outer := range nodes {
		all := true
		for _, inner := range nodes {
			if !t.contains(outer, inner) {
				all = false
				break
			}
		}
		if all {
			return outer, true, nil
		}
	}
	sorted := slices.Clone(nodes)
	slices.SortStableFunc(sorted, func(a, b quad.IRI) int { return rank[a] - rank[b] })
	if rank[sorted[0]] < rank[sorted[1]] {
		return sorted[0], true, nil
	}
	return "", false, nil
}

// filterClasses keeps the nodes of any of classes; all of them when none
// is given.
func (r *reader) filterClasses(nodes []quad.IRI, classes []schema.Class) ([]quad.IRI, error) {
	if len(classes) == 0 {
		return nodes, nil
	}
	var out []quad.IRI
	for _, n := range nodes {
		p, err := r.out(n)
		if err != nil {
			return nil, err
		}
		for _, c := range classes {
			if p.has(c) {
				out = append(out, n)
				break
			}
		}
	}
	return out, nil
}

func (r *reader) entities(nodes []quad.IRI) []Entity {
	out := make([]Entity, len(nodes))
	for i, n := range nodes {
		out[i] = r.entity(n)
	}
	return out
}

func classList(classes []schema.Class) string {
	names := make([]string, len(classes))
	for i, c := range classes {
		names[i] = strings.ToLower(c.Short())
	}
	return strings.Join(names, " or ")
}

// It costs a scan of list per item: for lists that can grow with the graph,
// use an iriSet.
func appendNew(list []quad.IRI, xs ...quad.IRI) []quad.IRI {
	for _, x := range xs {
		if !slices.Contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}

// iriSet is a list of distinct IRIs in the order they were first added.
type iriSet struct {
	list []quad.IRI
	seen map[quad.IRI]struct{}
}

func (s *iriSet) add(xs ...quad.IRI) {
	if s.seen == nil {
		s.seen = make(map[quad.IRI]struct{})
	}
	for _, x := range xs {
		if _, ok := s.seen[x]; !ok {
			s.seen[x] = struct{}{}
			s.list = append(s.list, x)
		}
	}
}

// levenshtein is the edit distance between two strings, by runes.
func levenshtein(a, b string) int {
	ar, br := []rune(a), []rune(b)
	prev := make([]int, len(br)+1)
	cur := make([]int, len(br)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ar); i++ {
		cur[0] = i
		for j := 1; j <= len(br); j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(br)]
}
