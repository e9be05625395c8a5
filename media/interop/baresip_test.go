package interop_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// baresip 1.0 advertises the address of the default route in its SDP and
// cannot be told to use 127.0.0.1 (net_interface lo fails). So the
// baresip test runs in a private network namespace whose only address is
// 127.0.0.1, on a bridge that is also the default route: the test binary
// re-executes itself there under unshare -n with netnsEnv set, and that
// inner run starts the switch and both phones.
const (
	netnsEnv   = "SWITCHBOARD_INTEROP_NETNS"
	netnsSetup = "ip link set lo up && ip link add b0 type bridge && ip addr add 127.0.0.1/32 dev b0 && " +
		"ip link set b0 up && ip route add default dev b0"
	netnsTimeout = 50 * time.Second
)

// inNetns reports whether this is the inner run in the private namespace.
func inNetns() bool { return os.Getenv(netnsEnv) == "1" }

// requireNetns checks that this process can make the private network
// namespace (root, unshare, ip, bridge links) by making one.
func requireNetns(t *testing.T) {
	t.Helper()
	requireTools(t, "unshare", "ip")
	if os.Geteuid() != 0 {
		missing(t, "this test makes a network namespace (unshare -n) and needs root", "run it as root")
	}
	if inNetns() {
		return
	}
	if out, err := exec.Command("unshare", "-n", "sh", "-c", netnsSetup).CombinedOutput(); err != nil {
		missing(t, fmt.Sprintf("cannot set up a network namespace: %v: %s", err, bytes.TrimSpace(out)),
			"run it where unshare -n and bridge links work (root with CAP_SYS_ADMIN)")
	}
}

// runInNetns runs the test called name again in a new network namespace
// (see netnsEnv) and fails unless it passed there. The inner run's output
// is logged.
func runInNetns(t *testing.T, name string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), netnsTimeout+5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "unshare", "-n", "sh", "-c", netnsSetup+` && exec "$0" "$@"`,
		exe, "-test.run=^"+name+"$", "-test.count=1", "-test.v", "-test.timeout="+netnsTimeout.String())
	cmd.Env = append(os.Environ(), netnsEnv+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	t.Logf("inner run in a private network namespace:\n%s", out.String())
	if err != nil || !strings.Contains(out.String(), "--- PASS: "+name) {
		t.Fatalf("%s in a network namespace: %v (output above)", name, err)
	}
}

// baresipConfig describes one baresip phone. Its ports are the caller's
// choice: fixed ones inside a test's private network namespace, free ones
// elsewhere.
type baresipConfig struct {
	Name       string // SIP user name
	Registrar  string // host:port the phone registers with and dials
	SIPPort    int
	RTPPort    int // first of 20 RTP ports
	CtrlPort   int
	Source     string // WAV file the phone plays into calls
	AutoAnswer bool
}

// baresip is a running baresip phone.
type baresip struct {
	cfg  baresipConfig
	dir  string // config, accounts, log
	rec  string // snd_path: sndfile's recordings
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	ctrl *baresipCtrl
}

// startBaresip writes a configuration for cfg and starts baresip with it,
// connected to its control port. It quits (or is killed) when the test
// ends.
func startBaresip(t *testing.T, cfg baresipConfig) *baresip {
	t.Helper()
	b := &baresip{cfg: cfg, dir: t.TempDir(), done: make(chan struct{})}
	b.rec = filepath.Join(b.dir, "rec")
	if err := os.Mkdir(b.rec, 0o755); err != nil {
		t.Fatal(err)
	}
	b.writeConfig(t)
	logFile, err := os.Create(filepath.Join(b.dir, "baresip.log"))
	if err != nil {
		t.Fatal(err)
	}
	// -t: baresip quits by itself if the test forgets it.
	b.cmd = exec.Command("baresip", "-f", b.dir, "-t", fmt.Sprint(int(netnsTimeout/time.Second)))
	b.cmd.Stdout, b.cmd.Stderr = logFile, logFile
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := b.cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("start baresip %s: %v", cfg.Name, err)
	}
	go func() {
		_ = b.cmd.Wait() // how it ended shows in its log
		logFile.Close()
		close(b.done)
	}()
	t.Cleanup(func() {
		_ = b.cmd.Process.Kill()
		<-b.done
		if t.Failed() {
			t.Logf("%s's log:\n%s", cfg.Name, readTail(filepath.Join(b.dir, "baresip.log"), 60))
		}
	})
	b.ctrl = dialCtrl(t, cfg.Name, fmt.Sprintf("127.0.0.1:%d", cfg.CtrlPort), 10*time.Second)
	return b
}

// writeConfig writes baresip's config and accounts files: headless audio
// (a WAV file in, nothing out), G.711 only, sndfile recording every call,
// and one account with digest credentials.
func (b *baresip) writeConfig(t *testing.T) {
	t.Helper()
	c := b.cfg
	config := strings.Join([]string{
		"module_path     /usr/lib/baresip/modules",
		fmt.Sprintf("sip_listen      127.0.0.1:%d", c.SIPPort),
		"audio_source    aufile," + c.Source,
		"audio_player    aubridge,nil",
		"audio_alert     aubridge,nil",
		fmt.Sprintf("rtp_ports       %d-%d", c.RTPPort, c.RTPPort+19),
		"module          g711.so",
		"module          aufile.so",
		"module          aubridge.so",
		"module          sndfile.so",
		"module_app      account.so",
		"module_app      menu.so",
		"module_app      ctrl_tcp.so",
		fmt.Sprintf("ctrl_tcp_listen 127.0.0.1:%d", c.CtrlPort),
		"snd_path        " + b.rec,
	}, "\n") + "\n"
	account := fmt.Sprintf(`<sip:%s@%s>;auth_pass="%s";regint=60;audio_codecs=PCMU`, c.Name, c.Registrar, switchPassword)
	if c.AutoAnswer {
		account += ";answermode=auto"
	}
	for name, body := range map[string]string{"config": config, "accounts": account + "\n"} {
		if err := os.WriteFile(filepath.Join(b.dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// quit asks baresip to quit and waits until it has, so that sndfile has
// closed its recordings.
func (b *baresip) quit(t *testing.T) {
	t.Helper()
	b.ctrl.send(t, "quit", "") // it may exit before it answers
	select {
	case <-b.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not quit", b.cfg.Name)
	}
}

// recording returns the audio of the one sndfile recording of kind "dec"
// (what the phone received) or "enc" (what it sent).
func (b *baresip) recording(t *testing.T, kind string) wavAudio {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(b.rec, "dump-*-"+kind+".wav"))
	if err != nil || len(files) != 1 {
		t.Fatalf("%s: recordings %v (%v), want one dump-*-%s.wav", b.cfg.Name, files, err, kind)
	}
	a, err := readWAV(files[0])
	if err != nil {
		t.Fatalf("%s: %v", files[0], err)
	}
	return a
}
