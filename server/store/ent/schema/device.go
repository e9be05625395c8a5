package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Device is a set of SIP credentials owned by a user (digest HA1 values
// only, never the password).
type Device struct {
	ent.Schema
}

// Mixin of Device.
func (Device) Mixin() []ent.Mixin { return []ent.Mixin{Resource{}} }

// Fields of Device.
func (Device) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id"),
		field.String("sip_username").NotEmpty().Unique(),
		field.String("label").Default(""),
		field.String("ha1_md5").Default("").Sensitive(),
		field.String("ha1_sha256").Default("").Sensitive(),
	}
}

// Edges of Device.
func (Device) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("devices").Field("user_id").Unique().Required(),
	}
}
