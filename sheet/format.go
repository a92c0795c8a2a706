package sheet

import (
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// fieldKind says how a key's value becomes quads.
type fieldKind int

const (
	// literal values are checked by their predicate's kind (text, number,
	// true/false, one of a list).
	literal fieldKind = iota
	// ref values name entities, by name, alias or id, each an IRI.
	ref
	// when is a record's date as the commands print it: 2023-10,
	// 2024-06/2024-08, by 2024-12-01, undated.
	when
	// published is a source's own date: a date, or undated.
	published
	// tenureBound is a tenure's start or end: a day, a month or a year as
	// the source gives it, written to pred with its precision to precPred.
	// A bound the source does not give is left out.
	tenureBound
	// external is an IRI outside the graph (a Wikidata item), written as
	// it is, never resolved as a name.
	external
)

// field is one key of a section's entries.
type field struct {
	key  string
	pred quad.IRI
	kind fieldKind
	// many lets the value be a list, one quad per item.
	many bool
	// classes are what a ref may name; a new name makes the first.
	classes []schema.Class
	// precPred is where a tenureBound writes its precision.
	precPred quad.IRI
}

// section is one top-level list of a sheet: its entries are the entities or
// records of one class.
type section struct {
	key   string
	class schema.Class
	// name is the key of an entry's name ("name", "policy" for policies),
	// or "" for records that have none (appointments, figures).
	name string
	// needsName says an entry must have one; named records (policies,
	// events) and entities are matched by it to those the store holds.
	needsName bool
	// idBase starts the id of a new entry: "person/".
	idBase string
	fields []field
	// slug is the rest of a new record's id, made from its resolved
	// fields; nil for entries whose id is the slug of their name.
	slug func(r *recordIDs) string
}

// Keys shared by many sections.
var (
	aliases     = field{key: "aliases", pred: schema.AlternateName, many: true}
	description = field{key: "description", pred: schema.Description, many: true}
	date        = field{key: "date", kind: when}
	dateNote    = field{key: "date_note", pred: schema.DateNote}
	located     = field{key: "located_in", pred: schema.LocatedIn, kind: ref, many: true, classes: []schema.Class{schema.Place}}
	bound       = field{key: "bound", pred: schema.Bound}
	approximate = field{key: "approximate", pred: schema.Approximate}
	convApprox  = field{key: "converted_approximate", pred: schema.ConvApprox}
	sameAs      = field{key: "same_as", pred: schema.SameAs, kind: external, many: true}
)

// places names a ref to places.
func places(key string, pred quad.IRI, many bool) field {
	return field{key: key, pred: pred, kind: ref, many: many, classes: []schema.Class{schema.Place}}
}

// people names a ref to people.
func people(key string, pred quad.IRI, many bool) field {
	return field{key: key, pred: pred, kind: ref, many: many, classes: []schema.Class{schema.Person}}
}

// sourceSection is the sheet's source: the article every other fact is
// labelled with.
var sourceSection = &section{
	key: "source", class: schema.Source, name: "title", idBase: "source/",
	fields: []field{
		{key: "publisher", pred: schema.Publisher},
		{key: "date", kind: published},
		dateNote,
		{key: "url", pred: schema.URL},
		people("authors", schema.Author, true),
		places("dateline", schema.Dateline, false),
		{key: "file", pred: schema.SeedFile},
		{key: "revision", pred: schema.Revision},
		{key: "retrieved", pred: schema.DateRetrieved},
		description,
	},
}

// sections are the lists of a sheet, in the order a sheet is written and
// compiled: entities before the records that name them, posts before the
// appointments that hold them.
var sections = []*section{
	{key: "people", class: schema.Person, name: "name", needsName: true, idBase: "person/", fields: []field{
		aliases,
		{key: "job_title", pred: schema.JobTitle, many: true},
		{key: "affiliation", pred: schema.Affiliation, kind: ref, many: true, classes: []schema.Class{schema.Organization, schema.Company}},
		sameAs,
		description,
	}},
	{key: "places", class: schema.Place, name: "name", needsName: true, idBase: "place/", fields: []field{
		aliases,
		{key: "kind", pred: schema.PlaceKind},
		places("in", schema.ContainedIn, true),
		places("capital_of", schema.CapitalOf, true),
		sameAs,
		description,
	}},
	{key: "organizations", class: schema.Organization, name: "name", needsName: true, idBase: "org/", fields: []field{
		aliases,
		{key: "part_of", pred: schema.PartOf, kind: ref, many: true, classes: []schema.Class{schema.Organization, schema.Company}},
		located,
		sameAs,
		description,
	}},
	{key: "companies", class: schema.Company, name: "name", needsName: true, idBase: "company/", fields: []field{
		aliases,
		places("based_in", schema.BasedIn, true),
		located,
		description,
	}},
	{key: "infrastructure", class: schema.Infrastructure, name: "name", needsName: true, idBase: "infrastructure/", fields: []field{
		aliases,
		located,
		description,
	}},
	{key: "indicators", class: schema.Indicator, name: "name", needsName: true, idBase: "indicator/", fields: []field{
		aliases,
		{key: "unit", pred: schema.Unit},
		description,
	}},
	{key: "posts", class: schema.Post, name: "name", needsName: true, idBase: "post/", fields: []field{
		aliases,
		places("place", schema.PostPlace, false),
		{key: "organization", pred: schema.OrgOfPost, kind: ref, classes: []schema.Class{schema.Organization}},
		sameAs,
		description,
	}},
	{key: "appointments", class: schema.Appointment, idBase: "appointment/", slug: personAndYear, fields: []field{
		people("person", schema.PersonOf, false),
		{key: "from_post", pred: schema.FromPost, kind: ref, many: true, classes: []schema.Class{schema.Post}},
		places("from_place", schema.FromPlace, true),
		{key: "to_post", pred: schema.ToPost, kind: ref, many: true, classes: []schema.Class{schema.Post}},
		places("to_place", schema.ToPlace, true),
		date,
		{key: "kind", pred: schema.AppointKind},
		dateNote,
		description,
	}},
	// Tenures come after the appointments: both are read from what the
	// source says of one person's posts, and a sheet lists moves first.
	{key: "tenures", class: schema.Tenure, idBase: "tenure/", slug: personPostBounds, fields: []field{
		people("person", schema.PersonOf, false),
		{key: "post", pred: schema.PostOf, kind: ref, classes: []schema.Class{schema.Post}},
		places("place", schema.EventPlace, false),
		{key: "organization", pred: schema.OrgOfPost, kind: ref, classes: []schema.Class{schema.Organization}},
		{key: "start", pred: schema.Start, kind: tenureBound, precPred: schema.StartPrec},
		{key: "end", pred: schema.End, kind: tenureBound, precPred: schema.EndPrec},
		{key: "kind", pred: schema.AppointKind},
		people("predecessor", schema.Predecessor, false),
		people("successor", schema.Successor, false),
		dateNote,
		description,
	}},
	{key: "relocations", class: schema.Relocation, idBase: "relocation/", slug: personAndYear, fields: []field{
		people("person", schema.PersonOf, false),
		places("from_place", schema.FromPlace, true),
		places("to_place", schema.ToPlace, true),
		{key: "employer", pred: schema.Employer, kind: ref, many: true, classes: []schema.Class{schema.Company, schema.Organization}},
		date,
		dateNote,
		description,
	}},
	{key: "policies", class: schema.Policy, name: "policy", needsName: true, idBase: "policy/", fields: []field{
		aliases,
		{key: "kind", pred: schema.PolicyKind},
		{key: "issuer", pred: schema.Issuer, kind: ref, many: true, classes: []schema.Class{schema.Organization, schema.Place, schema.Company, schema.Person}},
		places("targets", schema.Targets, true),
		places("beneficiaries", schema.Beneficiary, true),
		places("partners", schema.Partner, true),
		{key: "rank", pred: schema.Rank},
		date,
		dateNote,
		description,
	}},
	{key: "events", class: schema.Event, name: "name", needsName: true, idBase: "event/", fields: []field{
		aliases,
		date,
		places("place", schema.EventPlace, true),
		people("participants", schema.Participant, true),
		{key: "organization", pred: schema.OrgOfPost, kind: ref, many: true, classes: []schema.Class{schema.Organization}},
		{key: "action", pred: schema.Action},
		{key: "concerns", pred: schema.Concerns, kind: ref, many: true, classes: []schema.Class{schema.Policy, schema.Event, schema.Investment, schema.Appointment}},
		dateNote,
		description,
	}},
	{key: "investments", class: schema.Investment, name: "name", idBase: "investment/", slug: companyAndPlace, fields: []field{
		{key: "company", pred: schema.Investor, kind: ref, many: true, classes: []schema.Class{schema.Company}},
		places("place", schema.EventPlace, true),
		{key: "amount", pred: schema.Amount},
		{key: "currency", pred: schema.Currency},
		{key: "amount_converted", pred: schema.AmountConv},
		{key: "converted_currency", pred: schema.ConvCurrency},
		bound,
		approximate,
		convApprox,
		people("people", schema.Spokesperson, true),
		date,
		dateNote,
		description,
	}},
	{key: "observations", class: schema.Observation, idBase: "obs/", slug: sourcePlaceIndicatorPeriod, fields: []field{
		{key: "place", pred: schema.About, kind: ref, many: true, classes: []schema.Class{schema.Place, schema.Company, schema.Infrastructure, schema.Organization}},
		{key: "indicator", pred: schema.IndicatorOf, kind: ref, classes: []schema.Class{schema.Indicator}},
		{key: "period", pred: schema.Period},
		{key: "period_note", pred: schema.PeriodNote},
		{key: "value", pred: schema.Value},
		{key: "value_text", pred: schema.ValueText},
		{key: "unit", pred: schema.Unit},
		bound,
		approximate,
		{key: "value_converted", pred: schema.ValueConv},
		{key: "converted_unit", pred: schema.ConvUnit},
		convApprox,
		{key: "out_of", pred: schema.OutOf},
		{key: "comparison", pred: schema.Comparison},
		{key: "reported_by", pred: schema.ReportedBy, kind: ref, many: true, classes: []schema.Class{schema.Organization, schema.Company}},
		description,
	}},
}

// Special keys of every entry.
const (
	idKey       = "id"
	inferredKey = "inferred"
)

// sectionOf returns the section of a class.
func sectionOf(c schema.Class) *section {
	if c == schema.Source {
		return sourceSection
	}
	for _, s := range sections {
		if s.class == c {
			return s
		}
	}
	return nil
}

// field returns the section's field of key.
func (s *section) field(key string) (field, bool) {
	for _, f := range s.fields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

// keys lists every key an entry of the section may have, for messages.
func (s *section) keys() []string {
	var out []string
	if s.name != "" {
		out = append(out, s.name)
	}
	out = append(out, idKey)
	for _, f := range s.fields {
		out = append(out, f.key)
	}
	if s != sourceSection {
		out = append(out, inferredKey)
	}
	return out
}

// keyOf returns the key that writes pred in the section, for messages
// about what a record lacks.
func (s *section) keyOf(pred quad.IRI) string {
	if pred == schema.Name && s.name != "" {
		return s.name
	}
	for _, f := range s.fields {
		if f.pred == pred || f.kind == when && (pred == schema.Date || pred == schema.DatePrec) || f.kind == published && (pred == schema.DatePublished || pred == schema.DatePrec) || f.kind == tenureBound && pred == f.precPred {
			return f.key
		}
	}
	return schema.Short(pred)
}

// label is how messages name the section's entries: "place", "appointment".
func (s *section) label() string {
	return lowerFirst(s.class.Short())
}

// aLabel is label with its article: "a place", "an appointment".
func (s *section) aLabel() string {
	l := s.label()
	if strings.ContainsRune("aeiou", rune(l[0])) {
		return "an " + l
	}
	return "a " + l
}
