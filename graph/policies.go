package graph

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// PolicyFilter selects the policies that affect a place.
type PolicyFilter struct {
	Place string
	// Inside also lists policies aimed at places inside Place (a province's
	// cities), not only at Place and the places containing it.
	Inside bool
	DateRange
}

// PolicyHit is a policy that applies to the asked place, and why.
type PolicyHit struct {
	Policy        string      `json:"policy"`
	Date          string      `json:"date"`
	Issuer        string      `json:"issuer"`
	Target        string      `json:"target"`
	Via           string      `json:"via"`
	Sources       []SourceRef `json:"sources"`
	ID            string      `json:"id" table:"-"`
	Kind          string      `json:"kind" table:"-"`
	Description   string      `json:"description" table:"-"`
	TargetID      string      `json:"target_id" table:"-"`
	DateStart     string      `json:"date_start" table:"-"`
	DatePrecision string      `json:"date_precision" table:"-"`
}

// Policies lists the policies aimed at a place or at a place that contains
// it, each with the containment chain that makes it apply ("Harbin ⊂
// Heilongjiang ⊂ Northeast"), by date. A policy aimed at a sibling place
// does not apply. A policy aimed at several places that count is listed
// once, through the shortest chain; between chains of one length, through
// the target whose id sorts first (see placeTree.Ancestors for which chain
// of one length is shown).
func (g *Graph) Policies(ctx context.Context, f PolicyFilter) ([]PolicyHit, Notes, error) {
	if err := f.check(); err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(f.Place) == "" {
		return nil, nil, fail.Errorf(fail.Invalid, "a place is required")
	}
	r, err := g.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes Notes
	place, err := g.resolveArg(r, &notes, f.Place, schema.Place)
	if err != nil {
		return nil, notes, err
	}
	t, err := g.places(r)
	if err != nil {
		return nil, notes, err
	}
	// chains maps each target that counts to the chain shown as "via".
	chains := t.Ancestors(place)
	if f.Inside {
		for inner := range t.Within(place).all() {
			if _, ok := chains[inner]; !ok {
				chains[inner] = t.Ancestors(inner)[place]
			}
		}
	}
	// A policy aimed at several targets that count is shown through the
	// shortest chain, and among chains of one length through the target
	// whose id sorts first: targets are walked in id order, and only a
	// shorter chain replaces the one found.
	targets := slices.Sorted(maps.Keys(chains))
	best := map[quad.IRI]PolicyHit{}
	bestLen := map[quad.IRI]int{}
	for _, target := range targets {
		chain := chains[target]
		policies, err := r.subjects(target, schema.Targets)
		if err != nil {
			return nil, notes, err
		}
		if err := r.outWithRefs(policies); err != nil {
			return nil, notes, err
		}
		for _, pol := range policies {
			if n, seen := bestLen[pol]; seen && n <= len(chain) {
				continue
			}
			p, err := r.out(pol)
			if err != nil {
				return nil, notes, err
			}
			w := whenOf(p)
			if !p.has(schema.Policy) || !f.matches(w.Start, w.End) {
				continue
			}
			best[pol] = r.policyHit(pol, p, w, target, chain)
			bestLen[pol] = len(chain)
		}
	}
	out := make([]PolicyHit, 0, len(best))
	for _, h := range best {
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b PolicyHit) int { return policyOrder.compare(&a, &b) })
	notes.noteEmpty(len(out), "policies")
	return answer(r, out, notes)
}

func (r *reader) policyHit(id quad.IRI, p props, w When, target quad.IRI, chain []quad.IRI) PolicyHit {
	return PolicyHit{
		ID:            schema.ShortID(id),
		Policy:        p.str(schema.Name),
		Date:          w.Text,
		DateStart:     w.Start,
		DatePrecision: w.Precision,
		Issuer:        strings.Join(r.names(p.refs(schema.Issuer)), "; "),
		Target:        r.name(target),
		TargetID:      schema.ShortID(target),
		Via:           r.chainText(chain),
		Kind:          p.str(schema.PolicyKind),
		Description:   p.str(schema.Description),
		Sources:       r.citations(p.labels()),
	}
}
