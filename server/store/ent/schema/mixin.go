// Package schema is the ent schema of the configuration store: one type per
// table. Run `go generate ./server/store/ent` after changing it.
package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// Resource holds what every configuration resource has: a string id
// (UUIDv7, assigned in Go), an optimistic-concurrency version and the
// creation and update times.
type Resource struct {
	mixin.Schema
}

// Fields of the Resource mixin.
func (Resource) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").NotEmpty().Immutable(),
		field.Int64("version").Positive(),
		field.Time("created").Immutable(),
		field.Time("updated"),
	}
}

// restrict is the referential action of every foreign key: the store
// removes or refuses dependants itself, and the database is the last guard.
func restrict() *entsql.Annotation {
	return entsql.OnDelete(entsql.Restrict)
}
