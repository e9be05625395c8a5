package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// DialPlan is the system numbering plan: a single row whose id is a
// constant chosen by the store.
type DialPlan struct {
	ent.Schema
}

// Mixin of DialPlan.
func (DialPlan) Mixin() []ent.Mixin { return []ent.Mixin{Resource{}} }

// Fields of DialPlan.
func (DialPlan) Fields() []ent.Field {
	return []ent.Field{
		field.Int("extension_length"),
		field.String("trunk_access_code").Default(""),
		field.String("operator_extension").Default(""),
		field.String("sip_realm").Default(""),
		field.String("default_class_of_service_id"),
	}
}

// Edges of DialPlan.
func (DialPlan) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("default_class_of_service", ClassOfService.Type).Ref("default_for").
			Field("default_class_of_service_id").Unique().Required(),
	}
}
