package main

import (
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// tableRow is a listing row for the rendering tests: plain strings, so the
// tests do not lean on any package's types.
type tableRow struct {
	Name  string `json:"name"`
	Place string `json:"place"`
	Post  string `json:"post"`
	Note  string `json:"note"`
}

// segment is a run of text on a rendered line between gaps of two or more
// spaces, placed by the terminal cells it starts and ends at.
type segment struct {
	start, end int // cells: [start, end)
	text       string
}

// segments splits a rendered line at runs of two or more spaces, measuring
// every rune with runewidth on its own, apart from the code under test.
func segments(line string) []segment {
	var segs []segment
	col, spaces := 0, 0
	var cur *segment
	for _, r := range line {
		w := runewidth.RuneWidth(r)
		if r == ' ' {
			spaces++
			col += w
			continue
		}
		if cur == nil || spaces >= 2 {
			if cur != nil {
				segs = append(segs, *cur)
			}
			cur = &segment{start: col}
		} else if spaces == 1 {
			cur.text += " "
		}
		spaces = 0
		cur.text += string(r)
		col += w
		cur.end = col
	}
	if cur != nil {
		segs = append(segs, *cur)
	}
	return segs
}

// squash drops all white space, so a cell can be compared with the pieces
// it was wrapped or cut into.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }

// TestTableDisplayWidth renders tables with Chinese characters, combining
// accents and Latin text side by side, and checks on every line that each
// column starts at the same terminal cell as its header, that no cell runs
// into the gap before the next column, and that wrapped cells lose nothing.
func TestTableDisplayWidth(t *testing.T) {
	tests := []struct {
		name  string
		width int
		rows  []tableRow
	}{
		{
			name:  "cjk and latin rows",
			width: 100,
			rows: []tableRow{
				{Name: "曹路宝", Place: "吉林省", Post: "Party Secretary", Note: "short"},
				{Name: "Jiang Chaoliang", Place: "Jilin", Post: "Governor", Note: "ok"},
				{Name: "Zoe\u0308 Martin", Place: "长春市", Post: "市长", Note: "combining accent"},
				{Name: "Li", Place: "Liaoning", Post: "Deputy 书记", Note: ""},
			},
		},
		{
			name:  "mixed-script cell wraps",
			width: 61, // leaves NOTE an odd number of cells wide
			rows: []tableRow{
				{Name: "曹路宝", Place: "吉林省", Post: "书记",
					Note: "曹路宝 was named Party Secretary of 吉林省 长春市 in 2016 and moved to the provincial 人民政府 after the 2020 reshuffle"},
				{Name: "Jiang Chaoliang", Place: "Jilin", Post: "Governor",
					Note: "Chaired the 吉林省人民政府办公厅主任助理会议 and the provincial council on rust belt revival"},
				{Name: "Zoe\u0308", Place: "Liaoning 辽宁省", Post: "Adviser",
					Note: "Mixed 漢字 and Latin words, wrapped by the cells they take"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := writeTable(&b, tt.rows, tt.width); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			header := segments(lines[0])
			if len(header) != 4 {
				t.Fatalf("header %q: %d columns, want 4\n%s", lines[0], len(header), out)
			}
			starts := make([]int, len(header))
			for j, s := range header {
				starts[j] = s.start
			}
			if starts[0] != 0 {
				t.Fatalf("first column starts at cell %d\n%s", starts[0], out)
			}

			// got[row][col] collects the pieces of each cell, line by line.
			var got [][]string
			for n, line := range lines[1:] {
				if w := runewidth.StringWidth(line); w > tt.width {
					t.Errorf("line %d is %d cells, wider than the table's %d: %q", n+1, w, tt.width, line)
				}
				segs := segments(line)
				if len(segs) > 0 && segs[0].start == 0 {
					got = append(got, make([]string, len(starts)))
				}
				if len(got) == 0 {
					t.Fatalf("line %d continues no row: %q\n%s", n+1, line, out)
				}
				for _, s := range segs {
					col := -1
					for j, st := range starts {
						if s.start == st {
							col = j
						}
					}
					if col < 0 {
						t.Errorf("line %d: %q starts at cell %d, not at a column start %v\n%s", n+1, s.text, s.start, starts, out)
						continue
					}
					if col+1 < len(starts) && s.end > starts[col+1]-2 {
						t.Errorf("line %d: %q ends at cell %d, into the gap before the column at %d\n%s", n+1, s.text, s.end, starts[col+1], out)
					}
					got[len(got)-1][col] += s.text
				}
			}
			if len(got) != len(tt.rows) {
				t.Fatalf("%d rows rendered, want %d\n%s", len(got), len(tt.rows), out)
			}
			for i, r := range tt.rows {
				want := []string{r.Name, r.Place, r.Post, r.Note}
				for j := range want {
					if squash(got[i][j]) != squash(want[j]) {
						t.Errorf("row %d column %s: got %q, want %q\n%s", i, header[j].text, got[i][j], want[j], out)
					}
				}
			}
		})
	}
}

// TestWrapDisplayWidth checks that wrapping counts terminal cells: words go
// on a line only while their cells fit, and a word wider than the column is
// cut between characters, never inside one, even where the width is odd.
func TestWrapDisplayWidth(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  []string
	}{
		{"曹路宝 吉林省", 13, []string{"曹路宝 吉林省"}},
		{"曹路宝 and Li", 7, []string{"曹路宝", "and Li"}},
		{"Li 曹路宝 Wang", 9, []string{"Li 曹路宝", "Wang"}},
		{"吉林省长春市", 5, []string{"吉林", "省长", "春市"}},
		{"吉林省长春市", 4, []string{"吉林", "省长", "春市"}},
		{"Zoe\u0308 met 曹路宝", 7, []string{"Zoe\u0308 met", "曹路宝"}},
		{"ab吉林省c", 3, []string{"ab", "吉", "林", "省c"}},
	}
	for _, tt := range tests {
		got := wrap(tt.text, tt.width)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
		for _, line := range got {
			if w := runewidth.StringWidth(line); w > tt.width {
				t.Errorf("wrap(%q, %d): line %q is %d cells", tt.text, tt.width, line, w)
			}
		}
	}
}
