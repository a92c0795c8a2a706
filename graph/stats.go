package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// Stats counts what a store holds.
type Stats struct {
	Backend   string         `json:"backend"`
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
	// Untitled says the article states no title (tables show "(untitled)").
	Untitled bool `json:"untitled,omitempty" table:"-"`
	// InferredFrom is, for the label of inferred facts, the source they
	// are inferred from, whose publisher and date the row shows, and
	// Inference how they were inferred.
	InferredFrom string `json:"inferred_from,omitempty" table:"-"`
	Inference    string `json:"inference,omitempty" table:"-"`
	SeedFile     string `json:"seed_file,omitempty" table:"-"`
	Quads        int64  `json:"quads"`
}

// Stats counts quads, nodes, entities per class and quads per source, from
// counts the store keeps where it keeps them (see TypeCounter), and
// describes each source.
func (g *Graph) Stats(ctx context.Context) (*Stats, error) {
	r, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	quads, nodes, err := g.storage.Counts(ctx)
	if err != nil {
		return nil, fmt.Errorf("count the store: %w", err)
	}
	out := &Stats{Backend: g.storage.Kind(), Quads: quads, Nodes: nodes, Classes: map[string]int{}}
	var typed map[quad.IRI]int64
	if tc, ok := g.storage.(TypeCounter); ok {
		if typed, err = tc.TypeCounts(ctx); err != nil {
			return nil, fmt.Errorf("count entities by class: %w", err)
		}
	}
	for _, c := range schema.Classes {
		if typed != nil {
			out.Classes[c.Class.Short()] = int(typed[c.Class.IRI()])
			continue
		}
		nodes, err := r.all(c.Class)
		if err != nil {
			return nil, err
		}
		out.Classes[c.Class.Short()] = len(nodes)
	}
	perLabel, err := g.storage.QuadsPerLabel(ctx)
	if err != nil {
		return nil, fmt.Errorf("count quads by source: %w", err)
	}
	out.Unsourced = perLabel[""]
	labels := make([]quad.IRI, 0, len(perLabel))
	for label := range perLabel {
		if label != "" {
			labels = append(labels, label)
		}
	}
	if out.Sources, err = r.describeSources(labels, perLabel); err != nil {
		return nil, err
	}
	return out, nil
}

// Sources lists the sources with their publisher, date, title and quads.
func (g *Graph) Sources(ctx context.Context) ([]SourceInfo, error) {
	r, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	nodes, err := r.all(schema.Source)
	if err != nil {
		return nil, err
	}
	perLabel, err := g.storage.QuadsPerLabel(ctx)
	if err != nil {
		return nil, fmt.Errorf("count quads by source: %w", err)
	}
	return r.describeSources(nodes, perLabel)
}

// describeSources describes labels, each with the quads counts gives it,
// in source order, reading what they say of themselves in one batch.
func (r *reader) describeSources(labels []quad.IRI, counts map[quad.IRI]int64) ([]SourceInfo, error) {
	if err := r.outOfEach(labels); err != nil {
		return nil, err
	}
	// In sourceOrder, by id: sorting the labels moves strings, not rows.
	// They may be a list the cache shares: sort a copy.
	labels = slices.Clone(labels)
	slices.SortFunc(labels, func(a, b quad.IRI) int { return strings.Compare(schema.ShortID(a), schema.ShortID(b)) })
	out := make([]SourceInfo, 0, len(labels))
	for _, label := range labels {
		out = append(out, r.sourceInfo(label, counts[label]))
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	return out, nil
}

func (r *reader) sourceInfo(label quad.IRI, quads int64) SourceInfo {
	ref := r.source(label)
	p, _ := r.out(label) // an error is kept for check; p is then empty
	info := SourceInfo{ID: ref.ID, Publisher: ref.Publisher, Date: ref.Date, Title: ref.Title, Untitled: ref.Untitled, SeedFile: p.str(schema.SeedFile), Quads: quads}
	if from := ref.InferredFrom; from != nil {
		info.Publisher, info.Date, info.InferredFrom, info.Inference = from.Publisher, from.Date, from.ID, ref.Inference
	}
	return info
}
