package sipua

import (
	"strings"
	"testing"
)

func TestWithDigestAlgorithms(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opts []Option
		want []string
	}{
		{"default", nil, []string{"MD5"}},
		{"rfc 8760", []Option{WithDigestAlgorithms("SHA-256", "MD5")}, []string{"SHA-256", "MD5"}},
		{"md5 only", []Option{WithDigestAlgorithms("md5")}, []string{"MD5"}},
		{"md5 first", []Option{WithDigestAlgorithms("MD5", "sha256")}, []string{"MD5", "SHA-256"}},
		{"unknown ignored", []Option{WithDigestAlgorithms("SHA-512-256", "MD5")}, []string{"MD5"}},
		{"none known is the default", []Option{WithDigestAlgorithms("bogus")}, []string{"MD5"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, err := New(tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			chals := u.digest.challenges("switchboard", false)
			if len(chals) != len(tc.want) {
				t.Fatalf("challenges %q, want algorithms %v", chals, tc.want)
			}
			for i, alg := range tc.want {
				if !strings.Contains(chals[i], "algorithm="+alg+",") && !strings.HasSuffix(chals[i], "algorithm="+alg) {
					t.Errorf("challenge %d = %q, want algorithm=%s", i, chals[i], alg)
				}
			}
		})
	}
}
