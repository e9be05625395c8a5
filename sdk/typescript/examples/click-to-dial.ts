// Click-to-dial: rings your phone and, once you pick it up, calls the
// number; prints the call's progress on your line until it ends.
//
//   npm run build:examples
//   node dist-examples/click-to-dial.js 1001 1002 [--hangup-after 30]
//
// The server is $SWITCHBOARD_URL (default http://127.0.0.1:8080, where
// `go run ./server/cmd/switchboard serve` listens) and the API token is
// $SWITCHBOARD_TOKEN (default: the content of ./data/admin.token, which
// that command writes); --url and --token override them.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  CallState,
  Code,
  ConnectError,
  DisconnectReason,
  createSwitchboard,
  fieldViolations,
  watchEvents,
  type Call,
} from "@switchboard-pbx/sdk";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: process.env.SWITCHBOARD_URL ?? "http://127.0.0.1:8080" },
    token: { type: "string", default: process.env.SWITCHBOARD_TOKEN },
    "hangup-after": { type: "string" },
  },
});
if (positionals.length !== 2) {
  console.error("usage: click-to-dial <your line> <number> [--hangup-after SECONDS] [--url URL] [--token TOKEN]");
  process.exit(2);
}
const [line, destination] = positionals;
const token = values.token ?? readFileSync("data/admin.token", "utf8").trim();
const hangupAfterMs = values["hangup-after"] === undefined ? undefined : Number(values["hangup-after"]) * 1000;

const sb = createSwitchboard({ baseUrl: values.url, token });
try {
  // Take the position of the event stream before placing the call, so
  // that no event of the call is missed.
  const { sequence } = await sb.calls.listCalls({});
  const { call } = await sb.calls.makeCall({ line, destination, idempotencyKey: randomUUID() });
  console.log(`calling ${destination} from ${line}: pick up your phone (call ${call!.id})`);
  let hangup: NodeJS.Timeout | undefined;
  for await (const event of watchEvents(sb.calls, { lines: [line], afterSequence: sequence })) {
    if (event.kind.case !== "call" || event.kind.value.id !== call!.id) continue;
    const c = event.kind.value;
    console.log(describe(c));
    if (c.state === CallState.CONNECTED && hangupAfterMs !== undefined && hangup === undefined) {
      hangup = setTimeout(() => void sb.calls.drop({ callId: c.id }).catch(() => {}), hangupAfterMs);
    }
    if (c.state === CallState.DISCONNECTED) break;
  }
  clearTimeout(hangup);
} catch (err) {
  if (!(err instanceof ConnectError)) throw err;
  // Errors are typed: the code, and for a malformed request the fields.
  console.error(`${Code[err.code]}: ${err.rawMessage}`);
  for (const v of fieldViolations(err)) console.error(`  ${v.field}: ${v.message}`);
  process.exitCode = 1;
} finally {
  sb.close();
}

function describe(c: Call): string {
  const who = c.parties.map((p) => (p.name ? `${p.name} <${p.number}>` : p.number)).join(", ");
  const reason = c.state === CallState.DISCONNECTED ? ` (${DisconnectReason[c.disconnectReason]})` : "";
  return `${CallState[c.state]}${reason}${who ? ` with ${who}` : ""}`;
}
