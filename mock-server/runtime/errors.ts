/** A failed call: becomes `{errorCode, exceptionInfo, field}` with its HTTP status. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export const badRequest = (errorCode: string, message: string, field?: string) =>
  new ApiFailure(400, errorCode, message, field);
