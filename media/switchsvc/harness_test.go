package switchsvc_test

import (
	"context"
	"testing"
	"time"

	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/media/switchsvc"
	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

const password = switchtest.Password

type user = switchtest.User

// testSwitch wraps switchtest.Switch with the helpers these tests use.
type testSwitch struct{ *switchtest.Switch }

func startSwitch(t *testing.T, cfg switchsvc.Config, users ...user) *testSwitch {
	t.Helper()
	sw := switchtest.Start(t, cfg, users...)
	return &testSwitch{sw}
}

func (s *testSwitch) phone(t *testing.T, username string, mode phonetest.Mode) *phonetest.Phone {
	t.Helper()
	return s.Phone(t, username, mode)
}

// ctxT is a context bounded by 20 s for one step of a test.
func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitFor polls cond every 10 ms until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
