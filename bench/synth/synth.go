// Package synth writes synthetic rustbelt data of any size: valid N-Quads of
// the same shape as the curated dataset (a containment tree of regions,
// provinces, cities and districts under one country; people and the posts
// they move between; appointment records with dates; policies aimed at
// places; companies and their investments; indicator observations), every
// quad labelled with a source. The same size and seed give the same bytes.
//
// It exists for benchmarks: the names are made up, and nothing in it is a
// fact.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// Config says how much to write.
type Config struct {
	// Quads is the size to reach: the output holds at most this many quads,
	// and as many whole records as fit.
	Quads int64
	// Seed picks the data; the same seed and size give the same output.
	Seed uint64
}

// Fan-out of the containment tree under each region.
const (
	provincesPerRegion = 6
	citiesPerProvince  = 8
	districtsPerCity   = 4
	placesPerRegion    = 1 + provincesPerRegion*(1+citiesPerProvince*(1+districtsPerCity))
)

// Place kinds by depth below the country.
var kinds = []string{"country", "region", "province", "city", "district"}

// Shape is the part of the output fixed by the size alone: how many places,
// sources and indicators there are. Records fill the rest of the budget.
type Shape struct {
	Regions    int
	Places     int // including the country
	Sources    int
	Indicators int
}

// ShapeOf returns the fixed part of the data for cfg: about one place per
// 400 quads (at least three regions) and one source per 2,000 quads.
func ShapeOf(cfg Config) Shape {
	regions := max(3, int(cfg.Quads/400/placesPerRegion))
	return Shape{
		Regions:    regions,
		Places:     1 + regions*placesPerRegion,
		Sources:    max(5, int(cfg.Quads/2000)),
		Indicators: 30,
	}
}

// Targets are entities of the generated data that benchmark questions ask
// about, by name as a user would type them.
type Targets struct {
	Region   string // a region: the widest place below the country
	Province string // a province in Region
	City     string // a city in Province: two containment steps below Region
	CityID   string // the IRI of City
	Person   string // a person with several appointments
}

// TargetsOf names the entities questions ask about in the data of cfg.
func TargetsOf(cfg Config) Targets {
	region := 1 // place 0 is the country
	province := region + 1
	city := province + 1
	return Targets{
		Region:   placeName(region),
		Province: placeName(province),
		City:     placeName(city),
		CityID:   id("place", city),
		Person:   personName(0),
	}
}

// Write writes the data for cfg to w and returns how many quads it wrote.
func Write(w io.Writer, cfg Config) (int64, error) {
	g := newGen(w, cfg)
	g.run()
	if err := g.w.Flush(); err != nil && g.err == nil {
		g.err = err
	}
	return g.n, g.err
}

// gen holds the state of one run. Entities are numbered; a record refers to
// them by number, so memory stays small whatever the size.
type gen struct {
	cfg   Config
	shape Shape
	rng   *rand.Rand
	w     *bufio.Writer
	err   error
	n     int64 // quads written

	label   string // IRI of the source of the quads being written
	persons int
	company int
	posts   []uint8 // per place: bit k set once post k of the place exists
	records [recordKinds]int
}

func newGen(w io.Writer, cfg Config) *gen {
	shape := ShapeOf(cfg)
	return &gen{
		cfg:   cfg,
		shape: shape,
		rng:   rand.New(rand.NewPCG(cfg.Seed, 0x7275737462656c74)),
		w:     bufio.NewWriterSize(w, 1<<16),
		posts: make([]uint8, shape.Places),
	}
}

// Record kinds, and the share of the quad budget each takes: a career
// database is mostly appointments.
const (
	kindAppointment = iota
	kindPolicy
	kindInvestment
	kindObservation
	recordKinds
)

var recordWeights = [recordKinds]int{kindAppointment: 60, kindPolicy: 12, kindInvestment: 10, kindObservation: 18}

// maxRecordQuads bounds the quads one record writes, with the entities it
// creates: a record starts only while that many quads still fit.
const maxRecordQuads = 24

func (g *gen) run() {
	for i := 0; i < g.shape.Sources && g.fits(5); i++ {
		g.source(i)
	}
	for i := 0; i < g.shape.Places && g.fits(5); i++ {
		g.place(i)
	}
	for i := 0; i < g.shape.Indicators && g.fits(3); i++ {
		g.indicator(i)
	}
	total := 0
	for _, w := range recordWeights {
		total += w
	}
	for g.fits(maxRecordQuads) && g.err == nil {
		g.pickSource()
		k, r := 0, g.rng.IntN(total)
		for r >= recordWeights[k] {
			r -= recordWeights[k]
			k++
		}
		switch k {
		case kindAppointment:
			g.appointment()
		case kindPolicy:
			g.policy()
		case kindInvestment:
			g.investment()
		case kindObservation:
			g.observation()
		}
		g.records[k]++
	}
}

func (g *gen) fits(quads int64) bool { return g.n+quads <= g.cfg.Quads }

// quad writes one quad with the current source label; the object is an IRI
// or, with literal set, a plain literal.
func (g *gen) quad(subj string, pred string, obj string, literal bool) {
	if g.err != nil {
		return
	}
	w := g.w
	w.WriteByte('<')
	w.WriteString(subj)
	w.WriteString("> <")
	w.WriteString(pred)
	w.WriteString("> ")
	if literal {
		w.WriteByte('"')
		writeEscaped(w, obj)
		w.WriteByte('"')
	} else {
		w.WriteByte('<')
		w.WriteString(obj)
		w.WriteByte('>')
	}
	w.WriteString(" <")
	w.WriteString(g.label)
	_, g.err = w.WriteString("> .\n")
	g.n++
}

func (g *gen) iri(subj string, pred quad.IRI, obj string) { g.quad(subj, string(pred), obj, false) }
func (g *gen) lit(subj string, pred quad.IRI, obj string) { g.quad(subj, string(pred), obj, true) }

func (g *gen) typed(subj string, class schema.Class) {
	g.iri(subj, schema.Type, string(class))
}

func writeEscaped(w *bufio.Writer, s string) {
	if !strings.ContainsAny(s, "\"\\\n\r") {
		w.WriteString(s)
		return
	}
	for _, r := range s {
		switch r {
		case '"':
			w.WriteString(`\"`)
		case '\\':
			w.WriteString(`\\`)
		case '\n':
			w.WriteString(`\n`)
		case '\r':
			w.WriteString(`\r`)
		default:
			w.WriteRune(r)
		}
	}
}

func id(kind string, n int) string { return schema.IDBase + kind + "/syn-" + strconv.Itoa(n) }

var publishers = []string{"Northeast Daily", "Coastal Herald", "Provincial Gazette", "Economic Observer", "Party Life", "Industry Weekly"}

func (g *gen) source(i int) {
	s := id("source", i)
	g.label = s
	g.typed(s, schema.Source)
	g.lit(s, schema.Name, "Synthetic report "+strconv.Itoa(i))
	g.lit(s, schema.Publisher, publishers[i%len(publishers)])
	g.lit(s, schema.DatePublished, g.day())
}

func (g *gen) pickSource() { g.label = id("source", g.rng.IntN(g.shape.Sources)) }

// placeDepth returns how deep place i sits (0: the country) and its parent.
// Places are numbered depth-first: a region, then for each of its provinces
// the province, then for each city the city and its districts.
func placeDepth(i int) (depth, parent int) {
	if i == 0 {
		return 0, -1
	}
	r := (i - 1) / placesPerRegion
	base := 1 + r*placesPerRegion
	off := i - base
	if off == 0 {
		return 1, 0
	}
	const provinceSize = 1 + citiesPerProvince*(1+districtsPerCity)
	p := (off - 1) / provinceSize
	pbase := base + 1 + p*provinceSize
	off = i - pbase
	if off == 0 {
		return 2, base
	}
	c := (off - 1) / (1 + districtsPerCity)
	cbase := pbase + 1 + c*(1+districtsPerCity)
	if i == cbase {
		return 3, pbase
	}
	return 4, cbase
}

func (g *gen) place(i int) {
	g.label = id("source", i%g.shape.Sources)
	p := id("place", i)
	depth, parent := placeDepth(i)
	g.typed(p, schema.Place)
	g.lit(p, schema.Name, placeName(i))
	g.lit(p, schema.PlaceKind, kinds[depth])
	if parent >= 0 {
		g.iri(p, schema.ContainedIn, id("place", parent))
	}
	if depth == 1 {
		g.lit(p, schema.AlternateName, placeName(i)+" region")
	}
}

func placeName(i int) string {
	if i == 0 {
		return "Synthetica"
	}
	return word(i)
}

func (g *gen) indicator(i int) {
	g.label = id("source", i%g.shape.Sources)
	s := id("indicator", i)
	g.typed(s, schema.Indicator)
	g.lit(s, schema.Name, "Indicator "+word(i)+" growth")
}

var postTitles = []string{"Party secretary", "Mayor", "Deputy mayor", "Director of the development commission", "Head of the organization department", "Secretary of the discipline commission"}

// post returns the IRI of post k at place, writing the post on first use.
func (g *gen) post(place, k int) string {
	s := id("post", place*len(postTitles)+k)
	if g.posts[place]&(1<<k) == 0 {
		g.posts[place] |= 1 << k
		g.typed(s, schema.Post)
		g.lit(s, schema.Name, postTitles[k]+" of "+placeName(place))
		g.iri(s, schema.PostPlace, id("place", place))
	}
	return s
}

// person returns an existing person most of the time, a new one otherwise,
// so that people have careers of several appointments.
func (g *gen) person() string {
	if g.persons > 0 && g.rng.IntN(5) != 0 {
		return id("person", g.rng.IntN(g.persons))
	}
	i := g.persons
	g.persons++
	s := id("person", i)
	g.typed(s, schema.Person)
	g.lit(s, schema.Name, personName(i))
	g.lit(s, schema.JobTitle, postTitles[i%len(postTitles)])
	return s
}

var families = []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Hu", "Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo"}

// personName is unique per person: the given name is the person's own word.
func personName(i int) string { return families[i%len(families)] + " " + word(i) }

func (g *gen) randomPlace() int { return 1 + g.rng.IntN(g.shape.Places-1) }

func (g *gen) appointment() {
	s := id("appointment", g.records[kindAppointment])
	person := g.person()
	from, to := g.randomPlace(), g.randomPlace()
	fromPost := g.post(from, g.rng.IntN(len(postTitles)))
	toPost := g.post(to, g.rng.IntN(len(postTitles)))
	g.typed(s, schema.Appointment)
	g.iri(s, schema.PersonOf, person)
	g.iri(s, schema.FromPost, fromPost)
	g.iri(s, schema.FromPlace, id("place", from))
	g.iri(s, schema.ToPost, toPost)
	g.iri(s, schema.ToPlace, id("place", to))
	g.date(s)
	kind := "permanent"
	if g.rng.IntN(4) == 0 {
		kind = "temporary (guazhi)"
	}
	g.lit(s, schema.AppointKind, kind)
}

var policyKinds = []string{"plan", "document", "agreement", "mechanism", "talent policy"}

func (g *gen) policy() {
	n := g.records[kindPolicy]
	s := id("policy", n)
	g.typed(s, schema.Policy)
	g.lit(s, schema.Name, "Plan "+word(n)+" for revitalisation")
	g.lit(s, schema.PolicyKind, policyKinds[n%len(policyKinds)])
	issuer := g.randomPlace()
	g.iri(s, schema.Issuer, id("place", issuer))
	var targets [3]int
	for k := range 1 + g.rng.IntN(len(targets)) {
		t := g.randomPlace()
		if g.rng.IntN(100) == 0 {
			t = 0 // a few national policies reach every place
		}
		if slices.Contains(targets[:k], t) {
			continue
		}
		targets[k] = t
		g.iri(s, schema.Targets, id("place", t))
	}
	g.date(s)
}

var currencies = []string{"CNY", "USD", "EUR"}

func (g *gen) investment() {
	n := g.records[kindInvestment]
	var company string
	if g.company > 0 && g.rng.IntN(3) != 0 {
		company = id("company", g.rng.IntN(g.company))
	} else {
		i := g.company
		g.company++
		company = id("company", i)
		g.typed(company, schema.Company)
		g.lit(company, schema.Name, word(i)+" Heavy Industries")
		g.iri(company, schema.BasedIn, id("place", g.randomPlace()))
	}
	s := id("investment", n)
	g.typed(s, schema.Investment)
	g.iri(s, schema.Investor, company)
	g.iri(s, schema.EventPlace, id("place", g.randomPlace()))
	g.lit(s, schema.Amount, strconv.Itoa((1+g.rng.IntN(999))*1_000_000))
	g.lit(s, schema.Currency, currencies[g.rng.IntN(len(currencies))])
	g.date(s)
}

func (g *gen) observation() {
	n := g.records[kindObservation]
	s := id("obs", n)
	g.typed(s, schema.Observation)
	g.iri(s, schema.About, id("place", g.randomPlace()))
	g.iri(s, schema.IndicatorOf, id("indicator", g.rng.IntN(g.shape.Indicators)))
	g.lit(s, schema.Period, strconv.Itoa(1990+g.rng.IntN(36)))
	g.lit(s, schema.Value, strconv.FormatFloat(float64(g.rng.IntN(2000))/10-50, 'f', -1, 64))
	g.lit(s, schema.Unit, "percent")
}

// date writes a record's date and its precision: mostly months, some days
// and years, a few ranges.
func (g *gen) date(s string) {
	switch r := g.rng.IntN(20); {
	case r < 4:
		g.lit(s, schema.Date, g.day())
		g.lit(s, schema.DatePrec, schema.PrecisionDay)
	case r < 6:
		g.lit(s, schema.Date, strconv.Itoa(1990+g.rng.IntN(36)))
		g.lit(s, schema.DatePrec, schema.PrecisionYear)
	case r < 7:
		y := 1990 + g.rng.IntN(35)
		g.lit(s, schema.Date, fmt.Sprintf("%d-%02d", y, 1+g.rng.IntN(6)))
		g.lit(s, schema.DateEnd, fmt.Sprintf("%d-%02d", y, 7+g.rng.IntN(6)))
		g.lit(s, schema.DatePrec, schema.PrecisionRange)
	default:
		g.lit(s, schema.Date, fmt.Sprintf("%d-%02d", 1990+g.rng.IntN(36), 1+g.rng.IntN(12)))
		g.lit(s, schema.DatePrec, schema.PrecisionMonth)
	}
}

func (g *gen) day() string {
	return fmt.Sprintf("%d-%02d-%02d", 1990+g.rng.IntN(36), 1+g.rng.IntN(12), 1+g.rng.IntN(28))
}

// syllables start with a consonant and end in a vowel, n or ng, so that any
// run of them splits into syllables one way only: word is one-to-one.
var syllables = strings.Fields(`bai bei ben bin bo chang chen cheng chun da dan de ding dong fang feng fu gang
	gao guo hai han he heng hong hua hui jia jian jin jing kai kang lan lei li lian lin ling long lu mei ming nan
	ning pei ping qi qian qing rong rui shan sheng shi shu song tai tian ting wei wen xi xia xin xing xiu ya yan
	yang yi yong yu yuan yun ze zhen zheng zhi zhou`)

// word returns the i-th made-up name: all two-syllable words, then all
// three-syllable ones, and so on. Distinct i give distinct words.
func word(i int) string {
	n, k := i, 2
	for span := len(syllables) * len(syllables); n >= span; span *= len(syllables) {
		n -= span
		k++
	}
	var b strings.Builder
	for j := 0; j < k; j++ {
		b.WriteString(syllables[n%len(syllables)])
		n /= len(syllables)
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}
