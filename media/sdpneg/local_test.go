package sdpneg

import (
	"net"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pion/sdp/v3"
)

// originVersion returns the <sess-version> of a body's o= line.
func originVersion(t *testing.T, body []byte) uint64 {
	t.Helper()
	var sd sdp.SessionDescription
	if err := sd.Unmarshal(body); err != nil {
		t.Fatalf("unmarshal %q: %v", body, err)
	}
	return sd.Origin.SessionVersion
}

// TestLocalVersion sends a sequence of bodies on one leg and checks the o=
// version of each (RFC 3264 §8).
func TestLocalVersion(t *testing.T) {
	t.Parallel()
	type step struct {
		next bool      // call NextVersion first
		dir  Direction // send an offer with this direction
		want uint64
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"same body keeps version", []step{{dir: SendRecv, want: 7}, {dir: SendRecv, want: 7}}},
		{"change raises by one", []step{{dir: SendRecv, want: 7}, {dir: SendOnly, want: 8}}},
		{"hold, refresh, resume", []step{
			{dir: SendRecv, want: 7}, {dir: SendOnly, want: 8}, {dir: SendOnly, want: 8}, {dir: SendRecv, want: 9},
		}},
		{"explicit bump not doubled", []step{{dir: SendRecv, want: 7}, {next: true, dir: Inactive, want: 8}}},
		{"explicit bump on same body", []step{{dir: SendRecv, want: 7}, {next: true, dir: SendRecv, want: 8}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := local4()
			for i, s := range tt.steps {
				if s.next {
					l.NextVersion()
				}
				body := Offer(l, nil, s.dir)
				if got := originVersion(t, body); got != s.want || l.Version != s.want {
					t.Errorf("step %d: o= version %d, Local.Version %d, want %d", i, got, l.Version, s.want)
				}
			}
		})
	}
}

func TestLocalVersionAcrossOfferAndAnswer(t *testing.T) {
	t.Parallel()
	l := local4()
	offer := mustParse(t, readSample(t, "baresip.sdp"))
	first, _, err := Answer(l, offer, DefaultCodecs(), SendRecv)
	if err != nil {
		t.Fatal(err)
	}
	// A session refresh: the same offer gets the same answer.
	again, _, _ := Answer(l, offer, DefaultCodecs(), SendRecv)
	if string(again) != string(first) {
		t.Errorf("refresh changed the answer:\n%s\nthen\n%s", first, again)
	}
	// The switch re-offers on the same leg with other codecs.
	if v := originVersion(t, Offer(l, []Codec{PCMA}, SendRecv)); v != 8 {
		t.Errorf("re-offer version %d, want 8", v)
	}
}

func TestNewLocal(t *testing.T) {
	t.Parallel()
	a := NewLocal(net.IPv4(192, 0, 2, 1), 20000)
	b := NewLocal(net.IPv4(192, 0, 2, 1), 20000)
	if a.SessionID == b.SessionID {
		t.Errorf("two legs share session ID %d", a.SessionID)
	}
	if a.SessionID>>63 != 0 || a.Version != a.SessionID || a.Username == "" {
		t.Errorf("NewLocal() = %+v", a)
	}
	if !strings.HasPrefix(string(Offer(&Local{Addr: net.IPv4(192, 0, 2, 1)}, nil, SendRecv)), "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\n") {
		t.Errorf("empty Username is not written as -")
	}
}

// TestB2BUA runs the path of a call through the switch: A's offer is
// forwarded to B, B's answer is parsed, A gets an answer with B's codec;
// then A holds and resumes.
func TestB2BUA(t *testing.T) {
	t.Parallel()
	legA, legB := local4(), &Local{Addr: net.IPv4(203, 0, 113, 1), Port: 30010, SessionID: 99, Version: 99}

	offerA := mustParse(t, readSample(t, "linphone.sdp"))
	toB := mustParse(t, ForwardOffer(legB, offerA))
	if diff := cmp.Diff(offerA.Codecs, toB.Codecs); diff != "" {
		t.Errorf("forwarded codecs differ (-A +B):\n%s", diff)
	}
	answerB := mustParse(t, readSample(t, "baresip_answer_pcma.sdp"))
	body, codec, err := Answer(legA, offerA, answerB.Codecs, answerB.Direction)
	if err != nil {
		t.Fatal(err)
	}
	toA := mustParse(t, body)
	if codec != PCMA || toA.Codecs[0] != PCMA || toA.EventPT != 100 || toA.Port != legA.Port {
		t.Errorf("answer to A: codec %v, %+v", codec, toA)
	}

	// A holds: the hold goes on to B, B answers recvonly, A gets recvonly.
	for _, step := range []struct {
		file string
		want Direction
	}{{"hold_sendonly.sdp", RecvOnly}, {"baresip.sdp", SendRecv}} {
		offerA := mustParse(t, readSample(t, step.file))
		toB := mustParse(t, ForwardOffer(legB, offerA))
		phoneB := &Local{Addr: net.IPv4(192, 0, 2, 21), Port: 10024}
		bodyB, _, err := Answer(phoneB, toB, []Codec{PCMA, TelephoneEvent}, SendRecv)
		if err != nil {
			t.Fatal(err)
		}
		answerB := mustParse(t, bodyB)
		body, _, err := Answer(legA, offerA, answerB.Codecs, answerB.Direction)
		if err != nil {
			t.Fatal(err)
		}
		if got := mustParse(t, body).Direction; got != step.want {
			t.Errorf("%s: answer to A is %v, want %v", step.file, got, step.want)
		}
	}
	if legA.Version != 9 {
		t.Errorf("leg A version %d after answer, hold, resume; want 9", legA.Version)
	}
}
