import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import type { watchEvents } from "./events.js";
import { ConfigService } from "./gen/switchboard/config/v1/config_service_pb.js";
import { SystemService } from "./gen/switchboard/system/v1/system_service_pb.js";
import { TokenService } from "./gen/switchboard/auth/v1/token_service_pb.js";
import { CallControlService } from "./gen/switchboard/callcontrol/v1/call_control_service_pb.js";

/**
 * Typed clients for every Switchboard service, sharing one transport.
 */
export interface Switchboard {
  /** Sites, servers, classes of service, users, devices, dial plan, change feed. */
  readonly config: Client<typeof ConfigService>;
  /** Version, role and identity of the server answering. */
  readonly system: Client<typeof SystemService>;
  /** API bearer tokens (needs an admin token). */
  readonly tokens: Client<typeof TokenService>;
  /**
   * Third-party call control: place, drop, hold and transfer calls, and
   * follow every line's calls (see {@link watchEvents} for a stream that
   * survives disconnects).
   */
  readonly calls: Client<typeof CallControlService>;
  /**
   * Releases the connections held by the transport (the HTTP/2 session of
   * the gRPC transport). Calls made afterwards open a new connection.
   * Safe to call more than once.
   */
  close(): void;
}

/**
 * Returns an interceptor that sends `Authorization: Bearer <token>` on every
 * request that does not already carry an Authorization header.
 *
 * @param token - The API token's secret, for example the content of the
 *   server's `admin.token` file or `CreateTokenResponse.secret`.
 */
export function bearerAuth(token: string): Interceptor {
  const value = `Bearer ${token}`;
  return (next) => (req) => {
    if (!req.header.has("Authorization")) {
      req.header.set("Authorization", value);
    }
    return next(req);
  };
}

/**
 * Creates the Switchboard service clients over an existing transport. Use it
 * when you configure the transport yourself; add {@link bearerAuth} to the
 * transport's interceptors.
 *
 * @param transport - Any Connect, gRPC or gRPC-Web transport.
 * @param close - Called by {@link Switchboard.close}; a no-op by default.
 */
export function clientsFor(transport: Transport, close: () => void = () => {}): Switchboard {
  return {
    config: createClient(ConfigService, transport),
    system: createClient(SystemService, transport),
    tokens: createClient(TokenService, transport),
    calls: createClient(CallControlService, transport),
    close,
  };
}
