import { describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { SpacelogError } from '../../shared/errors.js';
import { createMemoryEventStore } from '../../shared/eventlog/index.js';
import { silentLogger } from '../../shared/log.js';
import { SCOPE } from '../../shared/scopes/index.js';
import type { GrantStore, StoredGrant } from '../../shared/user-auth/grant-store.js';
import type { LeaseStore } from '../../shared/user-auth/lease.js';
import type { SealedToken, TokenCipher } from '../../shared/user-auth/token-cipher.js';
import type { TokenEndpoint, TokenResponse } from '../../shared/user-auth/token-endpoint.js';
import { createUserTokens, isSignInRequired } from '../../shared/user-auth/user-tokens.js';

const USER = 'users/42';
const T0 = '2026-03-01T10:00:00Z';

// A cipher that only wraps: the unit under test is the refresh logic, not AES.
const plainCipher: TokenCipher = {
  seal: (plain) => Promise.resolve({ keyId: 'k1', iv: '', data: plain, tag: '' }),
  open: (sealed: SealedToken) => Promise.resolve(sealed.data),
};

function memoryGrants(initial: StoredGrant): GrantStore & { current(): StoredGrant | undefined } {
  let grant: StoredGrant | undefined = initial;
  return {
    current: () => grant,
    get: () => Promise.resolve(grant),
    update: (_id, next) => {
      const updated = next(grant);
      if (updated === undefined) return Promise.resolve({ grant, changed: false });
      grant = updated;
      return Promise.resolve({ grant, changed: true });
    },
    delete: () => {
      grant = undefined;
      return Promise.resolve();
    },
  };
}

const freeLeases: LeaseStore = {
  tryAcquire: () => Promise.resolve({ release: () => Promise.resolve() }),
};

function endpoint(answer: () => Promise<TokenResponse>): TokenEndpoint & { refreshes: number } {
  const e = {
    refreshes: 0,
    exchangeCode: () => Promise.reject(new Error('not used')),
    refresh: () => {
      e.refreshes += 1;
      return answer();
    },
    revoke: () => Promise.resolve(),
  };
  return e;
}

const grantWith = (accessExpiresAt: string): StoredGrant => ({
  userId: USER,
  refreshToken: { keyId: 'k1', iv: '', data: '1//old', tag: '' },
  accessToken: {
    sealed: { keyId: 'k1', iv: '', data: 'ya29.stored', tag: '' },
    expiresAt: new Date(accessExpiresAt),
    scopes: [SCOPE.spacesReadonly],
  },
  grantedScopes: [SCOPE.spacesReadonly, 'openid'],
  requestedScopes: [SCOPE.spacesReadonly, 'openid'],
  declinedScopes: [],
  noticePending: false,
  status: 'active',
  updatedAt: new Date(T0),
});

let counter = 0;
const newToken = (): Promise<TokenResponse> =>
  Promise.resolve({
    accessToken: `ya29.new-${++counter}`,
    expiresInSeconds: 3600,
    scopes: [SCOPE.spacesReadonly, 'openid'],
  });

function build(grants: GrantStore, tokens: TokenEndpoint, leases: LeaseStore = freeLeases) {
  const clock = manualClock(T0);
  const events = createMemoryEventStore({ clock });
  const provider = createUserTokens({
    grants,
    cipher: plainCipher,
    events,
    clock,
    logger: silentLogger,
    endpoint: tokens,
    leases,
    refreshMarginSeconds: 300,
    leaseSeconds: 10,
    pollMs: 1,
    sleep: () => new Promise((r) => setImmediate(r)),
  });
  return { provider, events, clock };
}

describe('user tokens', () => {
  it('uses the stored token while it is outside the refresh margin', async () => {
    const tokens = endpoint(newToken);
    const { provider } = build(memoryGrants(grantWith('2026-03-01T10:30:00Z')), tokens);
    expect(await provider.accessToken(USER, [SCOPE.spacesReadonly])).toBe('ya29.stored');
    expect(tokens.refreshes).toBe(0);
  });

  it('refreshes once for concurrent callers of one instance, inside the margin', async () => {
    const tokens = endpoint(newToken);
    const grants = memoryGrants(grantWith('2026-03-01T10:04:00Z'));
    const { provider } = build(grants, tokens);
    const got = await Promise.all(
      Array.from({ length: 5 }, () => provider.accessToken(USER, [SCOPE.spacesReadonly])),
    );
    expect(tokens.refreshes).toBe(1);
    expect(new Set(got).size).toBe(1);
    expect(grants.current()?.accessToken?.sealed.data).toBe(got[0]);
    // No refresh token in the answer: the stored one stays.
    expect(grants.current()?.refreshToken?.data).toBe('1//old');
  });

  it('counts a broader granted scope for a narrower one asked for', async () => {
    const grant = { ...grantWith('2026-03-01T11:00:00Z'), grantedScopes: [SCOPE.spaces] };
    const stored = { ...grant, accessToken: { ...grant.accessToken!, scopes: [SCOPE.spaces] } };
    const { provider } = build(memoryGrants(stored), endpoint(newToken));
    expect(await provider.accessToken(USER, [SCOPE.spacesReadonly])).toBe('ya29.stored');
  });

  it('does not hand back a token the Chat API refused when asked for a fresh one', async () => {
    const tokens = endpoint(newToken);
    const { provider } = build(memoryGrants(grantWith('2026-03-01T11:00:00Z')), tokens);
    const first = await provider.accessToken(USER, [SCOPE.spacesReadonly]);
    const second = await provider.accessToken(USER, [SCOPE.spacesReadonly], { fresh: true });
    expect(second).not.toBe(first);
    expect(tokens.refreshes).toBe(1);
  });

  it('keeps a rotated refresh token from the answer', async () => {
    const tokens = endpoint(async () => ({ ...(await newToken()), refreshToken: '1//rotated' }));
    const grants = memoryGrants(grantWith('2026-03-01T10:00:00Z'));
    await build(grants, tokens).provider.accessToken(USER, [SCOPE.spacesReadonly]);
    expect(grants.current()?.refreshToken?.data).toBe('1//rotated');
  });

  it('marks the grant revoked on invalid_grant and asks for a sign-in', async () => {
    const refused = new SpacelogError('forbidden', 'refused', { oauthError: 'invalid_grant' });
    const grants = memoryGrants(grantWith('2026-03-01T10:00:00Z'));
    const { provider, events } = build(
      grants,
      endpoint(() => Promise.reject(refused)),
    );
    await expect(provider.accessToken(USER, [SCOPE.spacesReadonly])).rejects.toSatisfy(
      isSignInRequired,
    );
    expect(grants.current()?.status).toBe('revoked');
    expect(grants.current()?.refreshToken).toBeUndefined();
    const logged = await events.readStream('user:42');
    expect(logged.map((e) => [e.type, e.payload])).toEqual([
      ['UserGrantRevoked', { reason: 'invalid_grant' }],
    ]);
  });

  it('waits for another instance holding the lease and reads the token it stored', async () => {
    const tokens = endpoint(newToken);
    const grants = memoryGrants(grantWith('2026-03-01T10:00:00Z'));
    let polls = 0;
    const busy: LeaseStore = {
      tryAcquire: async () => {
        polls += 1;
        if (polls === 3) {
          // The other instance finishes its refresh.
          await grants.update(USER, (g) => g && { ...g, ...grantWith('2026-03-01T11:00:00Z') });
        }
        return undefined;
      },
    };
    const got = await build(grants, tokens, busy).provider.accessToken(USER, [
      SCOPE.spacesReadonly,
    ]);
    expect(got).toBe('ya29.stored');
    expect(tokens.refreshes).toBe(0);
  });

  it('asks for a sign-in when the grant lacks the scope', async () => {
    const { provider } = build(memoryGrants(grantWith('2026-03-01T11:00:00Z')), endpoint(newToken));
    await expect(provider.accessToken(USER, [SCOPE.memberships])).rejects.toSatisfy(
      isSignInRequired,
    );
  });
});
