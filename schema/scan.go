package schema

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// MaxLineBytes bounds one N-Quads line, so a file without newlines cannot
// make the reader hold it all in memory.
const MaxLineBytes = 1 << 20

// ScanNQuads reads N-Quads from r line by line and calls each with every quad
// and its position. Syntax errors become Problems (every one, not just the
// first); an error returned by each or by the reader stops the scan.
func ScanNQuads(r io.Reader, file string, each func(Pos, quad.Quad) error) (Problems, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLineBytes)
	var problems Problems
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		pos := Pos{File: file, Line: line}
		q, err := nquads.Parse(text)
		if err != nil {
			problems = append(problems, Problem{Pos: pos, Msg: syntaxMessage(err)})
			continue
		}
		if !q.IsValid() {
			problems = append(problems, Problem{Pos: pos, Msg: "incomplete quad: expected subject, predicate and object"})
			continue
		}
		if err := each(pos, q); err != nil {
			return problems, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return append(problems, Problem{Pos: Pos{File: file, Line: line + 1}, Msg: fmt.Sprintf("line longer than %d bytes", MaxLineBytes)}), nil
		}
		return problems, fmt.Errorf("read %s: %w", file, err)
	}
	return problems, nil
}

// ScanQuads reads the quads of a format without lines (JSON-LD, Cayley's
// JSON) from r and calls each with every quad; positions name the file and
// the quad. Such readers cannot go on after a syntax error, so the first one
// ends the scan as a Problem, named after format.
func ScanQuads(r quad.Reader, file, format string, each func(Pos, quad.Quad) error) (Problems, error) {
	var problems Problems
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			return problems, nil
		} else if err != nil {
			return append(problems, Problem{Pos: Pos{File: file}, Msg: format + " syntax: " + err.Error()}), nil
		}
		pos := Pos{File: file, Quad: quadText(q)}
		if !q.IsValid() {
			problems = append(problems, Problem{Pos: pos, Msg: "incomplete quad: expected subject, predicate and object"})
			continue
		}
		if err := each(pos, q); err != nil {
			return problems, err
		}
	}
}

// quadText writes q as N-Quads without the closing dot, to name it in messages.
func quadText(q quad.Quad) string {
	s := fmt.Sprintf("%v %v %v", q.Subject, q.Predicate, q.Object)
	if q.Label != nil {
		s += fmt.Sprintf(" %v", q.Label)
	}
	return s
}

// syntaxMessage turns the parser's error into one that says what was expected.
func syntaxMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "nquads: ")
	return "N-Quads syntax: " + msg + " (expected <subject> <predicate> object <source> .)"
}
