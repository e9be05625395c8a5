package sipua

import (
	"crypto/md5" //nolint:gosec // SIP digest
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/icholy/digest"

	"github.com/switchboard-pbx/switchboard/media/routing"
)

func testTable() *routing.Table {
	a1 := []byte("alice:switchboard:secret")
	m := md5.Sum(a1) //nolint:gosec // SIP digest
	s := sha256.Sum256(a1)
	alice := &routing.User{ID: "u1", Extension: "1001", Devices: []*routing.Device{{ID: "d1", SIPUsername: "alice",
		HA1MD5: hex.EncodeToString(m[:]), HA1SHA256: hex.EncodeToString(s[:])}}}
	return routing.New(routing.Plan{Realm: "switchboard", ExtensionLength: 4}, []*routing.User{alice})
}

// clientCredentials answers a challenge the way a phone does, with the
// icholy/digest client implementation (independent of the server code).
func clientCredentials(t *testing.T, chal, user, pass string) string {
	t.Helper()
	c, err := digest.ParseChallenge(chal)
	if err != nil {
		t.Fatal(err)
	}
	cred, err := digest.Digest(c, digest.Options{Method: "REGISTER", URI: "sip:127.0.0.1", Username: user,
		Password: pass, Cnonce: "0a4f113b", Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	return cred.String()
}

func TestDigestVerify(t *testing.T) {
	t.Parallel()
	tbl := testTable()
	d := newDigester(time.Minute)
	d.algorithms = []string{"SHA-256", "MD5"}
	chals := d.challenges("switchboard", false)
	cases := []struct {
		name string
		chal string
		user string
		pass string
		want authResult
	}{
		{"sha-256", chals[0], "alice", "secret", authOK},
		{"md5", chals[1], "alice", "secret", authOK},
		{"wrong password", chals[0], "alice", "guess", authFailed},
		{"unknown user", chals[1], "mallory", "secret", authFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hdr := clientCredentials(t, tc.chal, tc.user, tc.pass)
			_, got := d.verify(hdr, "REGISTER", "switchboard", tbl)
			if got != tc.want {
				t.Errorf("verify = %v, want %v", got, tc.want)
			}
		})
	}
	if _, got := d.verify("", "REGISTER", "switchboard", tbl); got != authMissing {
		t.Errorf("no header: %v", got)
	}
}

func TestDigestStaleAndForeignNonce(t *testing.T) {
	t.Parallel()
	tbl := testTable()
	now := time.Unix(1_800_000_000, 0)
	d := newDigester(time.Minute)
	d.now = func() time.Time { return now }
	chal := d.challenges("switchboard", false)[0]
	hdr := clientCredentials(t, chal, "alice", "secret")
	now = now.Add(2 * time.Minute)
	if _, got := d.verify(hdr, "REGISTER", "switchboard", tbl); got != authStale {
		t.Errorf("expired nonce: %v, want stale", got)
	}
	other := newDigester(time.Minute)
	other.now = d.now
	hdr = clientCredentials(t, other.challenges("switchboard", false)[0], "alice", "secret")
	if _, got := d.verify(hdr, "REGISTER", "switchboard", tbl); got != authFailed {
		t.Errorf("nonce from another key: %v, want failed", got)
	}
}

func TestExpectedResponseRFC2617(t *testing.T) {
	t.Parallel()
	// RFC 2617 §3.5 example (qop=auth, MD5).
	ha1 := hexOf(md5.New, "Mufasa:testrealm@host.com:Circle Of Life")
	c := &digest.Credentials{Nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", URI: "/dir/index.html",
		QOP: "auth", Nc: 1, Cnonce: "0a4f113b"}
	if got := expectedResponse(md5.New, ha1, "GET", c); got != "6629fae49393a05397450978507c4ef1" {
		t.Errorf("response = %s", got)
	}
}

func hexOf(h func() hash.Hash, s string) string { return hexHash(h, s) }

func FuzzDigestVerify(f *testing.F) {
	d := newDigester(time.Minute)
	tbl := testTable()
	f.Add(`Digest username="alice", realm="switchboard", nonce="1.2", uri="sip:x", response="00"`)
	f.Add(`Digest username=alice,realm=`)
	f.Add(`Basic abc`)
	f.Add(fmt.Sprintf(`Digest username="alice", realm="switchboard", nonce=%q, uri="sip:x", response="0", qop=auth, nc=zz`, d.nonce()))
	f.Fuzz(func(t *testing.T, hdr string) {
		_, _ = d.verify(hdr, "INVITE", "switchboard", tbl)
	})
}

func TestBanList(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	b := newBanList(3, time.Minute, 5*time.Minute, slog.New(slog.NewTextHandler(io.Discard, nil)))
	b.now = func() time.Time { return now }
	for i := range 3 {
		if b.fail("10.0.0.1") {
			t.Fatalf("banned after %d failures, limit is 3", i+1)
		}
	}
	if !b.fail("10.0.0.1") || !b.banned("10.0.0.1") {
		t.Fatal("not banned after the 4th failure")
	}
	if b.banned("10.0.0.2") {
		t.Fatal("another source is banned too")
	}
	now = now.Add(6 * time.Minute)
	if b.banned("10.0.0.1") {
		t.Fatal("still banned after the ban ran out")
	}
	b.fail("10.0.0.3")
	b.succeed("10.0.0.3")
	for range 3 {
		b.fail("10.0.0.3")
	}
	if b.banned("10.0.0.3") {
		t.Fatal("a success did not reset the count")
	}
}
