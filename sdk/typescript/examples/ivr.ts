// IVR: a small auto-attendant served from a route point, like
// examples/go/ivr. It answers every call to the route point, plays a
// greeting tone, collects an extension ending in '#', and transfers the
// caller there (or plays an error tone and hangs up).
//
// Create a route point and an application token for it ("Route points" in
// the repository's README), then:
//
//   npm run build:examples
//   SWITCHBOARD_TOKEN=<application token> node dist-examples/ivr.js [LINE]
//
// LINE is the route point's extension (default 2100). It follows the line
// with watchEvents, which resumes after the last event it delivered when
// the connection breaks, and lists the calls again when events were
// missed. Stop it with Ctrl-C. The server is $SWITCHBOARD_URL (default
// http://127.0.0.1:8080); --url and --token override them.
import { parseArgs } from "node:util";
import {
  CallState,
  Code,
  ConnectError,
  EventsOutOfRangeError,
  createSwitchboard,
  watchEvents,
  type Call,
} from "@switchboard-pbx/sdk";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: process.env.SWITCHBOARD_URL ?? "http://127.0.0.1:8080" },
    token: { type: "string", default: process.env.SWITCHBOARD_TOKEN },
  },
});
if (positionals.length > 1 || !values.token) {
  console.error("usage: ivr [LINE] [--url URL] [--token TOKEN]; SWITCHBOARD_TOKEN: an application token of the route point");
  process.exit(2);
}
const line = positionals[0] ?? "2100";
const sb = createSwitchboard({ baseUrl: values.url, token: values.token });
const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
process.once("SIGTERM", () => stop.abort());
const attending = new Set<string>(); // calls being served, until they end

try {
  console.log(`serving route point ${line} on ${values.url}`);
  for (;;) {
    // The calls ringing already, and the position of the event stream
    // they reflect: the events after it are the calls offered since.
    const { calls, sequence } = await sb.calls.listCalls({ lines: [line] }, { signal: stop.signal });
    calls.forEach(offered);
    try {
      const events = watchEvents(sb.calls, {
        lines: [line],
        afterSequence: sequence,
        signal: stop.signal,
        onReconnect: (r) => console.error(`reconnecting in ${r.delayMs} ms: ${r.error.message}`),
      });
      for await (const event of events) {
        if (event.kind.case === "call") offered(event.kind.value);
      }
    } catch (err) {
      if (!(err instanceof EventsOutOfRangeError)) throw err;
      console.error(`events missed (${err.reason}): listing the calls again`);
    }
  }
} catch (err) {
  if (!(err instanceof ConnectError)) throw err;
  if (err.code !== Code.Canceled) {
    console.error(`${Code[err.code]}: ${err.rawMessage}`);
    process.exitCode = 1;
  }
} finally {
  sb.close();
}

// offered starts serving a call the first time it is seen OFFERING.
function offered(c: Call): void {
  if (c.state === CallState.DISCONNECTED) attending.delete(c.id);
  if (c.state !== CallState.OFFERING || attending.has(c.id)) return;
  attending.add(c.id);
  void attend(c.id);
}

// attend answers one call, asks for an extension and transfers the caller
// there; when anything fails, it hangs up.
async function attend(callId: string): Promise<void> {
  const signal = stop.signal;
  try {
    await sb.calls.answer({ callId }, { signal });
    console.log(`call ${callId}: answered`);
    // The greeting: a caller who knows the extension may type it at once.
    await sb.calls.play(
      { callId, interruptOnDigit: true, audio: { case: "tone", value: { frequencyHz: 440, durationMs: 1500 } } },
      { signal },
    );
    const { digits } = await sb.calls.collectDigits(
      { callId, maxDigits: 8, terminator: "#", interDigitTimeoutMs: 5000, overallTimeoutMs: 20000 },
      { signal },
    );
    if (!digits) throw new Error("no extension entered");
    try {
      await sb.calls.blindTransfer({ callId, destination: digits }, { signal });
    } catch (err) {
      // An unknown extension: an error tone, then goodbye.
      await sb.calls
        .play({ callId, audio: { case: "tone", value: { frequencyHz: 950, durationMs: 600 } } }, { signal })
        .catch(() => {});
      throw new Error(`transfer to ${digits}: ${why(err)}`);
    }
    console.log(`call ${callId}: transferred to ${digits}`);
  } catch (err) {
    console.error(`call ${callId}: ${why(err)}; hanging up`);
    await sb.calls.drop({ callId }).catch(() => {});
  }
}

function why(err: unknown): string {
  if (err instanceof ConnectError) return `${Code[err.code]}: ${err.rawMessage}`;
  return err instanceof Error ? err.message : String(err);
}
