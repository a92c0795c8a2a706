package server

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/rustbelt/rustbelt/export"
	"github.com/rustbelt/rustbelt/graph"
)

// exportFormat is the format of /api/export when none is named: the one the
// page draws.
const exportFormat = "cytoscape"

// exportGraph answers GET /api/export?center=&depth=&format=&type=&since=&until=&reified=:
// the graph around the centers (every center repeats; none exports the whole
// graph) in one of the export formats, with its content type, as a file to
// save. The answer is built in memory first, so that a failure (an unknown
// format too) is a JSON error and never half a file.
func (s *Server) exportGraph(w http.ResponseWriter, r *http.Request) {
	q, err := readParams(r, "center...", "depth", "format", "type...", "since", "until", "reified")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	depth, err := intParam(q, "depth", 1)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reified, err := boolParam(q, "reified")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format := q.Get("format")
	if format == "" {
		format = exportFormat
	}
	sg, notes, err := s.graph.Subgraph(r.Context(), graph.SubgraphOptions{
		Centers: q["center"], Depth: depth, Types: q["type"], DateRange: dateRange(q), Reified: reified,
	})
	writeNotes(w, notes)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := export.Write(&buf, format, sg); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", export.ContentType(format))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", exportName(q["center"], format)))
	w.Write(buf.Bytes())
}

var unsafeName = regexp.MustCompile(`[^a-z0-9]+`)

// exportName is the file name offered for an export: the centers and the
// format's extension, such as "person-cao-lubao.graphml".
func exportName(centers []string, format string) string {
	base := "rustbelt"
	if len(centers) > 0 {
		base = strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(strings.Join(centers, "-")), "-"), "-")
	}
	for _, f := range export.Formats() {
		if f.Name == format {
			return base + f.Ext
		}
	}
	return base
}

// formatInfo describes an export format to clients.
type formatInfo struct {
	Name        string `json:"name"`
	Ext         string `json:"ext"`
	ContentType string `json:"content_type"`
	Doc         string `json:"doc"`
}

// exportFormats answers GET /api/export/formats, so that the page offers
// every format the server writes.
func (s *Server) exportFormats() http.HandlerFunc {
	return answer(s, nil, func(*http.Request, url.Values) ([]formatInfo, graph.Notes, error) {
		var out []formatInfo
		for _, f := range export.Formats() {
			out = append(out, formatInfo{f.Name, f.Ext, f.ContentType, f.Doc})
		}
		return out, nil, nil
	})
}
