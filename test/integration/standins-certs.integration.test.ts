import { createPublicKey, X509Certificate } from 'node:crypto';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHAT_ISSUER,
  mintAddOnIdToken,
  mintEndpointIdToken,
  mintProjectNumberToken,
  startCerts,
  type CertsStandIn,
} from '../../local/standins/certs.js';
import { createSigningKey } from '../../local/standins/keys.js';
import { decodeJwt, verifyRs256 } from '../../local/standins/jwt.js';

let certs: CertsStandIn;

async function getJson(url: string): Promise<{ res: Response; body: unknown }> {
  const res = await fetch(url);
  return { res, body: await res.json() };
}

/** Verifies `token` with node:crypto against the certificate the stand-in serves for its kid. */
async function verifyWithServedCert(url: string, token: string): Promise<boolean> {
  const jwt = decodeJwt(token);
  if (!jwt) return false;
  const { body } = await getJson(url);
  const pem = (body as Record<string, string>)[String(jwt.header.kid)];
  if (pem === undefined) return false;
  return verifyRs256(jwt, new X509Certificate(pem).publicKey);
}

beforeAll(async () => {
  certs = await startCerts({ maxAgeSeconds: 600 });
});

afterAll(async () => {
  await certs.close();
});

describe('certificate stand-in and Chat token minters', () => {
  it('serves Chat system certificates that verify a minted project-number token', async () => {
    const token = mintProjectNumberToken(certs, { projectNumber: '123456789012' });
    expect(decodeJwt(token)?.payload).toMatchObject({ iss: CHAT_ISSUER, aud: '123456789012' });

    const { res } = await getJson(certs.chatCertsUrl);
    expect(res.headers.get('cache-control')).toContain('max-age=600');
    expect(await verifyWithServedCert(certs.chatCertsUrl, token)).toBe(true);
    // Chat keys do not sign ID tokens and vice versa.
    expect(await verifyWithServedCert(certs.googleCertsUrl, token)).toBe(false);
  });

  it('serves Google OAuth keys as PEM and JWKS that verify endpoint and add-on ID tokens', async () => {
    const audience = 'https://spacelog.example.test/chatEvents?x=1';
    const endpoint = mintEndpointIdToken(certs, { audience });
    const addOn = mintAddOnIdToken(certs, {
      audience,
      serviceAgentEmail: 'service-42@gcp-sa-gsuiteaddons.iam.gserviceaccount.com',
    });
    expect(await verifyWithServedCert(certs.googleCertsUrl, endpoint)).toBe(true);
    expect(await verifyWithServedCert(certs.googleCertsUrl, addOn)).toBe(true);

    const { body } = await getJson(certs.googleJwksUrl);
    const [jwk] = (body as { keys: { kid: string }[] }).keys;
    const jwt = decodeJwt(addOn);
    expect(jwk?.kid).toBe(jwt?.header.kid);
    const publicKey = createPublicKey({ key: jwk as never, format: 'jwk' });
    expect(jwt && verifyRs256(jwt, publicKey)).toBe(true);

    // google-auth-library accepts the served PEM certificates too.
    const client = new OAuth2Client({
      endpoints: { oauth2FederatedSignonPemCertsUrl: certs.googleCertsUrl },
    });
    const ticket = await client.verifyIdToken({ idToken: endpoint, audience });
    expect(ticket.getPayload()).toMatchObject({ email: CHAT_ISSUER, email_verified: true });
  });

  it('keeps serving old keys after rotation and signs with the new one', async () => {
    const before = mintEndpointIdToken(certs, { audience: 'a' });
    const rotated = certs.rotate('google');
    const after = mintEndpointIdToken(certs, { audience: 'a' });
    expect(decodeJwt(after)?.header.kid).toBe(rotated.kid);
    expect(await verifyWithServedCert(certs.googleCertsUrl, before)).toBe(true);
    expect(await verifyWithServedCert(certs.googleCertsUrl, after)).toBe(true);

    certs.retire('google', String(decodeJwt(before)?.header.kid));
    expect(await verifyWithServedCert(certs.googleCertsUrl, before)).toBe(false);
  });

  it('forges tokens on request: foreign key, changed claims, other algorithms', async () => {
    const forged = mintProjectNumberToken(certs, {
      projectNumber: '1',
      signWith: createSigningKey(certs.chatKey.kid),
    });
    expect(await verifyWithServedCert(certs.chatCertsUrl, forged)).toBe(false);

    const changed = mintEndpointIdToken(certs, {
      audience: 'a',
      overrides: { email_verified: false, sub: undefined },
      headerOverrides: { kid: undefined },
    });
    expect(decodeJwt(changed)?.payload).toMatchObject({ email_verified: false });
    expect(decodeJwt(changed)?.payload).not.toHaveProperty('sub');
    expect(decodeJwt(changed)?.header).not.toHaveProperty('kid');

    const none = mintProjectNumberToken(certs, { projectNumber: '1', algorithm: 'none' });
    expect(decodeJwt(none)?.header.alg).toBe('none');
    const hs = mintProjectNumberToken(certs, { projectNumber: '1', algorithm: 'HS256' });
    expect(await verifyWithServedCert(certs.chatCertsUrl, hs)).toBe(false);
  });

  it('answers 503 while unavailable and counts fetches', async () => {
    const before = certs.fetchCount();
    certs.setUnavailable(true);
    expect((await fetch(certs.googleJwksUrl)).status).toBe(503);
    certs.setUnavailable(false);
    expect((await fetch(certs.googleJwksUrl)).status).toBe(200);
    expect(certs.fetchCount() - before).toBe(2);
  });
});
