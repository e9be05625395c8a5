package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// ClassOfService says what its users may dial and use. Each permission is
// a column of its own.
type ClassOfService struct {
	ent.Schema
}

// Mixin of ClassOfService.
func (ClassOfService) Mixin() []ent.Mixin { return []ent.Mixin{Resource{}} }

// Fields of ClassOfService.
func (ClassOfService) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Unique(),
		field.String("description").Default(""),
		field.Int("dialing_scope"),
		field.Bool("forward_external").Default(false),
		field.Bool("transfer_external").Default(false),
		field.Bool("record_calls").Default(false),
		field.Bool("barge_in").Default(false),
		field.Bool("intercom").Default(false),
		field.Bool("pickup").Default(false),
		field.Bool("park").Default(false),
		field.Bool("voicemail").Default(false),
	}
}

// Edges of ClassOfService.
func (ClassOfService) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("users", User.Type).Annotations(restrict()),
		edge.To("default_for", DialPlan.Type).Annotations(restrict()),
	}
}
