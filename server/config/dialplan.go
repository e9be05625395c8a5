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
// extension length changes only while every user's extension has the new
// length; the trunk access code only while no extension starts with it.
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
		n, err := s.store.CountUsersWithExtensionLengthNot(ctx, v.ExtensionLength)
		if err != nil {
			return err
		}
		if n > 0 {
			return derrors.New(derrors.FailedPrecondition, "dial_plan.extension_length",
				"%d users have extensions that are not %d digits long; renumber them first", n, v.ExtensionLength)
		}
	}
	if v.TrunkAccessCode != "" && v.TrunkAccessCode != cur.TrunkAccessCode {
		u, err := s.store.FindUserByExtensionPrefix(ctx, v.TrunkAccessCode)
		if err == nil {
			return derrors.New(derrors.FailedPrecondition, "dial_plan.trunk_access_code",
				"extension %s starts with %q", u.Extension, v.TrunkAccessCode)
		}
		if derrors.Category(err) != derrors.NotFound {
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
