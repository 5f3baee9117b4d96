/**
 * The two ways a token check fails: the token is refused (`unauthenticated`,
 * 401) or the keys to check it cannot be had (`unavailable`, 503). Reasons
 * are short fixed codes, safe to log; nothing of the token goes in them.
 */
import { SpacelogError, unavailable } from '../errors.js';

/** A refused token, with the fixed reason code an operator reads. */
export function refused(reason: string): SpacelogError {
  return new SpacelogError('unauthenticated', 'Request token refused.', { reason });
}

/** The certificates could not be fetched. */
export function keysUnavailable(url: string, cause?: unknown): SpacelogError {
  return unavailable('Token signing keys could not be fetched.', { certsUrl: url }, cause);
}
