import { ConnectError } from "@connectrpc/connect";
import {
  ViolationsSchema,
  type FieldPath,
  type FieldPathElement,
} from "./gen/buf/validate/validate_pb.js";

/**
 * One field that failed the server's request validation.
 */
export interface FieldViolation {
  /** Dotted path of the field in the request, for example `"user.extension"`. */
  readonly field: string;
  /** Identifier of the rule that failed, for example `"string.pattern"`. */
  readonly ruleId: string;
  /** Human-readable description of the failure. */
  readonly message: string;
}

/**
 * Lists the fields named by a validation error. Switchboard answers a request
 * that breaks the schema's constraints with `Code.InvalidArgument` and a
 * `buf.validate.Violations` detail; this returns its entries. It returns an
 * empty array for any other error, including checks the server makes against
 * its configuration (such as the dial plan's extension length), which name
 * the field in the message only.
 *
 * @param err - Anything caught from a client call.
 */
export function fieldViolations(err: unknown): FieldViolation[] {
  const error = ConnectError.from(err);
  return error.findDetails(ViolationsSchema).flatMap((v) =>
    v.violations.map((violation) => ({
      field: fieldPathString(violation.field),
      ruleId: violation.ruleId,
      message: violation.message,
    })),
  );
}

function fieldPathString(path: FieldPath | undefined): string {
  return (path?.elements ?? []).map(elementString).join(".");
}

function elementString(element: FieldPathElement): string {
  const s = element.subscript;
  switch (s.case) {
    case undefined:
      return element.fieldName;
    case "stringKey":
      return `${element.fieldName}[${JSON.stringify(s.value)}]`;
    default:
      return `${element.fieldName}[${String(s.value)}]`;
  }
}
