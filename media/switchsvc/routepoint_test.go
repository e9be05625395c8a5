package switchsvc_test

import (
	"context"
	"os"
	"testing"
	"time"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

// withRoutePoint pushes a table with the users and a route point 1500
// falling back to 1002 after one second.
func withRoutePoint(t *testing.T, sw *testSwitch, users ...user) {
	t.Helper()
	table := switchtest.Table(users...)
	table.Revision = 2
	table.RoutePoints = []*switchv1.RoutingRoutePoint{{Id: "rp-ivr", Extension: "1500", Name: "IVR",
		FallbackExtension: "1002", AnswerTimeoutSeconds: 1}}
	if _, err := sw.ApplyRoutingTable(context.Background(), &switchv1.ApplyRoutingTableRequest{Table: table}); err != nil {
		t.Fatal(err)
	}
}

// rpLeg waits for the route point's leg of the call ringing it.
func rpLeg(t *testing.T, sw *testSwitch) string {
	t.Helper()
	var id string
	waitFor(t, "the route point's leg", func() bool {
		for _, l := range sw.UA().Legs() {
			if l.RoutePointID == "rp-ivr" && l.End == 0 {
				id = l.ID
				return true
			}
		}
		return false
	})
	return id
}

// answeredRoutePoint has phone dial the route point (1500) and answers the
// call there; it returns the route point's leg and the phone's call.
func answeredRoutePoint(ctx context.Context, t *testing.T, sw *testSwitch, phone *phonetest.Phone) (string, *phonetest.Call) {
	t.Helper()
	dialled := make(chan *phonetest.Call, 1)
	go func() {
		c, err := phone.Dial(ctx, "1500")
		if err != nil {
			t.Error(err)
		}
		dialled <- c
	}()
	leg := rpLeg(t, sw)
	if _, err := sw.AnswerLeg(ctx, &switchv1.AnswerLegRequest{LegId: leg}); err != nil {
		t.Fatal(err)
	}
	call := <-dialled
	if call == nil {
		t.FailNow()
	}
	return leg, call
}

// samples is a tone as little-endian 16-bit samples.
func samples(freq float64, d time.Duration) []byte {
	pcm := make([]int16, int(d.Seconds()*8000))
	var phase float64
	codec.Sine(pcm, freq, 8000, &phase)
	return codec.PCMBytes(pcm)
}

// TestRoutePoint answers a call to a route point, plays to the caller,
// collects digits, records the caller and transfers it.
func TestRoutePoint(t *testing.T) {
	t.Parallel()
	users := []user{{Ext: "1001", Devices: []string{"alice"}}, {Ext: "1002", Devices: []string{"bob"}}}
	cfg := switchsvcConfig()
	cfg.RecordingDir = t.TempDir()
	sw := startSwitch(t, cfg, users...)
	withRoutePoint(t, sw, users...)
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	ctx := ctxT(t)
	leg, call := answeredRoutePoint(ctx, t, sw, alice)

	heard := make(chan error, 1)
	go func() { heard <- call.WaitTone(ctx, 1000) }()
	res, err := sw.PlayLeg(ctx, &switchv1.PlayLegRequest{LegId: leg, Samples: samples(1000, time.Second)})
	if err != nil || !res.GetCompleted() {
		t.Fatalf("PlayLeg: %v %v", res, err)
	}
	if err := <-heard; err != nil {
		t.Fatal("the caller did not hear what the route point played")
	}

	go func() {
		for _, d := range "42#" {
			_ = call.SendInfoDTMF(ctx, d)
		}
	}()
	got, err := sw.CollectDigitsLeg(ctx, &switchv1.CollectDigitsLegRequest{LegId: leg, MaxDigits: 5, Terminator: "#",
		InterDigitTimeoutMs: 5000, OverallTimeoutMs: 10000})
	if err != nil || got.GetDigits() != "42" || got.GetReason() != "terminator" {
		t.Fatalf("CollectDigitsLeg: %v %v; want 42 and terminator", got, err)
	}
	timeout, err := sw.CollectDigitsLeg(ctx, &switchv1.CollectDigitsLegRequest{LegId: leg, MaxDigits: 1,
		InterDigitTimeoutMs: 200, OverallTimeoutMs: 1000})
	if err != nil || timeout.GetDigits() != "" || timeout.GetReason() != "timeout" {
		t.Fatalf("CollectDigitsLeg with nobody pressing: %v %v", timeout, err)
	}

	rec, err := sw.StartRecordingLeg(ctx, &switchv1.StartRecordingLegRequest{LegId: leg})
	if err != nil {
		t.Fatal(err)
	}
	call.PlayTone(600)
	time.Sleep(time.Second)
	if _, err := sw.StopRecordingLeg(ctx, &switchv1.StopRecordingLegRequest{RecordingId: rec.GetRecordingId()}); err != nil {
		t.Fatal(err)
	}
	wav, err := os.ReadFile(sw.UA().RecordingPath(rec.GetRecordingId()))
	if err != nil {
		t.Fatal(err)
	}
	pcm, err := codec.DecodeWAV(wav)
	if err != nil || len(pcm) < 4000 || !codec.DetectTone(pcm[len(pcm)-4000:], 600) {
		t.Fatalf("the recording (%d samples, %v) does not hold the caller's 600 Hz", len(pcm), err)
	}

	if _, err := sw.TransferLeg(ctx, &switchv1.TransferLegRequest{LegId: leg, Destination: "1002"}); err != nil {
		t.Fatal(err)
	}
	atBob := <-bob.Incoming
	if err := atBob.WaitTone(ctx, 600); err != nil {
		t.Fatal("bob does not hear the caller the route point transferred")
	}
}

// TestRoutePointFallback: nobody answers the route point, so after its
// answer timeout the call rings the fallback extension.
func TestRoutePointFallback(t *testing.T) {
	t.Parallel()
	users := []user{{Ext: "1001", Devices: []string{"alice"}}, {Ext: "1002", Devices: []string{"bob"}}}
	sw := startSwitch(t, switchsvcConfig(), users...)
	withRoutePoint(t, sw, users...)
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1500")
	if err != nil {
		t.Fatal(err)
	}
	atBob := <-bob.Incoming
	call.PlayTone(1000)
	if err := atBob.WaitTone(ctxT(t), 1000); err != nil {
		t.Fatal("the fallback extension does not hear the caller")
	}
	// Answering a phone's leg remotely is refused.
	for _, l := range sw.UA().Legs() {
		if _, err := sw.AnswerLeg(ctxT(t), &switchv1.AnswerLegRequest{LegId: l.ID}); err == nil {
			t.Fatal("AnswerLeg on a phone's leg succeeded")
		}
	}
}

// TestRoutePointMediaTimeout: the caller of an answered route point stops
// sending RTP (its phone is gone without a BYE); after the media timeout
// the switch hangs the call up, as it does a relayed call.
func TestRoutePointMediaTimeout(t *testing.T) {
	t.Parallel()
	users := []user{{Ext: "1001", Devices: []string{"alice"}}, {Ext: "1002", Devices: []string{"bob"}}}
	cfg := switchsvcConfig()
	cfg.MediaTimeout = 2 * time.Second
	sw := startSwitch(t, cfg, users...)
	withRoutePoint(t, sw, users...)
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	_, call := answeredRoutePoint(ctxT(t), t, sw, alice)
	call.PlayTone(0)            // silence, but RTP
	time.Sleep(3 * time.Second) // longer than the timeout: the caller sends, so none
	select {
	case <-call.Ended():
		t.Fatal("a route point call whose caller sends RTP was hung up")
	default:
	}
	call.StopSending()
	select {
	case <-call.Ended():
	case <-time.After(10 * time.Second):
		t.Fatal("no BYE to the caller after its RTP stopped for the media timeout")
	}
	waitFor(t, "legs to end", func() bool { return len(sw.UA().Legs()) == 0 })
}
