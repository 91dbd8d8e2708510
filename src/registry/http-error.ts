/**
 * An API error: status, stable code, message, and for 400s the field at fault.
 * `params` carry what the message names (units, ids, times) as data, so a
 * client can say the same in its user's language (docs/registry-api.md, errors).
 */
export type ErrorParams = Record<string, string>;

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly params?: ErrorParams,
    /** More of the answer's error object, e.g. the meeting a booking clashes with (`other`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (field: string, message: string, params?: ErrorParams) =>
  new ApiError(400, 'bad_request', `${field}: ${message}`, field, params);
export const unauthorized = (message: string, params?: ErrorParams) =>
  new ApiError(401, 'unauthorized', message, undefined, params);
export const forbidden = (message: string, params?: ErrorParams) =>
  new ApiError(403, 'forbidden', message, undefined, params);
export const notFound = (message: string, params?: ErrorParams) =>
  new ApiError(404, 'not_found', message, undefined, params);
export const conflict = (code: string, message: string, params?: ErrorParams) =>
  new ApiError(409, code, message, undefined, params);
