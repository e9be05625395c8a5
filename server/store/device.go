package store

import (
	"context"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
	"github.com/switchboard-pbx/switchboard/server/store/ent/device"
	"github.com/switchboard-pbx/switchboard/server/store/ent/user"
)

// GetDevice returns the device with id.
func (s *Store) GetDevice(ctx context.Context, id string) (*config.Device, error) {
	e, err := s.client.Device.Get(ctx, id)
	if err != nil {
		return nil, mapReadErr(err, "device "+id)
	}
	return deviceFromEnt(e), nil
}

// ListDevices returns one page of devices in id order, of one user when
// f.UserID is set.
func (s *Store) ListDevices(ctx context.Context, p config.Page, f config.Filter) ([]*config.Device, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	q := s.client.Device.Query().Order(ent.Asc(device.FieldID)).Limit(p.Size)
	if p.After != "" {
		q.Where(device.IDGT(p.After))
	}
	if f.UserID != "" {
		q.Where(device.UserID(f.UserID))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, mapReadErr(err, "devices")
	}
	return convert(rows, deviceFromEnt), nil
}

// CreateDevice creates a device of an existing user.
func (s *Store) CreateDevice(ctx context.Context, in *config.Device) (*config.Device, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		m, err := w.newMeta()
		if err != nil {
			return err
		}
		out.Meta = m
		if err := w.requireUser(ctx, out.UserID); err != nil {
			return err
		}
		err = w.Device.Create().
			SetID(out.ID).SetVersion(out.Version).SetCreated(out.Created).SetUpdated(out.Updated).
			SetUserID(out.UserID).SetSipUsername(out.SIPUsername).SetLabel(out.Label).
			SetHa1Md5(out.HA1MD5).SetHa1Sha256(out.HA1SHA256).
			Exec(ctx)
		if err != nil {
			return mapWriteErr(err, "device "+out.SIPUsername, sipUsernameUnique(out.SIPUsername))
		}
		return w.record(ctx, config.KindDevice, out.ID, config.OpCreated, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateDevice replaces everything but the meta of a device, the HA1
// values included.
func (s *Store) UpdateDevice(ctx context.Context, in *config.Device) (*config.Device, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		cur, err := w.Device.Get(ctx, in.ID)
		if err != nil {
			return mapReadErr(err, "device "+in.ID)
		}
		if out.Meta, err = w.nextMeta(cur.ID, in.Version, cur.Version, cur.Created); err != nil {
			return err
		}
		if err := w.requireUser(ctx, out.UserID); err != nil {
			return err
		}
		err = w.Device.UpdateOne(cur).
			SetVersion(out.Version).SetUpdated(out.Updated).
			SetUserID(out.UserID).SetSipUsername(out.SIPUsername).SetLabel(out.Label).
			SetHa1Md5(out.HA1MD5).SetHa1Sha256(out.HA1SHA256).
			Exec(ctx)
		if err != nil {
			return mapWriteErr(err, "device "+in.ID, sipUsernameUnique(out.SIPUsername))
		}
		return w.record(ctx, config.KindDevice, out.ID, config.OpUpdated, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteDevice deletes a device.
func (s *Store) DeleteDevice(ctx context.Context, id string, version int64) error {
	return s.write(ctx, func(w *writeTx) error {
		cur, err := w.Device.Get(ctx, id)
		if err != nil {
			return mapReadErr(err, "device "+id)
		}
		if err := checkVersion(version, cur.Version); err != nil {
			return err
		}
		if err := w.Device.DeleteOne(cur).Exec(ctx); err != nil {
			return mapWriteErr(err, "device "+id)
		}
		return w.record(ctx, config.KindDevice, id, config.OpDeleted, deviceFromEnt(cur))
	})
}

// requireUser answers FailedPrecondition when user id does not exist.
func (w *writeTx) requireUser(ctx context.Context, id string) error {
	return requireRef(ctx, w.User.Query().Where(user.ID(id)).Exist, "user_id", "user "+id)
}

func sipUsernameUnique(name string) unique {
	return unique{device.Table, device.FieldSipUsername, "sip_username",
		"SIP user name " + name + " is already in use"}
}

func deviceFromEnt(e *ent.Device) *config.Device {
	return &config.Device{
		Meta:        meta(e.ID, e.Version, e.Created, e.Updated),
		UserID:      e.UserID,
		SIPUsername: e.SipUsername,
		Label:       e.Label,
		HA1MD5:      e.Ha1Md5,
		HA1SHA256:   e.Ha1Sha256,
	}
}
