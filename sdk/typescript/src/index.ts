/**
 * Switchboard client for Node.js.
 *
 * ```ts
 * import { createSwitchboard } from "@switchboard-pbx/sdk";
 *
 * const sb = createSwitchboard({ baseUrl: "http://127.0.0.1:8080", token });
 * const { version } = await sb.system.getInfo({});
 * ```
 *
 * Browsers and other fetch-only runtimes use `@switchboard-pbx/sdk/web`.
 *
 * @module
 */
import type { Interceptor, Transport } from "@connectrpc/connect";
import {
  Http2SessionManager,
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import * as web from "@connectrpc/connect-web";
import { bearerAuth, clientsFor, type Switchboard } from "./clients.js";

export * from "./api.js";

/**
 * Wire protocol used to talk to the server. The server accepts all three on
 * one port.
 *
 * - `"connect"`: the Connect protocol over HTTP/1.1 (the default).
 * - `"grpc"`: gRPC over HTTP/2 (cleartext h2c for `http://` URLs).
 * - `"grpc-web"`: gRPC-Web over HTTP/1.1.
 */
export type Protocol = "connect" | "grpc" | "grpc-web";

/**
 * Options of {@link createSwitchboard}.
 */
export interface SwitchboardOptions {
  /** The server's API URL, for example `"https://pbx.example.com:8443"`. */
  baseUrl: string;
  /**
   * API bearer token. Omit it to send no Authorization header; every RPC then
   * fails with `Code.Unauthenticated`.
   */
  token?: string;
  /** Wire protocol; `"connect"` by default. */
  transport?: Protocol;
  /**
   * A fetch implementation. When given, requests go through it (with the
   * fetch-based transports of `@connectrpc/connect-web`) instead of Node's
   * `http` module. Not possible with `"grpc"`, which needs HTTP/2 trailers.
   */
  fetch?: typeof globalThis.fetch;
}

/**
 * Creates typed clients for the Switchboard services, sharing one transport
 * that adds the bearer token to every request.
 *
 * Call {@link Switchboard.close} when done, so that an HTTP/2 connection
 * (gRPC) does not keep the process alive.
 *
 * @param options - Server URL, token and protocol.
 * @throws TypeError if `fetch` is combined with the `"grpc"` protocol, or
 *   the protocol is unknown.
 */
export function createSwitchboard(options: SwitchboardOptions): Switchboard {
  const interceptors: Interceptor[] =
    options.token === undefined ? [] : [bearerAuth(options.token)];
  const { baseUrl, fetch } = options;
  const protocol = options.transport ?? "connect";
  if (fetch !== undefined) {
    return clientsFor(fetchTransport(protocol, baseUrl, fetch, interceptors));
  }
  switch (protocol) {
    case "connect":
      return clientsFor(createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors }));
    case "grpc-web":
      return clientsFor(createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors }));
    case "grpc": {
      const sessionManager = new Http2SessionManager(baseUrl);
      const transport = createGrpcTransport({ baseUrl, sessionManager, interceptors });
      return clientsFor(transport, () => sessionManager.abort());
    }
    default:
      throw new TypeError(`unknown Switchboard transport ${JSON.stringify(protocol)}`);
  }
}

function fetchTransport(
  protocol: Protocol,
  baseUrl: string,
  fetch: typeof globalThis.fetch,
  interceptors: Interceptor[],
): Transport {
  switch (protocol) {
    case "connect":
      return web.createConnectTransport({ baseUrl, fetch, interceptors });
    case "grpc-web":
      return web.createGrpcWebTransport({ baseUrl, fetch, interceptors });
    default:
      throw new TypeError(`transport ${JSON.stringify(protocol)} cannot run over fetch`);
  }
}
