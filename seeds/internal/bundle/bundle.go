// Package bundle builds the bundled dataset's N-Quads from its sheets: each
// sheet compiled in order against those before it, as `rustbelt add` would
// add them to an empty store, and written one N-Quads file per sheet.
package bundle

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
)

// Compile reads every sheet (*.yaml) of fsys, in name order, and returns
// the N-Quads each compiles to, by the name of the file it belongs in:
// 000_….yaml gives 000_….nq.
func Compile(ctx context.Context, fsys fs.FS) (map[string][]byte, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	var sheets []*sheet.Sheet
	var problems schema.Problems
	for _, name := range names { // fs.Glob sorts
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		sh, ps := sheet.Parse(name, data)
		problems = append(problems, ps...)
		if sh != nil {
			sheets = append(sheets, sh)
		}
	}
	results, more, err := sheet.Compile(ctx, nil, sheets)
	if err != nil {
		return nil, err
	}
	if problems = append(problems, more...); len(problems) > 0 {
		return nil, fmt.Errorf("the bundled sheets have %d problem(s):\n%w", len(problems), problems)
	}
	out := map[string][]byte{}
	for _, r := range results {
		var b bytes.Buffer
		fmt.Fprintf(&b, "# Code generated from %s by go generate ./seeds; DO NOT EDIT: edit the sheet.\n", r.File)
		if _, err := schema.WriteQuads(&b, schema.NQuads, r.Quads); err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(r.File, path.Ext(r.File))+".nq"] = b.Bytes()
	}
	return out, nil
}
