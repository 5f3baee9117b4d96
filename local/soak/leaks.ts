/**
 * The leak scan: no log line may hold a token, a private key, a secret's
 * value or message text. Secrets are indexed as 24-character windows taken
 * every 8 characters; a line is cut into runs of base64 characters and every
 * 24-character window of a run is looked up, so any fragment of 31
 * characters or more of a secret is found wherever it sits in a line.
 * Message text is made of made-up words (`random.ts`); a line is cut into
 * runs of letters and every 12-letter window is looked up, which finds a
 * word however it was quoted or escaped.
 *
 * Of a JWT only the signature is indexed: header and payload are claims
 * (issuer, audience, times) that a log line may legitimately share, while
 * the signature is what makes the token usable.
 *
 * Tokens the soak never sees (the access tokens the OAuth stand-in issues to
 * the app) are found by their shape instead: anything that looks like a
 * Google access or refresh token, a JWT, a PEM private key or an OAuth
 * client secret counts as a token leak.
 */

const WINDOW = 24;
const STRIDE = 8;
const WORD = 12;

/** Credential shapes, whoever issued them. */
const TOKEN_SHAPES: readonly RegExp[] = [
  /\bya29\.[\w-]{16,}/, // Google access tokens
  /\b1\/\/[\w-]{16,}/, // Google refresh tokens
  /\beyJ[\w-]{6,}\.eyJ[\w-]{6,}\.[\w-]{16,}/, // signed JWTs
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bGOCSPX-[\w-]{8,}/,
];

/** What the scan looks for. */
export interface LeakNeedles {
  readonly tokens: readonly string[];
  /** PEM private keys. */
  readonly privateKeys: readonly string[];
  /** Secret values (raw text as stored in Secret Manager). */
  readonly secrets: readonly string[];
  /** Every made-up word used in message text, titles and summaries. */
  readonly words: ReadonlySet<string>;
}

/** What the scan found. */
export interface LeakReport {
  readonly linesScanned: number;
  /** Lines holding a secret fragment, by kind. */
  readonly byKind: Record<'token' | 'private-key' | 'secret' | 'message-text', number>;
  /** A few offending lines, shortened, for the operator. */
  readonly samples: string[];
}

function secretMaterial(needles: LeakNeedles): Map<string, 'token' | 'private-key' | 'secret'> {
  const windows = new Map<string, 'token' | 'private-key' | 'secret'>();
  const add = (value: string, kind: 'token' | 'private-key' | 'secret') => {
    for (let i = 0; i + WINDOW <= value.length; i += STRIDE) {
      windows.set(value.slice(i, i + WINDOW), kind);
    }
  };
  for (const token of needles.tokens) {
    const signature = token.split('.')[2] ?? '';
    add(signature, 'token');
  }
  for (const pem of needles.privateKeys) {
    add(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'private-key');
  }
  for (const secret of needles.secrets) {
    // A secret may hold a PEM (the key file): index its lines' runs as well.
    for (const run of secret.match(/[A-Za-z0-9+/=_-]{24,}/g) ?? []) add(run, 'secret');
  }
  return windows;
}

/** Scans `lines`; every line is checked against every needle. */
export function scanForLeaks(lines: readonly string[], needles: LeakNeedles): LeakReport {
  const windows = secretMaterial(needles);
  const byKind = { token: 0, 'private-key': 0, secret: 0, 'message-text': 0 };
  const samples: string[] = [];

  for (const line of lines) {
    const kinds = new Set<keyof typeof byKind>();
    for (const run of line.match(/[A-Za-z0-9+/=_-]{24,}/g) ?? []) {
      for (let i = 0; i + WINDOW <= run.length; i += 1) {
        const kind = windows.get(run.slice(i, i + WINDOW));
        if (kind !== undefined) kinds.add(kind);
      }
    }
    if (TOKEN_SHAPES.some((shape) => shape.test(line))) kinds.add('token');
    for (const run of line.match(/[a-z]{12,}/g) ?? []) {
      for (let i = 0; i + WORD <= run.length; i += 1) {
        if (needles.words.has(run.slice(i, i + WORD))) kinds.add('message-text');
      }
    }
    for (const kind of kinds) byKind[kind] += 1;
    if (kinds.size > 0 && samples.length < 5) {
      samples.push(`[${[...kinds].join(',')}] ${describeLine(line)}`);
    }
  }
  return { linesScanned: lines.length, byKind, samples };
}

/** A line as the report may show it: never the leaked material itself. */
function describeLine(line: string): string {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const message = typeof entry['message'] === 'string' ? entry['message'] : '(no message)';
    return `${message.slice(0, 120).replace(/[A-Za-z0-9+/=_-]{12,}/g, '…')} fields: ${Object.keys(entry).join(', ')}`;
  } catch {
    return `(not JSON) ${line.slice(0, 80).replace(/[A-Za-z0-9+/=_-]{12,}/g, '…')}`;
  }
}
