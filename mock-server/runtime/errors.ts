/**
 * The one error type of the mock contact center: a failed call or a broken configuration rule.
 * Handlers turn it into its HTTP status with `{errorCode, exceptionInfo, field}`.
 */
import type { ApiError } from '../../widget/core/protocol.js';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    /** The offending input, relative to the object being changed (`maxWaitTime`, `onTimeout.target`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** 400: the input breaks a rule. */
export const badRequest = (errorCode: string, message: string, field?: string) => new ApiFailure(400, errorCode, message, field);

/** 404: nothing has that key. */
export const notFound = (errorCode: string, message: string, field?: string) => new ApiFailure(404, errorCode, message, field);

/** The wire body of a failure: `{errorCode, exceptionInfo, field}` (field '' when the whole body is at fault). */
export function toApiError(e: ApiFailure): Required<ApiError> {
  return { errorCode: e.errorCode, exceptionInfo: e.message, field: e.field ?? '' };
}
