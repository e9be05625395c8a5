package sipua

import (
	"time"

	"github.com/emiago/sipgo/sip"
)

// TransactionLinger is how long a finished transaction is kept to absorb
// retransmissions: a repeated BYE or REGISTER gets its response again
// (RFC 3261 Timer J), a repeated INVITE after our 2xx is recognised (RFC
// 6026 Timer L), a repeated 2xx after our ACK is ACKed again (Timer M).
//
// The RFCs keep such a transaction for 64*T1 = 32 s over UDP, which at a
// thousand calls a second holds the parsed messages of 32,000 calls: about
// 300 MB that the garbage collector keeps walking. A peer retransmits a
// request only while it has no response (an INVITE only until its first
// provisional one, and the switch sends 100 Trying at once), at 0.5, 1.5,
// 3.5 and 7.5 s; a response lost three times over is already a broken
// path. So, like Kamailio's transaction wait timer (5 s by default), the
// switch keeps finished transactions for T4 = 5 s. A retransmission later
// than that is handled as a new request: a late BYE gets 481 (no such
// call), a late REGISTER is registered again.
//
// It also bounds the wait for the ACK of a 2xx: sipgo retransmits our 200
// OK through the INVITE transaction, and once that has lingered without
// an ACK the answer fails and the call is ended with a BYE both ways (RFC
// 3261 §13.3.1.4 says after 64*T1), 5 to 9 s after the answer.
const TransactionLinger = 5 * time.Second

// sipgo keeps its timers in package variables that every transaction reads
// when it is created, so they are set once, before any UA exists.
func init() {
	sip.Timer_J, sip.Timer_L, sip.Timer_M = TransactionLinger, TransactionLinger, TransactionLinger
}
