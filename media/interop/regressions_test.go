package interop_test

import (
	"strings"
	"testing"

	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

// Regression tests for switch bugs these interoperability tests found.

// TestMD5OnlyClients registers SIPp 3.6.1 (baresip 1.0: see below) with the switch
// on its default digest settings. They once failed: the switch challenged
// with SHA-256 first and MD5 second; SIPp reads only the first algorithm=
// and aborts ("createAuthHeader: authentication must use MD5 or
// AKAv1-MD5"), and baresip's libre 1.1 gives up on any challenge that is
// not MD5 ("Register: Function not implemented"). The switch now
// challenges with MD5 unless configured otherwise.
func TestMD5OnlyClients(t *testing.T) {
	t.Parallel()
	t.Run("sipp", func(t *testing.T) {
		t.Parallel()
		requireTools(t, "sipp")
		sw := switchtest.Start(t, switchConfig(), testUsers...)
		port := freePort(t)
		startSIPp(t, sippOptions{Scenario: "register.xml", Remote: sw.Addr, Port: port,
			Users: [][]string{{"alice", authField("alice", switchtest.Password), "127.0.0.1:" + itoa(port)}},
			Args:  []string{"-m", "1"}}).expect(t, 1)
	})
	// baresip registering on the default settings is covered by
	// TestBaresipCall and TestBaresipTransfer, which run it in a private
	// network namespace where its ports cannot clash with other tests.
}

// TestTelephoneEventToCaller places one call from a SIPp uac that offers
// PCMU and telephone-event to a SIPp uas that answers with both. The
// switch's 200 OK to the caller once had PCMU only (the answer was built
// from the callee's audio codec alone), so phones that send DTMF in RTP
// could not send digits through the switch.
func TestTelephoneEventToCaller(t *testing.T) {
	t.Parallel()
	requireTools(t, "sipp")
	sw := switchtest.Start(t, switchConfig(), testUsers...)
	uas := startSIPpCallee(t, sw, 1)
	uac := startSIPpCaller(t, sw.Addr, 1, 1)
	uac.expect(t, 1)
	uas.expect(t, 1)
	answer := ""
	for _, m := range uac.received(t) {
		if strings.HasPrefix(m, "SIP/2.0 200") && strings.Contains(m, "INVITE") {
			answer = m
		}
	}
	if !strings.Contains(answer, "telephone-event") {
		t.Fatalf("the caller offered telephone-event and so did the callee's answer, but the switch's answer to the caller has none:\n%s", answer)
	}
}
