package sdpneg

import (
	"bytes"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// cmpMedia compares Media values field by field, addresses by IP.Equal.
var cmpMedia = cmp.Options{
	cmpopts.IgnoreUnexported(Media{}),
	cmp.Comparer(func(a, b net.IP) bool { return a.Equal(b) }),
}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func te(pt uint8, fmtp string) Codec {
	return Codec{PT: pt, Name: "telephone-event", Rate: 8000, FMTP: fmtp}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		want *Media
		err  error
	}{
		{name: "sipp uac", file: "sipp_uac.sdp", want: &Media{
			Addr: net.IPv4(127, 0, 0, 1), Port: 6000, Codecs: []Codec{PCMU},
			RTCPPort: 6001,
		}},
		{name: "baresip", file: "baresip.sdp", want: &Media{
			Addr: net.IPv4(192, 0, 2, 20), Port: 10318,
			Codecs:  []Codec{PCMU, PCMA, te(101, "0-15")},
			EventPT: 101, HasEvents: true, PTime: 20, RTCPPort: 10319,
		}},
		{name: "linphone keeps only g711 and te/8000", file: "linphone.sdp", want: &Media{
			Addr: net.IPv4(192, 0, 2, 30), Port: 7078,
			Codecs:  []Codec{PCMU, PCMA, te(100, "")},
			EventPT: 100, HasEvents: true, RTCPPort: 7079,
		}},
		{name: "g729 only", file: "g729_only.sdp", err: ErrNoCommonCodec},
		{name: "hold sendonly", file: "hold_sendonly.sdp", want: &Media{
			Addr: net.IPv4(192, 0, 2, 20), Port: 10318,
			Codecs:  []Codec{PCMU, PCMA, te(101, "0-15")},
			EventPT: 101, HasEvents: true, Direction: SendOnly, PTime: 20, RTCPPort: 10319,
		}},
		{name: "hold inactive", file: "hold_inactive.sdp", want: &Media{
			Addr: net.IPv4(192, 0, 2, 20), Port: 10318,
			Codecs:  []Codec{PCMA, PCMU, te(101, "0-15")},
			EventPT: 101, HasEvents: true, Direction: Inactive, PTime: 20, RTCPPort: 10319,
		}},
		{name: "rfc 2543 hold c=0.0.0.0", file: "hold_c0.sdp", want: &Media{
			Addr: net.IPv4zero, Port: 49170,
			Codecs:  []Codec{PCMU, te(101, "0-15")},
			EventPT: 101, HasEvents: true, Direction: SendOnly, RTCPPort: 49171,
		}},
		{name: "ipv6 with LF endings", file: "ipv6_lf.sdp", want: &Media{
			Addr: net.ParseIP("2001:db8::20"), Port: 40000,
			Codecs:  []Codec{PCMA, PCMU, te(101, "0-16")},
			EventPT: 101, HasEvents: true, PTime: 30, RTCPPort: 40001,
		}},
		{name: "media-level c= wins", file: "media_level_c.sdp", want: &Media{
			Addr: net.IPv4(198, 51, 100, 7), Port: 30000,
			Codecs: []Codec{PCMU, PCMA}, RTCPPort: 30001,
		}},
		{name: "a=rtcp and static types without rtpmap", file: "rtcp_attr.sdp", want: &Media{
			Addr: net.IPv4(203, 0, 113, 9), Port: 53020,
			Codecs:  []Codec{PCMA, PCMU, te(96, "0-16")},
			EventPT: 96, HasEvents: true, PTime: 20, RTCPPort: 53021,
		}},
		{name: "srtp only", file: "srtp.sdp", err: ErrUnsupported},
		{name: "srtp then rtp picks rtp", file: "srtp_then_rtp.sdp", want: &Media{
			Addr: net.IPv4(192, 0, 2, 70), Port: 12002,
			Codecs:  []Codec{PCMA, PCMU, te(101, "0-16")},
			EventPT: 101, HasEvents: true, RTCPPort: 12003,
		}},
		{name: "audio beside t38", file: "audio_t38.sdp", want: &Media{
			Addr: net.IPv4(198, 51, 100, 80), Port: 20000,
			Codecs: []Codec{PCMA, PCMU}, RTCPPort: 20001,
		}},
		{name: "t38 re-invite", file: "t38_reinvite.sdp", err: ErrNoAudio},
		{name: "hostname in c=", file: "bad_c.sdp", err: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(readSample(t, tt.file))
			if !errors.Is(err, tt.err) {
				t.Fatalf("Parse() error = %v, want %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got, cmpMedia); diff != "" {
				t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseLineEndings parses every sample with CRLF, with LF and without
// the final line break, and expects the same result each time.
func TestParseLineEndings(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "*.sdp"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			lf := bytes.ReplaceAll(readSample(t, filepath.Base(f)), []byte("\r\n"), []byte("\n"))
			variants := map[string][]byte{
				"crlf":     bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n")),
				"no final": bytes.TrimRight(lf, "\n"),
			}
			want, wantErr := Parse(lf)
			for name, b := range variants {
				got, err := Parse(b)
				if (err == nil) != (wantErr == nil) {
					t.Fatalf("%s: error = %v, with LF %v", name, err, wantErr)
				}
				if diff := cmp.Diff(want, got, cmpMedia); diff != "" {
					t.Errorf("%s: differs from LF (-lf +%s):\n%s", name, name, diff)
				}
			}
		})
	}
}

func TestParseInline(t *testing.T) {
	t.Parallel()
	const head = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\n"
	tests := []struct {
		name string
		body string
		want *Media
		err  error
	}{
		{name: "empty", body: "", err: ErrMalformed},
		{name: "blank lines", body: "\r\n\r\n", err: ErrMalformed},
		{name: "not sdp", body: "hello world\n", err: ErrMalformed},
		{name: "no media", body: head + "c=IN IP4 192.0.2.1\nt=0 0\n", err: ErrNoAudio},
		{name: "video only", body: head + "c=IN IP4 192.0.2.1\nt=0 0\nm=video 5000 RTP/AVP 96\n", err: ErrNoAudio},
		{name: "audio port 0", body: head + "c=IN IP4 192.0.2.1\nt=0 0\nm=audio 0 RTP/AVP 0\n", err: ErrNoAudio},
		{name: "no c= line", body: head + "t=0 0\nm=audio 5000 RTP/AVP 0\n", err: ErrMalformed},
		{name: "IP4 with v6 address", body: head + "c=IN IP4 2001:db8::1\nt=0 0\nm=audio 5000 RTP/AVP 0\n", err: ErrMalformed},
		{name: "IP6 with v4 address", body: head + "c=IN IP6 192.0.2.1\nt=0 0\nm=audio 5000 RTP/AVP 0\n", err: ErrMalformed},
		{name: "multicast", body: head + "c=IN IP4 224.2.1.1/127\nt=0 0\nm=audio 5000 RTP/AVP 0\n", err: ErrUnsupported},
		{name: "avpf", body: head + "c=IN IP4 192.0.2.1\nt=0 0\nm=audio 5000 RTP/AVPF 0\n", err: ErrUnsupported},
		{name: "webrtc", body: head + "c=IN IP4 192.0.2.1\nt=0 0\nm=audio 9 UDP/TLS/RTP/SAVPF 111\n", err: ErrUnsupported},
		{name: "only telephone-event", body: head + "c=IN IP4 192.0.2.1\nt=0 0\nm=audio 5000 RTP/AVP 101\na=rtpmap:101 telephone-event/8000\n", err: ErrNoCommonCodec},
		{name: "stereo pcmu dropped", body: head + "c=IN IP4 192.0.2.1\nt=0 0\nm=audio 5000 RTP/AVP 96 8\na=rtpmap:96 PCMU/8000/2\n", want: &Media{
			Addr: net.IPv4(192, 0, 2, 1), Port: 5000, Codecs: []Codec{PCMA}, RTCPPort: 5001,
		}},
		{name: "dynamic pcmu lower case", body: head + "c=IN IP4 192.0.2.1\nt=0 0\nm=audio 5000 RTP/AVP 97\na=rtpmap:97 pcmu/8000\n", want: &Media{
			Addr: net.IPv4(192, 0, 2, 1), Port: 5000, Codecs: []Codec{{PT: 97, Name: "PCMU", Rate: 8000}}, RTCPPort: 5001,
		}},
		{name: "first te/8000 wins", body: head + "c=IN IP4 192.0.2.1\nt=0 0\nm=audio 5000 RTP/AVP 0 101 102\na=rtpmap:101 telephone-event/8000\na=rtpmap:102 telephone-event/8000\n", want: &Media{
			Addr: net.IPv4(192, 0, 2, 1), Port: 5000, Codecs: []Codec{PCMU, te(101, "")},
			EventPT: 101, HasEvents: true, RTCPPort: 5001,
		}},
		{name: "session-level direction and ptime", body: head + "c=IN IP4 192.0.2.1\nt=0 0\na=recvonly\na=ptime:40\nm=audio 5000 RTP/AVP 0\n", want: &Media{
			Addr: net.IPv4(192, 0, 2, 1), Port: 5000, Codecs: []Codec{PCMU},
			Direction: RecvOnly, PTime: 40, RTCPPort: 5001,
		}},
		{name: "media direction beats session", body: head + "c=IN IP4 192.0.2.1\nt=0 0\na=sendonly\nm=audio 5000 RTP/AVP 0\na=sendrecv \n", want: &Media{
			Addr: net.IPv4(192, 0, 2, 1), Port: 5000, Codecs: []Codec{PCMU}, RTCPPort: 5001,
		}},
		{name: "c=0.0.0.0 recvonly is inactive", body: head + "c=IN IP4 0.0.0.0\nt=0 0\nm=audio 5000 RTP/AVP 0\na=recvonly\n", want: &Media{
			Addr: net.IPv4zero, Port: 5000, Codecs: []Codec{PCMU}, Direction: Inactive, RTCPPort: 5001,
		}},
		{name: "ipv6 unspecified is hold", body: head + "c=IN IP6 ::\nt=0 0\nm=audio 5000 RTP/AVP 0\n", want: &Media{
			Addr: net.IPv6unspecified, Port: 5000, Codecs: []Codec{PCMU}, Direction: SendOnly, RTCPPort: 5001,
		}},
		{name: "bad rtcp ignored", body: head + "c=IN IP4 192.0.2.1\nt=0 0\nm=audio 5000 RTP/AVP 0\na=rtcp:99999\na=ptime:x\n", want: &Media{
			Addr: net.IPv4(192, 0, 2, 1), Port: 5000, Codecs: []Codec{PCMU}, RTCPPort: 5001,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse([]byte(tt.body))
			if !errors.Is(err, tt.err) {
				t.Fatalf("Parse() error = %v, want %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got, cmpMedia); diff != "" {
				t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseErrorText checks that errors say what is wrong.
func TestParseErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		want string
	}{
		{name: "codecs listed", file: "g729_only.sdp", want: "G729/8000 telephone-event/8000"},
		{name: "profile named", file: "srtp.sdp", want: "RTP/SAVP"},
		{name: "address quoted", file: "bad_c.sdp", want: `"pbx.example.com"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(readSample(t, tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
