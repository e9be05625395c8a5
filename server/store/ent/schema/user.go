package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// User is a person or a virtual identity with an extension.
type User struct {
	ent.Schema
}

// Mixin of User.
func (User) Mixin() []ent.Mixin { return []ent.Mixin{Resource{}} }

// Fields of User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("extension").NotEmpty().Unique(),
		field.String("first_name").Default(""),
		field.String("last_name").Default(""),
		field.String("email").Default(""),
		field.String("site_id"),
		field.String("class_of_service_id"),
		field.Bool("virtual").Default(false),
	}
}

// Edges of User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("site", Site.Type).Ref("users").Field("site_id").Unique().Required(),
		edge.From("class_of_service", ClassOfService.Type).Ref("users").
			Field("class_of_service_id").Unique().Required(),
		edge.To("devices", Device.Type).Annotations(restrict()),
	}
}
