package graph

import (
	"strconv"
	"strings"
)

// figureText reads a figure as precisely as its source gives it, no more:
// "more than 3 trillion" for a bound, "about 73" for an approximate figure,
// "5.4" for an exact one. human writes the number for people (HumanNumber);
// otherwise it stays as stored, for machines and exports.
func figureText(value, limit string, approximate, human bool) string {
	if value == "" {
		return ""
	}
	if human {
		value = HumanNumber(number(value))
	}
	switch {
	case limit != "":
		return limit + " " + value
	case approximate:
		return "about " + value
	}
	return value
}

// TableCell writes the figure's value as a table shows it: with its bound
// or "about", so that a lower bound never reads as the figure itself.
func (o Observation) TableCell(column string) (string, bool) {
	switch column {
	case "value":
		return figureText(string(o.Value), o.Bound, o.Approximate, true), true
	case "note":
		if len(o.Conflict) == 0 {
			return "", false
		}
		others := make([]string, len(o.Conflict))
		for i, d := range o.Conflict {
			others[i] = d.Text(true)
		}
		return strings.TrimSuffix("CONFLICT: other sources give "+strings.Join(others, "; ")+". "+o.Note, " "), true
	}
	return "", false
}

// TableCell writes the amounts as a table shows them: "more than" or
// "about" where the source says so, and "about" on a conversion only when
// the conversion is approximate (3 billion euros, about 3.4 billion
// dollars).
func (inv Investment) TableCell(column string) (string, bool) {
	switch column {
	case "amount":
		return figureText(decimal(inv.Amount), inv.Bound, inv.Approximate, true), true
	case "amount_converted":
		if inv.AmountConverted == 0 {
			return "", true
		}
		return figureText(decimal(inv.AmountConverted), "", inv.ConvertedApproximate || inv.Approximate, true), true
	}
	return "", false
}

// TableCell shows what a source does not state as such: "(untitled)", and
// "(unknown)" for a publisher or date it does not give; and the label of
// inferred facts as the inference from its source.
func (s SourceInfo) TableCell(column string) (string, bool) {
	switch {
	case column == "title" && s.InferredFrom != "":
		return "inferred from " + s.InferredFrom + ": " + s.Inference, true
	case column == "title" && s.Untitled:
		return "(untitled)", true
	case column == "publisher" && s.Publisher == "", column == "date" && s.Date == "":
		return "(unknown)", true
	}
	return "", false
}

// decimal writes a number as the vocabulary stores it: 3400000000, 5.4.
func decimal(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// convertedText is the conversion a source adds to a figure, for notes:
// "about 422 billion USD".
func convertedText(value, unit string, approximate bool) string {
	if value == "" {
		return ""
	}
	return strings.TrimSpace(figureText(value, "", approximate, true) + " " + unit)
}

// inferredText lists how the facts behind an element were inferred, for
// the attributes of an export: "" when every one is stated.
func inferredText(sources []SourceRef) string {
	var out []string
	for _, s := range sources {
		if s.InferredFrom != nil {
			out = append(out, s.String())
		}
	}
	return strings.Join(out, "; ")
}
