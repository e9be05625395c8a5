package sipua

// SIP status codes are mapped here and nowhere else (see STYLE.md).

// failureRank orders final failures from forks: the caller gets the most
// telling one (RFC 3261 §16.7 in spirit: a decline or busy beats a
// transport failure or a 404 from one device).
func failureRank(code int) int {
	switch {
	case code == 600 || code == 603:
		return 5 // declined everywhere
	case code == 486:
		return 4 // busy
	case code >= 400 && code < 500 && code != 408 && code != 480:
		return 2
	case code >= 500:
		return 1
	default:
		return 0 // 408, 480, no response
	}
}

// betterFailure returns the better of the best status so far and a fork's
// final status (0 when the fork got no response).
func betterFailure(best int, ev forkEvent) int {
	code := 0
	if ev.res != nil {
		code = ev.res.StatusCode
	}
	if best == 0 || failureRank(code) > failureRank(best) {
		return code
	}
	return best
}

// failureFor is the response the caller gets when every fork failed with
// best, and the end reason it stands for.
func failureFor(best int) (int, string, EndReason) {
	switch {
	case best == 486 || best == 600:
		return 486, "Busy Here", EndBusy
	case best == 603:
		return 603, "Decline", EndRejected
	case best == 404 || best == 410 || best == 484:
		return 404, "Not Found", EndUnreachable
	case best >= 400 && best < 500 && best != 408 && best != 480 && best != 487:
		return best, "Call Failed", EndFailed
	default:
		return 480, "Temporarily Unavailable", EndUnreachable
	}
}

// endReasonFor says why a leg ended from the status it ended with.
func endReasonFor(code int) EndReason {
	switch {
	case code == 486 || code == 600:
		return EndBusy
	case code == 603:
		return EndRejected
	case code == 487:
		return EndCanceled
	case code == 408 || code == 480:
		return EndNoAnswer
	case code == 404 || code == 410 || code == 484:
		return EndUnreachable
	case code >= 400:
		return EndFailed
	default:
		return EndFailed
	}
}
