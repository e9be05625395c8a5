package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// Token is an API bearer token; only the SHA-256 of its secret is kept.
type Token struct {
	ent.Schema
}

// Fields of Token.
func (Token) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").NotEmpty().Immutable(),
		field.String("name").NotEmpty().Unique(),
		field.Int("scope"),
		field.String("user_id").Optional().Immutable(), // the user of a user-scoped token
		// the route points of an application token
		field.Strings("route_point_ids").Optional().Immutable(),
		field.String("hash").NotEmpty().Unique().Immutable(),
		field.Time("created").Immutable(),
	}
}
