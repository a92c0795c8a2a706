package schema

// predSet is a set of vocabulary predicates, one bit each by their place in
// Predicates. The validator keeps one for every subject of an input until
// the input ends, so it is a pair of words rather than a map: 128 bits, of
// which TestVocabularyFitsTheValidatorBits keeps the vocabulary within.
type predSet [2]uint64

// predBit is the set of the i-th predicate alone.
func predBit(i int) predSet {
	var s predSet
	s[i/64] = 1 << (i % 64)
	return s
}

// union is the predicates of s or o.
func (s predSet) union(o predSet) predSet {
	for i := range s {
		s[i] |= o[i]
	}
	return s
}

// meets reports whether s and o share a predicate.
func (s predSet) meets(o predSet) bool {
	for i := range s {
		if s[i]&o[i] != 0 {
			return true
		}
	}
	return false
}
