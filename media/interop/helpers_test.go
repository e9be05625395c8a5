package interop_test

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-pbx/switchboard/media/switchsvc"
	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

// switchConfig is the switch configuration the tests use: calls that do
// not ring forever and no media timeout within a test's lifetime (SIPp
// sends no RTP).
func switchConfig() switchsvc.Config {
	return switchsvc.Config{RingTimeout: 10 * time.Second, MediaTimeout: 30 * time.Second}
}

// testUsers are the switch's users: alice (1001) and bob (1002).
var testUsers = []switchtest.User{
	{Ext: "1001", Devices: []string{"alice"}},
	{Ext: "1002", Devices: []string{"bob"}},
}

// toolPackages names the Debian package that provides each tool.
var toolPackages = map[string]string{
	"sipp":    "sip-tester",
	"baresip": "baresip-core",
	"unshare": "util-linux",
	"ip":      "iproute2",
}

// missing skips the test because of why (fix says what would help), or
// fails it when CI=true: CI provides everything these tests need, so a
// gap there is a broken setup, not a reason to skip.
func missing(t *testing.T, why, fix string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; %s (CI=true: interop tests must not skip)", why, fix)
	}
	t.Skipf("%s; %s", why, fix)
}

// requireTools checks that every tool is on PATH (see missing).
func requireTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing(t, tool+" is not installed", "apt-get install -y "+toolPackages[tool])
		}
	}
}

// freePort returns a UDP port on 127.0.0.1 that was free a moment ago, for
// a tool that needs its port on the command line.
func freePort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// freeTCPPort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// udpBound reports whether some socket is bound to UDP port on 127.0.0.1
// or on any address, by reading /proc/net/udp (so it does not disturb the
// process that is about to bind it).
func udpBound(port int) bool {
	f, err := os.Open("/proc/net/udp")
	if err != nil {
		return false
	}
	defer f.Close()
	want := fmt.Sprintf(":%04X", port)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || !strings.HasSuffix(fields[1], want) {
			continue
		}
		ip := strings.TrimSuffix(fields[1], want)
		if ip == "0100007F" || ip == "00000000" {
			return true
		}
	}
	return false
}

// waitFor polls cond every 20 ms until it holds, failing the test after
// timeout.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"… (" + strconv.Itoa(len(lines)-n) + " lines before)"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// readTail returns the last n lines of a file, or a note that it is
// missing.
func readTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return tail(string(b), n)
}

// itoa is strconv.Itoa, for building command lines.
func itoa(n int) string { return strconv.Itoa(n) }
