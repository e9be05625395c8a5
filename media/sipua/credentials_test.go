package sipua

import (
	"strings"
	"testing"

	"github.com/icholy/digest"
)

// TestParseCredentialsMatchesLibrary parses what phones send with both
// parseCredentials and icholy/digest's parser: the results must agree.
func TestParseCredentialsMatchesLibrary(t *testing.T) {
	for _, h := range []string{
		`Digest username="alice", realm="switchboard", nonce="6745.9f8e", uri="sip:1002@127.0.0.1", response="0123456789abcdef0123456789abcdef", algorithm=MD5`,
		`Digest username="u000002",realm="switchboard",nonce="abc.def",uri="sip:127.0.0.1:15060",response="ffee",algorithm=MD5,cnonce="0a4f113b",qop=auth,nc=00000001`,
		`Digest   username = "bob" , realm="r", nonce="n", uri="sip:x", response="r1", qop=auth, nc=0000000a, cnonce="c", opaque="o", userhash=true`,
		`digest username="a\"b\\c", realm="r", nonce="n", uri="sip:x", response="r"`,
		`Digest username="alice", realm="switchboard", nonce="n", uri="sip:x", response="r", algorithm=SHA-256, extra="ignored, with comma"`,
		"Digest\tusername=\"tab\", realm=\"r\"",
	} {
		got, err := parseCredentials(h)
		if err != nil {
			t.Errorf("%s: %v", h, err)
			continue
		}
		want, err := digest.ParseCredentials(h)
		if err != nil {
			t.Logf("%s: the library refuses it (%v); ours: %+v", h, err, *got)
			continue
		}
		if *got != *want {
			t.Errorf("%s:\n got %+v\nwant %+v", h, *got, *want)
		}
	}
}

// TestParseCredentialsRefusesMalformed checks headers that must not parse.
func TestParseCredentialsRefusesMalformed(t *testing.T) {
	for _, h := range []string{
		``,
		`Basic YWxpY2U6c2VjcmV0`,
		`Digest`,
		`Digest username`,
		`Digest username="alice`,
		`Digest username="alice" realm="r"`,
		`Digest =value`,
		`Digest username=, realm="r"`,
		`Digest nc=zz, username="a"`,
		`Digest user name="a"`,
	} {
		if c, err := parseCredentials(h); err == nil {
			t.Errorf("%q parsed as %+v", h, *c)
		}
	}
}

// FuzzParseCredentials checks that no input panics, and that what both
// parsers accept they read alike. Inputs with capitals after the scheme
// are not compared: parameter names are matched case-insensitively (RFC
// 7235 §2.1), by parseCredentials but not by the library.
func FuzzParseCredentials(f *testing.F) {
	f.Add(`Digest username="alice", realm="switchboard", nonce="n", uri="sip:x", response="r", qop=auth, nc=00000001`)
	f.Add(`Digest username="a\"b", realm=r`)
	f.Fuzz(func(t *testing.T, h string) {
		got, err := parseCredentials(h)
		want, werr := digest.ParseCredentials(h)
		if len(h) > 6 && strings.ToLower(h[6:]) != h[6:] {
			return
		}
		if err == nil && werr == nil && *got != *want {
			t.Fatalf("%q:\n got %+v\nwant %+v", h, *got, *want)
		}
	})
}
