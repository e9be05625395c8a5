package app_test

import (
	"bytes"
	"testing"
	"time"

	"connectrpc.com/connect/v2"

	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/server/app/apptest"
)

// TestRoutePointIVR: an application with its own token watches its route
// point, answers a call to it, plays a tone and a WAV prompt, collects
// digits, records the caller, downloads the recording and transfers the
// caller to a user.
func TestRoutePointIVR(t *testing.T) {
	t.Parallel()
	srv, admin, ctx := callEnv(t, "connect")
	app := srv.Clients("connect", apptest.AppToken(ctx, t, admin, "ivr", apptest.AddRoutePoint(ctx, t, admin, "IVR", "2100")))
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	bob := registerAt(ctx, t, srv.SIPAddr, "bob")
	// With nobody watching and no fallback, calls are turned away.
	if code := dialUntilNot(ctx, t, alice, "2100", 404); code != 480 {
		t.Fatalf("a call to an unwatched route point got %d, want 480", code)
	}

	now, err := app.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	w := watch(ctx, t, app, now.GetSequence()) // an application token watches its own lines
	dialled := make(chan *phonetest.Call, 1)
	go func() {
		c, err := alice.Dial(ctx, "2100")
		if err != nil {
			t.Error(err)
		}
		dialled <- c
	}()
	offered := w.until(t, "2100", callcontrolv1.CallState_CALL_STATE_OFFERING)
	if !hasAction(offered, callcontrolv1.Action_ACTION_ANSWER) {
		t.Fatalf("an offered route point call allows %v, want ANSWER", offered.GetAllowedActions())
	}
	if _, err := app.Calls.Answer(ctx, &callcontrolv1.AnswerRequest{CallId: offered.GetId()}); err != nil {
		t.Fatal(err)
	}
	call := <-dialled
	if call == nil {
		t.FailNow()
	}
	w.until(t, "2100", callcontrolv1.CallState_CALL_STATE_CONNECTED)

	heard := make(chan error, 1)
	go func() { heard <- call.WaitTone(ctx, 1000) }()
	played, err := app.Calls.Play(ctx, &callcontrolv1.PlayRequest{CallId: offered.GetId(),
		Audio: &callcontrolv1.PlayRequest_Tone{Tone: &callcontrolv1.Tone{FrequencyHz: 1000, DurationMs: 800}}})
	if err != nil || !played.GetCompleted() {
		t.Fatalf("Play tone: %v %v", played, err)
	}
	if err := <-heard; err != nil {
		t.Fatal("the caller did not hear the tone")
	}
	_, err = app.Calls.Play(ctx, &callcontrolv1.PlayRequest{CallId: offered.GetId(),
		Audio: &callcontrolv1.PlayRequest_Wav{Wav: []byte("RIFF....WAVE")}})
	wantCode(t, err, connect.CodeInvalidArgument, "wav")
	prompt := wavTone(t, 700, 600*time.Millisecond)
	go func() { heard <- call.WaitTone(ctx, 700) }()
	if played, err := app.Calls.Play(ctx, &callcontrolv1.PlayRequest{CallId: offered.GetId(),
		Audio: &callcontrolv1.PlayRequest_Wav{Wav: prompt}}); err != nil || !played.GetCompleted() {
		t.Fatalf("Play WAV: %v %v", played, err)
	}
	if err := <-heard; err != nil {
		t.Fatal("the caller did not hear the WAV prompt")
	}

	go func() {
		for _, d := range "31#" {
			_ = call.SendInfoDTMF(ctx, d)
		}
	}()
	got, err := app.Calls.CollectDigits(ctx, &callcontrolv1.CollectDigitsRequest{CallId: offered.GetId(), MaxDigits: 4,
		Terminator: "#"})
	if err != nil || got.GetDigits() != "31" || got.GetReason() != callcontrolv1.CollectReason_COLLECT_REASON_TERMINATOR {
		t.Fatalf("CollectDigits: %v %v; want 31 ended by the terminator", got, err)
	}

	rec, err := app.Calls.StartRecording(ctx, &callcontrolv1.StartRecordingRequest{CallId: offered.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	call.PlayTone(600)
	time.Sleep(800 * time.Millisecond)
	if _, err := app.Calls.StopRecording(ctx, &callcontrolv1.StopRecordingRequest{RecordingId: rec.GetRecordingId()}); err != nil {
		t.Fatal(err)
	}
	var wav bytes.Buffer
	dl, err := app.Calls.DownloadRecording(ctx, &callcontrolv1.DownloadRecordingRequest{RecordingId: rec.GetRecordingId()})
	if err != nil {
		t.Fatal(err)
	}
	for {
		res, err := dl.Receive()
		if err != nil {
			break
		}
		wav.Write(res.GetChunk())
	}
	pcm, err := codec.DecodeWAV(wav.Bytes())
	if err != nil || len(pcm) < 3200 || !codec.DetectTone(pcm[len(pcm)-3200:], 600) {
		t.Fatalf("the downloaded recording (%d samples, %v) does not hold the caller's 600 Hz", len(pcm), err)
	}
	w.match(t, "the recording event", func(ev *callcontrolv1.Event) bool {
		return ev.GetRecording().GetRecordingId() == rec.GetRecordingId()
	})

	calls, err := admin.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{Lines: []string{"2001"}})
	if err != nil || len(calls.GetCalls()) != 1 {
		t.Fatalf("alice's calls: %v %v", calls, err)
	}
	_, err = admin.Calls.Answer(ctx, &callcontrolv1.AnswerRequest{CallId: calls.GetCalls()[0].GetId()})
	wantCode(t, err, connect.CodeFailedPrecondition, "answered remotely")

	if _, err := app.Calls.BlindTransfer(ctx, &callcontrolv1.BlindTransferRequest{CallId: offered.GetId(), Destination: "2002"}); err != nil {
		t.Fatal(err)
	}
	atBob := <-bob.Incoming
	if err := atBob.WaitTone(ctx, 600); err != nil {
		t.Fatal("2002 does not hear the caller the IVR transferred")
	}
	w.until(t, "2100", callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
}

func hasAction(c *callcontrolv1.Call, a callcontrolv1.Action) bool {
	for _, x := range c.GetAllowedActions() {
		if x == a {
			return true
		}
	}
	return false
}

// wavTone is a WAV file (8 kHz, 16-bit mono) holding a tone.
func wavTone(t *testing.T, freq float64, d time.Duration) []byte {
	t.Helper()
	pcm := make([]int16, int(d.Seconds()*8000))
	var phase float64
	codec.Sine(pcm, freq, 8000, &phase)
	var f memFile
	w, err := codec.NewWAVWriter(&f, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteSamples(pcm); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return f.b
}

// memFile is an in-memory io.WriteSeeker.
type memFile struct {
	b   []byte
	pos int
}

func (m *memFile) Write(p []byte) (int, error) {
	if need := m.pos + len(p); need > len(m.b) {
		m.b = append(m.b, make([]byte, need-len(m.b))...)
	}
	copy(m.b[m.pos:], p)
	m.pos += len(p)
	return len(p), nil
}

func (m *memFile) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case 0:
		m.pos = int(off)
	case 1:
		m.pos += int(off)
	case 2:
		m.pos = len(m.b) + int(off)
	}
	return int64(m.pos), nil
}

// TestMakeCallToRoutePoint: click-to-dial from a user to a route point
// (the user's phone rings first), and a blind transfer of a caller into
// the route point, both reach the application.
func TestMakeCallToRoutePoint(t *testing.T) {
	t.Parallel()
	srv, admin, ctx := callEnv(t, "connect")
	app := srv.Clients("connect", apptest.AppToken(ctx, t, admin, "ivr", apptest.AddRoutePoint(ctx, t, admin, "IVR", "2100")))
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	bob := registerAt(ctx, t, srv.SIPAddr, "bob")
	w := watch(ctx, t, app, 0)
	for {
		_, err := admin.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "2001", Destination: "2100"})
		if err == nil {
			break
		}
		wantCode(t, err, connect.CodeInvalidArgument) // until the routing table has the route point
		time.Sleep(50 * time.Millisecond)
	}
	atAlice := <-alice.Incoming
	offered := w.until(t, "2100", callcontrolv1.CallState_CALL_STATE_OFFERING)
	if _, err := app.Calls.Answer(ctx, &callcontrolv1.AnswerRequest{CallId: offered.GetId()}); err != nil {
		t.Fatal(err)
	}
	go func() {
		_, _ = app.Calls.Play(ctx, &callcontrolv1.PlayRequest{CallId: offered.GetId(),
			Audio: &callcontrolv1.PlayRequest_Tone{Tone: &callcontrolv1.Tone{FrequencyHz: 1000, DurationMs: 3000}}})
	}()
	if err := atAlice.WaitTone(ctx, 1000); err != nil {
		t.Fatal("the user who clicked to dial does not hear the route point")
	}
	if _, err := app.Calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: offered.GetId()}); err != nil {
		t.Fatal(err)
	}
	<-atAlice.Ended()

	// 2002 calls 2001, who transfers the caller into the route point.
	now, err := admin.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	aw := watch(ctx, t, admin, now.GetSequence())
	toAlice, err := bob.Dial(ctx, "2001")
	if err != nil {
		t.Fatal(err)
	}
	<-alice.Incoming
	call := aw.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	if _, err := admin.Calls.BlindTransfer(ctx, &callcontrolv1.BlindTransferRequest{CallId: call.GetId(), Destination: "2100"}); err != nil {
		t.Fatal(err)
	}
	second := w.until(t, "2100", callcontrolv1.CallState_CALL_STATE_OFFERING)
	if _, err := app.Calls.Answer(ctx, &callcontrolv1.AnswerRequest{CallId: second.GetId()}); err != nil {
		t.Fatal(err)
	}
	go func() {
		_, _ = app.Calls.Play(ctx, &callcontrolv1.PlayRequest{CallId: second.GetId(),
			Audio: &callcontrolv1.PlayRequest_Tone{Tone: &callcontrolv1.Tone{FrequencyHz: 1300, DurationMs: 3000}}})
	}()
	if err := toAlice.WaitTone(ctx, 1300); err != nil {
		t.Fatal("the transferred caller does not hear the route point")
	}
}
