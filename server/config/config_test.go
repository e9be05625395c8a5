package config

import (
	"testing"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

func TestDigestHA1(t *testing.T) {
	t.Parallel()
	// RFC 2617 section 3.5 (MD5); the SHA-256 value was computed with
	// Python's hashlib over the same "user:realm:password" string.
	md5Hex, shaHex := DigestHA1("Mufasa", "testrealm@host.com", "Circle Of Life")
	if md5Hex != "939e7578ed9e3c518a452acee763bce9" {
		t.Errorf("MD5 HA1 = %s", md5Hex)
	}
	if shaHex != "3ba6cd94661c5ef34598040c868f13b8775df29109986be50ad35ae537dd3aa4" {
		t.Errorf("SHA-256 HA1 = %s", shaHex)
	}
}

func TestCheckExtension(t *testing.T) {
	t.Parallel()
	dp := &DialPlan{ExtensionLength: 4, TrunkAccessCode: "9"}
	cases := []struct {
		name string
		ext  string
		want error
	}{
		{"ok", "1001", nil},
		{"short", "101", derrors.InvalidArgument},
		{"long", "10011", derrors.InvalidArgument},
		{"letters", "10a1", derrors.InvalidArgument},
		{"trunk code", "9001", derrors.InvalidArgument},
		{"zero first", "0100", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := dp.checkExtension("user.extension", tc.ext)
			if derrors.Category(err) != tc.want {
				t.Errorf("checkExtension(%q) = %v, want %v", tc.ext, err, tc.want)
			}
		})
	}
}

func TestPageRequest(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   PageRequest
		size int
		ok   bool
	}{
		{"default", PageRequest{}, DefaultPageSize + 1, true},
		{"max", PageRequest{Size: MaxPageSize}, MaxPageSize + 1, true},
		{"too big", PageRequest{Size: MaxPageSize + 1}, 0, false},
		{"negative", PageRequest{Size: -1}, 0, false},
		{"bad token", PageRequest{Token: "%%%"}, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pg, err := tc.in.page()
			if (err == nil) != tc.ok || (tc.ok && pg.Size != tc.size) {
				t.Errorf("page() = %v, %v", pg, err)
			}
		})
	}
}
