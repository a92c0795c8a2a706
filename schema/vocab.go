// Package schema is rustbelt's vocabulary: the IRIs of its classes and
// predicates, the rules a valid record follows, and the validator that checks
// N-Quads against them with file:line errors.
//
// Names and types reuse RDF and schema.org terms; everything else lives under
// NS. Entities are named under IDBase, for example IDBase+"person/cao-lubao".
package schema

import (
	"strings"

	"github.com/cayleygraph/quad"
)

// Namespaces of the vocabulary and of the curated entities.
const (
	// NS is the namespace of rustbelt's own classes and predicates.
	NS = "https://rustbelt.dev/ns/"
	// IDBase is the namespace of curated entities, records and sources.
	IDBase = "https://rustbelt.dev/id/"
	// SchemaOrg is the schema.org namespace.
	SchemaOrg = "http://schema.org/"
	// RDF is the RDF syntax namespace.
	RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
)

// Class is the IRI of an entity or record class.
type Class quad.IRI

// The classes of the vocabulary.
const (
	Person         Class = NS + "Person"
	Place          Class = NS + "Place"
	Organization   Class = NS + "Organization"
	Company        Class = NS + "Company"
	Post           Class = NS + "Post"
	Appointment    Class = NS + "Appointment"
	Relocation     Class = NS + "Relocation"
	Policy         Class = NS + "Policy"
	Investment     Class = NS + "Investment"
	Indicator      Class = NS + "Indicator"
	Observation    Class = NS + "Observation"
	Event          Class = NS + "Event"
	Infrastructure Class = NS + "Infrastructure"
	Source         Class = NS + "Source"
	Inference      Class = NS + "Inference"
	Tenure         Class = NS + "Tenure"
)

// Short returns the class name without its namespace, e.g. "Person".
func (c Class) Short() string { return strings.TrimPrefix(string(c), NS) }

// IRI returns the class as a quad value.
func (c Class) IRI() quad.IRI { return quad.IRI(c) }

// The predicates of the vocabulary. Those borrowed from RDF and schema.org
// keep their usual IRIs.
const (
	Type          quad.IRI = RDF + "type"
	Name          quad.IRI = SchemaOrg + "name"
	AlternateName quad.IRI = SchemaOrg + "alternateName"
	Description   quad.IRI = SchemaOrg + "description"
	JobTitle      quad.IRI = SchemaOrg + "jobTitle"
	Affiliation   quad.IRI = SchemaOrg + "affiliation"
	Publisher     quad.IRI = SchemaOrg + "publisher"
	DatePublished quad.IRI = SchemaOrg + "datePublished"
	Author        quad.IRI = SchemaOrg + "author"
	URL           quad.IRI = SchemaOrg + "url"

	PlaceKind   quad.IRI = NS + "placeKind"
	ContainedIn quad.IRI = NS + "containedIn"
	CapitalOf   quad.IRI = NS + "capitalOf"
	LocatedIn   quad.IRI = NS + "locatedIn"
	PartOf      quad.IRI = NS + "partOf"
	BasedIn     quad.IRI = NS + "basedIn"

	PostPlace    quad.IRI = NS + "postPlace"
	OrgOfPost    quad.IRI = NS + "organization"
	PersonOf     quad.IRI = NS + "person"
	FromPost     quad.IRI = NS + "fromPost"
	ToPost       quad.IRI = NS + "toPost"
	FromPlace    quad.IRI = NS + "fromPlace"
	ToPlace      quad.IRI = NS + "toPlace"
	Employer     quad.IRI = NS + "employer"
	AppointKind  quad.IRI = NS + "appointmentKind"
	Date         quad.IRI = NS + "date"
	DateEnd      quad.IRI = NS + "dateEnd"
	DatePrec     quad.IRI = NS + "datePrecision"
	DateNote     quad.IRI = NS + "dateNote"
	Participant  quad.IRI = NS + "participant"
	EventPlace   quad.IRI = NS + "place"
	PolicyKind   quad.IRI = NS + "policyKind"
	Issuer       quad.IRI = NS + "issuer"
	Targets      quad.IRI = NS + "targets"
	Beneficiary  quad.IRI = NS + "beneficiary"
	Partner      quad.IRI = NS + "partner"
	Rank         quad.IRI = NS + "rank"
	Investor     quad.IRI = NS + "investor"
	Amount       quad.IRI = NS + "amount"
	Currency     quad.IRI = NS + "currency"
	AmountConv   quad.IRI = NS + "amountConverted"
	ConvCurrency quad.IRI = NS + "convertedCurrency"
	Approximate  quad.IRI = NS + "approximate"
	Spokesperson quad.IRI = NS + "spokesperson"
	About        quad.IRI = NS + "about"
	IndicatorOf  quad.IRI = NS + "indicator"
	Period       quad.IRI = NS + "period"
	PeriodNote   quad.IRI = NS + "periodNote"
	Value        quad.IRI = NS + "value"
	ValueText    quad.IRI = NS + "valueText"
	ValueConv    quad.IRI = NS + "valueConverted"
	ConvUnit     quad.IRI = NS + "convertedUnit"
	Unit         quad.IRI = NS + "unit"
	OutOf        quad.IRI = NS + "outOf"
	Comparison   quad.IRI = NS + "comparison"
	ReportedBy   quad.IRI = NS + "reportedBy"
	SeedFile     quad.IRI = NS + "seedFile"
	Dateline     quad.IRI = NS + "dateline"
	Bound        quad.IRI = NS + "bound"
	ConvApprox   quad.IRI = NS + "convertedApproximate"
	Concerns     quad.IRI = NS + "concerns"
	Action       quad.IRI = NS + "action"
	InferredFrom quad.IRI = NS + "inferredFrom"

	PostOf        quad.IRI = NS + "post"
	Start         quad.IRI = NS + "start"
	StartPrec     quad.IRI = NS + "startPrecision"
	End           quad.IRI = NS + "end"
	EndPrec       quad.IRI = NS + "endPrecision"
	DerivedFrom   quad.IRI = NS + "derivedFrom"
	Predecessor   quad.IRI = NS + "predecessor"
	Successor     quad.IRI = NS + "successor"
	SameAs        quad.IRI = SchemaOrg + "sameAs"
	Revision      quad.IRI = NS + "revision"
	DateRetrieved quad.IRI = NS + "dateRetrieved"
)

// ID returns the IRI of a curated entity from its short id, such as
// "person/cao-lubao". A full IRI is returned unchanged.
func ID(short string) quad.IRI {
	if strings.Contains(short, "://") {
		return quad.IRI(short)
	}
	return quad.IRI(IDBase + short)
}

// ShortID strips IDBase from an IRI, so "https://rustbelt.dev/id/place/jilin"
// reads "place/jilin". Other IRIs are returned whole.
func ShortID(iri quad.IRI) string { return strings.TrimPrefix(string(iri), IDBase) }

// Short names a predicate without its namespace, e.g. "toPlace" or "name".
func Short(p quad.IRI) string {
	s := string(p)
	for _, ns := range []string{NS, SchemaOrg, RDF} {
		if strings.HasPrefix(s, ns) {
			return s[len(ns):]
		}
	}
	return s
}

// InVocabulary reports whether an IRI belongs to rustbelt's namespaces, and
// so falls under the validator's rules.
func InVocabulary(iri quad.IRI) bool {
	s := string(iri)
	return strings.HasPrefix(s, NS) || strings.HasPrefix(s, IDBase)
}
