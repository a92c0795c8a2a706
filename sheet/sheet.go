// Package sheet reads and writes source sheets: one source's facts in YAML,
// with names where the quads have IRIs. A sheet compiles to quads labelled
// with its source, its names resolved by graph's resolver against the
// sheet itself and the store; a source in the store writes back as a sheet
// that compiles to the same quads. docs/sheets.md describes the format.
package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rustbelt/rustbelt/schema"
)

// MaxBytes bounds a sheet: a source's facts are kilobytes.
const MaxBytes = 4 << 20

// Sheet is one sheet as read: its entries by section, not yet resolved.
type Sheet struct {
	// File names the sheet in messages.
	File    string
	source  *entry
	entries map[*section][]*entry
	// malformed says Parse found problems: what it dropped may leave
	// records incomplete, which goes without saying.
	malformed bool
}

// entry is one item of a section (or the source): its keys and values.
type entry struct {
	sec  *section
	node *yaml.Node            // the entry's mapping
	vals map[string]*yaml.Node // value by key
	keys map[string]*yaml.Node // key node by key, for positions
	bad  map[string]bool       // keys whose values Parse refused
}

// value returns the text of a scalar key, or "" when it is absent.
func (e *entry) value(key string) string {
	if n := e.vals[key]; n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// Parse reads a sheet. Problems are every mistake of form (YAML syntax,
// unknown keys, a list where one value goes), each at its line and column;
// the entries that are well formed are kept, so that Compile can report
// their own problems too. A sheet that is not YAML at all is nil.
func Parse(file string, data []byte) (*Sheet, schema.Problems) {
	p := parser{file: file}
	if len(data) > MaxBytes {
		p.addf(&yaml.Node{Line: 1, Column: 1}, "the sheet is larger than %d bytes", MaxBytes)
		return nil, p.problems
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.addf(&yaml.Node{Line: 1, Column: 1}, "the sheet is empty: it needs at least a source")
		} else {
			p.syntax(err)
		}
		return nil, p.problems
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		p.addf(&more, "a sheet holds one YAML document; start another file for another source")
	} else if !errors.Is(err, io.EOF) {
		p.syntax(err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	sh := p.sheet(root)
	if sh != nil {
		sh.malformed = len(p.problems) > 0
	}
	return sh, p.problems
}

// FromNode reads a sheet that a program has built as a YAML node tree
// rather than as text: an importer's rows, each node at the line and
// column of the input it comes from, so that problems point there. It
// checks what Parse checks.
func FromNode(file string, root *yaml.Node) (*Sheet, schema.Problems) {
	p := parser{file: file}
	sh := p.sheet(root)
	if sh != nil {
		sh.malformed = len(p.problems) > 0
	}
	return sh, p.problems
}

// parser collects the problems of one sheet.
type parser struct {
	file     string
	problems schema.Problems
}

func (p *parser) addf(n *yaml.Node, format string, args ...any) {
	p.problems = append(p.problems, problemAt(p.file, n, format, args...))
}

// problemAt is a problem at a node's line and column.
func problemAt(file string, n *yaml.Node, format string, args ...any) schema.Problem {
	return schema.Problem{Pos: posOf(file, n), Msg: fmt.Sprintf(format, args...)}
}

func posOf(file string, n *yaml.Node) schema.Pos {
	return schema.Pos{File: file, Line: max(n.Line, 1), Col: max(n.Column, 1)}
}

// yamlLine finds the line in the YAML library's error messages, which give
// no column.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

func (p *parser) syntax(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(err.Error(), m[0])
	}
	p.addf(&yaml.Node{Line: line, Column: 1}, "YAML syntax: %s", msg)
}

// duplicate reports (once) a key that a mapping already has.
func (p *parser) duplicate(m *yaml.Node, i int) bool {
	k := m.Content[i]
	for j := 0; j < i; j += 2 {
		if m.Content[j].Value == k.Value {
			p.addf(k, "%s is given twice (first at line %d)", k.Value, m.Content[j].Line)
			return true
		}
	}
	return false
}

// sheet reads a sheet's top-level mapping.
func (p *parser) sheet(root *yaml.Node) *Sheet {
	if root.Kind != yaml.MappingNode {
		p.addf(root, "a sheet is a mapping of source, people, places, …; see docs/sheets.md")
		return nil
	}
	sh := &Sheet{File: p.file, entries: map[*section][]*entry{}}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], resolveAlias(root.Content[i+1])
		if p.duplicate(root, i) {
			continue
		}
		if k.Value == sourceSection.key {
			if v.Kind != yaml.MappingNode {
				p.addf(v, "source is a mapping of title, publisher, date, …")
				continue
			}
			sh.source = p.entry(sourceSection, v)
			continue
		}
		sec := sectionByKey(k.Value)
		if sec == nil {
			p.addf(k, "unknown section %q; a sheet has %s", k.Value, strings.Join(sectionKeys(), ", "))
			continue
		}
		if isNull(v) {
			continue // an empty section
		}
		if v.Kind != yaml.SequenceNode {
			p.addf(v, "%s is a list of entries, each starting with -", sec.key)
			continue
		}
		for _, item := range v.Content {
			item = resolveAlias(item)
			if item.Kind != yaml.MappingNode {
				p.addf(item, "an entry of %s is a mapping of %s", sec.key, strings.Join(sec.keys(), ", "))
				continue
			}
			sh.entries[sec] = append(sh.entries[sec], p.entry(sec, item))
		}
	}
	if sh.source == nil {
		p.addf(root, "the sheet has no source: every fact needs the article it comes from")
	}
	return sh
}

// entry reads one entry's keys, checking each against its section.
func (p *parser) entry(sec *section, m *yaml.Node) *entry {
	e := &entry{sec: sec, node: m, vals: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}, bad: map[string]bool{}}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], resolveAlias(m.Content[i+1])
		if p.duplicate(m, i) {
			continue
		}
		key := k.Value
		if isNull(v) {
			continue // "description:" with nothing after it says nothing
		}
		switch f, ok := sec.field(key); {
		case key == idKey || key == sec.name || key == inferredKey && sec != sourceSection:
			if v.Kind != yaml.ScalarNode {
				p.addf(v, "%s is one value", key)
				e.bad[key] = true
				continue
			}
		case !ok:
			p.addf(k, "unknown key %q for %s; it may have %s", key, sec.label(), strings.Join(sec.keys(), ", "))
			continue
		case !p.fieldShape(f, v):
			e.bad[key] = true
			continue
		}
		e.vals[key], e.keys[key] = v, k
	}
	return e
}

// fieldShape checks that a value has the form its field takes: a scalar, a
// reference mapping, or a list of them where the field takes several.
func (p *parser) fieldShape(f field, v *yaml.Node) bool {
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		if !f.many {
			p.addf(v, "%s is one value, not a list", f.key)
			return false
		}
		items = v.Content
	}
	ok := true
	for _, it := range items {
		it = resolveAlias(it)
		switch {
		case it.Kind == yaml.ScalarNode && !isNull(it):
		case it.Kind == yaml.MappingNode && f.kind == ref:
			ok = p.refShape(f, it) && ok
		case f.kind == ref:
			p.addf(it, "%s names an entity: a name, an id, or {name: …, kind: …}", f.key)
			ok = false
		default:
			p.addf(it, "%s is a value such as text or a number", f.key)
			ok = false
		}
	}
	return ok
}

// refKeys are the keys of a reference written as a mapping.
var refKeys = []string{"name", "kind", idKey, inferredKey}

func (p *parser) refShape(f field, m *yaml.Node) bool {
	ok := true
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], resolveAlias(m.Content[i+1])
		switch {
		case p.duplicate(m, i):
			ok = false
		case !slices.Contains(refKeys, k.Value):
			p.addf(k, "unknown key %q in a reference; it may have %s", k.Value, strings.Join(refKeys, ", "))
			ok = false
		case v.Kind != yaml.ScalarNode:
			p.addf(v, "%s of a reference is one value", k.Value)
			ok = false
		}
	}
	if mapValue(m, "name") == "" && mapValue(m, idKey) == "" {
		p.addf(m, "a reference in %s needs a name or an id", f.key)
		ok = false
	}
	return ok
}

// mapValue returns the scalar value of key in mapping m, or "".
func mapValue(m *yaml.Node, key string) string {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			if v := resolveAlias(m.Content[i+1]); v.Kind == yaml.ScalarNode && !isNull(v) {
				return strings.TrimSpace(v.Value)
			}
		}
	}
	return ""
}

// mapNode returns the value node of key in mapping m, or nil.
func mapNode(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return resolveAlias(m.Content[i+1])
		}
	}
	return nil
}

// items returns a value's items: the list's, or the one value.
func items(v *yaml.Node) []*yaml.Node {
	if v == nil {
		return nil
	}
	if v.Kind == yaml.SequenceNode {
		out := make([]*yaml.Node, len(v.Content))
		for i, it := range v.Content {
			out[i] = resolveAlias(it)
		}
		return out
	}
	return []*yaml.Node{v}
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// isNull reports a YAML null (nothing, ~ or null, unquoted): a key that
// says nothing.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func sectionByKey(key string) *section {
	for _, s := range sections {
		if s.key == key {
			return s
		}
	}
	return nil
}

func sectionKeys() []string {
	out := []string{sourceSection.key}
	for _, s := range sections {
		out = append(out, s.key)
	}
	return out
}
