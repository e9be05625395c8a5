package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Site is a location.
type Site struct {
	ent.Schema
}

// Mixin of Site.
func (Site) Mixin() []ent.Mixin { return []ent.Mixin{Resource{}} }

// Fields of Site.
func (Site) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Unique(),
		field.String("description").Default(""),
		field.String("time_zone").Default("UTC"),
	}
}

// Edges of Site.
func (Site) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("users", User.Type).Annotations(restrict()),
		edge.To("servers", Server.Type).Annotations(restrict()),
		edge.To("route_points", RoutePoint.Type).Annotations(restrict()),
	}
}
