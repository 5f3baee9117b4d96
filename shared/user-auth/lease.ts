/**
 * A short lease per user (`userTokenLeases/{id}`) so that one instance at a
 * time refreshes a user's access token. Taking it is a `create()`, which
 * fails cleanly when someone holds it (no transaction contention); a lease
 * past its end is taken over by deleting it with its update time as
 * precondition, so of several instances racing for it only one wins.
 */
import { Timestamp, type Firestore, type WriteResult } from '@google-cloud/firestore';
import { randomBytes } from 'node:crypto';
import { grantDocId } from './grant-store.js';

/** The collection of leases. */
export const LEASES_COLLECTION = 'userTokenLeases';

/** A held lease. */
export interface Lease {
  release(): Promise<void>;
}

/** Leases by user. */
export interface LeaseStore {
  /** The lease, or undefined when another holder's lease is still running. */
  tryAcquire(userId: string, now: Date, seconds: number): Promise<Lease | undefined>;
}

const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;
const FAILED_PRECONDITION = 9;

const codeOf = (err: unknown) => (err as { code?: unknown }).code;

/** A lease store on Firestore. */
export function firestoreLeaseStore(db: Firestore): LeaseStore {
  const holder = randomBytes(9).toString('base64url');

  const create = async (userId: string, now: Date, seconds: number) => {
    const until = Timestamp.fromMillis(now.getTime() + seconds * 1000);
    const doc = db.collection(LEASES_COLLECTION).doc(grantDocId(userId));
    try {
      const written: WriteResult = await doc.create({ holder, until, expireAt: until });
      return {
        release: async () => {
          try {
            await doc.delete({ lastUpdateTime: written.writeTime });
          } catch (err) {
            // Taken over after it ran out: it is someone else's now.
            if (codeOf(err) !== NOT_FOUND && codeOf(err) !== FAILED_PRECONDITION) throw err;
          }
        },
      };
    } catch (err) {
      if (codeOf(err) === ALREADY_EXISTS) return undefined;
      throw err;
    }
  };

  return {
    async tryAcquire(userId, now, seconds) {
      const lease = await create(userId, now, seconds);
      if (lease !== undefined) return lease;

      const doc = db.collection(LEASES_COLLECTION).doc(grantDocId(userId));
      const snap = await doc.get();
      if (!snap.exists) return create(userId, now, seconds);
      const until = (snap.get('until') as Timestamp).toMillis();
      if (until > now.getTime() || snap.updateTime === undefined) return undefined;
      try {
        await doc.delete({ lastUpdateTime: snap.updateTime });
      } catch (err) {
        if (codeOf(err) === NOT_FOUND || codeOf(err) === FAILED_PRECONDITION) return undefined;
        throw err;
      }
      return create(userId, now, seconds);
    },
  };
}
