package interop_test

import (
	"testing"

	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

// authField is the injection-file field that makes SIPp answer a digest
// challenge ([authentication] in the scenario) as user with password.
func authField(user, password string) string {
	return `[authentication username=` + user + ` password="` + password + `"]`
}

// TestSIPpRegister registers SIPp with digest authentication: the right
// password gets 200 OK and a binding, a wrong one a second 401 and none.
func TestSIPpRegister(t *testing.T) {
	t.Parallel()
	requireTools(t, "sipp")
	cases := []struct {
		name       string
		password   string
		scenario   string // ends with 200 (register.xml) or with a second 401
		wantExit   int    // 0: the scenario's one call succeeded; 1: it failed
		registered bool
	}{
		{"right password", switchtest.Password, "register.xml", 0, true},
		{"wrong password", "incorrect horse", "register_rejected.xml", 0, false},
		// The rejection also shows as a failed call where 200 is expected.
		{"wrong password, expecting 200", "incorrect horse", "register.xml", 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sw := switchtest.Start(t, switchConfig(), testUsers...)
			port := freePort(t)
			contact := "127.0.0.1:" + itoa(port)
			run := startSIPp(t, sippOptions{Scenario: tc.scenario, Remote: sw.Addr, Port: port,
				Users: [][]string{{"alice", authField("alice", tc.password), contact}}, Args: []string{"-m", "1"}})
			res := run.wait(t)
			if res.Code != tc.wantExit || res.Successful+res.Failed != 1 || (res.Failed == 1) != (tc.wantExit == 1) {
				t.Fatalf("sipp exit %d, %d successful, %d failed calls; want exit %d\n%s",
					res.Code, res.Successful, res.Failed, tc.wantExit, run.report())
			}
			regs := sw.UA().Registrations()
			if got := len(regs) == 1 && regs[0].Username == "alice" && regs[0].Target == contact; got != tc.registered {
				t.Fatalf("registrations = %+v, want alice at %s: %v", regs, contact, tc.registered)
			}
		})
	}
}
