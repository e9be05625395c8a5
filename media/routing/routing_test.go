package routing

import (
	"testing"
	"time"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	alice := &User{ID: "u1", Extension: "1001", Devices: []*Device{{ID: "d1", SIPUsername: "alice-desk"}}}
	op := &User{ID: "u2", Extension: "1000"}
	tbl := New(Plan{ExtensionLength: 4, TrunkAccessCode: "9", OperatorExtension: "1000"}, []*User{alice, op,
		{ID: "dup", Extension: "1001"}})
	cases := []struct {
		name   string
		dialed string
		kind   Kind
		user   string
		number string
	}{
		{"extension", "1001", ToUser, "u1", ""},
		{"device name", "alice-desk", ToUser, "u1", ""},
		{"operator", "0", ToUser, "u2", ""},
		{"external", "90302012345", External, "", "0302012345"},
		{"access code alone", "9", Unknown, "", ""},
		{"unknown", "4711", Unknown, "", ""},
		{"letters after code", "9abc", Unknown, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tbl.Resolve(tc.dialed)
			if r.Kind != tc.kind || r.Number != tc.number || (tc.user != "" && r.User.ID != tc.user) {
				t.Errorf("Resolve(%q) = %+v", tc.dialed, r)
			}
		})
	}
	if d, ok := tbl.Device("alice-desk"); !ok || d.User != alice {
		t.Errorf("Device(alice-desk) = %v, %v", d, ok)
	}
	if tbl.Users() != 2 {
		t.Errorf("duplicate extension was not ignored: %d users", tbl.Users())
	}
}

func TestResolveRoutePoints(t *testing.T) {
	t.Parallel()
	alice := &User{ID: "u1", Extension: "1001", Devices: []*Device{{ID: "d1", SIPUsername: "2100"}}}
	ivr := &RoutePoint{ID: "rp1", Extension: "2100", Name: "IVR", FallbackExtension: "1001", AnswerTimeout: 10 * time.Second}
	reception := &RoutePoint{ID: "rp2", Extension: "1000", Name: "Reception"}
	tbl := New(Plan{ExtensionLength: 4, TrunkAccessCode: "9", OperatorExtension: "1000"}, []*User{alice},
		ivr, reception,
		&RoutePoint{ID: "clash-user", Extension: "1001"},
		&RoutePoint{ID: "clash-point", Extension: "2100"})
	cases := []struct {
		name       string
		dialed     string
		kind       Kind
		routePoint *RoutePoint
		user       *User
	}{
		{"route point, not the device of that name", "2100", ToRoutePoint, ivr, nil},
		{"operator is a route point", "0", ToRoutePoint, reception, nil},
		{"user keeps an extension a route point repeats", "1001", ToUser, nil, alice},
		{"unknown", "2101", Unknown, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tbl.Resolve(tc.dialed)
			if r.Kind != tc.kind || r.RoutePoint != tc.routePoint || r.User != tc.user {
				t.Errorf("Resolve(%q) = %+v", tc.dialed, r)
			}
		})
	}
	if tbl.RoutePoints() != 2 {
		t.Errorf("RoutePoints() = %d, want 2 (duplicates ignored)", tbl.RoutePoints())
	}
	if r, ok := tbl.RoutePoint("rp1"); !ok || r != ivr {
		t.Errorf("RoutePoint(rp1) = %v, %v", r, ok)
	}
	for _, id := range []string{"clash-user", "clash-point", "nope"} {
		if r, ok := tbl.RoutePoint(id); ok {
			t.Errorf("RoutePoint(%s) = %v, want none", id, r)
		}
	}
}
