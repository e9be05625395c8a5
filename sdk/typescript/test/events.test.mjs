// Unit tests of watchEvents against an in-memory CallControlService
// (Connect's router transport): resuming, backoff, the typed OUT_OF_RANGE
// error and cancellation, with failures a real server cannot be made to
// produce on demand.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import {
  CallControlService,
  Code,
  ConnectError,
  EventSchema,
  EventsOutOfRangeError,
  isRetryableError,
  watchEvents,
} from "../dist/index.js";

const fast = { initialDelayMs: 1, maxDelayMs: 5 };

/**
 * A fake server. script(req, attempt) returns what one WatchEvents call
 * does: { events: [sequences], then: ConnectError | "hang" | "end" }.
 * Every request is recorded, and the AbortSignal of every WatchEvents
 * call (the in-memory transport does not pass a client's cancellation on
 * to the handler); listSequence is what ListCalls answers.
 */
function fakeServer(script, { listSequence = () => 1_000n } = {}) {
  const requests = [];
  const signals = [];
  const lists = [];
  const transport = createRouterTransport(({ service }) => {
    service(CallControlService, {
      async listCalls(req) {
        lists.push(req);
        return { calls: [], sequence: listSequence() };
      },
      async *watchEvents(req) {
        const attempt = requests.push(req) - 1;
        const { events = [], then = "hang" } = script(req, attempt);
        for (const sequence of events) {
          yield { event: create(EventSchema, { sequence, line: "2001" }) };
        }
        if (then instanceof ConnectError) throw then;
        if (then === "hang") await new Promise(() => {});
      },
    });
  });
  const inner = createClient(CallControlService, transport);
  const client = {
    listCalls: (req, options) => inner.listCalls(req, options),
    watchEvents: (req, options) => {
      signals.push(options?.signal);
      return inner.watchEvents(req, options);
    },
  };
  // Which WatchEvents calls have been cancelled.
  const cancelled = () => signals.flatMap((signal, i) => (signal?.aborted ? [i] : []));
  return { client, requests, cancelled, lists };
}

async function take(iterable, n) {
  const out = [];
  if (n === 0) return out;
  for await (const ev of iterable) {
    out.push(ev.sequence);
    if (out.length === n) break;
  }
  return out;
}

const drop = new ConnectError("connection reset", Code.Unavailable);

describe("watchEvents", () => {
  test("resumes after the last event it delivered, without duplicates or gaps", async () => {
    // Attempt 0 delivers 1-3 and drops; attempt 1 replays 3 (which must not
    // be delivered twice) and goes on; attempt 2 is cut by an Aborted.
    const server = fakeServer((req, attempt) =>
      [
        { events: [1n, 2n, 3n], then: drop },
        { events: [3n, 4n, 5n], then: new ConnectError("[aborted] read ECONNRESET", Code.Aborted) },
        { events: [6n, 7n] },
      ][attempt],
    );
    const reconnects = [];
    const got = await take(
      watchEvents(server.client, { backoff: fast, onReconnect: (i) => reconnects.push(i) }),
      7,
    );
    assert.deepEqual(got, [1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    assert.deepEqual(
      server.requests.map((r) => r.afterSequence),
      [0n, 3n, 5n],
    );
    assert.deepEqual(
      reconnects.map((r) => [r.attempt, r.afterSequence, r.error.code]),
      [
        [1, 3n, Code.Unavailable],
        [1, 5n, Code.Aborted],
      ],
      "an event received resets the attempt count",
    );
    assert.deepEqual(server.cancelled(), [0, 1, 2], "leaving the loop cancels the open stream");
  });

  test("passes lines and the start position, and checks the server did not restart", async () => {
    const server = fakeServer(() => ({ events: [42n] }), { listSequence: () => 41n + 1n });
    const got = await take(watchEvents(server.client, { lines: ["2001"], afterSequence: 41n }), 1);
    assert.deepEqual(got, [42n]);
    assert.deepEqual(server.requests[0].lines, ["2001"]);
    assert.equal(server.requests[0].afterSequence, 41n);
    assert.deepEqual(server.lists[0].lines, ["2001"], "ListCalls asked for the same lines");
  });

  test("OUT_OF_RANGE is an EventsOutOfRangeError that is also a ConnectError", async () => {
    const server = fakeServer((req, attempt) =>
      attempt === 0
        ? { events: [5n], then: drop }
        : { then: new ConnectError("5 is older than the retained events", Code.OutOfRange) },
    );
    const err = await take(watchEvents(server.client, { backoff: fast }), 2).then(
      () => assert.fail("no error"),
      (e) => e,
    );
    assert.ok(err instanceof EventsOutOfRangeError);
    assert.ok(err instanceof ConnectError);
    assert.equal(err.code, Code.OutOfRange);
    assert.equal(err.afterSequence, 5n);
    assert.equal(err.reason, "pruned");
    assert.ok(err.cause instanceof ConnectError);
    assert.ok(!(new ConnectError("x", Code.OutOfRange) instanceof EventsOutOfRangeError));
    assert.equal(server.requests.length, 2, "not retried");
  });

  test("a server whose newest sequence is behind the position restarted", async () => {
    let newest = 1_000n;
    const server = fakeServer(
      (req, attempt) => (attempt === 0 ? { events: [10n, 11n], then: drop } : { events: [1n] }),
      { listSequence: () => newest },
    );
    const events = watchEvents(server.client, {
      afterSequence: 9n,
      backoff: fast,
      onReconnect: () => (newest = 3n), // the server came back with a new log
    });
    const err = await take(events, 3).then(
      () => assert.fail("no error"),
      (e) => e,
    );
    assert.ok(err instanceof EventsOutOfRangeError, String(err));
    assert.equal(err.reason, "restarted");
    assert.equal(err.afterSequence, 11n);
    assert.equal(server.requests.length, 1, "did not watch the new log from 11");
  });

  test("errors the server means are thrown at once, typed", async () => {
    for (const code of [Code.InvalidArgument, Code.PermissionDenied, Code.Unauthenticated]) {
      const server = fakeServer(() => ({ then: new ConnectError("no", code) }));
      const err = await take(watchEvents(server.client, { backoff: fast }), 1).catch((e) => e);
      assert.ok(err instanceof ConnectError);
      assert.equal(err.code, code);
      assert.equal(server.requests.length, 1);
    }
  });

  test("backoff grows, is capped, and gives up after maxAttempts", async () => {
    const server = fakeServer(() => ({ then: drop }));
    const delays = [];
    const err = await take(
      watchEvents(server.client, {
        backoff: { initialDelayMs: 1, maxDelayMs: 8, multiplier: 2, jitter: 0, maxAttempts: 6 },
        onReconnect: (i) => delays.push(i.delayMs),
      }),
      1,
    ).catch((e) => e);
    assert.ok(err instanceof ConnectError);
    assert.deepEqual([err.code, err.rawMessage], [drop.code, drop.rawMessage], "the last error");
    assert.deepEqual(delays, [1, 2, 4, 8, 8]);
    assert.equal(server.requests.length, 6);
  });

  test("a connection that stayed up resetAfterMs restarts the backoff", async () => {
    const server = fakeServer(() => ({ then: drop }));
    const delays = [];
    const ctl = new AbortController();
    await take(
      watchEvents(server.client, {
        signal: ctl.signal,
        backoff: { initialDelayMs: 1, maxDelayMs: 8, jitter: 0, maxAttempts: 2, resetAfterMs: 0 },
        onReconnect: (i) => {
          delays.push([i.attempt, i.delayMs]);
          if (delays.length === 3) ctl.abort();
        },
      }),
      1,
    ).catch(() => {});
    assert.deepEqual(delays, [[1, 1], [1, 1], [1, 1]], "neither growing nor giving up");
  });

  test("jitter takes a random part off each delay, within bounds", async () => {
    const server = fakeServer(() => ({ then: drop }));
    const delays = [];
    await take(
      watchEvents(server.client, {
        backoff: { initialDelayMs: 4, maxDelayMs: 4, jitter: 0.5, maxAttempts: 40 },
        onReconnect: (i) => delays.push(i.delayMs),
      }),
      1,
    ).catch(() => {});
    assert.equal(delays.length, 39);
    assert.ok(delays.every((d) => d >= 2 && d <= 4), JSON.stringify(delays));
    assert.ok(new Set(delays).size > 1, "all delays equal: no jitter");
  });

  test("the signal cancels while waiting to reconnect", async () => {
    const server = fakeServer(() => ({ then: drop }));
    const ctl = new AbortController();
    const events = watchEvents(server.client, {
      signal: ctl.signal,
      backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
      onReconnect: () => setImmediate(() => ctl.abort()),
    });
    const err = await take(events, 1).catch((e) => e);
    assert.ok(err instanceof ConnectError);
    assert.equal(err.code, Code.Canceled);
  });

  test("the signal cancels an open stream", async () => {
    const server = fakeServer(() => ({ events: [1n] }));
    const ctl = new AbortController();
    const got = [];
    const err = await (async () => {
      for await (const ev of watchEvents(server.client, { signal: ctl.signal })) {
        got.push(ev.sequence);
        ctl.abort();
      }
    })().catch((e) => e);
    assert.deepEqual(got, [1n]);
    assert.equal(err?.code, Code.Canceled);
    assert.deepEqual(server.cancelled(), [0]);
  });

  test("bad backoff options are a RangeError", async () => {
    const server = fakeServer(() => ({}));
    for (const backoff of [{ jitter: 2 }, { multiplier: 0.5 }, { initialDelayMs: 10, maxDelayMs: 5 }, { maxAttempts: 0 }, { resetAfterMs: -1 }]) {
      await assert.rejects(take(watchEvents(server.client, { backoff }), 1), RangeError);
    }
  });

  test("isRetryableError retries transport failures only", () => {
    const retried = [Code.Unavailable, Code.Aborted, Code.Canceled, Code.Internal, Code.Unknown, Code.DeadlineExceeded];
    for (const code of Object.values(Code).filter((c) => typeof c === "number")) {
      assert.equal(isRetryableError(new ConnectError("x", code)), retried.includes(code), Code[code]);
    }
  });
});
