package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// RoutePoint is an extension served by an application. Its extension is
// unique among route points here and, checked by the store in the write
// transaction, among users too.
type RoutePoint struct {
	ent.Schema
}

// Mixin of RoutePoint.
func (RoutePoint) Mixin() []ent.Mixin { return []ent.Mixin{Resource{}} }

// Fields of RoutePoint.
func (RoutePoint) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty(),
		field.String("extension").NotEmpty().Unique(),
		field.String("site_id"),
		field.String("fallback_extension").Default(""),
		field.Int("answer_timeout_seconds").Range(1, 300),
	}
}

// Edges of RoutePoint.
func (RoutePoint) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("site", Site.Type).Ref("route_points").Field("site_id").Unique().Required(),
	}
}
