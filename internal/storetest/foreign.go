package storetest

import (
	"os"
	"path/filepath"
	"testing"

	bolt "github.com/boltdb/bolt"
)

// ForeignBolt writes a bolt file such as another program keeps (its own
// buckets, no Cayley metadata) in a new temporary folder and returns its
// path and bytes, for tests that check rustbelt leaves it alone.
func ForeignBolt(t testing.TB) (path string, content []byte) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "settings.db")
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"settings", "history"} {
			b, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			if err := b.Put([]byte("theme"), []byte("dark")); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	content, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, content
}
