/**
 * Events of a user's stream (`user:ID`): the grants a user gave and their
 * revocation. Tokens are never events; they live encrypted elsewhere, found
 * by `keyId`. Adding a type here is the whole change.
 */
import * as v from 'valibot';
import { defineEvent, name } from './define.js';

const user = ['user'] as const;

/** Definitions of the user stream's events, by type. */
export const USER_EVENTS = {
  /** The user granted scopes; the encrypted refresh token is stored under `keyId`. */
  UserGrantRecorded: defineEvent({
    streams: user,
    schemaVersion: 1,
    schema: v.strictObject({
      scopes: v.array(name()),
      requestedScopes: v.array(name()),
      keyId: name(),
    }),
  }),

  /** The user's grant ended: Google refused it (`invalid_grant`) or they signed out. */
  UserGrantRevoked: defineEvent({
    streams: user,
    schemaVersion: 1,
    schema: v.strictObject({ reason: v.picklist(['invalid_grant', 'signout']) }),
  }),
};
