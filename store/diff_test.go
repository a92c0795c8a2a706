package store

import "fmt"

// FirstDifference names the first line in which two lists of lines, got
// and want, differ: for the messages of tests that compare what two
// writers left, in this package and in store_test.
func FirstDifference(got, want []string) string {
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return fmt.Sprintf("missing %s", want[i])
		case i >= len(want):
			return fmt.Sprintf("extra %s", got[i])
		case got[i] != want[i]:
			return fmt.Sprintf("got %s, want %s", got[i], want[i])
		}
	}
	return "none"
}
