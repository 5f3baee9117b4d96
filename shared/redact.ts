/**
 * The one redaction layer. Everything that reaches a log line passes through
 * `redact`: fields whose names say they hold content or credentials are
 * replaced, and strings are scrubbed of anything shaped like a credential.
 */

const REDACTED = '[redacted]';

// Field names whose values are content or credentials, whatever they hold.
const SENSITIVE_KEY =
  /(^|_|-)(text|argumenttext|formattedtext|body|payload|raw|data|card|cardsv2|message_text)$|token|secret|password|passphrase|authorization|cookie|assertion|private|credential|apikey|api_key|^key$|signature|^code$|verifier|webhookurl|webhook_url/i;

// Shapes of credentials that can hide inside otherwise harmless strings.
const SENSITIVE_VALUE: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/\beyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*/g, REDACTED], // JWTs and ID tokens
  [/\bya29\.[\w.-]+/g, REDACTED], // Google access tokens
  [/\b1\/\/[\w.-]{10,}/g, REDACTED], // Google refresh tokens
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, `$1 ${REDACTED}`],
  [
    /([?&](?:key|token|access_token|code|client_secret|refresh_token)=)[^&\s"']+/gi,
    `$1${REDACTED}`,
  ],
  [/\bGOCSPX-[\w-]+/g, REDACTED], // OAuth client secrets
];

/** Scrubs credential-shaped substrings from a string. */
export function redactString(value: string): string {
  let out = value;
  for (const [pattern, replacement] of SENSITIVE_VALUE) out = out.replace(pattern, replacement);
  return out;
}

/** True when a field of this name must never be logged as it is. */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/**
 * Returns a copy of `value` safe to log. Errors become `{name, code, message}`
 * with scrubbed text; objects are walked to a bounded depth.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') return redactString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return redactError(value, depth);
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));

  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSensitiveKey(k) && v !== undefined && v !== null ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

function redactError(err: Error, depth: number): Record<string, unknown> {
  const coded = err as Error & { code?: unknown; details?: unknown };
  const out: Record<string, unknown> = {
    name: err.name,
    message: redactString(err.message),
  };
  if (coded.code !== undefined) out['code'] = coded.code;
  if (coded.details !== undefined) out['details'] = redact(coded.details, depth + 1);
  if (err.cause !== undefined) out['cause'] = redact(err.cause, depth + 1);
  return out;
}
