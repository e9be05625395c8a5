package interop_test

import (
	"testing"
	"time"

	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

// sippCalls is how many calls TestSIPpCalls places, at sippRate a second,
// each lasting sippCallLen.
const (
	sippCalls   = 20
	sippRate    = 10
	sippCallLen = time.Second
)

// TestSIPpCalls places calls from a SIPp uac (alice, 407 digest
// authentication) to a SIPp uas registered as bob by a separate SIPp
// REGISTER whose Contact names the uas's port. Every call rings, is
// answered, lasts a second and is hung up by the caller; the switch passes
// the BYE on to the uas. All calls must succeed on both sides and the
// switch must end with no leg and every RTP port back in its pool.
func TestSIPpCalls(t *testing.T) {
	t.Parallel()
	requireTools(t, "sipp")
	sw := switchtest.Start(t, switchConfig(), testUsers...)
	free := sw.Ports().Free()
	uas := startSIPpCallee(t, sw, sippCalls)
	uac := startSIPpCaller(t, sw.Addr, sippCalls, sippRate)
	uac.expect(t, sippCalls)
	uas.expect(t, sippCalls)
	waitFor(t, "the switch's legs to end", 10*time.Second, func() bool { return len(sw.UA().Legs()) == 0 })
	waitFor(t, "RTP ports to return to the pool", 10*time.Second, func() bool { return sw.Ports().Free() == free })
}

// startSIPpCallee starts a SIPp uas (uas.xml) for calls calls and
// registers it as bob with a separate SIPp REGISTER whose Contact is the
// uas's port.
func startSIPpCallee(t *testing.T, sw *switchtest.Switch, calls int) *sipp {
	t.Helper()
	port := freePort(t)
	uas := startSIPp(t, sippOptions{Scenario: "uas.xml", Port: port, Args: []string{"-m", itoa(calls)}})
	waitFor(t, "the SIPp uas to bind its port", 10*time.Second, func() bool { return udpBound(port) })
	contact := "127.0.0.1:" + itoa(port)
	startSIPp(t, sippOptions{Scenario: "register.xml", Remote: sw.Addr,
		Users: [][]string{{"bob", authField("bob", switchtest.Password), contact}},
		Args:  []string{"-m", "1"}}).expect(t, 1)
	if regs := sw.UA().Registrations(); len(regs) != 1 || regs[0].Target != contact {
		t.Fatalf("registrations = %+v, want bob at %s", regs, contact)
	}
	return uas
}

// startSIPpCaller starts a SIPp uac (uac.xml) placing calls calls as
// alice to extension 1002 at the switch at addr, rate calls a second.
func startSIPpCaller(t *testing.T, addr string, calls, rate int) *sipp {
	t.Helper()
	users := make([][]string, calls)
	for i := range users {
		users[i] = []string{"alice", authField("alice", switchtest.Password)}
	}
	return startSIPp(t, sippOptions{Scenario: "uac.xml", Remote: addr, Users: users,
		Args: []string{"-s", "1002", "-m", itoa(calls), "-r", itoa(rate), "-d", itoa(int(sippCallLen.Milliseconds()))}})
}
