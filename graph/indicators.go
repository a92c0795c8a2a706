package graph

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// IndicatorFilter selects indicator figures. Places match themselves, the
// places inside them and the companies and facilities that lie wholly
// inside them (see measuredIn).
type IndicatorFilter struct {
	Places    []string
	Indicator string // id ("gdp-growth") or name ("GDP growth")
	Period    string // a prefix: "2023" matches 2023 and 2023-Q1
}

// Observation is one figure the sources report. Figures that several
// sources report alike are one row with all their sources.
type Observation struct {
	Place     string      `json:"place"`
	Indicator string      `json:"indicator"`
	Period    string      `json:"period"`
	Value     json.Number `json:"value,omitempty"`
	ValueText string      `json:"value_text,omitempty" table:"-"`
	// Bound is "more than", "at least", "less than" or "at most" when the
	// source gives the figure as a limit, and Approximate says it gives it
	// as "about": tables show both with the value (see TableCell).
	Bound       string `json:"bound,omitempty" table:"-"`
	Approximate bool   `json:"approximate,omitempty" table:"-"`
	Unit        string `json:"unit"`
	// ValueConverted is the figure in another unit, as the source adds it;
	// ConvertedApproximate says only the conversion is "about".
	ValueConverted       json.Number `json:"value_converted,omitempty" table:"-"`
	ConvertedUnit        string      `json:"converted_unit,omitempty" table:"-"`
	ConvertedApproximate bool        `json:"converted_approximate,omitempty" table:"-"`
	Sources              []SourceRef `json:"sources"`
	Note                 string      `json:"note"`
	// Conflict lists the figures of other sources for the same place,
	// indicator and period that no one value fits together with this one.
	Conflict    []Disagreement `json:"conflict,omitempty" table:"-"`
	PlaceID     string         `json:"place_id" table:"-"`
	IndicatorID string         `json:"indicator_id" table:"-"`
	IDs         []string       `json:"ids" table:"-"`
}

// IndicatorInfo describes one indicator and how many figures it has.
type IndicatorInfo struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Unit         string `json:"unit"`
	Observations int    `json:"observations"`
}

// Indicators lists the figures that match f, by indicator, period and place.
func (g *Graph) Indicators(ctx context.Context, f IndicatorFilter) ([]Observation, Notes, error) {
	r, err := g.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes Notes
	var indicator quad.IRI
	if f.Indicator != "" {
		var err error
		if indicator, err = g.indicatorByName(r, f.Indicator); err != nil {
			return nil, notes, err
		}
	}
	var candidates []quad.IRI
	switch {
	case len(f.Places) > 0:
		candidates, err = g.observationsIn(r, &notes, f.Places)
	case indicator != "":
		candidates, err = r.subjects(indicator, schema.IndicatorOf)
	default:
		candidates, err = r.all(schema.Observation)
	}
	if err != nil {
		return nil, notes, err
	}
	// In id order, so that merged figures list their ids and take their
	// note in one order.
	candidates = slices.Clone(candidates)
	slices.Sort(candidates)
	if err := r.outWithRefs(candidates); err != nil {
		return nil, notes, err
	}
	merged := map[string]*Observation{}
	var keys []string
	for _, id := range candidates {
		p, err := r.out(id)
		if err != nil {
			return nil, notes, err
		}
		if !p.has(schema.Observation) ||
			(indicator != "" && !slices.Contains(p.refs(schema.IndicatorOf), indicator)) ||
			!strings.HasPrefix(p.str(schema.Period), f.Period) {
			continue
		}
		o := r.observation(id, p)
		key := strings.Join([]string{o.IndicatorID, o.Period, o.PlaceID, string(o.Value), o.ValueText, o.Bound, strconv.FormatBool(o.Approximate), o.Unit}, "\x00")
		if m, ok := merged[key]; ok {
			m.IDs = append(m.IDs, o.IDs...)
			m.Sources = mergeSources(m.Sources, o.Sources)
			if m.Note == "" {
				m.Note = o.Note
			}
			continue
		}
		merged[key] = &o
		keys = append(keys, key)
	}
	out := make([]Observation, 0, len(keys))
	for _, k := range keys {
		out = append(out, *merged[k])
	}
	markConflicts(out)
	slices.SortFunc(out, func(a, b Observation) int { return observationOrder.compare(&a, &b) })
	notes.noteEmpty(len(out), "figures")
	return answer(r, out, notes)
}

// observationsIn returns the observations about the named places, what they
// contain, and the companies and facilities that lie wholly there (see
// measuredIn).
func (g *Graph) observationsIn(r *reader, notes *Notes, names []string) ([]quad.IRI, error) {
	var subjects []quad.IRI
	for _, name := range names {
		_, within, err := g.placeSet(r, notes, name)
		if err != nil {
			return nil, err
		}
		measured, err := r.measuredIn(within)
		if err != nil {
			return nil, err
		}
		subjects = append(subjects, measured...)
	}
	return r.recordsAt(newNodeSet(subjects), schema.About, schema.Observation)
}

func (r *reader) observation(id quad.IRI, p props) Observation {
	ind := p.ref(schema.IndicatorOf)
	var note []string
	for _, pred := range []quad.IRI{schema.Comparison, schema.PeriodNote, schema.Description} {
		if v := p.str(pred); v != "" {
			note = append(note, v)
		}
	}
	if text := p.str(schema.ValueText); text != "" {
		note = append([]string{text}, note...)
	}
	if rank := p.str(schema.OutOf); rank != "" {
		note = append(note, "out of "+rank)
	}
	approx, convApprox := p.str(schema.Approximate) == "true", p.str(schema.ConvApprox) == "true"
	if conv := convertedText(p.str(schema.ValueConv), p.str(schema.ConvUnit), convApprox || approx); conv != "" {
		note = append(note, "converted: "+conv)
	}
	return Observation{
		IDs:                  []string{schema.ShortID(id)},
		Place:                r.name(p.ref(schema.About)),
		PlaceID:              schema.ShortID(p.ref(schema.About)),
		Indicator:            r.name(ind),
		IndicatorID:          strings.TrimPrefix(schema.ShortID(ind), "indicator/"),
		Period:               p.str(schema.Period),
		Value:                json.Number(p.str(schema.Value)),
		ValueText:            p.str(schema.ValueText),
		Bound:                p.str(schema.Bound),
		Approximate:          approx,
		Unit:                 p.str(schema.Unit),
		ValueConverted:       json.Number(p.str(schema.ValueConv)),
		ConvertedUnit:        p.str(schema.ConvUnit),
		ConvertedApproximate: convApprox,
		Note:                 joinNote(note),
		Sources:              r.citations(p.labels()),
	}
}

// IndicatorList lists every indicator with its number of figures.
func (g *Graph) IndicatorList(ctx context.Context) ([]IndicatorInfo, error) {
	r, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	inds, err := r.all(schema.Indicator)
	if err != nil {
		return nil, err
	}
	out := make([]IndicatorInfo, 0, len(inds))
	for _, ind := range inds {
		p, err := r.out(ind)
		if err != nil {
			return nil, err
		}
		obs, err := r.subjects(ind, schema.IndicatorOf)
		if err != nil {
			return nil, err
		}
		out = append(out, IndicatorInfo{
			ID:           strings.TrimPrefix(schema.ShortID(ind), "indicator/"),
			Name:         p.str(schema.Name),
			Unit:         p.str(schema.Unit),
			Observations: len(obs),
		})
	}
	slices.SortFunc(out, func(a, b IndicatorInfo) int { return indicatorInfoOrder.compare(&a, &b) })
	if err := r.check(); err != nil {
		return nil, err
	}
	return out, nil
}

// indicatorByName finds an indicator by id or name, case-insensitively.
func (g *Graph) indicatorByName(r *reader, name string) (quad.IRI, error) {
	inds, err := r.all(schema.Indicator)
	if err != nil {
		return "", err
	}
	want := strings.ToLower(strings.TrimSpace(name))
	var ids []string
	for _, ind := range inds {
		id := strings.TrimPrefix(schema.ShortID(ind), "indicator/")
		if strings.ToLower(id) == want || strings.ToLower(r.name(ind)) == want || strings.ToLower(schema.ShortID(ind)) == want {
			return ind, nil
		}
		ids = append(ids, id)
	}
	sort.Strings(ids)
	sort.SliceStable(ids, func(i, j int) bool { return levenshtein(want, ids[i]) < levenshtein(want, ids[j]) })
	if len(ids) > 5 {
		ids = ids[:5]
	}
	if err := r.check(); err != nil { // a name that could not be read is no mismatch
		return "", err
	}
	return "", fail.Errorf(fail.NotFound, "no indicator %q; closest: %s (the indicator list names them all)", name, strings.Join(ids, ", "))
}

func mergeSources(a, b []SourceRef) []SourceRef {
	for _, s := range b {
		found := false
		for _, x := range a {
			if x.ID == s.ID {
				found = true
				break
			}
		}
		if !found {
			a = append(a, s)
		}
	}
	sort.Slice(a, func(i, j int) bool { return a[i].ID < a[j].ID })
	return a
}

// joinNote joins the parts of a figure's note, each without the full stop
// a description may end with: "Above 3 trillion yuan for the first time;
// converted: about 422 billion USD".
func joinNote(parts []string) string {
	for i, p := range parts {
		parts[i] = strings.TrimSuffix(p, ".")
	}
	return strings.Join(parts, "; ")
}
