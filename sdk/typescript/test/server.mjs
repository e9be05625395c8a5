// Test helper: builds the switchboard binary from the repository and runs
// an HQ server on a free loopback port with a temporary data directory.
import { execFile, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const listening = /API listening on (http:\/\/\S+)/;

/**
 * Why the suite cannot run here, or undefined when it can. Without Go the
 * suite skips locally and fails under CI=true.
 * @returns {string | undefined}
 */
export function missingTool() {
  if (process.env.CI === "true") return undefined;
  const go = spawnSync("go", ["version"], { stdio: "ignore" });
  return go.error || go.status !== 0 ? "needs the go toolchain to build the server" : undefined;
}

/**
 * Builds and starts a server. Resolves to { url, token, stop }.
 * @param {{ startTimeoutMs?: number }} [options]
 */
export async function startServer({ startTimeoutMs = 30_000 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-sdk-ts-"));
  const bin = join(dir, "switchboard");
  await promisify(execFile)("go", ["build", "-o", bin, "./server/cmd/switchboard"], {
    cwd: repoRoot,
    maxBuffer: 16 << 20,
  });
  const dataDir = join(dir, "data");
  const proc = spawn(bin, ["serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--sip-listen", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stderr.setEncoding("utf8").on("data", (chunk) => {
    log = (log + chunk).slice(-8000);
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
    const token = (await readFile(join(dataDir, "admin.token"), "utf8")).trim();
    return { url, token, stop };
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
