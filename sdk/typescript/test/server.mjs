// Test helpers: build the switchboard server and the sbphone SIP phone from
// the repository, run an HQ server on free loopback ports with a temporary
// data directory, start phones that register with it, and put a TCP proxy
// in front of it whose connections a test can cut.
//
// SWITCHBOARD_TEST_BIN_DIR, when set, names a directory that already holds
// both binaries (scripts/test builds them once for both SDK suites).
import { execFile, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const listening = /API listening on (http:\/\/\S+)/;
const sipListening = /msg="switch listening" sip=(\S+)/;

/**
 * Why the suite cannot run here, or undefined when it can. Without Go the
 * suite skips locally and fails under CI=true.
 * @returns {string | undefined}
 */
export function missingTool() {
  if (process.env.CI === "true" || process.env.SWITCHBOARD_TEST_BIN_DIR) return undefined;
  const go = spawnSync("go", ["version"], { stdio: "ignore" });
  return go.error || go.status !== 0 ? "needs the go toolchain to build the server" : undefined;
}

/**
 * Returns a directory holding the switchboard and sbphone binaries, building
 * them into dir unless SWITCHBOARD_TEST_BIN_DIR names one.
 * @param {string} dir
 */
async function binaries(dir) {
  if (process.env.SWITCHBOARD_TEST_BIN_DIR) return process.env.SWITCHBOARD_TEST_BIN_DIR;
  const bin = join(dir, "bin");
  await promisify(execFile)(
    "go",
    ["build", "-o", bin + "/", "./server/cmd/switchboard", "./media/cmd/sbphone"],
    { cwd: repoRoot, maxBuffer: 16 << 20 },
  );
  return bin;
}

/**
 * Builds and starts a server with its softswitch on a free SIP port.
 * Resolves to { url, token, sipAddr, bin, dir, stop, log }: dir holds the
 * data directory "data", as `switchboard serve` run in dir would make it.
 * @param {{ startTimeoutMs?: number }} [options]
 */
export async function startServer({ startTimeoutMs = 60_000 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-sdk-ts-"));
  const bin = await binaries(dir);
  const dataDir = join(dir, "data");
  const proc = spawn(
    join(bin, "switchboard"),
    ["serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--sip-listen", "127.0.0.1:0"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  let sipAddr;
  const sipSeen = new Promise((resolve) => {
    createInterface({ input: proc.stderr }).on("line", (line) => {
      log = (log + line + "\n").slice(-8000);
      const m = sipListening.exec(line);
      if (m && !sipAddr) {
        sipAddr = m[1];
        resolve(sipAddr);
      }
    });
  });
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = once(proc, "exit");
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const url = await readURL(proc, startTimeoutMs, () => log);
    await withTimeout(sipSeen, startTimeoutMs, () => `no "switch listening" log line; stderr:\n${log}`);
    const token = (await readFile(join(dataDir, "admin.token"), "utf8")).trim();
    return { url, token, sipAddr, bin, dir, stop, log: () => log };
  } catch (err) {
    await stop();
    throw err;
  }
}

// Resolves with the URL from the server's "API listening on" line; rejects
// if the process exits first or the deadline passes.
function readURL(proc, timeoutMs, log) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout });
    const fail = (why) => {
      clearTimeout(timer);
      reject(new Error(`switchboard serve ${why}; stderr:\n${log()}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs);
    proc.once("exit", (code, signal) => fail(`exited (${code ?? signal})`));
    lines.on("line", (line) => {
      const m = listening.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
}

function withTimeout(promise, ms, why) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(why())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts an sbphone that registers as user with the server's switch and
 * answers every call with a tone. Resolves once it is registered, to
 * { lines, waitFor(re), command(cmd, re), stop }: lines are its stdout
 * lines so far, waitFor resolves with the first line (seen or future)
 * matching re, and command sends one of sbphone's stdin commands ("dial
 * 2100", "wait-tone 440", "dtmf 1002#", "hangup") and resolves with the
 * first line after it matching re, rejecting on an "error" line.
 * @param {{ bin: string, sipAddr: string }} server
 * @param {string} user
 * @param {string} password
 * @param {{ args?: string[], timeoutMs?: number }} [options] - args: more
 *   sbphone flags, such as ["-answer-delay", "500ms"]
 */
export async function startPhone(server, user, password, { args = [], timeoutMs = 30_000 } = {}) {
  // stdin stays an open pipe: sbphone exits when it closes, even if this
  // process dies without stopping it.
  const proc = spawn(join(server.bin, "sbphone"), ["-exit-on-stdin-eof", "-server", server.sipAddr, "-user", user, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, SBPHONE_PASSWORD: password },
  });
  const lines = [];
  const waiters = new Set();
  let stderr = "";
  proc.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  createInterface({ input: proc.stdout }).on("line", (line) => {
    lines.push(line);
    for (const w of waiters) w(line);
  });
  // Resolves with the first line from lines[from] on that matches.
  const waitLine = (matches, what, ms, from) =>
    new Promise((resolve, reject) => {
      const seen = lines.slice(from).find(matches);
      if (seen !== undefined) return resolve(seen);
      const check = (line) => {
        if (matches(line)) done(null, line);
      };
      const exited = (code) => done(new Error(`sbphone ${user} exited (${code}): ${stderr}`));
      const timer = setTimeout(() => done(new Error(`sbphone ${user}: no ${what} in ${ms} ms; got ${JSON.stringify(lines)}`)), ms);
      const done = (err, line) => {
        clearTimeout(timer);
        waiters.delete(check);
        proc.off("exit", exited);
        if (err) reject(err);
        else resolve(line);
      };
      waiters.add(check);
      proc.once("exit", exited);
    });
  const waitFor = (re, ms = timeoutMs) => waitLine((l) => re.test(l), `line matching ${re}`, ms, 0);
  const command = async (cmd, re, ms = timeoutMs) => {
    const from = lines.length;
    proc.stdin.write(cmd + "\n");
    const line = await waitLine((l) => re.test(l) || l.startsWith("error "), `answer to ${cmd} matching ${re}`, ms, from);
    if (line.startsWith("error ")) throw new Error(`sbphone ${user}: ${line}`);
    return line;
  };
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = once(proc, "exit");
      proc.stdin.end();
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await waitFor(/^registered /);
  } catch (err) {
    await stop();
    throw err;
  }
  return { lines, waitFor, command, stop };
}

/**
 * A TCP proxy to target (an http:// URL) on a free loopback port. cut()
 * destroys every open connection (both sides, as a dying network or a
 * crashing load balancer would); while refusing, new connections are
 * closed at once.
 * @param {string} target
 */
export async function startProxy(target) {
  const { hostname, port } = new URL(target);
  const open = new Set();
  let refusing = false;
  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = netConnect({ host: hostname, port: Number(port) });
    const pair = { client, upstream };
    open.add(pair);
    const close = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** How many connections are open now. */
    get connections() {
      return open.size;
    },
    /** Destroys every open connection; returns how many there were. */
    cut() {
      const n = open.size;
      for (const { client, upstream } of open) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      open.clear();
      return n;
    },
    /** Closes new connections at once (true) or forwards them again (false). */
    refuse(on) {
      refusing = on;
    },
    close() {
      this.cut();
      server.close();
    },
  };
}

/**
 * Calls fn until it resolves or the deadline passes, retrying only while
 * the server is not reachable yet (Code.Unavailable).
 * @template T
 * @param {() => Promise<T>} fn
 * @param {{ Code: Record<string, number>, ConnectError: any }} connect
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export async function poll(fn, { Code, ConnectError }, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const retry = ConnectError.from(err).code === Code.Unavailable && Date.now() < deadline;
      if (!retry) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
