package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"connectrpc.com/connect/v2"

	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1/callcontrolv1connect"
)

// serve answers the calls offered on line until ctx ends. It lists the
// calls first, watches from the sequence the list reflects, and after a
// broken stream resumes from the last event it saw (re-listing when that
// is no longer retained).
func serve(ctx context.Context, calls callcontrolv1connect.CallControlServiceClient, line string, logf func(string, ...any)) error {
	var after int64
	list := true
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		if list {
			res, err := calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{Lines: []string{line}})
			if err != nil {
				return err
			}
			for _, c := range res.GetCalls() {
				if c.GetState() == callcontrolv1.CallState_CALL_STATE_OFFERING {
					go attend(ctx, calls, c.GetId(), logf)
				}
			}
			after, list = res.GetSequence(), false
		}
		err := watch(ctx, calls, line, &after, func(c *callcontrolv1.Call) {
			if c.GetState() == callcontrolv1.CallState_CALL_STATE_OFFERING {
				go attend(ctx, calls, c.GetId(), logf)
			}
		})
		switch connect.CodeOf(err) {
		case connect.CodeOutOfRange:
			list = true
		case connect.CodeUnauthenticated, connect.CodePermissionDenied:
			return err
		}
		logf("event stream ended (%v); resuming after %d", err, after)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
	return ctx.Err()
}

// watch follows line's events after *after, calling offered for every
// call change, until the stream ends.
func watch(ctx context.Context, calls callcontrolv1connect.CallControlServiceClient, line string, after *int64, offered func(*callcontrolv1.Call)) error {
	stream, err := calls.WatchEvents(ctx, &callcontrolv1.WatchEventsRequest{Lines: []string{line}, AfterSequence: *after})
	if err != nil {
		return err
	}
	defer stream.Close()
	for {
		res, err := stream.Receive()
		if err != nil {
			return err
		}
		ev := res.GetEvent()
		*after = ev.GetSequence()
		if c := ev.GetCall(); c != nil {
			offered(c)
		}
	}
}

// attend answers one call, asks for an extension and transfers there.
func attend(ctx context.Context, calls callcontrolv1connect.CallControlServiceClient, id string, logf func(string, ...any)) {
	if err := attendErr(ctx, calls, id); err != nil {
		logf("call %s: %v", id, err)
		_, _ = calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: id})
	}
}

func attendErr(ctx context.Context, calls callcontrolv1connect.CallControlServiceClient, id string) error {
	if _, err := calls.Answer(ctx, &callcontrolv1.AnswerRequest{CallId: id}); err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	// The greeting: a caller who knows the extension may type it at once.
	if _, err := calls.Play(ctx, &callcontrolv1.PlayRequest{CallId: id, InterruptOnDigit: true,
		Audio: &callcontrolv1.PlayRequest_Tone{Tone: &callcontrolv1.Tone{FrequencyHz: 440, DurationMs: 1500}}}); err != nil {
		return fmt.Errorf("play: %w", err)
	}
	got, err := calls.CollectDigits(ctx, &callcontrolv1.CollectDigitsRequest{CallId: id, MaxDigits: 8, Terminator: "#",
		InterDigitTimeoutMs: 5000, OverallTimeoutMs: 20000})
	if err != nil {
		return fmt.Errorf("collect digits: %w", err)
	}
	if got.GetDigits() == "" {
		return errors.New("no extension entered")
	}
	_, err = calls.BlindTransfer(ctx, &callcontrolv1.BlindTransferRequest{CallId: id, Destination: got.GetDigits()})
	if err == nil {
		return nil
	}
	// An unknown extension: an error tone, then goodbye.
	_, _ = calls.Play(ctx, &callcontrolv1.PlayRequest{CallId: id,
		Audio: &callcontrolv1.PlayRequest_Tone{Tone: &callcontrolv1.Tone{FrequencyHz: 950, DurationMs: 600}}})
	return fmt.Errorf("transfer to %s: %w", got.GetDigits(), err)
}

// bearer sends the token on every request.
func bearer(token string) connect.ClientInterceptor {
	return func(next connect.ClientFunc) connect.ClientFunc {
		return func(ctx context.Context, spec connect.Spec) (connect.ClientStream, error) {
			info, ok := connect.CallInfoForClientContext(ctx)
			if !ok {
				ctx, info = connect.NewClientContext(ctx)
			}
			info.RequestHeader().Set("Authorization", "Bearer "+token)
			return next(ctx, spec)
		}
	}
}
