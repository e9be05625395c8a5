/**
 * The Switchboard API surface shared by the Node.js and browser entry points:
 * the generated service descriptors and message types of
 * `switchboard.config.v1`, `switchboard.system.v1`, `switchboard.auth.v1`
 * and `switchboard.callcontrol.v1`, the resuming event stream
 * {@link watchEvents}, plus the Connect error types every caller needs.
 *
 * @module
 */

export * from "./gen/switchboard/config/v1/class_of_service_pb.js";
export * from "./gen/switchboard/config/v1/common_pb.js";
export * from "./gen/switchboard/config/v1/config_service_pb.js";
export * from "./gen/switchboard/config/v1/device_pb.js";
export * from "./gen/switchboard/config/v1/dial_plan_pb.js";
export * from "./gen/switchboard/config/v1/route_point_pb.js";
export * from "./gen/switchboard/config/v1/server_pb.js";
export * from "./gen/switchboard/config/v1/site_pb.js";
export * from "./gen/switchboard/config/v1/user_pb.js";
export * from "./gen/switchboard/system/v1/system_service_pb.js";
export * from "./gen/switchboard/auth/v1/token_service_pb.js";
export * from "./gen/switchboard/callcontrol/v1/call_control_service_pb.js";

// Validation failures arrive as a buf.validate.Violations error detail.
export {
  ViolationsSchema,
  type Violations,
  type Violation,
  type FieldPath,
  type FieldPathElement,
} from "./gen/buf/validate/validate_pb.js";

export { Code, ConnectError } from "@connectrpc/connect";
export type { Client, Interceptor, Transport } from "@connectrpc/connect";

export { bearerAuth, clientsFor, type Switchboard } from "./clients.js";
export { fieldViolations, type FieldViolation } from "./violations.js";
export {
  EventsOutOfRangeError,
  isRetryableError,
  watchEvents,
  type BackoffOptions,
  type ReconnectInfo,
  type WatchEventsOptions,
} from "./events.js";
