// Event logger: prints the calls in progress, then one line per call event
// as it happens, on every line or on the lines given. It survives network
// failures (resuming without losing or repeating an event) and lists the
// calls again when events were missed (the server restarted, or it was
// disconnected for longer than the server keeps events).
//
//   npm run build:examples
//   node dist-examples/event-logger.js [LINE ...]
//
// Stop it with Ctrl-C. The server is $SWITCHBOARD_URL (default
// http://127.0.0.1:8080, where `go run ./server/cmd/switchboard serve`
// listens) and the API token is $SWITCHBOARD_TOKEN (default: the content
// of ./data/admin.token, which that command writes); --url and --token
// override them.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  CallState,
  Code,
  ConnectError,
  Direction,
  DisconnectReason,
  EventsOutOfRangeError,
  createSwitchboard,
  watchEvents,
  type Call,
  type Event,
} from "@switchboard-pbx/sdk";

const { values, positionals: lines } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: process.env.SWITCHBOARD_URL ?? "http://127.0.0.1:8080" },
    token: { type: "string", default: process.env.SWITCHBOARD_TOKEN },
  },
});
const token = values.token ?? readFileSync("data/admin.token", "utf8").trim();
const sb = createSwitchboard({ baseUrl: values.url, token });
const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
process.once("SIGTERM", () => stop.abort());

try {
  for (;;) {
    // A snapshot of the calls, and the position of the event stream it
    // reflects: the events after it are the changes since.
    const { calls, sequence } = await sb.calls.listCalls({ lines }, { signal: stop.signal });
    for (const c of calls) console.log(`now  ${c.line} ${describe(c)}`);
    console.log(`watching ${lines.length ? lines.join(", ") : "every line"} after sequence ${sequence}`);
    try {
      const events = watchEvents(sb.calls, {
        lines,
        afterSequence: sequence,
        signal: stop.signal,
        onReconnect: (r) => console.error(`reconnecting in ${r.delayMs} ms: ${r.error.message}`),
      });
      for await (const event of events) console.log(format(event));
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

function format(event: Event): string {
  const head = `#${event.sequence} ${event.line}`;
  switch (event.kind.case) {
    case "call":
      return `${head} ${describe(event.kind.value)}`;
    case "digit":
      return `${head} digit ${event.kind.value.digit} (call ${event.kind.value.callId})`;
    case "registration": {
      const r = event.kind.value;
      return `${head} phone ${r.sipUsername} ${r.registered ? `registered at ${r.contact}` : "went away"}`;
    }
    case "recording": {
      const r = event.kind.value;
      return `${head} recording ${r.recordingId} finished, ${r.durationMs} ms${r.error ? ` (${r.error})` : ""}`;
    }
    default:
      return `${head} (an event this program does not know)`;
  }
}

function describe(c: Call): string {
  const reason = c.state === CallState.DISCONNECTED ? ` ${DisconnectReason[c.disconnectReason]}` : "";
  const who = c.parties.map((p) => (p.name ? `${p.name} <${p.number}>` : p.number)).join(", ");
  const dir = c.direction === Direction.OUTGOING ? "to" : "from";
  return `${CallState[c.state]}${reason}${who ? ` ${dir} ${who}` : ""} (call ${c.id})`;
}
