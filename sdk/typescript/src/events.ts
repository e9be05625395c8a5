import { Code, ConnectError, type Client } from "@connectrpc/connect";
import {
  CallControlService,
  type Event,
} from "./gen/switchboard/callcontrol/v1/call_control_service_pb.js";

/**
 * How {@link watchEvents} waits between reconnection attempts: exponential
 * backoff with jitter. The n-th consecutive failure waits
 * `min(maxDelayMs, initialDelayMs * multiplier^(n-1))`, minus a random part
 * of up to `jitter` of that, so that many clients cut off at once do not
 * reconnect in lockstep.
 */
export interface BackoffOptions {
  /** Delay after the first failure, in milliseconds. Default 250. */
  initialDelayMs?: number;
  /** Upper bound of every delay, in milliseconds. Default 30,000. */
  maxDelayMs?: number;
  /** Growth factor per consecutive failure, at least 1. Default 2. */
  multiplier?: number;
  /**
   * Random fraction taken off each delay, from 0 (none) to 1 (anything
   * between 0 and the computed delay). Default 0.5.
   */
  jitter?: number;
  /**
   * Consecutive failed attempts after which {@link watchEvents} gives up and
   * throws the last error. Default `Infinity` (never give up on errors that
   * are retryable). The count restarts with every event received, and after
   * a connection that stayed up for `resetAfterMs`.
   */
  maxAttempts?: number;
  /**
   * A connection that stayed up this long, in milliseconds, counts as
   * healthy even without events: the next failure waits `initialDelayMs`
   * again. Default 10,000.
   */
  resetAfterMs?: number;
}

/** What {@link WatchEventsOptions.onReconnect} is told before each wait. */
export interface ReconnectInfo {
  /** Consecutive failed attempts so far, from 1. */
  readonly attempt: number;
  /** How long the helper waits before reconnecting, in milliseconds. */
  readonly delayMs: number;
  /** Why the previous attempt ended. */
  readonly error: ConnectError;
  /** The sequence the next attempt resumes after. */
  readonly afterSequence: bigint;
}

/** Options of {@link watchEvents}. */
export interface WatchEventsOptions {
  /** Only events of these lines (extensions); every line when empty. */
  lines?: string[];
  /**
   * Deliver the events after this sequence. Pass the `sequence` of a
   * `ListCalls` response to see every change after that snapshot, or the
   * last sequence you processed to continue where you left off. `0n` (the
   * default) delivers every event the server still retains, then live ones.
   */
  afterSequence?: bigint;
  /** Reconnection delays; see {@link BackoffOptions}. */
  backoff?: BackoffOptions;
  /**
   * Stops watching: the iteration then throws a `ConnectError` with
   * `Code.Canceled`. Leaving a `for await` loop (`break`, `return`) also
   * stops it, without an error.
   */
  signal?: AbortSignal;
  /**
   * Decides which errors are worth a reconnect; {@link isRetryableError} by
   * default. Any other error ends the iteration.
   */
  retryable?: (error: ConnectError) => boolean;
  /** Called before each wait for a reconnect, for logging and metrics. */
  onReconnect?: (info: ReconnectInfo) => void;
}

const outOfRangeBrand = Symbol.for("@switchboard-pbx/sdk.EventsOutOfRangeError");

/**
 * Thrown by {@link watchEvents} when the events after its position can no
 * longer be delivered. Your view of the calls may be stale: re-list with
 * `ListCalls` and watch again from the `sequence` it returns.
 *
 * It is a `ConnectError` with `Code.OutOfRange`, so code that handles
 * Connect errors generically keeps working; test for it with
 * `err instanceof EventsOutOfRangeError`.
 */
export class EventsOutOfRangeError extends ConnectError {
  /** The sequence the helper asked to resume after. */
  readonly afterSequence: bigint;
  /**
   * `"pruned"`: the server no longer retains the events after
   * `afterSequence` (it keeps at least the last 10,000).
   * `"restarted"`: the server's newest sequence is older than
   * `afterSequence`, so its event log started again (a server restart);
   * the events of the new log up to `afterSequence` would otherwise be
   * skipped silently.
   */
  readonly reason: "pruned" | "restarted";

  /**
   * @param afterSequence - The position that cannot be resumed from.
   * @param reason - Why; see {@link EventsOutOfRangeError.reason}.
   * @param cause - The server's error, when it answered OUT_OF_RANGE.
   */
  constructor(afterSequence: bigint, reason: "pruned" | "restarted", cause?: ConnectError) {
    const message =
      reason === "pruned"
        ? `events after sequence ${afterSequence} are no longer retained; re-list with ListCalls`
        : `the server's events restarted below sequence ${afterSequence}; re-list with ListCalls`;
    super(message, Code.OutOfRange, cause?.metadata, undefined, cause);
    if (cause) {
      (this as { details: ConnectError["details"] }).details = cause.details;
    }
    this.afterSequence = afterSequence;
    this.reason = reason;
    Object.defineProperty(this, outOfRangeBrand, { value: true });
  }

  // ConnectError's own instanceof check accepts any ConnectError; this one
  // accepts only errors made by this class (also across copies of the SDK).
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && outOfRangeBrand in value;
  }
}

/**
 * The default of {@link WatchEventsOptions.retryable}: the errors a broken
 * connection or a restarting server produce. `Code.Unavailable` (connection
 * refused or closed), `Code.Aborted` (Node's clients report a connection
 * reset mid-stream so; WatchEvents itself never answers it),
 * `Code.Canceled` (an HTTP/2 stream closed by a dying connection; when you
 * abort {@link WatchEventsOptions.signal}, the helper stops before asking),
 * `Code.Internal` and `Code.Unknown` (an HTTP/2 stream reset, a response cut
 * off mid-message) and `Code.DeadlineExceeded`. Errors the server answers
 * on purpose (`Unauthenticated`, `PermissionDenied`, `InvalidArgument`, …)
 * are not retried.
 */
export function isRetryableError(error: ConnectError): boolean {
  switch (error.code) {
    case Code.Unavailable:
    case Code.Aborted:
    case Code.Canceled:
    case Code.Internal:
    case Code.Unknown:
    case Code.DeadlineExceeded:
      return true;
    default:
      return false;
  }
}

/**
 * Follows `CallControlService.WatchEvents` for as long as you iterate,
 * reconnecting after a disconnect with exponential backoff and jitter and
 * resuming after the last event it delivered, so that no event is lost or
 * delivered twice across reconnects.
 *
 * ```ts
 * const { calls, sequence } = await sb.calls.listCalls({});
 * for await (const event of watchEvents(sb.calls, { afterSequence: sequence })) {
 *   console.log(event.sequence, event.line, event.kind.case);
 * }
 * ```
 *
 * Events arrive in sequence order. Sequences are per server and increase
 * by one per event, so with a `lines` filter you see gaps: the events of
 * other lines.
 *
 * Errors are `ConnectError`s with the server's code. The iteration throws:
 *
 * - {@link EventsOutOfRangeError} (`Code.OutOfRange`) when it cannot resume
 *   without a gap: re-list with `ListCalls` and watch again from its
 *   `sequence`. Before connecting from a position other than 0, the helper
 *   asks `ListCalls` for the server's newest sequence, so that a restarted
 *   server (whose sequences start again at 1) is reported too, unless it
 *   has already passed the position again.
 * - any error that {@link WatchEventsOptions.retryable} rejects, at once
 *   (for example `Code.InvalidArgument` for a malformed line, or
 *   `Code.PermissionDenied` for a line a user token may not see);
 * - the last error, after {@link BackoffOptions.maxAttempts} failures in a
 *   row;
 * - `Code.Canceled` when {@link WatchEventsOptions.signal} aborts.
 *
 * A connection that dies without the client noticing (no TCP reset)
 * stays open: the stream has no heartbeat yet.
 *
 * @param client - A `CallControlService` client, such as `sb.calls`.
 * @param options - Lines, start position, backoff and cancellation.
 * @returns An async iterable of events; iterate it once.
 * @throws RangeError when the backoff options are out of range.
 */
export async function* watchEvents(
  client: Client<typeof CallControlService>,
  options: WatchEventsOptions = {},
): AsyncGenerator<Event, void, undefined> {
  const backoff = backoffOf(options.backoff);
  const retryable = options.retryable ?? isRetryableError;
  const { signal } = options;
  const lines = options.lines ?? [];
  let last = options.afterSequence ?? 0n;
  let failures = 0;
  for (;;) {
    const started = Date.now();
    const call = new AbortController();
    const abortCall = () => call.abort();
    signal?.addEventListener("abort", abortCall, { once: true });
    let error: ConnectError;
    try {
      if (signal?.aborted) {
        throw new ConnectError("watchEvents was aborted", Code.Canceled);
      }
      if (last > 0n) {
        await checkNotRestarted(client, lines, last, call.signal);
      }
      const stream = client.watchEvents({ lines, afterSequence: last }, { signal: call.signal });
      for await (const { event } of stream) {
        // The server never repeats an event after after_sequence; the check
        // keeps that promise even if it did.
        if (event === undefined || event.sequence <= last) continue;
        last = event.sequence;
        failures = 0;
        yield event;
      }
      error = new ConnectError("the server ended the event stream", Code.Unavailable);
    } catch (e) {
      if (e instanceof EventsOutOfRangeError) throw e;
      const err = ConnectError.from(e);
      if (signal?.aborted) {
        throw err.code === Code.Canceled ? err : new ConnectError("watchEvents was aborted", Code.Canceled);
      }
      if (err.code === Code.OutOfRange) throw new EventsOutOfRangeError(last, "pruned", err);
      if (!retryable(err)) throw err;
      error = err;
    } finally {
      signal?.removeEventListener("abort", abortCall);
      call.abort();
    }
    if (Date.now() - started >= backoff.resetAfterMs) failures = 0; // it was up a good while
    failures++;
    if (failures >= backoff.maxAttempts) throw error;
    const delayMs = delayFor(backoff, failures);
    options.onReconnect?.({ attempt: failures, delayMs, error, afterSequence: last });
    await sleep(delayMs, signal);
  }
}

// checkNotRestarted throws EventsOutOfRangeError when the server's newest
// sequence is behind the position: its event log is not the one the
// position came from.
async function checkNotRestarted(
  client: Client<typeof CallControlService>,
  lines: string[],
  after: bigint,
  signal: AbortSignal,
): Promise<void> {
  const { sequence } = await client.listCalls({ lines }, { signal });
  if (sequence < after) throw new EventsOutOfRangeError(after, "restarted");
}

type Backoff = Required<BackoffOptions>;

function backoffOf(o: BackoffOptions = {}): Backoff {
  const b: Backoff = {
    initialDelayMs: o.initialDelayMs ?? 250,
    maxDelayMs: o.maxDelayMs ?? 30_000,
    multiplier: o.multiplier ?? 2,
    jitter: o.jitter ?? 0.5,
    maxAttempts: o.maxAttempts ?? Infinity,
    resetAfterMs: o.resetAfterMs ?? 10_000,
  };
  const bad =
    !(b.initialDelayMs >= 0) ||
    !(b.maxDelayMs >= b.initialDelayMs) ||
    !(b.multiplier >= 1) ||
    !(b.jitter >= 0 && b.jitter <= 1) ||
    !(b.maxAttempts >= 1) ||
    !(b.resetAfterMs >= 0);
  if (bad) {
    throw new RangeError(`watchEvents: backoff options out of range: ${JSON.stringify(o)}`);
  }
  return b;
}

/** The delay after the n-th consecutive failure (n ≥ 1), jittered. */
function delayFor(b: Backoff, n: number): number {
  const base = Math.min(b.maxDelayMs, b.initialDelayMs * b.multiplier ** (n - 1));
  return Math.round(base * (1 - b.jitter * Math.random()));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer);
      reject(new ConnectError("watchEvents was aborted", Code.Canceled));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", aborted);
      resolve();
    }, ms);
    if (signal?.aborted) aborted();
    else signal?.addEventListener("abort", aborted, { once: true });
  });
}
