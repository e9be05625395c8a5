package tms_test

import (
	"testing"

	"buf.build/go/protovalidate"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/store"
	"github.com/switchboard-pbx/switchboard/server/tms"
)

// TestBuildTable builds the routing table from a real configuration and
// checks it against the switch's validation rules.
func TestBuildTable(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st, err := store.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	cfg := config.NewService(st)
	hq, _, err := cfg.Bootstrap(ctx, config.Defaults{SIPRealm: "pbx.test"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := cfg.CreateUser(ctx, &config.User{Extension: "1001", FirstName: "Ada", LastName: "Lovelace", SiteID: hq.SiteID})
	if err != nil {
		t.Fatal(err)
	}
	d, err := cfg.CreateDevice(ctx, &config.Device{UserID: u.ID, SIPUsername: "ada"}, "secret")
	if err != nil {
		t.Fatal(err)
	}
	ivr, err := cfg.CreateRoutePoint(ctx, &config.RoutePoint{Name: "IVR", Extension: "2100", SiteID: hq.SiteID,
		FallbackExtension: "1001"})
	if err != nil {
		t.Fatal(err)
	}
	queue, err := cfg.CreateRoutePoint(ctx, &config.RoutePoint{Name: "Queue", Extension: "2101", SiteID: hq.SiteID,
		AnswerTimeoutSeconds: 300})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := cfg.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}

	got, err := tms.BuildTable(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := &switchv1.RoutingTable{Revision: rev, Realm: "pbx.test", ExtensionLength: 4, TrunkAccessCode: "9",
		Users: []*switchv1.RoutingUser{{Id: u.ID, Extension: "1001", DisplayName: "Ada Lovelace",
			Devices: []*switchv1.RoutingDevice{{Id: d.ID, SipUsername: "ada", Ha1Md5: d.HA1MD5, Ha1Sha256: d.HA1SHA256}}}},
		RoutePoints: []*switchv1.RoutingRoutePoint{
			{Id: ivr.ID, Extension: "2100", Name: "IVR", FallbackExtension: "1001", AnswerTimeoutSeconds: 10},
			{Id: queue.ID, Extension: "2101", Name: "Queue", AnswerTimeoutSeconds: 300},
		}}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Fatalf("BuildTable (-want +got):\n%s", diff)
	}
	if err := protovalidate.Validate(&switchv1.ApplyRoutingTableRequest{Table: got}); err != nil {
		t.Fatalf("the table fails the switch's validation: %v", err)
	}
}
