/**
 * Users' grants in Firestore (`userGrants/{id}`, `id` from `users/{id}`):
 * the refresh token and the current access token, both sealed, the scopes
 * granted and asked for, and whether Google has revoked the grant. Tokens
 * are kept only in sealed form; this module never sees them in clear.
 */
import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { invalidInput } from '../errors.js';
import type { SealedToken } from './token-cipher.js';

/** The collection of grants. */
export const GRANTS_COLLECTION = 'userGrants';

/** A sealed access token with what it allows and until when. */
export interface StoredAccessToken {
  readonly sealed: SealedToken;
  readonly expiresAt: Date;
  readonly scopes: readonly string[];
}

/** A user's grant as stored. */
export interface StoredGrant {
  /** `users/{id}`. */
  readonly userId: string;
  readonly refreshToken?: SealedToken;
  readonly accessToken?: StoredAccessToken;
  /** Scopes the user granted (canonical names). */
  readonly grantedScopes: readonly string[];
  /** Scopes asked for at the latest sign-in. */
  readonly requestedScopes: readonly string[];
  /** Asked for at the latest sign-in but not granted. */
  readonly declinedScopes: readonly string[];
  /** The features turned off by the latest sign-in are yet to be named to the user. */
  readonly noticePending: boolean;
  /** `revoked` after Google answered `invalid_grant`: the user must sign in again. */
  readonly status: 'active' | 'revoked';
  readonly updatedAt: Date;
}

interface GrantDoc {
  userId: string;
  refreshToken?: SealedToken;
  accessToken?: { sealed: SealedToken; expiresAt: Timestamp; scopes: string[] };
  grantedScopes: string[];
  requestedScopes: string[];
  declinedScopes: string[];
  noticePending: boolean;
  status: 'active' | 'revoked';
  updatedAt: Timestamp;
}

/** The document id of a user's grant: the numeric part of `users/{id}`. */
export function grantDocId(userId: string): string {
  const id = userId.startsWith('users/') ? userId.slice('users/'.length) : userId;
  if (!/^[\w.@+-]{1,128}$/.test(id)) throw invalidInput('Not a Chat user name.');
  return id;
}

/** Converts between the stored document and {@link StoredGrant}. */
export function fromGrantDoc(doc: GrantDoc): StoredGrant {
  const access = doc.accessToken;
  return {
    userId: doc.userId,
    ...(doc.refreshToken !== undefined && { refreshToken: doc.refreshToken }),
    ...(access !== undefined && {
      accessToken: {
        sealed: access.sealed,
        expiresAt: access.expiresAt.toDate(),
        scopes: access.scopes,
      },
    }),
    grantedScopes: doc.grantedScopes,
    requestedScopes: doc.requestedScopes,
    declinedScopes: doc.declinedScopes ?? [],
    noticePending: doc.noticePending ?? false,
    status: doc.status,
    updatedAt: doc.updatedAt.toDate(),
  };
}

/** The stored form of {@link StoredGrant}. */
export function toGrantDoc(grant: StoredGrant): GrantDoc {
  const access = grant.accessToken;
  return {
    userId: grant.userId,
    ...(grant.refreshToken !== undefined && { refreshToken: grant.refreshToken }),
    ...(access !== undefined && {
      accessToken: {
        sealed: access.sealed,
        expiresAt: Timestamp.fromDate(access.expiresAt),
        scopes: [...access.scopes],
      },
    }),
    grantedScopes: [...grant.grantedScopes],
    requestedScopes: [...grant.requestedScopes],
    declinedScopes: [...grant.declinedScopes],
    noticePending: grant.noticePending,
    status: grant.status,
    updatedAt: Timestamp.fromDate(grant.updatedAt),
  };
}

/** What an update did: the grant after it, and whether it wrote. */
export interface GrantUpdate {
  readonly grant: StoredGrant | undefined;
  readonly changed: boolean;
}

/** Grants by user. */
export interface GrantStore {
  get(userId: string): Promise<StoredGrant | undefined>;
  /**
   * Replaces a grant with what `next` makes of the stored one, in one
   * transaction (so a concurrent sign-in and refresh do not lose each
   * other's refresh token). `next` returning undefined leaves it as it is.
   */
  update(
    userId: string,
    next: (current: StoredGrant | undefined) => StoredGrant | undefined,
  ): Promise<GrantUpdate>;
  delete(userId: string): Promise<void>;
}

/** A grant store on Firestore. */
export function firestoreGrantStore(db: Firestore): GrantStore {
  const ref = (userId: string) => db.collection(GRANTS_COLLECTION).doc(grantDocId(userId));

  return {
    async get(userId) {
      const snap = await ref(userId).get();
      return snap.exists ? fromGrantDoc(snap.data() as GrantDoc) : undefined;
    },

    update(userId, next) {
      const doc = ref(userId);
      return db.runTransaction(async (tx) => {
        const snap = await tx.get(doc);
        const current = snap.exists ? fromGrantDoc(snap.data() as GrantDoc) : undefined;
        const updated = next(current);
        if (updated === undefined) return { grant: current, changed: false };
        tx.set(doc, toGrantDoc(updated));
        return { grant: updated, changed: true };
      });
    },

    async delete(userId) {
      await ref(userId).delete();
    },
  };
}
