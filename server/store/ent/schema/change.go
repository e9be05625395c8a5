package schema

import (
	"encoding/json"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// Change is one committed configuration write: the change feed that other
// servers follow. Revisions are gapless and commit in order.
type Change struct {
	ent.Schema
}

// Fields of Change.
func (Change) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("revision").Positive().Unique().Immutable(),
		field.Time("time").Immutable(),
		field.Int("kind").Immutable(),
		field.String("resource_id").Immutable(),
		field.Int("op").Immutable(),
		// data is the domain struct (config.Site and so on) as JSON: the
		// resource after the change, or before it for a deletion.
		field.JSON("data", json.RawMessage{}).Immutable(),
	}
}
