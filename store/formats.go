package store

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	_ "github.com/cayleygraph/quad/json" // registers Cayley's JSON quad formats
	"github.com/cayleygraph/quad/jsonld"
	_ "github.com/cayleygraph/quad/pquads" // registers Cayley's binary dump format

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// InputFormats lists the names of the quad formats Load and Validate read,
// as Cayley's load names them: every format of Cayley's quad library that
// has a reader.
func InputFormats() []string {
	var names []string
	for _, f := range quad.Formats() {
		if f.Reader != nil {
			names = append(names, f.Name)
		}
	}
	sort.Strings(names)
	return names
}

// FormatOf names the format of a file from its extension, after a .gz:
// "x.jsonld.gz" is JSON-LD. As in Cayley, an unknown extension means N-Quads.
func FormatOf(path string) string {
	ext := filepath.Ext(strings.TrimSuffix(path, ".gz"))
	if f := quad.FormatByExt(strings.ToLower(ext)); f != nil {
		return f.Name
	}
	return schema.NQuads
}

// scan reads the quads of one input in its format. N-Quads are read line by
// line, so problems carry line numbers; other formats name the quad.
func scan(r io.Reader, in Input, each func(schema.Pos, quad.Quad) error) (schema.Problems, error) {
	name := in.Format
	if name == "" || name == schema.NQuads {
		return schema.ScanNQuads(r, in.Name, each)
	}
	f := quad.FormatByName(name)
	if f == nil || f.Reader == nil {
		return nil, fail.Errorf(fail.Invalid, "%s: cannot read format %q (readable: %s)", in.Name, name, strings.Join(InputFormats(), ", "))
	}
	if name == "jsonld" {
		return scanJSONLD(r, in, each)
	}
	qr := f.Reader(r)
	defer qr.Close()
	return schema.ScanQuads(qr, in.Name, name, each)
}

// scanJSONLD reads a JSON-LD document. The quad library's reader would fetch
// any remote @context over the network, with no time limit, while the user
// waits on a load; a document that names one is refused instead, with a
// message saying to inline the context.
func scanJSONLD(r io.Reader, in Input, each func(schema.Pos, quad.Quad) error) (schema.Problems, error) {
	var doc any
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return schema.Problems{{Pos: schema.Pos{File: in.Name}, Msg: "jsonld syntax: " + err.Error()}}, nil
	}
	if ctx, ok := remoteContext(doc); ok {
		return schema.Problems{{Pos: schema.Pos{File: in.Name}, Msg: fmt.Sprintf("jsonld: remote @context %q is not fetched; put the context in the document", ctx)}}, nil
	}
	qr := jsonld.NewReaderFromMap(doc)
	defer qr.Close()
	return schema.ScanQuads(jsonldReader{qr}, in.Name, "jsonld", each)
}

// remoteContext finds an @context given by reference (a string) anywhere
// in a decoded JSON-LD document, or an @import (JSON-LD 1.1), which names a
// context to fetch and merge.
func remoteContext(v any) (string, bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if k == "@context" || k == "@import" {
				if ref, ok := contextRef(x); ok {
					return ref, true
				}
			}
			if ref, ok := remoteContext(x); ok {
				return ref, true
			}
		}
	case []any:
		for _, x := range v {
			if ref, ok := remoteContext(x); ok {
				return ref, true
			}
		}
	}
	return "", false
}

// contextRef reports a context value that names a document to fetch.
func contextRef(ctx any) (string, bool) {
	switch c := ctx.(type) {
	case string:
		return c, true
	case []any:
		for _, x := range c {
			if s, ok := x.(string); ok {
				return s, true
			}
		}
	}
	return "", false
}

// jsonldReader mends the blank nodes of the JSON-LD reader of Cayley's quad
// library, which keeps the "_:" of the processor's names in the node's name,
// so that they would be written back as _:_:b0. Dump has the mirror image.
type jsonldReader struct{ quad.Reader }

func (r jsonldReader) ReadQuad() (quad.Quad, error) {
	q, err := r.Reader.ReadQuad()
	for _, v := range []*quad.Value{&q.Subject, &q.Object, &q.Label} {
		if b, ok := (*v).(quad.BNode); ok {
			*v = quad.BNode(strings.TrimPrefix(string(b), "_:"))
		}
	}
	return q, err
}
