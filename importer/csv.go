package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
)

// Columns are the fields of a career CSV, one row a tenure, in the order
// of the default header; a header names them so, or --map maps its own
// names to them.
var Columns = []string{
	"person", "post", "organization", "place", "start", "end", "kind",
	"source_title", "source_publisher", "source_date", "source_url",
	// Optional: a new place's container and kind, the holders a source
	// names before and after, a note on the dates.
	"place_in", "place_kind", "predecessor", "successor", "date_note",
}

// Ignore is the field a column maps to that the import leaves out.
const Ignore = "-"

// requiredColumns are the fields every career CSV gives.
var requiredColumns = []string{"person", "post", "source_title"}

// CSV reads a career table: a header, then one tenure a row. mapping maps
// the header's own column names to Columns (or to Ignore). Every row
// that is wrong is a problem at its line and column; the sheets (one per
// source the rows cite) are built from the rows that are right, so that
// compiling them reports the rest.
func (im *Importer) CSV(ctx context.Context, file string, data []byte, mapping map[string]string) ([]*sheet.Sheet, schema.Problems, error) {
	ps := &problems{file: file}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // rows of the wrong length are reported here, with their line
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			ps.addf(at{1, 1}, "the file is empty: a career table starts with a header (%s)", strings.Join(Columns[:11], ","))
		} else {
			ps.csvError(err)
		}
		return nil, ps.list, nil
	}
	cols := ps.header(header, mapping)
	if len(ps.list) > 0 {
		return nil, ps.list, nil
	}
	t := &csvTable{im: im, ps: ps, docs: map[string]*sheetDoc{}, first: map[string]map[string]string{}, newPlaces: map[string]newPlace{}}
	var rows []csvRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			ps.csvError(err)
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Line > 0 {
				continue
			}
			return nil, ps.list, nil
		}
		line, _ := cr.FieldPos(0)
		row := csvRow{fields: map[string]string{}, pos: map[string]at{}, line: line}
		for field, i := range cols {
			if i < len(rec) {
				l, c := cr.FieldPos(i)
				row.fields[field], row.pos[field] = strings.TrimSpace(rec[i]), at{l, c}
			}
		}
		if len(rec) != len(header) {
			ps.addf(at{line, 1}, "the row has %d fields, the header %d", len(rec), len(header))
			continue
		}
		rows = append(rows, row)
	}
	t.declarePlaces(rows)
	for _, row := range rows {
		if err := t.row(ctx, row); err != nil {
			return nil, nil, err
		}
	}
	var sheets []*sheet.Sheet
	for _, key := range t.order {
		sh, more := t.docs[key].sheet(file)
		ps.list = append(ps.list, more...)
		if sh != nil {
			sheets = append(sheets, sh)
		}
	}
	return sheets, ps.list, nil
}

// header maps the columns of the header to fields, by index.
func (ps *problems) header(header []string, mapping map[string]string) map[string]int {
	cols := map[string]int{}
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		seen[name] = true
		field, mapped := mapping[name]
		if !mapped {
			field = name
		}
		pos := at{1, i + 1}
		switch {
		case field == Ignore:
		case !slices.Contains(Columns, field) && mapped:
			ps.addf(pos, "--map %s=%s: %q is not a field; the fields are %s, or - to leave the column out", name, field, field, strings.Join(Columns, ", "))
		case !slices.Contains(Columns, field):
			ps.addf(pos, "unknown column %q: the fields are %s; map it with --map '%s=FIELD', or --map '%s=-' to leave it out", name, strings.Join(Columns, ", "), name, name)
		default:
			if j, dup := cols[field]; dup {
				ps.addf(pos, "column %q gives %s, as column %d does", name, field, j+1)
				continue
			}
			cols[field] = i
		}
	}
	var unknown []string
	for col := range mapping {
		if !seen[col] {
			unknown = append(unknown, col)
		}
	}
	sort.Strings(unknown)
	for _, col := range unknown {
		ps.addf(at{1, 1}, "--map names column %q, which the header does not have", col)
	}
	for _, need := range requiredColumns {
		if _, ok := cols[need]; !ok {
			ps.addf(at{1, 1}, "the header has no %s column: a career table gives %s on every row", need, strings.Join(requiredColumns, ", "))
		}
	}
	return cols
}

// csvError reports a CSV syntax error at its line.
func (ps *problems) csvError(err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		ps.addf(at{pe.Line, pe.Column}, "CSV syntax: %v", pe.Err)
		return
	}
	ps.addf(at{1, 1}, "CSV: %v", err)
}

// csvRow is one row: its fields by name, and where each was read.
type csvRow struct {
	fields map[string]string
	pos    map[string]at
	line   int
}

func (r csvRow) at(field string) at {
	if p, ok := r.pos[field]; ok {
		return p
	}
	return at{r.line, 1}
}

// csvTable turns rows into one sheet per source.
type csvTable struct {
	im    *Importer
	ps    *problems
	docs  map[string]*sheetDoc
	order []string
	first map[string]map[string]string // what the first row of each source says of it
	// newPlaces are the places the rows add, by lower-cased name.
	newPlaces map[string]newPlace
}

// sourceFields are what a row says of its source, by the sheet key each
// writes.
var sourceFields = []struct{ column, key string }{
	{"source_title", "title"}, {"source_publisher", "publisher"}, {"source_date", "date"}, {"source_url", "url"},
}

// row adds one tenure to the sheet of its source.
func (t *csvTable) row(ctx context.Context, r csvRow) error {
	empty := true
	for _, v := range r.fields {
		empty = empty && v == ""
	}
	if empty {
		return nil
	}
	title := r.fields["source_title"]
	if title == "" {
		t.ps.addf(r.at("source_title"), "source_title is empty: every tenure needs the article or document it comes from")
		return nil
	}
	key := strings.ToLower(title)
	doc := t.docs[key]
	if doc == nil {
		src := newEntry(r.at("source_title"))
		vals := map[string]string{}
		for _, f := range sourceFields {
			src.set(f.key, r.fields[f.column], r.at(f.column))
			vals[f.column] = r.fields[f.column]
		}
		vals["line"] = fmt.Sprint(r.line)
		doc = newSheetDoc(src)
		t.docs[key], t.first[key] = doc, vals
		t.order = append(t.order, key)
	} else {
		for _, f := range sourceFields[1:] {
			if v, first := r.fields[f.column], t.first[key][f.column]; v != first {
				t.ps.addf(r.at(f.column), "%s: %q here, %q at line %s for the same source_title: one title is one source", f.column, v, first, t.first[key]["line"])
			}
		}
	}
	// A row with a problem here is left out of the sheet, whose own
	// problems with it would say the same again.
	if ok, err := t.place(ctx, doc, r); err != nil || !ok {
		return err
	}
	e := newEntry(at{r.line, 1})
	for _, key := range []string{"person", "post", "place", "organization", "start", "end", "kind", "predecessor", "successor"} {
		e.set(key, r.fields[key], r.at(key))
	}
	e.set("date_note", r.fields["date_note"], r.at("date_note"))
	doc.add("tenures", e, "")
	return nil
}

// place lists a row's place in its sheet when a row of the file says where
// it lies and what kind it is; else the place must be the store's, and a
// name that fits none is a problem (a name that fits several is left for
// the sheet to report, with them). ok is false when the row's place is a
// problem.
func (t *csvTable) place(ctx context.Context, doc *sheetDoc, r csvRow) (ok bool, err error) {
	name := r.fields["place"]
	if name == "" {
		return true, nil
	}
	if p, ok := t.newPlaces[strings.ToLower(name)]; ok {
		doc.add("places", newEntry(r.at("place")).set("name", name, r.at("place")).set("kind", p.kind, p.kindAt).set("in", p.in, p.inAt), name)
		return true, nil
	}
	ents, closest, err := t.im.matches(ctx, name, schema.Place)
	if err != nil || len(ents) > 0 {
		return err == nil, err
	}
	in, kind := r.fields["place_in"], r.fields["place_kind"]
	switch {
	case in == "" && len(closest) > 0:
		t.ps.addf(r.at("place"), "place: no place is named %q; did you mean %s? A new place needs place_in (the place it lies in) and place_kind", name, quoteNames(closest))
	case in == "":
		t.ps.addf(r.at("place"), "place: no place is named %q: a new place needs place_in (the place it lies in) and place_kind", name)
	case kind == "":
		t.ps.addf(r.at("place_in"), "place_kind is empty: %q is a new place, and needs its kind (city, county, district…)", name)
	default:
		return true, nil // an existing place: place_in without place_kind says nothing more
	}
	return false, nil
}

// newPlace is where a row says a place lies and what kind it is, and
// where the row says so.
type newPlace struct {
	in, kind     string
	inAt, kindAt at
}

// declarePlaces gathers the places rows give place_in and place_kind for,
// the first row of each: every sheet whose rows name such a place lists it
// with them, whether the store has it or not, so that importing the file
// again, or with --replace, writes the same facts of it as the first time.
func (t *csvTable) declarePlaces(rows []csvRow) {
	for _, r := range rows {
		name, in, kind := r.fields["place"], r.fields["place_in"], r.fields["place_kind"]
		key := strings.ToLower(name)
		if _, seen := t.newPlaces[key]; name != "" && in != "" && kind != "" && !seen {
			t.newPlaces[key] = newPlace{in: in, kind: kind, inAt: r.at("place_in"), kindAt: r.at("place_kind")}
		}
	}
}
