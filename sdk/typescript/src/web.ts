/**
 * Switchboard client for browsers and other runtimes that only have fetch
 * (Deno, Bun, edge workers). It speaks the Connect protocol or gRPC-Web;
 * plain gRPC needs Node.js (`@switchboard-pbx/sdk`).
 *
 * ```ts
 * import { createSwitchboard } from "@switchboard-pbx/sdk/web";
 *
 * const sb = createSwitchboard({ baseUrl: "https://pbx.example.com", token });
 * const { users } = await sb.config.listUsers({});
 * ```
 *
 * @module
 */
import type { Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { bearerAuth, clientsFor, type Switchboard } from "./clients.js";

export * from "./api.js";

/**
 * Wire protocol used to talk to the server: `"connect"` (the default) or
 * `"grpc-web"`.
 */
export type WebProtocol = "connect" | "grpc-web";

/**
 * Options of {@link createSwitchboard} for fetch-based runtimes.
 */
export interface WebSwitchboardOptions {
  /** The server's API URL, for example `"https://pbx.example.com"`. */
  baseUrl: string;
  /**
   * API bearer token. Omit it to send no Authorization header; every RPC then
   * fails with `Code.Unauthenticated`.
   */
  token?: string;
  /** Wire protocol; `"connect"` by default. */
  transport?: WebProtocol;
  /** A fetch implementation; `globalThis.fetch` by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * Creates typed clients for the Switchboard services over fetch, sharing one
 * transport that adds the bearer token to every request. Their `close()` does
 * nothing: fetch manages its own connections.
 *
 * @param options - Server URL, token and protocol.
 * @throws TypeError if the protocol is unknown.
 */
export function createSwitchboard(options: WebSwitchboardOptions): Switchboard {
  const interceptors: Interceptor[] =
    options.token === undefined ? [] : [bearerAuth(options.token)];
  const { baseUrl, fetch } = options;
  const protocol = options.transport ?? "connect";
  switch (protocol) {
    case "connect":
      return clientsFor(createConnectTransport({ baseUrl, fetch, interceptors }));
    case "grpc-web":
      return clientsFor(createGrpcWebTransport({ baseUrl, fetch, interceptors }));
    default:
      throw new TypeError(`unknown Switchboard transport ${JSON.stringify(protocol)}`);
  }
}
