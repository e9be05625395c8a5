package sipua

import (
	"errors"
	"strconv"
	"strings"

	"github.com/icholy/digest"
)

// parseCredentials parses a Digest Authorization (or Proxy-Authorization)
// header value (RFC 7616 §3.4, RFC 3261 §25.1) into icholy/digest's
// Credentials. It replaces digest.ParseCredentials on the call path, which
// reads the value through a 4 KiB bufio.Reader: one per REGISTER and per
// authenticated INVITE, a tenth of what a call setup allocated. Values are
// substrings of header; only a quoted value with escapes is copied.
func parseCredentials(header string) (*digest.Credentials, error) {
	h := strings.TrimLeft(header, " \t")
	sp := strings.IndexAny(h, " \t")
	if sp < 0 || !strings.EqualFold(h[:sp], "Digest") {
		return nil, errors.New("not Digest credentials")
	}
	var c digest.Credentials
	for s := h[sp:]; ; {
		s = strings.TrimLeft(s, " \t\r\n,")
		if s == "" {
			return &c, nil
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, errors.New("auth-param without a value")
		}
		key := strings.TrimRight(s[:eq], " \t")
		if strings.ContainsAny(key, " \t,\"") {
			return nil, errors.New("malformed auth-param name")
		}
		var val string
		var err error
		if val, s, err = paramValue(strings.TrimLeft(s[eq+1:], " \t")); err != nil {
			return nil, err
		}
		switch strings.ToLower(key) {
		case "username":
			c.Username = val
		case "realm":
			c.Realm = val
		case "nonce":
			c.Nonce = val
		case "uri":
			c.URI = val
		case "response":
			c.Response = val
		case "algorithm":
			c.Algorithm = val
		case "cnonce":
			c.Cnonce = val
		case "opaque":
			c.Opaque = val
		case "qop":
			c.QOP = val
		case "nc":
			nc, err := strconv.ParseUint(val, 16, 32)
			if err != nil {
				return nil, errors.New("nc is not 8 hex digits")
			}
			c.Nc = int(nc)
		case "userhash":
			c.Userhash = strings.EqualFold(val, "true")
		}
		if s != "" && s[0] != ',' {
			return nil, errors.New("auth-params not separated by commas")
		}
	}
}

// paramValue reads a token or a quoted string at the start of s and
// returns it with the rest of s (from the next comma, spaces skipped).
func paramValue(s string) (val, rest string, err error) {
	if !strings.HasPrefix(s, `"`) {
		end := strings.IndexAny(s, ", \t")
		if end < 0 {
			end = len(s)
		}
		if end == 0 {
			return "", "", errors.New("empty auth-param value")
		}
		return s[:end], strings.TrimLeft(s[end:], " \t"), nil
	}
	escaped := false
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			escaped = true
			i++ // the next character is taken as it is
		case '"':
			val = s[1:i]
			if escaped {
				val = unescapeQuoted(val)
			}
			return val, strings.TrimLeft(s[i+1:], " \t"), nil
		}
	}
	return "", "", errors.New("unterminated quoted string")
}

// unescapeQuoted removes the backslashes of quoted-pairs.
func unescapeQuoted(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
