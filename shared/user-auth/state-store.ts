/**
 * Pending sign-ins in Firestore (`oauthStates/{sha256(state)}`): who started
 * each, where Chat wants the browser back, which scopes were asked for and
 * the PKCE verifier. `expireAt` carries a TTL policy that removes stale
 * documents; the expiry is also checked on use, since TTL deletion lags.
 */
import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { stateKey } from './pkce.js';

/** The collection of pending sign-ins. */
export const STATES_COLLECTION = 'oauthStates';

/** What a pending sign-in remembers. */
export interface PendingSignIn {
  /** The Chat user who started it, `users/{id}`. */
  readonly userId: string;
  /** Chat's `configCompleteRedirectUrl` (or add-on `configCompleteRedirectUri`). */
  readonly chatRedirectUrl: string;
  /** The scopes asked for, canonical names. */
  readonly scopes: readonly string[];
  readonly codeVerifier: string;
  readonly createdAt: Date;
  readonly expireAt: Date;
}

/** The outcome of consuming a state. */
export type ConsumedState =
  | { readonly status: 'valid'; readonly pending: PendingSignIn }
  | { readonly status: 'expired' }
  /** Never issued, or already used: the two look alike on purpose. */
  | { readonly status: 'unknown' };

/** Pending sign-ins. */
export interface StateStore {
  save(state: string, pending: PendingSignIn): Promise<void>;
  /** Takes a state out, once: of concurrent callers with one state, one gets it. */
  consume(state: string, now: Date): Promise<ConsumedState>;
}

interface StateDoc {
  userId: string;
  chatRedirectUrl: string;
  scopes: string[];
  codeVerifier: string;
  createdAt: Timestamp;
  expireAt: Timestamp;
}

const NOT_FOUND = 5;

/** A state store on Firestore. */
export function firestoreStateStore(db: Firestore): StateStore {
  const ref = (state: string) => db.collection(STATES_COLLECTION).doc(stateKey(state));

  return {
    async save(state, pending) {
      const doc: StateDoc = {
        userId: pending.userId,
        chatRedirectUrl: pending.chatRedirectUrl,
        scopes: [...pending.scopes],
        codeVerifier: pending.codeVerifier,
        createdAt: Timestamp.fromDate(pending.createdAt),
        expireAt: Timestamp.fromDate(pending.expireAt),
      };
      await ref(state).create(doc);
    },

    async consume(state, now) {
      const doc = ref(state);
      const snap = await doc.get();
      if (!snap.exists) return { status: 'unknown' };
      // The delete is the claim: with `exists` as precondition only one caller's succeeds.
      try {
        await doc.delete({ exists: true });
      } catch (err) {
        if ((err as { code?: unknown }).code === NOT_FOUND) return { status: 'unknown' };
        throw err;
      }
      const data = snap.data() as StateDoc;
      if (data.expireAt.toMillis() <= now.getTime()) return { status: 'expired' };
      return {
        status: 'valid',
        pending: {
          userId: data.userId,
          chatRedirectUrl: data.chatRedirectUrl,
          scopes: data.scopes,
          codeVerifier: data.codeVerifier,
          createdAt: data.createdAt.toDate(),
          expireAt: data.expireAt.toDate(),
        },
      };
    },
  };
}
