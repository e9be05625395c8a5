package sipua

import (
	"crypto/hmac"
	"crypto/md5" //nolint:gosec // SIP digest (RFC 2617) needs MD5
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"github.com/icholy/digest"

	"github.com/switchboard-pbx/switchboard/media/routing"
)

// Digest authentication, server side (RFC 3261 §22, RFC 2617 qop=auth,
// RFC 8760 SHA-256). Nonces are stateless: a timestamp and an HMAC of it
// under a per-process key, so any number of challenges costs no memory and
// an expired nonce is recognised (stale=true) without a table.

// nonceKeyLen is the HMAC key length.
const nonceKeyLen = 32

// authResult is the outcome of checking a request's credentials.
type authResult int

const (
	authMissing authResult = iota // no credentials: challenge
	authOK                        // good credentials
	authStale                     // right password, expired nonce: challenge with stale=true
	authFailed                    // wrong user, password or nonce: counts toward a ban
)

// digester issues and checks digest nonces.
type digester struct {
	key        [nonceKeyLen]byte
	lifetime   time.Duration
	now        func() time.Time
	algorithms []string // challenged, in order; nil means defaultAlgorithms
}

// defaultAlgorithms are challenged unless WithDigestAlgorithms says
// otherwise: MD5, which every phone supports. (With SHA-256 enabled it
// goes first, as RFC 8760 §2.4 asks.)
var defaultAlgorithms = []string{"MD5"}

func newDigester(lifetime time.Duration) *digester {
	d := &digester{lifetime: lifetime, now: time.Now}
	_, _ = rand.Read(d.key[:])
	return d
}

// nonce returns a fresh nonce: hex unix seconds "." hex HMAC-SHA256.
func (d *digester) nonce() string {
	ts := strconv.FormatInt(d.now().Unix(), 16)
	return ts + "." + d.mac(ts)
}

func (d *digester) mac(ts string) string {
	m := hmac.New(sha256.New, d.key[:])
	m.Write([]byte(ts))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// checkNonce reports whether nonce is ours, and whether it has expired.
func (d *digester) checkNonce(nonce string) (valid, expired bool) {
	ts, mac, ok := strings.Cut(nonce, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(d.mac(ts))) {
		return false, false
	}
	sec, err := strconv.ParseInt(ts, 16, 64)
	if err != nil {
		return false, false
	}
	return true, d.now().Sub(time.Unix(sec, 0)) > d.lifetime
}

// challenges returns the header values to send with 401/407, one per
// configured algorithm, in order.
func (d *digester) challenges(realm string, stale bool) []string {
	nonce := d.nonce()
	algs := d.algorithms
	if len(algs) == 0 {
		algs = defaultAlgorithms
	}
	out := make([]string, 0, len(algs))
	for _, alg := range algs {
		c := digest.Challenge{Realm: realm, Nonce: nonce, Algorithm: alg, QOP: []string{"auth"}, Stale: stale}
		out = append(out, c.String())
	}
	return out
}

// verify checks an Authorization or Proxy-Authorization header value for
// method against the routing table. It returns the device on success.
func (d *digester) verify(header, method, realm string, tbl *routing.Table) (*routing.Device, authResult) {
	if header == "" {
		return nil, authMissing
	}
	cred, err := parseCredentials(header)
	if err != nil || cred.Realm != realm {
		return nil, authFailed
	}
	dev, ok := tbl.Device(cred.Username)
	if !ok {
		return nil, authFailed
	}
	h, ha1 := hashFor(cred.Algorithm, dev)
	if h == nil {
		return nil, authFailed
	}
	want := expectedResponse(h, ha1, method, cred)
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(cred.Response))) != 1 {
		return nil, authFailed
	}
	valid, expired := d.checkNonce(cred.Nonce)
	switch {
	case !valid:
		return nil, authFailed
	case expired:
		return dev, authStale
	}
	return dev, authOK
}

// hashFor picks the hash and stored HA1 for an algorithm name.
func hashFor(alg string, dev *routing.Device) (func() hash.Hash, string) {
	switch strings.ToUpper(alg) {
	case "", "MD5":
		return md5.New, dev.HA1MD5
	case "SHA-256":
		return sha256.New, dev.HA1SHA256
	default:
		return nil, ""
	}
}

// expectedResponse computes the digest response a client with the right
// password sends.
func expectedResponse(h func() hash.Hash, ha1, method string, c *digest.Credentials) string {
	ha2 := hexHash(h, method+":"+c.URI)
	if c.QOP == "" {
		return hexHash(h, ha1+":"+c.Nonce+":"+ha2)
	}
	nc := fmt.Sprintf("%08x", c.Nc)
	return hexHash(h, ha1+":"+c.Nonce+":"+nc+":"+c.Cnonce+":"+c.QOP+":"+ha2)
}

func hexHash(h func() hash.Hash, s string) string {
	x := h()
	x.Write([]byte(s))
	return hex.EncodeToString(x.Sum(nil))
}
