package config

import (
	"context"
	"strings"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// GetUser returns one user.
func (s *Service) GetUser(ctx context.Context, id string) (*User, error) {
	return s.store.GetUser(ctx, id)
}

// ListUsers returns one page of users and the token of the next page.
func (s *Service) ListUsers(ctx context.Context, p PageRequest, f Filter) ([]*User, string, error) {
	return list(p, func(v *User) string { return v.ID }, func(pg Page) ([]*User, error) {
		return s.store.ListUsers(ctx, pg, f)
	})
}

// CreateUser adds a user. An empty class of service means the dial plan's
// default class.
func (s *Service) CreateUser(ctx context.Context, v *User) (*User, error) {
	if err := s.checkUser(ctx, v); err != nil {
		return nil, err
	}
	out, err := s.store.CreateUser(ctx, v)
	return out, s.wrote(derrors.Qualify("user", err))
}

// UpdateUser stores v, which carries the version it was read at.
func (s *Service) UpdateUser(ctx context.Context, v *User) (*User, error) {
	if err := s.checkUser(ctx, v); err != nil {
		return nil, err
	}
	out, err := s.store.UpdateUser(ctx, v)
	return out, s.wrote(derrors.Qualify("user", err))
}

// DeleteUser removes a user and its devices.
func (s *Service) DeleteUser(ctx context.Context, id string, version int64) error {
	return s.wrote(s.store.DeleteUser(ctx, id, version))
}

// checkUser applies the dial plan and reference rules to v.
func (s *Service) checkUser(ctx context.Context, v *User) error {
	dp, err := s.store.GetDialPlan(ctx)
	if err != nil {
		return err
	}
	if err := dp.checkExtension("user.extension", v.Extension); err != nil {
		return err
	}
	if err := s.siteExists(ctx, "user.site_id", v.SiteID); err != nil {
		return err
	}
	if v.ClassOfServiceID == "" {
		v.ClassOfServiceID = dp.DefaultClassOfServiceID
	}
	return s.classExists(ctx, "user.class_of_service_id", v.ClassOfServiceID)
}

// checkExtension tells whether ext fits the dial plan.
func (dp *DialPlan) checkExtension(field, ext string) error {
	if len(ext) != dp.ExtensionLength {
		return derrors.New(derrors.InvalidArgument, field,
			"%q has %d digits; the dial plan's extensions have %d", ext, len(ext), dp.ExtensionLength)
	}
	for _, c := range ext {
		if c < '0' || c > '9' {
			return derrors.New(derrors.InvalidArgument, field, "%q must be digits only", ext)
		}
	}
	if dp.TrunkAccessCode != "" && strings.HasPrefix(ext, dp.TrunkAccessCode) {
		return derrors.New(derrors.InvalidArgument, field,
			"%q starts with the trunk access code %q", ext, dp.TrunkAccessCode)
	}
	return nil
}

// GetClassOfService returns one class of service.
func (s *Service) GetClassOfService(ctx context.Context, id string) (*ClassOfService, error) {
	return s.store.GetClassOfService(ctx, id)
}

// ListClassesOfService returns one page of classes and the next token.
func (s *Service) ListClassesOfService(ctx context.Context, p PageRequest) ([]*ClassOfService, string, error) {
	return list(p, func(v *ClassOfService) string { return v.ID }, func(pg Page) ([]*ClassOfService, error) {
		return s.store.ListClassesOfService(ctx, pg)
	})
}

// CreateClassOfService adds a class of service.
func (s *Service) CreateClassOfService(ctx context.Context, v *ClassOfService) (*ClassOfService, error) {
	if err := checkClass(v); err != nil {
		return nil, err
	}
	out, err := s.store.CreateClassOfService(ctx, v)
	return out, s.wrote(derrors.Qualify("class_of_service", err))
}

// UpdateClassOfService stores v, which carries the version it was read at.
func (s *Service) UpdateClassOfService(ctx context.Context, v *ClassOfService) (*ClassOfService, error) {
	if err := checkClass(v); err != nil {
		return nil, err
	}
	out, err := s.store.UpdateClassOfService(ctx, v)
	return out, s.wrote(derrors.Qualify("class_of_service", err))
}

// DeleteClassOfService removes a class no user has and that is not the
// default.
func (s *Service) DeleteClassOfService(ctx context.Context, id string, version int64) error {
	return s.wrote(s.store.DeleteClassOfService(ctx, id, version))
}

func checkClass(v *ClassOfService) error {
	if v.DialingScope < ScopeInternal || v.DialingScope > ScopeAll {
		return derrors.New(derrors.InvalidArgument, "class_of_service.dialing_scope", "must be set")
	}
	return nil
}

func (s *Service) classExists(ctx context.Context, field, id string) error {
	if _, err := s.store.GetClassOfService(ctx, id); err != nil {
		if derrors.Category(err) == derrors.NotFound {
			return derrors.New(derrors.NotFound, field, "class of service %s does not exist", id)
		}
		return err
	}
	return nil
}

// UserByExtension returns the user with an extension.
func (s *Service) UserByExtension(ctx context.Context, ext string) (*User, error) {
	return s.store.FindUserByExtension(ctx, ext)
}
