package store

import "github.com/cayleygraph/quad"

// nodeKey is v as a map key under which two values are equal exactly when
// Cayley stores them as one node: when their String forms, which it hashes,
// are equal. Go's == on the values disagrees for some types: it takes the
// float -0 for 0 and no NaN for any NaN, and tells apart times that String
// (UTC, whole seconds) makes one, or a typed string and the number it
// spells. IRIs, blank nodes and plain and language-tagged strings, most of
// any graph, have a String that no value of another type shares and ==
// agrees with it: they are their own key, which costs no allocation. The
// rest are keyed by their String.
func nodeKey(v quad.Value) any {
	switch v.(type) {
	case quad.IRI, quad.BNode, quad.String, quad.LangString:
		return v
	}
	return v.String()
}
