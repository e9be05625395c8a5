package config

import (
	"context"
	"crypto/md5" //nolint:gosec // RFC 2617 digest HA1, required by SIP phones
	"crypto/sha256"
	"encoding/hex"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// GetDevice returns one device.
func (s *Service) GetDevice(ctx context.Context, id string) (*Device, error) {
	return s.store.GetDevice(ctx, id)
}

// ListDevices returns one page of devices and the token of the next page.
func (s *Service) ListDevices(ctx context.Context, p PageRequest, f Filter) ([]*Device, string, error) {
	return list(p, func(v *Device) string { return v.ID }, func(pg Page) ([]*Device, error) {
		return s.store.ListDevices(ctx, pg, f)
	})
}

// CreateDevice adds a device for an existing user. The password is turned
// into digest HA1 values and then forgotten.
func (s *Service) CreateDevice(ctx context.Context, v *Device, password string) (*Device, error) {
	if password == "" {
		return nil, derrors.New(derrors.InvalidArgument, "device.password", "is required")
	}
	if err := s.userExists(ctx, v.UserID); err != nil {
		return nil, err
	}
	if err := s.setDigest(ctx, v, password); err != nil {
		return nil, err
	}
	out, err := s.store.CreateDevice(ctx, v)
	return out, s.wrote(derrors.Qualify("device", err))
}

// UpdateDevice stores v, which carries the version it was read at. A new
// password (non-empty) replaces the digest values; changing the SIP user
// name needs one, since the digest values depend on it.
func (s *Service) UpdateDevice(ctx context.Context, v *Device, password string) (*Device, error) {
	cur, err := s.store.GetDevice(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	if v.UserID != cur.UserID {
		return nil, derrors.New(derrors.InvalidArgument, "device.user_id", "cannot be changed; create a device for the other user")
	}
	v.HA1MD5, v.HA1SHA256 = cur.HA1MD5, cur.HA1SHA256
	switch {
	case password != "":
		if err := s.setDigest(ctx, v, password); err != nil {
			return nil, err
		}
	case v.SIPUsername != cur.SIPUsername:
		return nil, derrors.New(derrors.InvalidArgument, "device.password", "is required when sip_username changes")
	}
	out, err := s.store.UpdateDevice(ctx, v)
	return out, s.wrote(derrors.Qualify("device", err))
}

// DeleteDevice removes a device.
func (s *Service) DeleteDevice(ctx context.Context, id string, version int64) error {
	return s.wrote(s.store.DeleteDevice(ctx, id, version))
}

func (s *Service) setDigest(ctx context.Context, v *Device, password string) error {
	dp, err := s.store.GetDialPlan(ctx)
	if err != nil {
		return err
	}
	v.HA1MD5, v.HA1SHA256 = DigestHA1(v.SIPUsername, dp.SIPRealm, password)
	return nil
}

func (s *Service) userExists(ctx context.Context, id string) error {
	if _, err := s.store.GetUser(ctx, id); err != nil {
		if derrors.Category(err) == derrors.NotFound {
			return derrors.New(derrors.NotFound, "device.user_id", "user %s does not exist", id)
		}
		return err
	}
	return nil
}

// DigestHA1 returns the hex MD5 and SHA-256 digests of
// "username:realm:password", the HA1 values of RFC 2617 and RFC 8760.
func DigestHA1(username, realm, password string) (md5Hex, sha256Hex string) {
	a1 := []byte(username + ":" + realm + ":" + password)
	m := md5.Sum(a1) //nolint:gosec // see import
	s := sha256.Sum256(a1)
	return hex.EncodeToString(m[:]), hex.EncodeToString(s[:])
}
