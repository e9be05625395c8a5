package config

import (
	"context"
	"strings"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// GetDialPlan returns the dial plan.
func (s *Service) GetDialPlan(ctx context.Context) (*DialPlan, error) {
	return s.store.GetDialPlan(ctx)
}

// UpdateDialPlan stores v, which carries the version it was read at. The
// extension length changes only while every user's and route point's
// extension has the new length; the trunk access code only while no
// extension starts with it.
func (s *Service) UpdateDialPlan(ctx context.Context, v *DialPlan) (*DialPlan, error) {
	cur, err := s.store.GetDialPlan(ctx)
	if err != nil {
		return nil, err
	}
	if v.SIPRealm != cur.SIPRealm {
		return nil, derrors.New(derrors.InvalidArgument, "dial_plan.sip_realm", "cannot be changed")
	}
	if err := s.checkDialPlan(ctx, cur, v); err != nil {
		return nil, err
	}
	out, err := s.store.UpdateDialPlan(ctx, v)
	return out, s.wrote(err)
}

func (s *Service) checkDialPlan(ctx context.Context, cur, v *DialPlan) error {
	if v.ExtensionLength != cur.ExtensionLength {
		if err := s.checkExtensionLength(ctx, v.ExtensionLength); err != nil {
			return err
		}
	}
	if v.TrunkAccessCode != "" && v.TrunkAccessCode != cur.TrunkAccessCode {
		if err := s.checkTrunkAccessCode(ctx, v.TrunkAccessCode); err != nil {
			return err
		}
	}
	if v.OperatorExtension != "" {
		if len(v.OperatorExtension) != v.ExtensionLength || strings.Trim(v.OperatorExtension, "0123456789") != "" {
			return derrors.New(derrors.InvalidArgument, "dial_plan.operator_extension",
				"%q is not a %d-digit extension", v.OperatorExtension, v.ExtensionLength)
		}
	}
	return s.classExists(ctx, "dial_plan.default_class_of_service_id", v.DefaultClassOfServiceID)
}

// checkExtensionLength fails unless every user and route point has an
// extension n digits long.
func (s *Service) checkExtensionLength(ctx context.Context, n int) error {
	users, err := s.store.CountUsersWithExtensionLengthNot(ctx, n)
	if err != nil {
		return err
	}
	if users > 0 {
		return derrors.New(derrors.FailedPrecondition, "dial_plan.extension_length",
			"%d users have extensions that are not %d digits long; renumber them first", users, n)
	}
	points, err := s.store.CountRoutePointsWithExtensionLengthNot(ctx, n)
	if err != nil {
		return err
	}
	if points > 0 {
		return derrors.New(derrors.FailedPrecondition, "dial_plan.extension_length",
			"%d route points have extensions that are not %d digits long; renumber them first", points, n)
	}
	return nil
}

// checkTrunkAccessCode fails when a user's or route point's extension
// starts with code.
func (s *Service) checkTrunkAccessCode(ctx context.Context, code string) error {
	taken := func(ext string) error {
		return derrors.New(derrors.FailedPrecondition, "dial_plan.trunk_access_code",
			"extension %s starts with %q", ext, code)
	}
	u, err := s.store.FindUserByExtensionPrefix(ctx, code)
	switch {
	case err == nil:
		return taken(u.Extension)
	case derrors.Category(err) != derrors.NotFound:
		return err
	}
	r, err := s.store.FindRoutePointByExtensionPrefix(ctx, code)
	switch {
	case err == nil:
		return taken(r.Extension)
	case derrors.Category(err) != derrors.NotFound:
		return err
	}
	return nil
}
