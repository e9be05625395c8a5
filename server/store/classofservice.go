package store

import (
	"context"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
	"github.com/switchboard-pbx/switchboard/server/store/ent/classofservice"
	"github.com/switchboard-pbx/switchboard/server/store/ent/dialplan"
	"github.com/switchboard-pbx/switchboard/server/store/ent/user"
)

// GetClassOfService returns the class of service with id.
func (s *Store) GetClassOfService(ctx context.Context, id string) (*config.ClassOfService, error) {
	e, err := s.client.ClassOfService.Get(ctx, id)
	if err != nil {
		return nil, mapReadErr(err, "class of service "+id)
	}
	return cosFromEnt(e), nil
}

// ListClassesOfService returns one page of classes of service in id order.
func (s *Store) ListClassesOfService(ctx context.Context, p config.Page) ([]*config.ClassOfService, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	q := s.client.ClassOfService.Query().Order(ent.Asc(classofservice.FieldID)).Limit(p.Size)
	if p.After != "" {
		q.Where(classofservice.IDGT(p.After))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, mapReadErr(err, "classes of service")
	}
	return convert(rows, cosFromEnt), nil
}

// CreateClassOfService creates a class of service.
func (s *Store) CreateClassOfService(ctx context.Context, in *config.ClassOfService) (*config.ClassOfService, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		return w.createClassOfService(ctx, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (w *writeTx) createClassOfService(ctx context.Context, out *config.ClassOfService) error {
	m, err := w.newMeta()
	if err != nil {
		return err
	}
	out.Meta = m
	p := out.Permissions
	err = w.ClassOfService.Create().
		SetID(out.ID).SetVersion(out.Version).SetCreated(out.Created).SetUpdated(out.Updated).
		SetName(out.Name).SetDescription(out.Description).SetDialingScope(int(out.DialingScope)).
		SetForwardExternal(p.ForwardExternal).SetTransferExternal(p.TransferExternal).
		SetRecordCalls(p.RecordCalls).SetBargeIn(p.BargeIn).SetIntercom(p.Intercom).
		SetPickup(p.Pickup).SetPark(p.Park).SetVoicemail(p.Voicemail).
		Exec(ctx)
	if err != nil {
		return mapWriteErr(err, "class of service "+out.Name, cosNameUnique(out.Name))
	}
	return w.record(ctx, config.KindClassOfService, out.ID, config.OpCreated, out)
}

// UpdateClassOfService replaces everything but the meta of a class of
// service.
func (s *Store) UpdateClassOfService(ctx context.Context, in *config.ClassOfService) (*config.ClassOfService, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		cur, err := w.ClassOfService.Get(ctx, in.ID)
		if err != nil {
			return mapReadErr(err, "class of service "+in.ID)
		}
		if out.Meta, err = w.nextMeta(cur.ID, in.Version, cur.Version, cur.Created); err != nil {
			return err
		}
		p := out.Permissions
		err = w.ClassOfService.UpdateOne(cur).
			SetVersion(out.Version).SetUpdated(out.Updated).
			SetName(out.Name).SetDescription(out.Description).SetDialingScope(int(out.DialingScope)).
			SetForwardExternal(p.ForwardExternal).SetTransferExternal(p.TransferExternal).
			SetRecordCalls(p.RecordCalls).SetBargeIn(p.BargeIn).SetIntercom(p.Intercom).
			SetPickup(p.Pickup).SetPark(p.Park).SetVoicemail(p.Voicemail).
			Exec(ctx)
		if err != nil {
			return mapWriteErr(err, "class of service "+in.ID, cosNameUnique(out.Name))
		}
		return w.record(ctx, config.KindClassOfService, out.ID, config.OpUpdated, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteClassOfService deletes a class of service that no user has and
// that is not the dial plan's default.
func (s *Store) DeleteClassOfService(ctx context.Context, id string, version int64) error {
	return s.write(ctx, func(w *writeTx) error {
		cur, err := w.ClassOfService.Get(ctx, id)
		if err != nil {
			return mapReadErr(err, "class of service "+id)
		}
		if err := checkVersion(version, cur.Version); err != nil {
			return err
		}
		isDefault, err := w.DialPlan.Query().Where(dialplan.DefaultClassOfServiceID(id)).Exist(ctx)
		if err != nil {
			return mapReadErr(err, "dial plan")
		}
		if isDefault {
			return inUse("class of service %s is the dial plan's default", cur.Name)
		}
		users, err := w.User.Query().Where(user.ClassOfServiceID(id)).Count(ctx)
		if err != nil {
			return mapReadErr(err, "users of class of service "+id)
		}
		if users > 0 {
			return inUse("class of service %s still has %s", cur.Name, count(users, "user"))
		}
		if err := w.ClassOfService.DeleteOne(cur).Exec(ctx); err != nil {
			return mapWriteErr(err, "class of service "+id)
		}
		return w.record(ctx, config.KindClassOfService, id, config.OpDeleted, cosFromEnt(cur))
	})
}

// requireClassOfService answers FailedPrecondition when id does not exist.
func (w *writeTx) requireClassOfService(ctx context.Context, field, id string) error {
	return requireRef(ctx, w.ClassOfService.Query().Where(classofservice.ID(id)).Exist,
		field, "class of service "+id)
}

func cosNameUnique(name string) unique {
	return unique{classofservice.Table, classofservice.FieldName, "name",
		"class of service name " + name + " is already in use"}
}

func cosFromEnt(e *ent.ClassOfService) *config.ClassOfService {
	return &config.ClassOfService{
		Meta:         meta(e.ID, e.Version, e.Created, e.Updated),
		Name:         e.Name,
		Description:  e.Description,
		DialingScope: config.DialingScope(e.DialingScope),
		Permissions: config.Permissions{
			ForwardExternal:  e.ForwardExternal,
			TransferExternal: e.TransferExternal,
			RecordCalls:      e.RecordCalls,
			BargeIn:          e.BargeIn,
			Intercom:         e.Intercom,
			Pickup:           e.Pickup,
			Park:             e.Park,
			Voicemail:        e.Voicemail,
		},
	}
}
