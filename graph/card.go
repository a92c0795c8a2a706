package graph

import (
	"context"
	"sort"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// Card is everything the graph says about one entity, each fact with its
// sources: its own properties, the records that mention it (an official's
// appointments, a place's policies and figures) and the other entities that
// point at it.
type Card struct {
	Entity
	Classes  []string   `json:"classes"`
	Aliases  []string   `json:"aliases"`
	Facts    []CardFact `json:"facts"`
	Records  []Entry    `json:"records"`
	Mentions []CardFact `json:"mentioned_by"`
}

// CardFact is one property of an entity, or one link to it.
type CardFact struct {
	Predicate string      `json:"predicate"`
	Value     string      `json:"value"`
	ValueID   string      `json:"value_id,omitempty"`
	Sources   []SourceRef `json:"sources"`
}

// inverseNames read an incoming link from the entity's side.
var inverseNames = map[quad.IRI]string{
	schema.ContainedIn:  "contains",
	schema.CapitalOf:    "capital",
	schema.Affiliation:  "member",
	schema.PartOf:       "has part",
	schema.LocatedIn:    "has located",
	schema.BasedIn:      "home of",
	schema.PostPlace:    "post",
	schema.OrgOfPost:    "post",
	schema.Author:       "wrote",
	schema.Dateline:     "dateline of",
	schema.IndicatorOf:  "measured by",
	schema.Spokesperson: "spoke for",
}

// Card resolves name (any class) and gathers its card.
func (g *Graph) Card(ctx context.Context, name string) (*Card, Notes, error) {
	r, err := g.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes Notes
	node, err := g.resolveArg(r, &notes, name)
	if err != nil {
		return nil, notes, err
	}
	p, err := r.out(node)
	if err != nil {
		return nil, notes, err
	}
	c := &Card{Entity: r.entity(node), Aliases: append([]string{}, p.strs(schema.AlternateName)...), Classes: []string{}, Facts: []CardFact{}, Records: []Entry{}, Mentions: []CardFact{}}
	for _, cl := range p.refs(schema.Type) {
		c.Classes = append(c.Classes, schema.Short(cl))
	}
	order := map[quad.IRI]int{}
	for i, spec := range schema.Predicates {
		order[spec.IRI] = i
	}
	preds := make([]quad.IRI, 0, len(p))
	for pred := range p {
		if pred != schema.Type && pred != schema.Name && pred != schema.AlternateName {
			preds = append(preds, pred)
		}
	}
	sort.Slice(preds, func(i, j int) bool {
		oi, iok := order[preds[i]]
		oj, jok := order[preds[j]]
		if iok != jok {
			return iok
		}
		if oi != oj {
			return oi < oj
		}
		return preds[i] < preds[j]
	})
	for _, pred := range preds {
		c.Facts = r.appendFacts(c.Facts, schema.Short(pred), p[pred])
	}
	incoming, err := r.in(node, "")
	if err != nil {
		return nil, notes, err
	}
	var records iriSet
	var mentions []edge
	for _, e := range incoming {
		sub, ok := e.node.(quad.IRI)
		if !ok {
			continue
		}
		sp, err := r.out(sub)
		if err != nil {
			return nil, notes, err
		}
		if isRecord(sp) {
			records.add(sub)
			continue
		}
		mentions = append(mentions, e)
	}
	if c.Records, err = r.entries(records.list); err != nil {
		return nil, notes, err
	}
	if c.Records == nil {
		c.Records = []Entry{} // a list, as the page reads it, even when empty
	}
	// By predicate, then by name; incoming edges come sorted by subject id,
	// which settles equal names.
	sort.SliceStable(mentions, func(i, j int) bool {
		if mentions[i].pred != mentions[j].pred {
			return mentions[i].pred < mentions[j].pred
		}
		return r.name(mentions[i].node.(quad.IRI)) < r.name(mentions[j].node.(quad.IRI))
	})
	for _, e := range mentions {
		label, ok := inverseNames[e.pred]
		if !ok {
			label = "is " + schema.Short(e.pred) + " of"
		}
		c.Mentions = r.appendFacts(c.Mentions, label, []edge{e})
	}
	return answer(r, c, notes)
}

// appendFacts adds one fact per distinct value of edges, merging the sources
// of edges that say the same thing.
func (r *reader) appendFacts(facts []CardFact, pred string, edges []edge) []CardFact {
	for _, e := range edges {
		f := CardFact{Predicate: pred}
		if iri, ok := e.node.(quad.IRI); ok {
			f.Value, f.ValueID = r.name(iri), schema.ShortID(iri)
		} else {
			f.Value, _ = schema.Literal(e.node)
		}
		var src []SourceRef
		if l, ok := e.label.(quad.IRI); ok {
			src = []SourceRef{r.source(l)}
		}
		merged := false
		for i := range facts {
			if facts[i].Predicate == f.Predicate && facts[i].Value == f.Value && facts[i].ValueID == f.ValueID {
				facts[i].Sources = mergeSources(facts[i].Sources, src)
				merged = true
				break
			}
		}
		if !merged {
			f.Sources = mergeSources(nil, src)
			facts = append(facts, f)
		}
	}
	return facts
}
