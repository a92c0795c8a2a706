package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

// formatFlag is the --format flag every listing command takes.
var formatFlag = &cli.StringFlag{
	Name:  "format",
	Usage: "output `FORMAT`: table, json or csv (default: table on a terminal, json otherwise)",
}

// outputFormat picks the format: the flag, else table on a terminal and
// JSON for programs.
func (m *Main) outputFormat(c *cli.Context) (string, error) {
	switch f := c.String("format"); f {
	case "table", "json", "csv":
		return f, nil
	case "":
		if isTerminal(m.Stdout) {
			return "table", nil
		}
		return "json", nil
	default:
		return "", usageError{fmt.Errorf("unknown --format %q: expected table, json or csv", f)}
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// render writes rows, a slice of structs, in the chosen format. It is the
// one renderer of every listing command: columns come from the structs'
// json tags, and fields tagged table:"-" stay out of tables.
func (m *Main) render(c *cli.Context, rows any) error {
	format, err := m.outputFormat(c)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		return writeJSON(m.Stdout, rows)
	case "csv":
		return writeCSV(m.Stdout, rows)
	}
	return writeTable(m.Stdout, rows, tableWidth())
}

func writeJSON(w io.Writer, v any) error {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.IsNil() {
		v = []any{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// column is one field of the row struct.
type column struct {
	name  string
	index int
	table bool
}

func columns(t reflect.Type) []column {
	var cols []column
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			continue // embedded structs are not listing rows
		}
		if name == "" {
			name = f.Name
		}
		cols = append(cols, column{name: name, index: i, table: f.Tag.Get("table") != "-"})
	}
	return cols
}

func rowsOf(rows any) (reflect.Value, []column) {
	rv := reflect.ValueOf(rows)
	return rv, columns(rv.Type().Elem())
}

func writeCSV(w io.Writer, rows any) error {
	rv, cols := rowsOf(rows)
	cw := csv.NewWriter(w)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := 0; i < rv.Len(); i++ {
		rec := make([]string, len(cols))
		for j, c := range cols {
			rec[j] = cell(rv.Index(i).Field(c.index), false)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// tableCells is a row that writes some of its table cells itself: a figure
// with its bound ("more than 3 trillion"), a source that states no title.
// JSON and CSV keep the plain fields.
type tableCells interface {
	TableCell(column string) (text string, ok bool)
}

// tableCell renders one cell of a table row.
func tableCell(row reflect.Value, c column) string {
	if tc, ok := row.Interface().(tableCells); ok {
		if text, ok := tc.TableCell(c.name); ok {
			return text
		}
	}
	return cell(row.Field(c.index), true)
}

// cell renders one value; human is for tables (3 billion, publisher and
// date of a source), otherwise machine-readable (3000000000, source ids).
func cell(v reflect.Value, human bool) string {
	switch x := v.Interface().(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	case float64:
		if human {
			return graph.HumanNumber(x)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []string:
		return strings.Join(x, "; ")
	case []graph.SourceRef:
		parts := make([]string, len(x))
		for i, s := range x {
			if human {
				parts[i] = s.String()
			} else {
				parts[i] = s.ID
			}
		}
		return strings.Join(parts, "; ")
	case []graph.Disagreement:
		parts := make([]string, len(x))
		for i, d := range x {
			parts[i] = d.Text(human)
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v.Interface())
}

// tableWidth is $COLUMNS, or 100.
func tableWidth() int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n >= 40 {
		return n
	}
	return 100
}

// writeTable aligns rows in columns that fit width, wrapping long cells over
// several lines at word boundaries.
func writeTable(w io.Writer, rows any, width int) error {
	rv, all := rowsOf(rows)
	var cols []column
	for _, c := range all {
		if c.table {
			cols = append(cols, c)
		}
	}
	cells := make([][]string, rv.Len()+1)
	cells[0] = make([]string, len(cols))
	for j, c := range cols {
		cells[0][j] = strings.ToUpper(strings.ReplaceAll(c.name, "_", " "))
	}
	for i := 0; i < rv.Len(); i++ {
		cells[i+1] = make([]string, len(cols))
		for j, c := range cols {
			cells[i+1][j] = tableCell(rv.Index(i), c)
		}
	}
	widths := fitWidths(cells, width)
	var b strings.Builder
	for _, row := range cells {
		wrapped := make([][]string, len(row))
		lines := 1
		for j, text := range row {
			wrapped[j] = wrap(text, widths[j])
			lines = max(lines, len(wrapped[j]))
		}
		for l := 0; l < lines; l++ {
			var line strings.Builder
			for j := range row {
				part := ""
				if l < len(wrapped[j]) {
					part = wrapped[j][l]
				}
				line.WriteString(part)
				if j < len(row)-1 {
					line.WriteString(strings.Repeat(" ", max(widths[j]-cellWidth(part), 0)+2))
				}
			}
			b.WriteString(strings.TrimRight(line.String(), " "))
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fitWidths gives each column its widest cell, then narrows the widest
// columns until the row, with two spaces between columns, fits width. No
// column is narrowed below its longest word (up to maxWordWidth), so dates
// and names stay whole.
func fitWidths(cells [][]string, width int) []int {
	if len(cells) == 0 {
		return nil
	}
	const maxWordWidth = 16
	widths := make([]int, len(cells[0]))
	floor := make([]int, len(cells[0]))
	for _, row := range cells {
		for j, text := range row {
			widths[j] = max(widths[j], cellWidth(text))
			for _, word := range strings.Fields(text) {
				floor[j] = max(floor[j], min(cellWidth(word), maxWordWidth))
			}
		}
	}
	total := func() int {
		t := 2 * (len(widths) - 1)
		for _, w := range widths {
			t += w
		}
		return t
	}
	for total() > width {
		widest := -1
		for j := range widths {
			if widths[j] > floor[j] && (widest < 0 || widths[j] > widths[widest]) {
				widest = j
			}
		}
		if widest < 0 {
			break // every column is at its floor: let the row run long
		}
		widths[widest]--
	}
	return widths
}

// cellWidth is how many terminal cells text takes: two for a Chinese, Japanese
// or Korean character, none for a combining mark, one for most others.
// Columns are measured in cells, not runes or bytes, or wide text would push
// the columns after it out of line.
func cellWidth(text string) int {
	return runewidth.StringWidth(text)
}

// cutCells splits off the longest head of s that fits width cells, never
// splitting a character (nor a cluster such as a letter and its accent). If
// even the first character is wider than width, the head is that character.
func cutCells(s string, width int) (head, rest string) {
	for w := max(width, 0); ; w++ {
		if head = runewidth.Truncate(s, w, ""); head != "" || s == "" {
			return head, s[len(head):]
		}
	}
}

// wrap breaks text into lines of at most width cells, at spaces where it can.
func wrap(text string, width int) []string {
	if cellWidth(text) <= width {
		return []string{text}
	}
	var lines []string
	var cur string // the line being filled, and its width in cells
	curWidth := 0
	for _, word := range strings.Fields(text) {
		for cellWidth(word) > width { // a word wider than the column is cut
			if cur != "" {
				lines = append(lines, cur)
				cur, curWidth = "", 0
			}
			var head string
			head, word = cutCells(word, width)
			lines = append(lines, head)
		}
		w := cellWidth(word)
		switch {
		case cur == "":
			cur, curWidth = word, w
		case curWidth+1+w <= width:
			cur, curWidth = cur+" "+word, curWidth+1+w
		default:
			lines = append(lines, cur)
			cur, curWidth = word, w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
