package switchsvc_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectinprocess"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
)

// client returns a generated SwitchService client over the in-process
// transport, as the TMS uses it.
func client(sw *testSwitch) switchv1connect.SwitchServiceClient {
	srv := connect.NewServer()
	sw.Register(srv)
	return switchv1connect.NewSwitchServiceClient(connect.NewClient(connectinprocess.New(srv)))
}

// TestEventsResume follows the event stream through a registration and a
// call, then reconnects from the middle and gets the rest, in order,
// without duplicates.
func TestEventsResume(t *testing.T) {
	t.Parallel()
	cfg := switchsvcConfig()
	sw := startSwitch(t, cfg, user{Ext: "1001", Devices: []string{"alice"}}, user{Ext: "1002", Devices: []string{"bob"}})
	cl := client(sw)
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	sw.phone(t, "bob", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	if err := call.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "legs to end", func() bool { return len(sw.UA().Legs()) == 0 })
	all := collect(t, cl, 0, 0)
	if len(all) < 8 {
		t.Fatalf("only %d events for two registrations and a call", len(all))
	}
	for i, ev := range all {
		if ev.GetSequence() != int64(i+1) {
			t.Fatalf("event %d has sequence %d", i, ev.GetSequence())
		}
	}
	ended := 0
	for _, ev := range all {
		if ev.GetLeg().GetLeg().GetState() == switchv1.LegState_LEG_STATE_ENDED {
			ended++
		}
	}
	if ended != 2 {
		t.Errorf("%d legs ended, want 2", ended)
	}
	mid := all[len(all)/2].GetSequence()
	rest := collect(t, cl, mid, len(all)-int(mid))
	if len(rest) != len(all)-int(mid) || rest[0].GetSequence() != mid+1 {
		t.Fatalf("resume after %d gave %d events starting at %d", mid, len(rest), rest[0].GetSequence())
	}
}

// collect reads the events after seq until want have arrived (0: until
// the stream is idle for a moment).
func collect(t *testing.T, cl switchv1connect.SwitchServiceClient, seq int64, want int) []*switchv1.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	stream, err := cl.Events(ctx, &switchv1.EventsRequest{AfterSequence: seq})
	if err != nil {
		t.Fatal(err)
	}
	var out []*switchv1.Event
	for want == 0 || len(out) < want {
		res, err := stream.Receive()
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) || connect.CodeOf(err) == connect.CodeDeadlineExceeded {
				break
			}
			t.Fatal(err)
		}
		out = append(out, res.GetEvent())
	}
	return out
}

func TestEventsOutOfRange(t *testing.T) {
	t.Parallel()
	cfg := switchsvcConfig()
	cfg.RetainEvents = 2
	sw := startSwitch(t, cfg, user{Ext: "1001", Devices: []string{"alice"}})
	p := sw.phone(t, "alice", phonetest.AutoAnswer)
	for range 3 {
		if _, err := p.Register(ctxT(t), 300); err != nil {
			t.Fatal(err)
		}
	}
	for _, after := range []int64{1, 1_000_000} { // pruned; ahead of the newest (a restarted switch)
		stream, err := client(sw).Events(ctxT(t), &switchv1.EventsRequest{AfterSequence: after})
		if err == nil {
			_, err = stream.Receive()
		}
		if connect.CodeOf(err) != connect.CodeOutOfRange {
			t.Fatalf("after %d: got %v, want out_of_range", after, err)
		}
	}
	stream, err := client(sw).Events(ctxT(t), &switchv1.EventsRequest{AfterSequence: 0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Receive(); err != nil {
		t.Fatalf("after 0 (every event retained): %v", err)
	}
}

func TestRingTimeout(t *testing.T) {
	t.Parallel()
	cfg := switchsvcConfig()
	cfg.RingTimeout = time.Second
	sw := startSwitch(t, cfg, user{Ext: "1001", Devices: []string{"alice"}}, user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.RingForever)
	_, err := alice.Dial(ctxT(t), "1002")
	var se *phonetest.StatusError
	if !errors.As(err, &se) || se.Code != 480 {
		t.Fatalf("unanswered call gave %v, want 480", err)
	}
	in := <-bob.Incoming
	select {
	case <-in.Ended():
	case <-time.After(10 * time.Second):
		t.Fatal("callee kept ringing after the ring timeout")
	}
}
