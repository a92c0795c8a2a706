package graph

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// InvestmentFilter selects investments; both fields are optional.
type InvestmentFilter struct {
	Company string
	Place   string
	DateRange
}

// Investment is money a company puts into a place, as the source states it.
type Investment struct {
	Company           string      `json:"company"`
	Place             string      `json:"place"`
	Amount            float64     `json:"amount"`
	Currency          string      `json:"currency"`
	AmountConverted   float64     `json:"amount_converted,omitempty"`
	ConvertedCurrency string      `json:"converted_currency,omitempty"`
	Date              string      `json:"date"`
	People            []string    `json:"people"`
	Sources           []SourceRef `json:"sources"`
	// Bound is "more than" (or at least, less than, at most) when the
	// source gives the amount as a limit; Approximate says it gives it as
	// "about", and ConvertedApproximate that only the conversion it adds
	// is (3 billion euros, about 3.4 billion dollars). Tables show them
	// with the amounts (see TableCell).
	Bound                string `json:"bound,omitempty" table:"-"`
	Approximate          bool   `json:"approximate" table:"-"`
	ConvertedApproximate bool   `json:"converted_approximate" table:"-"`
	ID                   string `json:"id" table:"-"`
	CompanyID            string `json:"company_id" table:"-"`
	PlaceID              string `json:"place_id" table:"-"`
	DateStart            string `json:"date_start" table:"-"`
	Note                 string `json:"note" table:"-"`
}

// Investments lists the investments that match f.
func (g *Graph) Investments(ctx context.Context, f InvestmentFilter) ([]Investment, Notes, error) {
	if err := f.check(); err != nil {
		return nil, nil, err
	}
	r, err := g.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes Notes
	var places *nodeSet
	var company quad.IRI
	if f.Place != "" {
		if _, places, err = g.placeSet(r, &notes, f.Place); err != nil {
			return nil, notes, err
		}
	}
	if f.Company != "" {
		if company, err = g.resolveArg(r, &notes, f.Company, schema.Company); err != nil {
			return nil, notes, err
		}
	}
	var candidates []quad.IRI
	switch {
	case company != "":
		candidates, err = r.subjects(company, schema.Investor)
	case places != nil:
		candidates, err = r.recordsAt(places, schema.EventPlace, schema.Investment)
	default:
		candidates, err = r.all(schema.Investment)
	}
	if err != nil {
		return nil, notes, err
	}
	if err := r.outWithRefs(candidates); err != nil {
		return nil, notes, err
	}
	var out []Investment
	for _, id := range candidates {
		p, err := r.out(id)
		if err != nil {
			return nil, notes, err
		}
		w := whenOf(p)
		if !p.has(schema.Investment) ||
			(places != nil && !places.hasAny(p.refs(schema.EventPlace))) ||
			(company != "" && !slices.Contains(p.refs(schema.Investor), company)) ||
			!f.matches(w.Start, w.End) {
			continue
		}
		out = append(out, r.investment(id, p, w))
	}
	slices.SortFunc(out, func(a, b Investment) int { return investmentOrder.compare(&a, &b) })
	notes.noteEmpty(len(out), "investments")
	return answer(r, out, notes)
}

func (r *reader) investment(id quad.IRI, p props, w When) Investment {
	inv := Investment{
		ID:                   schema.ShortID(id),
		Company:              strings.Join(r.names(p.refs(schema.Investor)), "; "),
		CompanyID:            schema.ShortID(p.ref(schema.Investor)),
		Place:                strings.Join(r.names(p.refs(schema.EventPlace)), "; "),
		PlaceID:              schema.ShortID(p.ref(schema.EventPlace)),
		Amount:               number(p.str(schema.Amount)),
		Currency:             p.str(schema.Currency),
		AmountConverted:      number(p.str(schema.AmountConv)),
		ConvertedCurrency:    p.str(schema.ConvCurrency),
		Bound:                p.str(schema.Bound),
		Approximate:          p.str(schema.Approximate) == "true",
		ConvertedApproximate: p.str(schema.ConvApprox) == "true",
		Date:                 w.Text,
		DateStart:            w.Start,
		Note:                 p.str(schema.Description),
		People:               []string{},
		Sources:              r.citations(p.labels()),
	}
	for _, person := range p.refs(schema.Spokesperson) {
		pp, _ := r.out(person) // an error is kept for check; pp is then empty
		label := r.name(person)
		if title := pp.str(schema.JobTitle); title != "" {
			label += " (" + title + ")"
		}
		inv.People = append(inv.People, label)
	}
	return inv
}

// number parses a validated decimal; the validator has already refused
// anything else, so a failure reads as zero.
func number(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}
