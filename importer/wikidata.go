package importer

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	"go.yaml.in/yaml/v3"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
)

// Wikidata's properties that careers are read from.
const (
	propInstanceOf   = "P31"
	propPositionHeld = "P39"
	propLocatedIn    = "P131"
	propJurisdiction = "P1001"
	propStart        = "P580"
	propEnd          = "P582"
	propReplaces     = "P1365"
	propReplacedBy   = "P1366"
)

// EntityBase is where Wikidata's items live: an item's IRI is EntityBase
// and its id, as sameAs keeps it.
const EntityBase = "http://www.wikidata.org/entity/"

// placeKinds are the classes of Wikidata (P31) whose items a Wikidata
// import may add as new places, and the kind each is. Places of other
// classes must be in the store first.
var placeKinds = map[string]string{
	"Q1615742": "province", // province of China
	"Q748149":  "city",     // prefecture-level city
}

// Result is what reading a career table gives: a sheet per source, every
// problem of the input, and notes on what was left out and why.
type Result struct {
	Sheets   []*sheet.Sheet
	Problems schema.Problems
	Notes    []string
}

// item is one Wikidata item, as read from entity JSON or from the rows of
// the SPARQL query: what careers need of it.
type item struct {
	id, label         string
	aliases           []string
	revision          string
	modified          string // YYYY-MM-DD
	kinds, in, juris  []string
	held              []held
	file              string
	line              int
	fromSPARQL, whole bool // whole: read from its own entity document
}

// held is one "position held" statement with the qualifiers careers use.
type held struct {
	id                   string // the statement's id, or the SPARQL row's statement
	position             string
	start, end           wdTime
	replaces, replacedBy []string
	juris                []string
	line                 int
}

// wdTime is a time value with Wikidata's precision (9 a year, 10 a month,
// 11 a day); unset when the statement gives none or "some value".
type wdTime struct {
	value     string // +2016-06-00T00:00:00Z
	precision int
}

// Wikidata reads Wikidata entity JSON (the document Special:EntityData
// returns, one or several entities) and the JSON results of the SPARQL
// query in queries/, any mix of files, and turns each person's "position
// held" statements into tenures: one sheet, one source, per person, whose
// revision is the one read.
func (im *Importer) Wikidata(ctx context.Context, files map[string][]byte, order []string) (*Result, error) {
	res := &Result{}
	items := map[string]*item{}
	for _, name := range order {
		ps := &problems{file: name}
		read, err := readWikidataFile(name, files[name])
		if err != nil {
			ps.addf(at{1, 1}, "%v", err)
			res.Problems = append(res.Problems, ps.list...)
			continue
		}
		for _, it := range read {
			if old, ok := items[it.id]; ok {
				items[it.id] = mergeItems(old, it)
				continue
			}
			items[it.id] = it
		}
	}
	if len(res.Problems) > 0 {
		return res, nil
	}
	w := &wdImport{im: im, ctx: ctx, items: items, res: res, places: map[string]placeRef{}, people: map[string]personRef{}}
	ids := make([]string, 0, len(items))
	for id, it := range items {
		if len(it.held) > 0 {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(strings.Compare(items[a].file, items[b].file), items[a].line-items[b].line, strings.Compare(a, b))
	})
	if len(ids) == 0 {
		res.Notes = append(res.Notes, "no item in the files holds a position (P39): nothing to import")
	}
	for _, id := range ids {
		if err := w.person(items[id]); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// readWikidataFile reads one file: entity JSON or SPARQL results.
func readWikidataFile(name string, data []byte) ([]*item, error) {
	var probe struct {
		Entities json.RawMessage `json:"entities"`
		Head     json.RawMessage `json:"head"`
		Results  json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	switch {
	case probe.Entities != nil:
		return readEntities(name, data)
	case probe.Head != nil && probe.Results != nil:
		return readSPARQL(name, data)
	}
	return nil, fmt.Errorf("neither Wikidata entity JSON ({\"entities\": …}) nor SPARQL JSON results ({\"head\": …, \"results\": …})")
}

// mergeItems keeps what two files say of one item: the later revision, and
// from each what the other lacks.
func mergeItems(a, b *item) *item {
	ra, _ := strconv.ParseInt(a.revision, 10, 64)
	rb, _ := strconv.ParseInt(b.revision, 10, 64)
	if rb > ra || b.whole && !a.whole {
		a, b = b, a
	}
	out := *a
	out.label = cmp.Or(out.label, b.label)
	if len(out.held) == 0 {
		out.held = b.held
	}
	if len(out.juris) == 0 {
		out.juris = b.juris
	}
	if len(out.kinds) == 0 {
		out.kinds, out.in = b.kinds, b.in
	}
	return &out
}

// The entity JSON, as far as careers read it.
type (
	wdDocument struct {
		Entities map[string]wdEntity `json:"entities"`
	}
	wdEntity struct {
		ID        string                   `json:"id"`
		Missing   *string                  `json:"missing"`
		LastRevID int64                    `json:"lastrevid"`
		Modified  string                   `json:"modified"`
		Labels    map[string]wdText        `json:"labels"`
		Aliases   map[string][]wdText      `json:"aliases"`
		Claims    map[string][]wdStatement `json:"claims"`
	}
	wdText      struct{ Value string }
	wdStatement struct {
		ID         string              `json:"id"`
		Rank       string              `json:"rank"`
		Mainsnak   wdSnak              `json:"mainsnak"`
		Qualifiers map[string][]wdSnak `json:"qualifiers"`
	}
	wdSnak struct {
		SnakType  string `json:"snaktype"`
		DataValue struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"datavalue"`
	}
)

// readEntities reads entity JSON.
func readEntities(name string, data []byte) ([]*item, error) {
	var doc wdDocument
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("Wikidata entity JSON: %v", err)
	}
	var out []*item
	for key, e := range doc.Entities {
		if e.Missing != nil {
			continue
		}
		id := cmp.Or(e.ID, key)
		it := &item{id: id, label: e.Labels["en"].Value, modified: dayOf(e.Modified), file: name, line: lineOf(data, `"`+id+`"`), whole: true}
		if e.LastRevID > 0 {
			it.revision = strconv.FormatInt(e.LastRevID, 10)
		}
		for _, a := range e.Aliases["en"] {
			it.aliases = append(it.aliases, a.Value)
		}
		it.kinds = itemValues(e.Claims[propInstanceOf])
		it.in = itemValues(e.Claims[propLocatedIn])
		it.juris = itemValues(e.Claims[propJurisdiction])
		for _, s := range e.Claims[propPositionHeld] {
			pos := itemOf(s.Mainsnak)
			if s.Rank == "deprecated" || pos == "" {
				continue
			}
			h := held{id: s.ID, position: pos, line: lineOf(data, `"`+s.ID+`"`)}
			h.start = timeOf(s.Qualifiers[propStart])
			h.end = timeOf(s.Qualifiers[propEnd])
			h.replaces = snakItems(s.Qualifiers[propReplaces])
			h.replacedBy = snakItems(s.Qualifiers[propReplacedBy])
			h.juris = snakItems(s.Qualifiers[propJurisdiction])
			it.held = append(it.held, h)
		}
		out = append(out, it)
	}
	slices.SortFunc(out, func(a, b *item) int { return cmp.Or(a.line-b.line, strings.Compare(a.id, b.id)) })
	return out, nil
}

// itemOf is the item a snak names, or "".
func itemOf(s wdSnak) string {
	if s.SnakType != "value" || s.DataValue.Type != "wikibase-entityid" {
		return ""
	}
	var v struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(s.DataValue.Value, &v) != nil {
		return ""
	}
	return v.ID
}

// itemValues are the items the statements of a property name, deprecated
// ones left out.
func itemValues(ss []wdStatement) []string {
	var out []string
	for _, s := range ss {
		if id := itemOf(s.Mainsnak); id != "" && s.Rank != "deprecated" {
			out = append(out, id)
		}
	}
	return out
}

func snakItems(snaks []wdSnak) []string {
	var out []string
	for _, s := range snaks {
		if id := itemOf(s); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// timeOf is the first time value of a qualifier.
func timeOf(snaks []wdSnak) wdTime {
	for _, s := range snaks {
		if s.SnakType != "value" || s.DataValue.Type != "time" {
			continue
		}
		var v struct {
			Time      string `json:"time"`
			Precision int    `json:"precision"`
		}
		if json.Unmarshal(s.DataValue.Value, &v) == nil {
			return wdTime{value: v.Time, precision: v.Precision}
		}
	}
	return wdTime{}
}

var wdTimeRE = regexp.MustCompile(`^\+?(\d{4})-(\d{2})-(\d{2})T`)

// date is the time as the vocabulary writes it, as precise as Wikidata
// gives it: a year, a month or a day. ok is false when there is none;
// why says why a time that is there cannot be kept (a decade, a year
// before 1000).
func (t wdTime) date() (date string, ok bool, why string) {
	if t.value == "" {
		return "", false, ""
	}
	m := wdTimeRE.FindStringSubmatch(t.value)
	switch {
	case m == nil:
		return "", false, fmt.Sprintf("the time %s is not a year of four digits", t.value)
	case t.precision < 9:
		return "", false, fmt.Sprintf("the time %s is less precise than a year (precision %d)", t.value, t.precision)
	case t.precision == 9:
		return m[1], true, ""
	case t.precision == 10 && m[2] != "00":
		return m[1] + "-" + m[2], true, ""
	case t.precision >= 11 && m[2] != "00" && m[3] != "00":
		return m[1] + "-" + m[2] + "-" + m[3], true, ""
	}
	return "", false, fmt.Sprintf("the time %s lacks the part its precision %d names", t.value, t.precision)
}

// dayOf is the day of a timestamp ("2024-05-01T10:00:00Z"), or "".
func dayOf(ts string) string {
	if len(ts) >= 10 && schema.ValidDate(ts[:10]) {
		return ts[:10]
	}
	return ""
}

// lineOf is the line of the first occurrence of s in data, or 1.
func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 1
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// wdImport turns the items into sheets.
type wdImport struct {
	im     *Importer
	ctx    context.Context
	items  map[string]*item
	res    *Result
	places map[string]placeRef  // by item
	people map[string]personRef // by item
}

// placeRef is how a sheet names a place an item stands for.
type placeRef struct {
	item           string
	id, name, kind string // id "" for a place the sheet adds
	in             *placeRef
	ok             bool
}

// personRef is how a sheet names a person an item stands for.
type personRef struct {
	id, name string
	ok       bool
}

func (w *wdImport) problem(it *item, line int, format string, args ...any) {
	ps := &problems{file: it.file}
	ps.addf(at{line, 1}, format, args...)
	w.res.Problems = append(w.res.Problems, ps.list...)
}

// person makes the sheet of one person's positions.
func (w *wdImport) person(it *item) error {
	pos := at{it.line, 1}
	if it.label == "" {
		w.problem(it, it.line, "%s has no English label: a person needs a name", it.id)
		return nil
	}
	src := newEntry(pos).
		set("id", "source/wikidata-"+strings.ToLower(it.id), pos).
		set("title", fmt.Sprintf("Wikidata: %s (%s)", it.label, it.id), pos).
		set("publisher", "Wikidata", pos).
		set("date", cmp.Or(it.modified, "undated"), pos).
		set("url", itemURL(it), pos).
		set("revision", it.revision, pos).
		set("retrieved", w.im.Today, pos)
	doc := newSheetDoc(src)
	who, err := w.personRef(it, doc, pos)
	if err != nil || !who.ok {
		return err
	}
	for _, h := range it.held {
		if err := w.tenure(it, h, who, doc); err != nil {
			return err
		}
	}
	sh, ps := doc.sheet(it.file)
	w.res.Problems = append(w.res.Problems, ps...)
	if sh != nil {
		w.res.Sheets = append(w.res.Sheets, sh)
	}
	return nil
}

// itemURL is where the revision read can be seen.
func itemURL(it *item) string {
	if it.revision != "" {
		return fmt.Sprintf("https://www.wikidata.org/w/index.php?title=%s&oldid=%s", it.id, it.revision)
	}
	return "https://www.wikidata.org/wiki/" + it.id
}

// personRef finds the person an item stands for and lists them in the
// sheet with their item: the store's person that keeps the item, else the
// one person of the item's name, else a new one.
func (w *wdImport) personRef(it *item, doc *sheetDoc, pos at) (personRef, error) {
	if p, ok := w.people[it.id]; ok {
		if p.ok {
			w.listPerson(doc, it, p, pos)
		}
		return p, nil
	}
	p := personRef{name: it.label}
	same, err := w.im.sameAs(w.ctx, quad.IRI(EntityBase+it.id))
	if err != nil {
		return p, err
	}
	switch {
	case same != "":
		p.id, p.ok = schema.ShortID(same), true
		p.name = w.nameOf(same, it.label)
	default:
		ents, _, err := w.im.matches(w.ctx, it.label, schema.Person)
		if err != nil {
			return p, err
		}
		switch len(ents) {
		case 0:
			p.ok = true
		case 1:
			p.id, p.name, p.ok = ents[0].ID, ents[0].Name, true
		default:
			w.problem(it, pos.line, "%s %q fits %d people of the store: %s; say which is %s with same_as %s%s in a sheet", it.id, it.label, len(ents), quoteNames(ents), it.id, EntityBase, it.id)
		}
	}
	w.people[it.id] = p
	if p.ok {
		w.listPerson(doc, it, p, pos)
	}
	return p, nil
}

// listPerson lists a person in a sheet with their item.
func (w *wdImport) listPerson(doc *sheetDoc, it *item, p personRef, pos at) {
	e := newEntry(pos).set("name", p.name, pos).set("id", p.id, pos).set("same_as", EntityBase+it.id, pos)
	doc.add("people", e, it.id)
}

// nameOf is the store's name of a node, or fallback.
func (w *wdImport) nameOf(node quad.IRI, fallback string) string {
	vals, err := w.im.base.Linked(w.ctx, node, schema.Name, quad.Subject, quad.Object)
	if err != nil {
		return fallback
	}
	var names []string
	for _, v := range vals {
		if s, ok := schema.Literal(v); ok {
			names = append(names, s)
		}
	}
	if len(names) == 0 {
		return fallback
	}
	slices.Sort(names)
	return names[0]
}

// tenure adds one "position held" statement: its post (the position's
// label, in the place of its jurisdiction), its bounds as precise as
// Wikidata gives them, and the people it names before and after.
func (w *wdImport) tenure(it *item, h held, who personRef, doc *sheetDoc) error {
	pos := at{h.line, 1}
	position, ok := w.items[h.position]
	if !ok || position.label == "" {
		w.problem(it, h.line, "position %s (held by %s) is not in the files: add its entity (Special:EntityData/%s.json) for its name and jurisdiction", h.position, it.label, h.position)
		return nil
	}
	juris := cmp.Or(firstOf(position.juris), firstOf(h.juris))
	if juris == "" {
		w.problem(it, h.line, "position %s %q has no jurisdiction (P1001): a post needs the place it sits in", position.id, position.label)
		return nil
	}
	place, err := w.placeRef(it, juris, h.line)
	if err != nil || !place.ok {
		return err
	}
	w.listPlace(doc, place, pos)
	postName, postID := position.label, ""
	same, err := w.im.sameAs(w.ctx, quad.IRI(EntityBase+position.id))
	if err != nil {
		return err
	}
	if same != "" {
		postID, postName = schema.ShortID(same), w.nameOf(same, position.label)
	}
	placeNode := w.placeNode(place, pos)
	post := newEntry(pos).set("name", postName, pos).set("id", postID, pos).setNode("place", placeNode, pos).set("same_as", EntityBase+position.id, pos)
	doc.add("posts", post, position.id)

	e := newEntry(pos)
	e.setNode("person", w.personNode(who, pos), pos)
	if postID != "" {
		e.setNode("post", ref(postName, postID, pos), pos)
	} else {
		e.set("post", postName, pos)
	}
	e.setNode("place", w.placeNode(place, pos), pos)
	for _, b := range []struct {
		key string
		t   wdTime
	}{{"start", h.start}, {"end", h.end}} {
		date, ok, why := b.t.date()
		if ok {
			e.set(b.key, date, pos)
		} else if why != "" {
			w.res.Notes = append(w.res.Notes, fmt.Sprintf("%s:%d: %s of %s as %s: %s; it is left unknown", it.file, h.line, b.key, it.label, position.label, why))
		}
	}
	for _, n := range []struct {
		key   string
		items []string
	}{{"predecessor", h.replaces}, {"successor", h.replacedBy}} {
		if len(n.items) == 0 {
			continue
		}
		other, err := w.neighbour(doc, n.items[0], pos)
		if err != nil {
			return err
		}
		if !other.ok {
			w.res.Notes = append(w.res.Notes, fmt.Sprintf("%s:%d: the %s of %s as %s, %s, is neither in the files nor the same as a person of the store; left out", it.file, h.line, n.key, it.label, position.label, n.items[0]))
			continue
		}
		e.setNode(n.key, w.personNode(other, pos), pos)
	}
	doc.add("tenures", e, "")
	return nil
}

// neighbour is the person a statement names before or after: the store's
// person that keeps the item, or the item's label when the files have it.
func (w *wdImport) neighbour(doc *sheetDoc, id string, pos at) (personRef, error) {
	if it, ok := w.items[id]; ok && it.label != "" {
		return w.personRef(it, doc, pos)
	}
	same, err := w.im.sameAs(w.ctx, quad.IRI(EntityBase+id))
	if err != nil || same == "" {
		return personRef{}, err
	}
	return personRef{id: schema.ShortID(same), name: w.nameOf(same, id), ok: true}, nil
}

func (w *wdImport) personNode(p personRef, pos at) *yaml.Node {
	if p.id != "" {
		return ref(p.name, p.id, pos)
	}
	return scalar(p.name, pos)
}

// placeRef finds the place an item stands for: the store's place that
// keeps the item, else the one place of its English label or an alias,
// else a new place when the files say what kind it is (P31) and which
// place it lies in (P131).
func (w *wdImport) placeRef(it *item, id string, line int) (placeRef, error) {
	if p, ok := w.places[id]; ok {
		return p, nil
	}
	p, why, err := w.findPlace(id, 0)
	if err != nil {
		return p, err
	}
	if !p.ok {
		w.problem(it, line, "%s", why)
	}
	w.places[id] = p
	return p, nil
}

func (w *wdImport) findPlace(id string, depth int) (placeRef, string, error) {
	p, why, err := w.locate(id)
	it, inFiles := w.items[id]
	if err != nil || why != "" || !inFiles || len(it.in) == 0 || depth > 4 {
		return p, why, err
	}
	// Where the files say the place lies: for a place the store has, a fact
	// more, and the same one every import of these files writes.
	parent, pwhy, err := w.findPlace(it.in[0], depth+1)
	switch {
	case err != nil:
		return p, "", err
	case parent.ok:
		p.in, p.ok = &parent, true
	case p.id == "":
		return placeRef{}, cmp.Or(pwhy, fmt.Sprintf("place %s %q lies in %s, which is not a place the store has", id, it.label, it.in[0])), nil
	}
	return p, "", nil
}

// locate finds the place an item stands for, without where it lies: by
// the item, by its name or an alias, or, when the files say what kind of
// place it is and where it lies, as a new one (ok false until findPlace
// finds that place).
func (w *wdImport) locate(id string) (placeRef, string, error) {
	same, err := w.im.sameAs(w.ctx, quad.IRI(EntityBase+id))
	if err != nil {
		return placeRef{}, "", err
	}
	it, inFiles := w.items[id]
	label := id
	if inFiles && it.label != "" {
		label = it.label
	}
	if same != "" {
		kind, err := w.im.placeKind(w.ctx, same)
		return placeRef{item: id, id: schema.ShortID(same), name: w.nameOf(same, label), kind: kind, ok: true}, "", err
	}
	if !inFiles || it.label == "" {
		return placeRef{}, fmt.Sprintf("place %s is neither in the files nor the same as a place of the store: add its entity (Special:EntityData/%s.json)", id, id), nil
	}
	kind := ""
	for _, k := range it.kinds {
		if kind = placeKinds[k]; kind != "" {
			break
		}
	}
	for _, name := range append([]string{it.label}, it.aliases...) {
		ents, _, err := w.im.matches(w.ctx, name, schema.Place)
		if err != nil {
			return placeRef{}, "", err
		}
		if len(ents) > 1 && kind != "" { // Jilin the province, not the city
			if ents, err = w.ofKind(ents, kind); err != nil {
				return placeRef{}, "", err
			}
		}
		switch len(ents) {
		case 0:
			continue
		case 1:
			kind, err := w.im.placeKind(w.ctx, schema.ID(ents[0].ID))
			return placeRef{item: id, id: ents[0].ID, name: ents[0].Name, kind: kind, ok: true}, "", err
		default:
			return placeRef{}, fmt.Sprintf("place %s %q fits %d places of the store: %s; say which is %s with same_as %s%s in a sheet", id, name, len(ents), quoteNames(ents), id, EntityBase, id), nil
		}
	}
	if kind == "" || len(it.in) == 0 {
		return placeRef{}, fmt.Sprintf("place %s %q is not in the store, and the files do not say what kind of place it is (P31: a province or prefecture-level city) and where it lies (P131): add it to the store first, with a sheet", id, it.label), nil
	}
	return placeRef{item: id, name: it.label, kind: kind}, "", nil
}

// ofKind keeps the places of a kind.
func (w *wdImport) ofKind(ents []graph.Entity, kind string) ([]graph.Entity, error) {
	var out []graph.Entity
	for _, e := range ents {
		k, err := w.im.placeKind(w.ctx, schema.ID(e.ID))
		if err != nil {
			return nil, err
		}
		if k == kind {
			out = append(out, e)
		}
	}
	return out, nil
}

// listPlace lists a place in the sheet with its item: a place of the store
// by id, with its own name and kind; a new one with the kind and place
// the files give.
func (w *wdImport) listPlace(doc *sheetDoc, p placeRef, pos at) {
	if p.in != nil && p.in.id == "" {
		w.listPlace(doc, *p.in, pos) // new, in a new place: the container first
	}
	e := newEntry(pos).set("name", p.name, pos).set("id", p.id, pos).set("kind", p.kind, pos)
	if p.in != nil {
		e.setNode("in", w.placeNode(*p.in, pos), pos)
	}
	e.set("same_as", EntityBase+p.item, pos)
	doc.add("places", e, p.item)
}

func (w *wdImport) placeNode(p placeRef, pos at) *yaml.Node {
	if p.id != "" {
		return ref(p.name, p.id, pos)
	}
	return scalar(p.name, pos)
}

func firstOf(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}
