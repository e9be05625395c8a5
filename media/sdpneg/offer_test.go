package sdpneg

import (
	"errors"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// golden compares got with testdata/<name>.golden, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./media/sdpneg -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// local4 and local6 return a fresh leg of the switch, as a test needs one
// per body it renders.
func local4() *Local {
	return &Local{Addr: net.IPv4(203, 0, 113, 1), Port: 30000, SessionID: 4242, Version: 7, Username: "switchboard"}
}

func local6() *Local {
	return &Local{Addr: net.ParseIP("2001:db8::1"), Port: 30002, SessionID: 4243, Version: 1, Username: "switchboard"}
}

func mustParse(t *testing.T, b []byte) *Media {
	t.Helper()
	m, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse(%q): %v", b, err)
	}
	return m
}

func TestOfferGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		offer func(t *testing.T) []byte
	}{
		{"offer_default", func(*testing.T) []byte { return Offer(local4(), nil, SendRecv) }},
		{"offer_hold", func(*testing.T) []byte { return Offer(local4(), DefaultCodecs(), SendOnly) }},
		{"offer_inactive_pcma", func(*testing.T) []byte {
			return Offer(local4(), []Codec{PCMA, TelephoneEvent}, Inactive)
		}},
		{"offer_ipv6", func(*testing.T) []byte { return Offer(local6(), DefaultCodecs(), SendRecv) }},
		{"forward_linphone", func(t *testing.T) []byte {
			return ForwardOffer(local4(), mustParse(t, readSample(t, "linphone.sdp")))
		}},
		{"forward_hold_c0", func(t *testing.T) []byte {
			return ForwardOffer(local4(), mustParse(t, readSample(t, "hold_c0.sdp")))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			golden(t, tt.name, tt.offer(t))
		})
	}
}

func TestAnswerGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		file      string
		local     func() *Local
		wantCodec Codec
		wantDir   Direction
		wantLines int
	}{
		{"answer_sipp_uac", "sipp_uac.sdp", local4, PCMU, SendRecv, 1},
		{"answer_baresip", "baresip.sdp", local4, PCMU, SendRecv, 1},
		{"answer_linphone", "linphone.sdp", local4, PCMU, SendRecv, 2},
		{"answer_hold_sendonly", "hold_sendonly.sdp", local4, PCMU, RecvOnly, 1},
		{"answer_hold_inactive", "hold_inactive.sdp", local4, PCMA, Inactive, 1},
		{"answer_hold_c0", "hold_c0.sdp", local4, PCMU, RecvOnly, 1},
		{"answer_ipv6", "ipv6_lf.sdp", local6, PCMA, SendRecv, 1},
		{"answer_rtcp_attr", "rtcp_attr.sdp", local4, PCMA, SendRecv, 1},
		{"answer_srtp_then_rtp", "srtp_then_rtp.sdp", local4, PCMA, SendRecv, 2},
		{"answer_audio_t38", "audio_t38.sdp", local4, PCMA, SendRecv, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := tt.local()
			offer := mustParse(t, readSample(t, tt.file))
			body, codec, err := Answer(l, offer, DefaultCodecs(), SendRecv)
			if err != nil {
				t.Fatalf("Answer(): %v", err)
			}
			if codec != tt.wantCodec {
				t.Errorf("Answer() codec = %v, want %v", codec, tt.wantCodec)
			}
			golden(t, tt.name, body)

			got := mustParse(t, body)
			if !got.Addr.Equal(l.Addr) || got.Port != l.Port || got.Direction != tt.wantDir {
				t.Errorf("answer is %v:%d %v, want %v:%d %v",
					got.Addr, got.Port, got.Direction, l.Addr, l.Port, tt.wantDir)
			}
			if got.HasEvents != offer.HasEvents || got.EventPT != offer.EventPT {
				t.Errorf("answer events %v/%d, offer %v/%d", got.HasEvents, got.EventPT, offer.HasEvents, offer.EventPT)
			}
			if n := strings.Count(string(body), "\r\nm="); n != tt.wantLines {
				t.Errorf("answer has %d m= lines, want %d", n, tt.wantLines)
			}
		})
	}
}

// TestRoundTrip parses what Offer writes and expects what it was given.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		local  *Local
		codecs []Codec
		dir    Direction
	}{
		{"ipv4 default sendrecv", local4(), DefaultCodecs(), SendRecv},
		{"ipv4 pcma first sendonly", local4(), []Codec{PCMA, PCMU}, SendOnly},
		{"ipv4 recvonly te 96", local4(), []Codec{PCMU, te(96, "0-15")}, RecvOnly},
		{"ipv6 inactive", local6(), []Codec{PCMU, TelephoneEvent}, Inactive},
		{"ipv4-mapped ipv6 is ipv4", &Local{Addr: net.ParseIP("::ffff:192.0.2.5"), Port: 4000}, []Codec{PCMA}, SendRecv},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := &Media{
				Addr: tt.local.Addr, Port: tt.local.Port, Codecs: tt.codecs,
				Direction: tt.dir, PTime: PTime, RTCPPort: tt.local.Port + 1,
			}
			for _, c := range tt.codecs {
				if c.IsEvent() {
					want.EventPT, want.HasEvents = c.PT, true
				}
			}
			got := mustParse(t, Offer(tt.local, tt.codecs, tt.dir))
			if diff := cmp.Diff(want, got, cmpMedia); diff != "" {
				t.Errorf("Parse(Offer()) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnswerChoice(t *testing.T) {
	t.Parallel()
	baresip := func(t *testing.T) *Media { return mustParse(t, readSample(t, "baresip.sdp")) }
	tests := []struct {
		name       string
		offer      func(t *testing.T) *Media
		supported  []Codec
		wantCodec  Codec
		wantEvents bool
		err        error
	}{
		{"offer order wins", baresip, []Codec{PCMA, PCMU, TelephoneEvent}, PCMU, true, nil},
		{"only pcma supported", baresip, []Codec{PCMA}, PCMA, false, nil},
		{"te kept with offerer pt", func(t *testing.T) *Media { return mustParse(t, readSample(t, "rtcp_attr.sdp")) },
			[]Codec{PCMU, TelephoneEvent}, PCMU, true, nil},
		{"no common codec", func(t *testing.T) *Media { return mustParse(t, readSample(t, "sipp_uac.sdp")) },
			[]Codec{PCMA, TelephoneEvent}, Codec{}, false, ErrNoCommonCodec},
		{"nothing supported", baresip, nil, Codec{}, false, ErrNoCommonCodec},
		{"nil offer", func(*testing.T) *Media { return nil }, DefaultCodecs(), Codec{}, false, ErrNoAudio},
		{"hand-made offer", func(*testing.T) *Media {
			return &Media{Addr: net.IPv4(192, 0, 2, 1), Port: 5000, Codecs: []Codec{PCMA}, EventPT: 110, HasEvents: true}
		}, DefaultCodecs(), PCMA, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			offer := tt.offer(t)
			body, codec, err := Answer(local4(), offer, tt.supported, SendRecv)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Answer() error = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			got := mustParse(t, body)
			if codec != tt.wantCodec || got.Codecs[0] != codec {
				t.Errorf("Answer() codec = %v, body %v, want %v", codec, got.Codecs[0], tt.wantCodec)
			}
			if got.HasEvents != tt.wantEvents || (tt.wantEvents && got.EventPT != offer.EventPT) {
				t.Errorf("answer events = %v/%d, want %v/%d", got.HasEvents, got.EventPT, tt.wantEvents, offer.EventPT)
			}
		})
	}
}

func TestAnswerDirection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		offer, local, want Direction
	}{
		{SendRecv, SendRecv, SendRecv},
		{SendRecv, SendOnly, SendOnly},
		{SendRecv, RecvOnly, RecvOnly},
		{SendRecv, Inactive, Inactive},
		{SendOnly, SendRecv, RecvOnly},
		{SendOnly, SendOnly, Inactive},
		{SendOnly, RecvOnly, RecvOnly},
		{RecvOnly, SendRecv, SendOnly},
		{RecvOnly, RecvOnly, Inactive},
		{Inactive, SendRecv, Inactive},
		{Inactive, SendOnly, Inactive},
	}
	for _, tt := range tests {
		t.Run(tt.offer.String()+"/"+tt.local.String(), func(t *testing.T) {
			t.Parallel()
			offer := &Media{Addr: net.IPv4(192, 0, 2, 1), Port: 5000, Codecs: []Codec{PCMU}, Direction: tt.offer}
			body, _, err := Answer(local4(), offer, DefaultCodecs(), tt.local)
			if err != nil {
				t.Fatal(err)
			}
			if got := mustParse(t, body).Direction; got != tt.want {
				t.Errorf("answer to %v with %v is %v, want %v", tt.offer, tt.local, got, tt.want)
			}
		})
	}
}

func TestDirection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d              Direction
		str            string
		reverse        Direction
		sends, receive bool
	}{
		{SendRecv, "sendrecv", SendRecv, true, true},
		{SendOnly, "sendonly", RecvOnly, true, false},
		{RecvOnly, "recvonly", SendOnly, false, true},
		{Inactive, "inactive", Inactive, false, false},
		{Direction(9), "Direction(9)", Direction(9), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.str, func(t *testing.T) {
			t.Parallel()
			if got := tt.d.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
			if got := tt.d.Reverse(); got != tt.reverse {
				t.Errorf("Reverse() = %v, want %v", got, tt.reverse)
			}
			if tt.d.Sends() != tt.sends || tt.d.Receives() != tt.receive {
				t.Errorf("Sends/Receives = %v/%v, want %v/%v", tt.d.Sends(), tt.d.Receives(), tt.sends, tt.receive)
			}
		})
	}
}
