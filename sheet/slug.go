package sheet

import (
	"strings"
	"unicode"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// slug is the part of a new id made from a name: its letters and digits in
// lower case, apostrophes dropped, every other run of characters one
// hyphen, none at either end. "National People's Congress" gives
// national-peoples-congress, "2024-H1" gives 2024-h1. A name with no letter
// or digit gives "unnamed".
func slug(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range name {
		switch {
		case r == '\'' || r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			hyphen = true
		}
	}
	if b.Len() == 0 {
		return "unnamed"
	}
	return b.String()
}

// tail is the last part of an id: "jilin-city" of place/jilin-city.
func tail(iri quad.IRI) string {
	s := schema.ShortID(iri)
	return s[strings.LastIndexByte(s, '/')+1:]
}

// recordIDs is what a new record's id is made from: its resolved names,
// values and date.
type recordIDs struct {
	source string              // the tail of the source's id
	refs   map[string]quad.IRI // the first entity each ref key names
	values map[string]string   // the first value of each literal key
	when   dated
}

// joinParts joins the non-empty parts with hyphens.
func joinParts(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "-")
}

// personAndYear names an appointment or relocation after its person and,
// when the source dates it, its year: appointment/cao-lubao-2023. A move
// the article only reports, undated, has no year: appointment/jiang-bing.
func personAndYear(r *recordIDs) string {
	year := ""
	switch r.when.precision {
	case schema.PrecisionDay, schema.PrecisionMonth, schema.PrecisionYear, schema.PrecisionRange:
		year = r.when.date[:len("2006")]
	}
	return joinParts(tail(r.refs["person"]), year)
}

// personPostBounds names a tenure after its person, its post and the
// bounds the source gives:
// tenure/cao-lubao-suzhou-party-secretary-2021-03-to-2023-10, or
// …-to-2023-10 when only the end is given. Two statements of one spell that
// differ in a bound are two records, each with its own source, rather than
// one record with two ends.
func personPostBounds(r *recordIDs) string {
	bounds := ""
	if s := r.values["start"]; s != "" {
		bounds = slug(s)
	}
	if e := r.values["end"]; e != "" {
		bounds = joinParts(bounds, "to", slug(e))
	}
	return joinParts(tail(r.refs["person"]), tail(r.refs["post"]), bounds)
}

// companyAndPlace names an investment after its company and place:
// investment/bmw-shenyang.
func companyAndPlace(r *recordIDs) string {
	return joinParts(tail(r.refs["company"]), tail(r.refs["place"]))
}

// sourcePlaceIndicatorPeriod names a figure after its source, what it
// measures, its indicator and period:
// obs/my-article-liaoning-gdp-growth-2023.
func sourcePlaceIndicatorPeriod(r *recordIDs) string {
	period := ""
	if p := r.values["period"]; p != "" {
		period = slug(p)
	}
	return joinParts(r.source, tail(r.refs["place"]), tail(r.refs["indicator"]), period)
}

// lowerFirst lowers a class name for messages: "place", "appointment".
func lowerFirst(s string) string {
	return strings.ToLower(s[:1]) + s[1:]
}
