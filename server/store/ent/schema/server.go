package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Server is one running switchboard process.
type Server struct {
	ent.Schema
}

// Mixin of Server.
func (Server) Mixin() []ent.Mixin { return []ent.Mixin{Resource{}} }

// Fields of Server.
func (Server) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Unique(),
		field.Int("role"),
		field.String("site_id"),
		field.String("description").Default(""),
	}
}

// Edges of Server.
func (Server) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("site", Site.Type).Ref("servers").Field("site_id").Unique().Required(),
	}
}
