package store

import (
	"context"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
)

// dialPlanID is the primary key of the dial plan's single row. The domain
// sees an empty id, and the dial plan's changes have an empty ResourceID.
const dialPlanID = "dial-plan"

// GetDialPlan returns the dial plan, NotFound before Bootstrap.
func (s *Store) GetDialPlan(ctx context.Context) (*config.DialPlan, error) {
	e, err := s.client.DialPlan.Get(ctx, dialPlanID)
	if err != nil {
		return nil, mapReadErr(err, "dial plan")
	}
	return dialPlanFromEnt(e), nil
}

// UpdateDialPlan replaces everything but the meta of the dial plan.
func (s *Store) UpdateDialPlan(ctx context.Context, in *config.DialPlan) (*config.DialPlan, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		cur, err := w.DialPlan.Get(ctx, dialPlanID)
		if err != nil {
			return mapReadErr(err, "dial plan")
		}
		if out.Meta, err = w.nextMeta("", in.Version, cur.Version, cur.Created); err != nil {
			return err
		}
		err = w.requireClassOfService(ctx, "default_class_of_service_id", out.DefaultClassOfServiceID)
		if err != nil {
			return err
		}
		err = w.DialPlan.UpdateOne(cur).
			SetVersion(out.Version).SetUpdated(out.Updated).
			SetExtensionLength(out.ExtensionLength).SetTrunkAccessCode(out.TrunkAccessCode).
			SetOperatorExtension(out.OperatorExtension).SetSipRealm(out.SIPRealm).
			SetDefaultClassOfServiceID(out.DefaultClassOfServiceID).
			Exec(ctx)
		if err != nil {
			return mapWriteErr(err, "dial plan")
		}
		return w.record(ctx, config.KindDialPlan, "", config.OpUpdated, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (w *writeTx) createDialPlan(ctx context.Context, out *config.DialPlan) error {
	out.Meta = config.Meta{Version: 1, Created: w.now, Updated: w.now}
	err := w.DialPlan.Create().
		SetID(dialPlanID).SetVersion(out.Version).SetCreated(out.Created).SetUpdated(out.Updated).
		SetExtensionLength(out.ExtensionLength).SetTrunkAccessCode(out.TrunkAccessCode).
		SetOperatorExtension(out.OperatorExtension).SetSipRealm(out.SIPRealm).
		SetDefaultClassOfServiceID(out.DefaultClassOfServiceID).
		Exec(ctx)
	if err != nil {
		return mapWriteErr(err, "dial plan")
	}
	return w.record(ctx, config.KindDialPlan, "", config.OpCreated, out)
}

func dialPlanFromEnt(e *ent.DialPlan) *config.DialPlan {
	return &config.DialPlan{
		Meta:                    meta("", e.Version, e.Created, e.Updated),
		ExtensionLength:         e.ExtensionLength,
		TrunkAccessCode:         e.TrunkAccessCode,
		OperatorExtension:       e.OperatorExtension,
		SIPRealm:                e.SipRealm,
		DefaultClassOfServiceID: e.DefaultClassOfServiceID,
	}
}
