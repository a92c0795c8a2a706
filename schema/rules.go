package schema

import (
	"github.com/cayleygraph/quad"
)

// Kind says what the object of a predicate must be.
type Kind int

// The kinds of object a predicate takes.
const (
	KindText   Kind = iota // any literal
	KindRef                // an IRI naming another entity
	KindDate               // YYYY, YYYY-MM or YYYY-MM-DD
	KindNumber             // a decimal number, optionally signed
	KindBool               // "true" or "false"
	KindEnum               // one literal out of a fixed list
	KindClass              // a class IRI (only rdf:type)
)

// PredicateSpec describes one predicate of the vocabulary.
type PredicateSpec struct {
	IRI    quad.IRI
	Kind   Kind
	Values []string // the allowed literals of a KindEnum predicate
	Doc    string
}

// ClassSpec describes one class and the predicates a record of it needs.
type ClassSpec struct {
	Class    Class
	Doc      string
	Required []quad.IRI
	// OneOf lists predicates of which at least one must be present.
	OneOf []quad.IRI
}

// Date precisions: how much of a date the source gives.
const (
	PrecisionDay      = "day"
	PrecisionMonth    = "month"
	PrecisionYear     = "year"
	PrecisionRange    = "range"    // date .. dateEnd, each as precise as written
	PrecisionReported = "reported" // no date given: date is the article's date
	PrecisionUnknown  = "unknown"  // neither the event nor the article is dated
)

// Predicates lists every predicate of the vocabulary, in documentation order.
var Predicates = []PredicateSpec{
	{Type, KindClass, nil, "the class of an entity or record"},
	{Name, KindText, nil, "the name (or title, for a source)"},
	{AlternateName, KindText, nil, "another name the sources use (Dongbei, rust belt, Siasun…)"},
	{Description, KindText, nil, "a short description in our own words"},
	{JobTitle, KindText, nil, "a person's role as the source gives it"},
	{Affiliation, KindRef, nil, "the organization or company a person belongs to"},
	{Publisher, KindText, nil, "who published a source"},
	{DatePublished, KindDate, nil, "when a source was published"},
	{Author, KindRef, nil, "a person who wrote a source"},
	{URL, KindText, nil, "where a source can be read"},
	{PlaceKind, KindEnum, []string{"country", "region", "province", "municipality", "autonomous region", "city", "county-level city", "district", "county"}, "what kind of place it is"},
	{ContainedIn, KindRef, nil, "the place that contains this place"},
	{CapitalOf, KindRef, nil, "the place this city is the capital of"},
	{LocatedIn, KindRef, nil, "where an organization or facility is"},
	{PartOf, KindRef, nil, "the organization a unit belongs to"},
	{BasedIn, KindRef, nil, "where a company is based"},
	{PostPlace, KindRef, nil, "the place a post governs or sits in"},
	{OrgOfPost, KindRef, nil, "the organization a post, tenure or event belongs to"},
	{PersonOf, KindRef, nil, "the person an appointment, relocation or tenure is about"},
	{FromPost, KindRef, nil, "the post a person left"},
	{ToPost, KindRef, nil, "the post a person took"},
	{FromPlace, KindRef, nil, "where the person came from"},
	{ToPlace, KindRef, nil, "where the person went"},
	{Employer, KindRef, nil, "the company a relocated person works for"},
	{AppointKind, KindEnum, []string{"permanent", "temporary (guazhi)"}, "permanent transfer or temporary exchange (of an appointment or a tenure)"},
	{Date, KindDate, nil, "when it happened (see datePrecision)"},
	{DateEnd, KindDate, nil, "the end of a date range"},
	{DatePrec, KindEnum, []string{PrecisionDay, PrecisionMonth, PrecisionYear, PrecisionRange, PrecisionReported, PrecisionUnknown}, "how much of the date the source gives"},
	{DateNote, KindText, nil, "how a date was read from the source"},
	{Participant, KindRef, nil, "a person who took part in an event"},
	{EventPlace, KindRef, nil, "where an event took place, where an investment goes, or where a tenure's post sits"},
	{PolicyKind, KindText, nil, "document, plan, agreement, mechanism, state-level new area…"},
	{Issuer, KindRef, nil, "who issued or signed a policy"},
	{Targets, KindRef, nil, "a place a policy is aimed at"},
	{Beneficiary, KindRef, nil, "a place the source names as benefiting from a policy"},
	{Partner, KindRef, nil, "a place paired with the target of a policy"},
	{Rank, KindNumber, nil, "the ordinal the source gives (16th state-level new area)"},
	{Investor, KindRef, nil, "the company that invests"},
	{Amount, KindNumber, nil, "the amount, in currency units"},
	{Currency, KindText, nil, "ISO 4217 code of amount"},
	{AmountConv, KindNumber, nil, "the amount converted, as the source states it"},
	{ConvCurrency, KindText, nil, "ISO 4217 code of amountConverted"},
	{Approximate, KindBool, nil, "the source gives the figure as approximate"},
	{Spokesperson, KindRef, nil, "a person the source quotes about an investment"},
	{About, KindRef, nil, "the place, company or facility an observation measures"},
	{IndicatorOf, KindRef, nil, "what an observation measures"},
	{Period, KindText, nil, "the period measured: 2023, 2017-Q1, 2024-H1, Q1-Q3…"},
	{PeriodNote, KindText, nil, "what the source says of the period"},
	{Value, KindNumber, nil, "the figure"},
	{ValueText, KindText, nil, "the figure in words, where the source gives no number"},
	{ValueConv, KindNumber, nil, "the figure converted, as the source states it"},
	{ConvUnit, KindText, nil, "the unit of valueConverted"},
	{Unit, KindText, nil, "percent, persons, tons, yuan, rank…"},
	{OutOf, KindNumber, nil, "the size of the field a rank is taken in"},
	{Comparison, KindText, nil, "what a change is measured against (year-on-year)"},
	{ReportedBy, KindRef, nil, "the body the figure comes from"},
	{SeedFile, KindText, nil, "the article file a source was curated from"},
	{Dateline, KindRef, nil, "the place a source is filed from"},
	{Bound, KindEnum, Bounds, "the figure is a bound, not a value: the source says more than, at least, less than or at most"},
	{ConvApprox, KindBool, nil, "only the converted figure is approximate (3 billion euros, about 3.4 billion dollars)"},
	{Concerns, KindRef, nil, "a policy or other record an event acts on"},
	{Action, KindText, nil, "what an event did to what it concerns: reviewed, approved, signed…"},
	{InferredFrom, KindRef, nil, "the source an inference is drawn from"},
	{PostOf, KindRef, nil, "the post a tenure is a spell in"},
	{Start, KindDate, nil, "when a tenure began, as precise as the source (see startPrecision); absent when the source does not say"},
	{StartPrec, KindEnum, BoundPrecisions, "how much of start the source gives"},
	{End, KindDate, nil, "when a tenure ended, as precise as the source (see endPrecision); absent when the source does not say"},
	{EndPrec, KindEnum, BoundPrecisions, "how much of end the source gives"},
	{DerivedFrom, KindRef, nil, "the appointment a tenure is read from"},
	{Predecessor, KindRef, nil, "the person who held a tenure's post before, as the source states it"},
	{Successor, KindRef, nil, "the person who held a tenure's post after, as the source states it"},
	{SameAs, KindRef, nil, "the same entity in another dataset: its Wikidata item"},
	{Revision, KindText, nil, "the revision of a source that was read (a Wikidata entity's revision id)"},
	{DateRetrieved, KindDate, nil, "when a source that changes over time (Wikidata) was read"},
}

// BoundPrecisions are the values of startPrecision and endPrecision: a
// tenure's bound is a day, a month or a year as the source gives it, or is
// left out when the source does not give it.
var BoundPrecisions = []string{PrecisionDay, PrecisionMonth, PrecisionYear}

// Bounds are the values of bound: how a figure the source gives as a limit
// relates to the true one.
var Bounds = []string{"more than", "at least", "less than", "at most"}

// Classes lists every class of the vocabulary and what its records need.
var Classes = []ClassSpec{
	{Class: Person, Doc: "a person the sources name with a role", Required: []quad.IRI{Name}},
	{Class: Place, Doc: "a country, region, province, city or district", Required: []quad.IRI{Name, PlaceKind}},
	{Class: Organization, Doc: "a government body, university or institute", Required: []quad.IRI{Name}},
	{Class: Company, Doc: "a company", Required: []quad.IRI{Name}},
	{Class: Post, Doc: "an office a person holds (Party secretary of Suzhou)", Required: []quad.IRI{Name, PostPlace}},
	{Class: Appointment, Doc: "an official's move from one post and place to another", Required: []quad.IRI{PersonOf, ToPlace, DatePrec}, OneOf: []quad.IRI{ToPost}},
	{Class: Relocation, Doc: "a person's move for a job that is not an official appointment", Required: []quad.IRI{PersonOf, ToPlace, DatePrec}},
	{Class: Policy, Doc: "a policy, plan, agreement or document and the places it targets", Required: []quad.IRI{Name, Targets, DatePrec}},
	{Class: Investment, Doc: "money a company puts into a place", Required: []quad.IRI{Investor, EventPlace, DatePrec}},
	{Class: Indicator, Doc: "something measured: GDP growth, net resident inflow…", Required: []quad.IRI{Name}},
	{Class: Observation, Doc: "one figure of an indicator for a place or company and a period", Required: []quad.IRI{About, IndicatorOf, Period, Unit}, OneOf: []quad.IRI{Value, ValueText}},
	{Class: Event, Doc: "a dated happening: a meeting, a scandal", Required: []quad.IRI{Name, DatePrec}},
	{Class: Infrastructure, Doc: "a railway, port or route", Required: []quad.IRI{Name}},
	// A source needs no name: an article may state no title, and a title
	// made up for it would say more than the article does.
	{Class: Source, Doc: "an article the facts come from; its IRI labels every quad it supports"},
	{Class: Inference, Doc: "a curator's inference from a source; its IRI labels the facts the source implies but does not state", Required: []quad.IRI{InferredFrom, Description}},
	// A tenure needs no start or end: a source that names the holder of a
	// post without saying since when leaves them unknown, not invented.
	{Class: Tenure, Doc: "a spell in a post: who held it, from when to when, as precise as the source", Required: []quad.IRI{PersonOf, PostOf}},
}

var (
	predicateByIRI = map[quad.IRI]*PredicateSpec{}
	classByIRI     = map[Class]*ClassSpec{}
	// One bit per vocabulary predicate and class, for the validator's
	// record of every subject; a test keeps the predicates within a
	// predSet's bits and the classes within 64.
	predicateBit = map[quad.IRI]predSet{}
	classBit     = map[Class]uint64{}
)

func init() {
	for i := range Predicates {
		predicateByIRI[Predicates[i].IRI] = &Predicates[i]
		predicateBit[Predicates[i].IRI] = predBit(i)
	}
	for i := range Classes {
		classByIRI[Classes[i].Class] = &Classes[i]
		classBit[Classes[i].Class] = 1 << i
	}
}

// LookupPredicate returns the spec of a vocabulary predicate.
func LookupPredicate(iri quad.IRI) (PredicateSpec, bool) {
	p, ok := predicateByIRI[iri]
	if !ok {
		return PredicateSpec{}, false
	}
	return *p, true
}

// LookupClass returns the spec of a vocabulary class.
func LookupClass(c Class) (ClassSpec, bool) {
	s, ok := classByIRI[c]
	if !ok {
		return ClassSpec{}, false
	}
	return *s, true
}
