package store

import (
	"context"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
	"github.com/switchboard-pbx/switchboard/server/store/ent/device"
	"github.com/switchboard-pbx/switchboard/server/store/ent/dialplan"
	"github.com/switchboard-pbx/switchboard/server/store/ent/predicate"
	"github.com/switchboard-pbx/switchboard/server/store/ent/user"
)

// GetUser returns the user with id.
func (s *Store) GetUser(ctx context.Context, id string) (*config.User, error) {
	e, err := s.client.User.Get(ctx, id)
	if err != nil {
		return nil, mapReadErr(err, "user "+id)
	}
	return userFromEnt(e), nil
}

// ListUsers returns one page of users in id order, narrowed by f.SiteID
// and f.ClassOfServiceID.
func (s *Store) ListUsers(ctx context.Context, p config.Page, f config.Filter) ([]*config.User, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	q := s.client.User.Query().Order(ent.Asc(user.FieldID)).Limit(p.Size)
	if p.After != "" {
		q.Where(user.IDGT(p.After))
	}
	if f.SiteID != "" {
		q.Where(user.SiteID(f.SiteID))
	}
	if f.ClassOfServiceID != "" {
		q.Where(user.ClassOfServiceID(f.ClassOfServiceID))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, mapReadErr(err, "users")
	}
	return convert(rows, userFromEnt), nil
}

// CountUsersWithExtensionLengthNot counts users whose extension is not n
// characters long.
func (s *Store) CountUsersWithExtensionLengthNot(ctx context.Context, n int) (int, error) {
	c, err := s.client.User.Query().Where(predicate.User(lengthNot(user.FieldExtension, n))).Count(ctx)
	if err != nil {
		return 0, mapReadErr(err, "users")
	}
	return c, nil
}

// lengthNot selects the rows whose column is not n characters long.
func lengthNot(column string, n int) func(*entsql.Selector) {
	return func(sel *entsql.Selector) {
		sel.Where(entsql.P(func(b *entsql.Builder) {
			b.WriteString("LENGTH(").Ident(sel.C(column)).WriteString(") <> ").Arg(n)
		}))
	}
}

// FindUserByExtensionPrefix returns the first user, in id order, whose
// extension starts with prefix.
func (s *Store) FindUserByExtensionPrefix(ctx context.Context, prefix string) (*config.User, error) {
	e, err := s.client.User.Query().
		Where(user.ExtensionHasPrefix(prefix)).
		Order(ent.Asc(user.FieldID)).
		First(ctx)
	if err != nil {
		return nil, mapReadErr(err, "user with extension prefix "+prefix)
	}
	return userFromEnt(e), nil
}

// FindUserByExtension returns the user with an extension (the unique
// index), or NotFound.
func (s *Store) FindUserByExtension(ctx context.Context, ext string) (*config.User, error) {
	e, err := s.client.User.Query().Where(user.Extension(ext)).Only(ctx)
	if err != nil {
		return nil, mapReadErr(err, "user with extension "+ext)
	}
	return userFromEnt(e), nil
}

// CreateUser creates a user. Without a ClassOfServiceID the user gets the
// dial plan's default class of service.
func (s *Store) CreateUser(ctx context.Context, in *config.User) (*config.User, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		m, err := w.newMeta()
		if err != nil {
			return err
		}
		out.Meta = m
		if err := w.checkUserRefs(ctx, &out); err != nil {
			return err
		}
		err = w.User.Create().
			SetID(out.ID).SetVersion(out.Version).SetCreated(out.Created).SetUpdated(out.Updated).
			SetExtension(out.Extension).SetFirstName(out.FirstName).SetLastName(out.LastName).
			SetEmail(out.Email).SetSiteID(out.SiteID).SetClassOfServiceID(out.ClassOfServiceID).
			SetVirtual(out.Virtual).
			Exec(ctx)
		if err != nil {
			return mapWriteErr(err, "user "+out.Extension, extensionUnique(out.Extension))
		}
		return w.record(ctx, config.KindUser, out.ID, config.OpCreated, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateUser replaces everything but the meta of a user.
func (s *Store) UpdateUser(ctx context.Context, in *config.User) (*config.User, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		cur, err := w.User.Get(ctx, in.ID)
		if err != nil {
			return mapReadErr(err, "user "+in.ID)
		}
		if out.Meta, err = w.nextMeta(cur.ID, in.Version, cur.Version, cur.Created); err != nil {
			return err
		}
		if err := w.checkUserRefs(ctx, &out); err != nil {
			return err
		}
		err = w.User.UpdateOne(cur).
			SetVersion(out.Version).SetUpdated(out.Updated).
			SetExtension(out.Extension).SetFirstName(out.FirstName).SetLastName(out.LastName).
			SetEmail(out.Email).SetSiteID(out.SiteID).SetClassOfServiceID(out.ClassOfServiceID).
			SetVirtual(out.Virtual).
			Exec(ctx)
		if err != nil {
			return mapWriteErr(err, "user "+in.ID, extensionUnique(out.Extension))
		}
		return w.record(ctx, config.KindUser, out.ID, config.OpUpdated, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// checkUserRefs fills in the default class of service and checks that the
// user's site and class of service exist and that no route point has the
// user's extension.
func (w *writeTx) checkUserRefs(ctx context.Context, u *config.User) error {
	if u.ClassOfServiceID == "" {
		ids, err := w.DialPlan.Query().Select(dialplan.FieldDefaultClassOfServiceID).Strings(ctx)
		if err != nil {
			return mapReadErr(err, "dial plan")
		}
		if len(ids) > 0 {
			u.ClassOfServiceID = ids[0]
		}
	}
	if err := w.requireSite(ctx, u.SiteID); err != nil {
		return err
	}
	if err := w.requireClassOfService(ctx, "class_of_service_id", u.ClassOfServiceID); err != nil {
		return err
	}
	return w.requireNoRoutePointExtension(ctx, u.Extension)
}

// DeleteUser deletes a user and its devices, recording a change for each
// device (in id order) before the user's.
func (s *Store) DeleteUser(ctx context.Context, id string, version int64) error {
	return s.write(ctx, func(w *writeTx) error {
		cur, err := w.User.Get(ctx, id)
		if err != nil {
			return mapReadErr(err, "user "+id)
		}
		if err := checkVersion(version, cur.Version); err != nil {
			return err
		}
		devices, err := w.Device.Query().Where(device.UserID(id)).Order(ent.Asc(device.FieldID)).All(ctx)
		if err != nil {
			return mapReadErr(err, "devices of user "+id)
		}
		for _, d := range devices {
			if err := w.Device.DeleteOne(d).Exec(ctx); err != nil {
				return mapWriteErr(err, "device "+d.ID)
			}
			if err := w.record(ctx, config.KindDevice, d.ID, config.OpDeleted, deviceFromEnt(d)); err != nil {
				return err
			}
		}
		if err := w.User.DeleteOne(cur).Exec(ctx); err != nil {
			return mapWriteErr(err, "user "+id)
		}
		return w.record(ctx, config.KindUser, id, config.OpDeleted, userFromEnt(cur))
	})
}

func extensionUnique(ext string) unique {
	return unique{user.Table, user.FieldExtension, "extension", "extension " + ext + " is already in use"}
}

func userFromEnt(e *ent.User) *config.User {
	return &config.User{
		Meta:             meta(e.ID, e.Version, e.Created, e.Updated),
		Extension:        e.Extension,
		FirstName:        e.FirstName,
		LastName:         e.LastName,
		Email:            e.Email,
		SiteID:           e.SiteID,
		ClassOfServiceID: e.ClassOfServiceID,
		Virtual:          e.Virtual,
	}
}
