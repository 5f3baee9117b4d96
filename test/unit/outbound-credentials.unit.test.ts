import { describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { SpacelogError } from '../../shared/errors.js';
import { silentLogger } from '../../shared/log.js';
import { AS_APP, asDelegated, asUser, resolveAuth } from '../../shared/outbound/auth-table.js';
import {
  createChatCredentials,
  type ServiceAccountKey,
  type UserTokens,
} from '../../shared/outbound/credentials.js';
import type { SecretReader } from '../../shared/secrets.js';

const keyJson = (id: string) =>
  JSON.stringify({
    client_email: 'app@p.iam.gserviceaccount.com',
    private_key: `PEM-${id}`,
    private_key_id: id,
  });

/** A secret store holding key versions, and a token endpoint refusing revoked keys. */
function world() {
  let latest = keyJson('k1');
  const revoked = new Set<string>();
  const reads: string[] = [];
  const minted: { key: string; scopes: readonly string[]; subject?: string }[] = [];
  const clientsMade: string[] = [];
  const secrets: SecretReader & { invalidated: number } = {
    invalidated: 0,
    read: async (name, version = 'latest') => {
      reads.push(`${name}@${version}`);
      await Promise.resolve();
      return latest;
    },
    invalidate() {
      this.invalidated += 1;
    },
  };
  const factory = (
    key: ServiceAccountKey,
    scopes: readonly string[],
    subject: string | undefined,
  ) => {
    clientsMade.push(`${key.private_key_id} ${subject ?? '-'} ${scopes.join(' ')}`);
    let cached: string | undefined;
    return {
      token: async () => {
        await Promise.resolve();
        if (cached) return cached;
        if (revoked.has(key.private_key_id ?? '')) {
          throw Object.assign(new Error('invalid_grant: Invalid JWT Signature.'), {
            response: { status: 400, data: { error: 'invalid_grant' } },
          });
        }
        minted.push({ key: key.private_key_id ?? '', scopes, ...(subject && { subject }) });
        cached = `token-${minted.length}`;
        return cached;
      },
      drop: () => {
        cached = undefined;
      },
    };
  };
  const clock = manualClock('2026-01-01T00:00:00Z');
  const userTokens: UserTokens & { asked: unknown[] } = {
    asked: [],
    accessToken(userId, scopes, options) {
      this.asked.push({ userId, scopes, options });
      return Promise.resolve('user-token');
    },
  };
  const make = (withUsers = true) =>
    createChatCredentials({
      secrets,
      keySecret: 'sa-key',
      keyVersion: 'latest',
      clients: factory,
      ...(withUsers && { userTokens }),
      clock,
      logger: silentLogger,
    });
  return {
    make,
    reads,
    minted,
    clientsMade,
    secrets,
    clock,
    userTokens,
    rotate: (id: string) => (latest = keyJson(id)),
    revoke: (id: string) => revoked.add(id),
  };
}

const app = resolveAuth('messages.create', AS_APP, false);
const delegated = resolveAuth('spaces.setup', asDelegated('ops@example.com'), false);

describe('chat credentials', () => {
  it('reads the key once and mints one token per credential across many calls', async () => {
    const w = world();
    const tokens = w.make();
    await Promise.all(Array.from({ length: 50 }, () => tokens.accessToken(app)));
    await tokens.accessToken(delegated);
    await tokens.accessToken(delegated);
    expect(w.reads).toEqual(['sa-key@latest']);
    expect(w.clientsMade).toHaveLength(2);
    expect(w.minted.map((m) => m.subject)).toEqual([undefined, 'ops@example.com']);
  });

  it('mints a new token when asked for a fresh one (after a 401)', async () => {
    const w = world();
    const tokens = w.make();
    const first = await tokens.accessToken(app);
    const second = await tokens.accessToken(app, { fresh: true });
    expect(second).not.toBe(first);
    expect(w.reads).toHaveLength(1);
  });

  it('reads the key again when the token endpoint refuses it, and succeeds with the new one', async () => {
    const w = world();
    const tokens = w.make();
    await tokens.accessToken(app, { fresh: true });
    w.rotate('k2');
    w.revoke('k1');
    const token = await tokens.accessToken(app, { fresh: true });
    expect(token).toMatch(/^token-/);
    expect(w.secrets.invalidated).toBe(1);
    expect(w.reads).toHaveLength(2);
    expect(w.minted.at(-1)?.key).toBe('k2');
  });

  it('re-reads once for many concurrent refusals', async () => {
    const w = world();
    const tokens = w.make();
    w.revoke('k1');
    w.rotate('k1'); // nothing new in the store yet
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => tokens.accessToken(app)),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(w.secrets.invalidated).toBe(1);
    const reason = (results[0] as PromiseRejectedResult).reason as SpacelogError;
    expect(reason.code).toBe('misconfigured');
    expect(reason.message).toContain('sa-key');
    expect(reason.message).not.toContain('PEM-');
  });

  it('does not re-read again within a minute, then does', async () => {
    const w = world();
    const tokens = w.make();
    w.revoke('k1');
    await expect(tokens.accessToken(app)).rejects.toThrow(SpacelogError);
    await expect(tokens.accessToken(app)).rejects.toThrow(SpacelogError);
    expect(w.secrets.invalidated).toBe(1);
    w.clock.advance(61_000);
    w.rotate('k3');
    await expect(tokens.accessToken(app)).resolves.toMatch(/^token-/);
    expect(w.secrets.invalidated).toBe(2);
  });

  it('hands user calls to the user token provider', async () => {
    const w = world();
    const tokens = w.make();
    const auth = resolveAuth('reactions.create', asUser('users/7'), false);
    expect(await tokens.accessToken(auth, { fresh: true })).toBe('user-token');
    expect(w.userTokens.asked).toEqual([
      { userId: 'users/7', scopes: auth.scopes, options: { fresh: true } },
    ]);
    expect(w.reads).toHaveLength(0);
  });

  it('refuses user calls as misconfigured when no user token provider exists', async () => {
    const w = world();
    const auth = resolveAuth('reactions.create', asUser('users/7'), false);
    await expect(w.make(false).accessToken(auth)).rejects.toMatchObject({ code: 'misconfigured' });
  });

  it('refuses a secret that is not a key file, naming the secret only', async () => {
    const w = world();
    w.rotate('x');
    const secrets = { ...w.secrets, read: () => Promise.resolve('not json s3cr3t') };
    const tokens = createChatCredentials({
      secrets,
      keySecret: 'sa-key',
      keyVersion: 'latest',
      clients: () => ({ token: () => Promise.resolve('t'), drop: () => undefined }),
      clock: w.clock,
      logger: silentLogger,
    });
    const err = (await tokens.accessToken(app).catch((e: unknown) => e)) as SpacelogError;
    expect(err.code).toBe('misconfigured');
    expect(err.message).toContain('sa-key');
    expect(err.message).not.toContain('s3cr3t');
  });
});
