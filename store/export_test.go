package store

// SetInPlaceMax lets the external tests send small loads down the
// copy-and-swap road that real loads take only above inPlaceMax quads.
func SetInPlaceMax(n int64) (restore func()) {
	old := inPlaceMax
	inPlaceMax = n
	return func() { inPlaceMax = old }
}
