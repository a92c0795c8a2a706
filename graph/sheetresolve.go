package graph

import (
	"context"
	"errors"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// Matches returns every entity that name fits, through the resolver the
// questions use (an id, a name or an alias, in any letter case, among the
// given classes or all), but without its rule that takes the broadest of
// several places of one name: a writer that links facts to an entity must
// not guess which "Jilin" is meant. A name that fits nothing is Resolve's
// NotFound error, with the closest names as candidates.
func (g *Graph) Matches(ctx context.Context, name string, classes ...schema.Class) ([]Entity, error) {
	r, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	res, err := g.resolve(r, name, classes...)
	var fe *fail.Error
	switch {
	case err == nil:
		return append([]Entity{res.Entity}, res.Others...), nil
	case errors.As(err, &fe) && fe.Code == fail.Ambiguous:
		return fe.Candidates, nil
	}
	return nil, err
}
