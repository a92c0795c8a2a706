package graph

import (
	"context"
	"sort"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// Stats counts what a store holds.
type Stats struct {
	Backend   Backend        `json:"backend"`
	Quads     int64          `json:"quads"`
	Nodes     int64          `json:"nodes"`
	Classes   map[string]int `json:"classes"`
	Sources   []SourceInfo   `json:"sources"`
	Unsourced int64          `json:"unsourced"`
}

// SourceInfo is a source and how many quads it supports.
type SourceInfo struct {
	ID        string `json:"id"`
	Publisher string `json:"publisher"`
	Date      string `json:"date"`
	Title     string `json:"title"`
	SeedFile  string `json:"seed_file,omitempty" table:"-"`
	Quads     int64  `json:"quads"`
}

// Stats counts quads, nodes, entities per class and quads per source. It
// reads every quad once.
func (s *Store) Stats(ctx context.Context) (*Stats, error) {
	r, done := s.read(ctx)
	defer done()
	st, err := storeStats(ctx, r.qs, true)
	if err != nil {
		return nil, err
	}
	out := &Stats{Backend: s.backend, Quads: st.Quads.Size, Nodes: st.Nodes.Size, Classes: map[string]int{}}
	for _, c := range schema.Classes {
		nodes, err := r.all(c.Class)
		if err != nil {
			return nil, err
		}
		out.Classes[c.Class.Short()] = len(nodes)
	}
	perLabel, err := r.quadsPerLabel()
	if err != nil {
		return nil, err
	}
	for label, n := range perLabel {
		if label == "" {
			out.Unsourced = n
			continue
		}
		out.Sources = append(out.Sources, r.sourceInfo(label, n))
	}
	sortSources(out.Sources)
	return out, nil
}

// Sources lists the sources with their publisher, date, title and quads.
func (s *Store) Sources(ctx context.Context) ([]SourceInfo, error) {
	r, done := s.read(ctx)
	defer done()
	nodes, err := r.all(schema.Source)
	if err != nil {
		return nil, err
	}
	out := make([]SourceInfo, 0, len(nodes))
	for _, n := range nodes {
		var count int64
		if err := r.quads(n, quad.Label, func(quad.Quad) { count++ }); err != nil {
			return nil, err
		}
		out = append(out, r.sourceInfo(n, count))
	}
	sortSources(out)
	return out, nil
}

func (r *reader) sourceInfo(label quad.IRI, quads int64) SourceInfo {
	ref := r.source(label)
	p, _ := r.out(label)
	return SourceInfo{ID: ref.ID, Publisher: ref.Publisher, Date: ref.Date, Title: ref.Title, SeedFile: p.str(schema.SeedFile), Quads: quads}
}

// quadsPerLabel counts quads by label in one pass; "" counts the unlabelled.
func (r *reader) quadsPerLabel() (map[quad.IRI]int64, error) {
	type tally struct {
		ref cgraph.Ref
		n   int64
	}
	byKey := map[any]*tally{}
	var unlabelled int64
	it := r.qs.QuadsAllIterator()
	defer it.Close()
	for it.Next(r.ctx) {
		l := r.qs.QuadDirection(it.Result(), quad.Label)
		if l == nil {
			unlabelled++
			continue
		}
		k := cgraph.ToKey(l)
		if t, ok := byKey[k]; ok {
			t.n++
		} else {
			byKey[k] = &tally{ref: l, n: 1}
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	counts := map[quad.IRI]int64{}
	if unlabelled > 0 {
		counts[""] = unlabelled
	}
	for _, t := range byKey {
		switch v := r.qs.NameOf(t.ref).(type) {
		case quad.IRI:
			counts[v] += t.n
		case nil:
			counts[""] += t.n
		default:
			counts[quad.IRI(quad.StringOf(v))] += t.n
		}
	}
	return counts, nil
}

func sortSources(list []SourceInfo) {
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
}
