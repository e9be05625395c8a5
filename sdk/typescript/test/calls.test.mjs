// End-to-end call control through the SDK: a real server and two real SIP
// phones (sbphone, registered with digest authentication, auto-answering),
// a MakeCall followed by watchEvents across forced disconnects, error codes
// for bad input, and the example programs (the IVR with two more phones and
// a route point).
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { equals } from "@bufbuild/protobuf";
import {
  CallState,
  Code,
  ConnectError,
  DisconnectReason,
  EventSchema,
  EventsOutOfRangeError,
  Scope,
  createSwitchboard,
  fieldViolations,
  watchEvents,
} from "../dist/index.js";
import { missingTool, poll, repoRoot, startPhone, startProxy, startServer } from "./server.mjs";

const examples = fileURLToPath(new URL("../dist-examples/", import.meta.url));
// Ada's phone rings for half a second before it answers: MakeCall's first
// event (her line DIALING) comes that long before the others.
const ADA = { line: "2201", name: "Ada", user: "ts-ada", password: "ada-secret-1", args: ["-answer-delay", "500ms"] };
const BOB = { line: "2202", name: "Bob", user: "ts-bob", password: "bob-secret-1" };
const NOBODY = { line: "2203", name: "Nobody" }; // a user without a phone
// The IVR test's caller and callee; each phone sends its own tone into its
// calls, so that each side can tell it hears the other.
const CALLER = { line: "1001", name: "Carol", user: "ts-carol", password: "carol-secret-1", tone: 600 };
const CALLEE = { line: "1002", name: "Dave", user: "ts-dave", password: "dave-secret-1", tone: 1000 };
const IVR_LINE = "2100";

// Polls cond every 10 ms until it holds; fails after timeoutMs.
async function until(cond, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Iterates events into an array in the background; onEvent runs inside the
// loop, before the next event is asked for. Resolves to the error that
// ended the iteration, if any.
function collect(events, into, onEvent = () => {}) {
  return (async () => {
    try {
      for await (const ev of events) {
        into.push(ev);
        onEvent(ev);
      }
    } catch (err) {
      return err;
    }
  })();
}

const seen = (events, line, state) =>
  events.some((e) => e.line === line && e.kind.case === "call" && e.kind.value.state === state);

describe("call control against a real server", { skip: missingTool() }, () => {
  let server;
  let admin;
  const phones = [];
  before(async () => {
    server = await startServer();
    admin = createSwitchboard({ baseUrl: server.url, token: server.token });
    await poll(() => admin.system.getInfo({}), { Code, ConnectError });
    const siteId = (await admin.config.listSites({})).sites[0].id;
    for (const p of [ADA, BOB, NOBODY]) {
      const { user } = await admin.config.createUser({
        user: { extension: p.line, firstName: p.name, lastName: "Test", siteId },
      });
      if (!p.user) continue;
      await admin.config.createDevice({
        device: { userId: user.id, sipUsername: p.user, password: p.password },
      });
      phones.push(await startPhone(server, p.user, p.password, { args: p.args }));
    }
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    admin?.close();
    await server?.stop();
  });

  for (const transport of ["connect", "grpc", "grpc-web"]) {
    test(`MakeCall events survive forced disconnects over ${transport}, none lost or repeated`, async () => {
      const proxy = await startProxy(server.url);
      const viaProxy = createSwitchboard({ baseUrl: proxy.url, token: server.token, transport });
      const direct = createSwitchboard({ baseUrl: server.url, token: server.token, transport });
      const stop = new AbortController();
      try {
        const { sequence: start } = await direct.calls.listCalls({});
        // The reference: a plain WatchEvents stream that is never cut.
        const reference = [];
        const refDone = collect(
          (async function* () {
            const s = direct.calls.watchEvents({ afterSequence: start }, { signal: stop.signal });
            for await (const { event } of s) yield event;
          })(),
          reference,
        );
        const got = [];
        const reconnects = [];
        let cutAtFirst = 0;
        const gotDone = collect(
          watchEvents(viaProxy.calls, {
            afterSequence: start,
            signal: stop.signal,
            backoff: { initialDelayMs: 10, maxDelayMs: 100 },
            onReconnect: (r) => reconnects.push(r),
          }),
          got,
          () => {
            if (got.length === 1) {
              // Mid-stream, while Ada's phone rings: kill the connection,
              // and refuse new ones while the call proceeds.
              proxy.refuse(true);
              cutAtFirst = proxy.cut();
            }
          },
        );

        const { call } = await direct.calls.makeCall({ line: ADA.line, destination: BOB.line });
        assert.equal(call?.state, CallState.DIALING);
        await until(
          () => seen(reference, ADA.line, CallState.CONNECTED) && seen(reference, BOB.line, CallState.CONNECTED),
          "both lines CONNECTED on the reference stream",
        );
        await until(() => reconnects.length >= 2, "two refused reconnection attempts");
        assert.equal(cutAtFirst, 1, "the stream's connection was cut");
        assert.ok(got.length < reference.length, "events happened while disconnected");

        proxy.refuse(false);
        await until(() => seen(got, BOB.line, CallState.CONNECTED), "the resumed stream catching up");

        // Cut an idle stream too, then end the call.
        await until(() => proxy.connections > 0, "the resumed connection");
        assert.ok(proxy.cut() >= 1);
        await direct.calls.drop({ callId: call.id });
        const ended = (events) =>
          seen(events, ADA.line, CallState.DISCONNECTED) && seen(events, BOB.line, CallState.DISCONNECTED);
        await until(() => ended(reference) && ended(got), "both lines DISCONNECTED on both streams");
        await until(() => got.length >= reference.length, "the resumed stream has every event");
        stop.abort();
        assert.equal((await gotDone)?.code, Code.Canceled);
        assert.equal((await refDone)?.code, Code.Canceled);

        const seqs = got.map((e) => e.sequence);
        assert.deepEqual(seqs, reference.map((e) => e.sequence), "same events as the reference");
        assert.deepEqual(
          seqs,
          seqs.map((_, i) => start + 1n + BigInt(i)),
          "sequences contiguous from the start: none lost, none repeated",
        );
        got.forEach((e, i) => assert.ok(equals(EventSchema, e, reference[i]), `event ${e.sequence} differs`));
        assert.ok(reconnects.length >= 3, `reconnects: ${reconnects.length}`);
        for (const r of reconnects) {
          assert.ok(r.afterSequence === start || seqs.includes(r.afterSequence), "resumes after a delivered event");
          assert.ok(r.delayMs <= 100, "backoff capped at maxDelayMs");
        }
        const last = got.at(-1).kind.value;
        assert.equal(last.disconnectReason, DisconnectReason.NORMAL);
      } finally {
        stop.abort();
        viaProxy.close();
        direct.close();
        proxy.close();
      }
    });
  }

  test("bad input is InvalidArgument naming the field; other refusals keep their codes", async () => {
    const cases = [
      { req: { line: "22x1", destination: BOB.line }, code: Code.InvalidArgument, field: "line" },
      { req: { line: ADA.line, destination: "" }, code: Code.InvalidArgument, field: "destination" },
      { req: { line: ADA.line, destination: "12", idempotencyKey: "k".repeat(65) }, code: Code.InvalidArgument, field: "idempotency_key" },
      { req: { line: NOBODY.line, destination: ADA.line }, code: Code.FailedPrecondition },
      { req: { line: "2999", destination: ADA.line }, code: Code.NotFound },
    ];
    for (const { req, code, field } of cases) {
      const err = await admin.calls.makeCall(req).then(
        () => assert.fail(`MakeCall ${JSON.stringify(req)} succeeded`),
        (e) => e,
      );
      assert.ok(err instanceof ConnectError, String(err));
      assert.equal(err.code, code, `${JSON.stringify(req)}: ${err.message}`);
      if (field) assert.deepEqual(fieldViolations(err).map((v) => v.field), [field]);
    }
    const dropped = await admin.calls.drop({ callId: "no-such-call" }).catch((e) => e);
    assert.equal(dropped.code, Code.NotFound);

    // watchEvents throws what the server refuses at once, without retrying.
    const reconnects = [];
    const err = await (async () => {
      for await (const _ of watchEvents(admin.calls, { lines: ["x1"], onReconnect: (r) => reconnects.push(r) })) {
        assert.fail("an event for a malformed line");
      }
    })().catch((e) => e);
    assert.ok(err instanceof ConnectError && !(err instanceof EventsOutOfRangeError));
    assert.equal(err.code, Code.InvalidArgument);
    assert.deepEqual(fieldViolations(err).map((v) => v.field), ["lines[0]"]);
    assert.deepEqual(reconnects, []);
  });

  test("the examples: event logger and click-to-dial", async () => {
    const env = { ...process.env, SWITCHBOARD_URL: server.url, SWITCHBOARD_TOKEN: server.token };
    const logger = spawn(process.execPath, [join(examples, "event-logger.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    let stderr = "";
    logger.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
    createInterface({ input: logger.stdout }).on("line", (l) => out.push(l));
    const loggerExit = once(logger, "exit");
    try {
      await until(() => out.some((l) => /^watching every line after sequence \d+$/.test(l)), `the logger watching; stderr: ${stderr}`);

      // Run in the server's directory without a token: the example reads
      // data/admin.token, as after `switchboard serve` in that directory.
      const { SWITCHBOARD_TOKEN, ...noToken } = env;
      const dial = await promisify(execFile)(
        process.execPath,
        [join(examples, "click-to-dial.js"), ADA.line, BOB.line, "--hangup-after", "0.2"],
        { env: noToken, cwd: server.dir, timeout: 30_000 },
      );
      const lines = dial.stdout.trim().split("\n");
      assert.match(lines[0], new RegExp(`^calling ${BOB.line} from ${ADA.line}: pick up your phone`));
      const bob = `${BOB.name} Test <${BOB.line}>`;
      const ada = `${ADA.name} Test <${ADA.line}>`;
      assert.ok(lines.includes(`CONNECTED with ${bob}`), dial.stdout);
      assert.equal(lines.at(-1), `DISCONNECTED (NORMAL) with ${bob}`);

      const want = [
        `${ADA.line} CONNECTED to ${bob} (call `,
        `${BOB.line} CONNECTED from ${ada} (call `,
        `${ADA.line} DISCONNECTED NORMAL to ${bob} (call `,
        `${BOB.line} DISCONNECTED NORMAL from ${ada} (call `,
      ];
      // "#<sequence> <rest>": the rest starts with one of want.
      const logged = (prefix) => out.some((l) => /^#\d+ /.test(l) && l.slice(l.indexOf(" ") + 1).startsWith(prefix));
      await until(() => want.every(logged), `the logger's lines; got ${JSON.stringify(out)}`);
      logger.kill("SIGINT");
      const [code] = await loggerExit;
      assert.equal(code, 0, `the logger exits cleanly on Ctrl-C; stderr: ${stderr}`);

      const bad = await promisify(execFile)(process.execPath, [join(examples, "click-to-dial.js"), "22x1", BOB.line], {
        env,
        timeout: 30_000,
      }).then(
        () => assert.fail("click-to-dial accepted line 22x1"),
        (e) => e,
      );
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^InvalidArgument: .*\n {2}line: /);
    } finally {
      logger.kill("SIGKILL");
    }
  });

  test("the IVR example: a caller dials the route point, types 1002# and talks to 1002", async () => {
    const siteId = (await admin.config.listSites({})).sites[0].id;
    const ivrPhones = {};
    for (const p of [CALLER, CALLEE]) {
      const { user } = await admin.config.createUser({
        user: { extension: p.line, firstName: p.name, lastName: "Test", siteId },
      });
      await admin.config.createDevice({ device: { userId: user.id, sipUsername: p.user, password: p.password } });
      ivrPhones[p.line] = await startPhone(server, p.user, p.password, { args: ["-tone", String(p.tone)] });
      phones.push(ivrPhones[p.line]);
    }
    const caller = ivrPhones[CALLER.line];
    const callee = ivrPhones[CALLEE.line];
    const { routePoint } = await admin.config.createRoutePoint({
      routePoint: { name: "Attendant", extension: IVR_LINE, siteId },
    });
    const { secret } = await admin.tokens.createToken({
      name: "ivr",
      scope: Scope.APPLICATION,
      routePointIds: [routePoint.id],
    });

    const env = { ...process.env, SWITCHBOARD_URL: server.url, SWITCHBOARD_TOKEN: secret };
    const ivr = spawn(process.execPath, [join(examples, "ivr.js"), IVR_LINE], { env, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    let stderr = "";
    ivr.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
    createInterface({ input: ivr.stdout }).on("line", (l) => out.push(l));
    const ivrExit = once(ivr, "exit");
    try {
      // Until the switch routes the route point and the IVR watches it, a
      // call there fails.
      const deadline = Date.now() + 20_000;
      while ((await caller.command(`dial ${IVR_LINE}`, /^(answered|failed) /)) !== `answered ${IVR_LINE}`) {
        assert.ok(Date.now() < deadline, "the IVR never answered");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await caller.command("wait-tone 440", /^heard 440$/); // the greeting
      await caller.command("dtmf 1002#", /^sent 1002#$/);
      await callee.waitFor(new RegExp(`^incoming ${CALLER.line}$`)); // the caller, put through
      await callee.command(`wait-tone ${CALLER.tone}`, /^heard /); // 1002 hears the caller
      await caller.command(`wait-tone ${CALLEE.tone}`, /^heard /); // and the caller hears 1002
      await until(() => out.some((l) => /^call \S+: transferred to 1002$/.test(l)), "the IVR's report of the transfer");
      await caller.command("hangup", new RegExp(`^ended ${IVR_LINE}$`));
      await callee.waitFor(new RegExp(`^ended ${CALLER.line}$`));

      // An extension nobody has: the error tone, then the IVR hangs up.
      await caller.command(`dial ${IVR_LINE}`, new RegExp(`^answered ${IVR_LINE}$`));
      await caller.command("wait-tone 440", /^heard 440$/);
      await caller.command("dtmf 1999#", /^sent 1999#$/);
      await caller.command("wait-tone 950", /^heard 950$/);
      await until(() => caller.lines.filter((l) => l === `ended ${IVR_LINE}`).length === 2, "the IVR hanging up");
      await until(() => /: transfer to 1999: \w+: .*; hanging up\n/.test(stderr), "the IVR's report of the refused transfer");

      ivr.kill("SIGINT");
      const [code] = await ivrExit;
      assert.equal(code, 0, `the IVR exits cleanly on Ctrl-C; stderr: ${stderr}`);
    } catch (err) {
      err.message += `\nivr.js stdout: ${JSON.stringify(out)}\nivr.js stderr: ${stderr}`;
      throw err;
    } finally {
      ivr.kill("SIGKILL");
    }
  });
});

test("the SDK's major version is the API version", async () => {
  const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
  const proto = join(repoRoot, "proto", "switchboard");
  const apiVersions = new Set(
    readdirSync(proto).flatMap((area) => readdirSync(join(proto, area)).filter((v) => /^v\d+$/.test(v))),
  );
  assert.deepEqual([...apiVersions], [`v${version.split(".")[0]}`], `package.json version ${version}`);
});
