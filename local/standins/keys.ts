/**
 * RSA signing keys for the stand-ins: Google's own keys (Chat system and
 * OAuth ID-token keys, served as certificates) and service account keys
 * (the JSON key file a `JWT` client signs its assertions with).
 */
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { selfSignedCertificate } from './x509.js';

/** An RS256 signing key with its public forms. */
export interface SigningKey {
  /** Key id: the JWT header's `kid` and the certificate endpoints' map key. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly privatePem: string;
  readonly publicPem: string;
  /** A self-signed X.509 certificate of the public key, as PEM. */
  readonly certificatePem: string;
}

/** Makes a 2048-bit RSA key with a self-signed certificate (about 50-150 ms). */
export function createSigningKey(kid = randomBytes(20).toString('hex')): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Date.now();
  const certificatePem = selfSignedCertificate(privateKey, publicKey, {
    commonName: kid,
    serial: Buffer.concat([Buffer.from([1]), randomBytes(8)]),
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 365 * 86_400_000),
  });
  return {
    kid,
    privateKey,
    publicKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    certificatePem,
  };
}

/** The JSON key file of a service account, as Google's IAM hands it out. */
export interface ServiceAccountKeyJson {
  readonly type: 'service_account';
  readonly project_id: string;
  readonly private_key_id: string;
  readonly private_key: string;
  readonly client_email: string;
  readonly client_id: string;
  readonly token_uri: string;
}

/** A service account key: the key file plus what a token server needs to check it. */
export interface ServiceAccountKey {
  readonly json: ServiceAccountKeyJson;
  readonly publicKey: KeyObject;
  readonly kid: string;
  /** Same as `json.client_email`, so the key can be handed to the OAuth stand-in as is. */
  readonly client_email: string;
  /** Same as `json.client_id`: the `azp` of the tokens it obtains. */
  readonly client_id: string;
}

/** Makes a service account key file for `clientEmail` in `projectId`. */
export function createServiceAccountKey(clientEmail: string, projectId: string): ServiceAccountKey {
  const key = createSigningKey();
  const digest = createHash('sha256').update(clientEmail).digest();
  const clientId = (digest.readBigUInt64BE(0) % 10n ** 21n).toString().padStart(21, '1');
  return {
    json: {
      type: 'service_account',
      project_id: projectId,
      private_key_id: key.kid,
      private_key: key.privatePem,
      client_email: clientEmail,
      client_id: clientId,
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    publicKey: key.publicKey,
    kid: key.kid,
    client_email: clientEmail,
    client_id: clientId,
  };
}
