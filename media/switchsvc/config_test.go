package switchsvc_test

import (
	"time"

	"github.com/switchboard-pbx/switchboard/media/switchsvc"
)

func switchsvcConfig() switchsvc.Config {
	return switchsvc.Config{RingTimeout: 5 * time.Second, MediaTimeout: 10 * time.Second}
}
