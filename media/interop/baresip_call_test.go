package interop_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/media/sipua"
	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

// Tones each side plays: alice's call ends when her file ends, so bob's
// is longer.
const (
	aliceTone    = 1000.0 // Hz
	bobTone      = 400.0
	aliceToneLen = 3 * time.Second
	bobToneLen   = 6 * time.Second
	// minToneLen is how much of the other side's tone each recording
	// must hold: the 3 s call less ringing, answer and jitter buffering.
	minToneLen = time.Second
)

const switchPassword = switchtest.Password

// TestBaresipCall has two baresip phones register with the switch (digest
// authentication), alice call bob's extension, bob answer automatically,
// and each play a tone into the call. The switch anchors the media: each
// phone only ever learns the switch's RTP address, so the tone found in
// the other phone's recording went through the switch's relay. The call
// ends when alice's tone file ends.
func TestBaresipCall(t *testing.T) {
	requireTools(t, "baresip")
	requireNetns(t)
	if !inNetns() {
		t.Parallel()
		runInNetns(t, "TestBaresipCall")
		return
	}
	sw := switchtest.Start(t, switchConfig(), testUsers...)
	dir := t.TempDir()
	aliceWAV, bobWAV := filepath.Join(dir, "alice.wav"), filepath.Join(dir, "bob.wav")
	writeTone(t, aliceWAV, aliceTone, aliceToneLen)
	writeTone(t, bobWAV, bobTone, bobToneLen)

	alice := startBaresip(t, baresipConfig{Name: "alice", Registrar: sw.Addr,
		SIPPort: 5062, RTPPort: 10000, CtrlPort: 4444, Source: aliceWAV})
	bob := startBaresip(t, baresipConfig{Name: "bob", Registrar: sw.Addr,
		SIPPort: 5064, RTPPort: 10100, CtrlPort: 4445, Source: bobWAV, AutoAnswer: true})
	waitFor(t, "alice and bob to register", 10*time.Second, func() bool { return len(sw.UA().Registrations()) == 2 })

	alice.ctrl.command(t, "dial", "sip:1002@"+alice.cfg.Registrar, 5*time.Second)
	alice.ctrl.waitEvent(t, "CALL_ESTABLISHED", 10*time.Second, "CALL_CLOSED")
	bob.ctrl.waitEvent(t, "CALL_ESTABLISHED", 5*time.Second, "CALL_CLOSED")
	checkBridged(t, sw)

	alice.ctrl.waitEvent(t, "CALL_CLOSED", aliceToneLen+10*time.Second)
	bob.ctrl.waitEvent(t, "CALL_CLOSED", 10*time.Second)
	waitFor(t, "the switch's legs to end", 10*time.Second, func() bool { return len(sw.UA().Legs()) == 0 })
	alice.quit(t)
	bob.quit(t)

	checkTone(t, "bob's recording of alice", bob.recording(t, "dec"), aliceTone, minToneLen)
	checkTone(t, "alice's recording of bob", alice.recording(t, "dec"), bobTone, minToneLen)
}

// writeTone writes a WAV file of a tone at half full scale, 8 kHz mono.
func writeTone(t *testing.T, path string, freq float64, d time.Duration) {
	t.Helper()
	samples := make([]int16, int(d.Seconds()*codec.SampleRate))
	codec.Sine(samples, freq, 16000, nil)
	if err := writeWAV(path, wavAudio{Rate: codec.SampleRate, Channels: 1, Samples: samples}); err != nil {
		t.Fatal(err)
	}
}

// checkBridged checks that the switch has the call's two legs answered
// with PCMU: the caller's inbound leg and the callee's outbound one.
func checkBridged(t *testing.T, sw *switchtest.Switch) {
	t.Helper()
	legs := sw.UA().Legs()
	if len(legs) != 2 {
		t.Fatalf("switch legs = %+v, want 2", legs)
	}
	for _, l := range legs {
		if l.State != sipua.LegAnswered || l.Codec != "PCMU" {
			t.Fatalf("leg %+v: want answered with PCMU", l)
		}
	}
}

// checkTone checks that a recording (8 kHz mono) holds at least minLen of
// a tone at freq, counted in 20 ms blocks that are not silence and in
// which freq dominates.
func checkTone(t *testing.T, what string, a wavAudio, freq float64, minLen time.Duration) {
	t.Helper()
	if a.Rate != codec.SampleRate || a.Channels != 1 {
		t.Fatalf("%s: %d Hz, %d channels; want %d Hz mono", what, a.Rate, a.Channels, codec.SampleRate)
	}
	blocks := 0
	for start := 0; start+codec.ToneBlock <= len(a.Samples); start += codec.ToneBlock {
		if codec.DetectTone(a.Samples[start:start+codec.ToneBlock], freq) {
			blocks++
		}
	}
	got := time.Duration(blocks) * 20 * time.Millisecond
	t.Logf("%s: %v of %v Hz in %v of audio (tone share %.2f)", what, got, freq,
		time.Duration(len(a.Samples))*time.Second/codec.SampleRate, codec.ToneFraction(a.Samples, freq))
	if got < minLen {
		t.Fatalf("%s: %v of a %v Hz tone, want at least %v", what, got, freq, minLen)
	}
}

// TestBaresipTransfer has bob's baresip transfer a call with its own
// transfer command (REFER, RFC 3515): alice calls bob, bob transfers her
// to carol; the switch calls carol, connects her with alice and hangs bob
// up; carol's recording holds alice's tone.
func TestBaresipTransfer(t *testing.T) {
	requireTools(t, "baresip")
	requireNetns(t)
	if !inNetns() {
		t.Parallel()
		runInNetns(t, "TestBaresipTransfer")
		return
	}
	users := append(append([]switchtest.User(nil), testUsers...), switchtest.User{Ext: "1003", Devices: []string{"carol"}})
	sw := switchtest.Start(t, switchConfig(), users...)
	dir := t.TempDir()
	aliceWAV, quietWAV := filepath.Join(dir, "alice.wav"), filepath.Join(dir, "quiet.wav")
	writeTone(t, aliceWAV, aliceTone, 8*time.Second)
	writeTone(t, quietWAV, bobTone, 10*time.Second)
	alice := startBaresip(t, baresipConfig{Name: "alice", Registrar: sw.Addr,
		SIPPort: 5062, RTPPort: 10000, CtrlPort: 4444, Source: aliceWAV})
	bob := startBaresip(t, baresipConfig{Name: "bob", Registrar: sw.Addr,
		SIPPort: 5064, RTPPort: 10100, CtrlPort: 4445, Source: quietWAV, AutoAnswer: true})
	carol := startBaresip(t, baresipConfig{Name: "carol", Registrar: sw.Addr,
		SIPPort: 5066, RTPPort: 10200, CtrlPort: 4446, Source: quietWAV, AutoAnswer: true})
	waitFor(t, "three phones to register", 10*time.Second, func() bool { return len(sw.UA().Registrations()) == 3 })

	alice.ctrl.command(t, "dial", "sip:1002@"+alice.cfg.Registrar, 5*time.Second)
	alice.ctrl.waitEvent(t, "CALL_ESTABLISHED", 10*time.Second, "CALL_CLOSED")
	bob.ctrl.waitEvent(t, "CALL_ESTABLISHED", 5*time.Second, "CALL_CLOSED")
	bob.ctrl.command(t, "transfer", "sip:1003@"+bob.cfg.Registrar, 5*time.Second)
	bob.ctrl.waitEvent(t, "CALL_CLOSED", 10*time.Second)
	carol.ctrl.waitEvent(t, "CALL_ESTABLISHED", 10*time.Second, "CALL_CLOSED")
	alice.ctrl.waitEvent(t, "CALL_CLOSED", 15*time.Second)
	carol.ctrl.waitEvent(t, "CALL_CLOSED", 10*time.Second)
	waitFor(t, "the switch's legs to end", 10*time.Second, func() bool { return len(sw.UA().Legs()) == 0 })
	alice.quit(t)
	bob.quit(t)
	carol.quit(t)
	checkTone(t, "carol's recording of alice after the transfer", carol.recording(t, "dec"), aliceTone, minToneLen)
}
