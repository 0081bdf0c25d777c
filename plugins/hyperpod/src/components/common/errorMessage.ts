/**
 * What went wrong, in the backend's words: a ResponseError's own message only says the status
 * (`Request failed with 503 Service Unavailable`); the body's error carries the reason.
 */
export function errorMessage(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (error.name === 'ResponseError' && cause instanceof Error && cause.message)
    return cause.message;
  return error.message;
}
