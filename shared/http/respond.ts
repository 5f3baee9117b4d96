/**
 * Writing HTTP answers: a JSON body, or a coded error mapped in one place
 * (`errors.ts`) to its status and generic public text. Internal messages,
 * stacks and payloads never go back over the wire.
 */
import type { ServerResponse } from 'node:http';
import { httpStatusOf, publicTextOf, type SpacelogError } from '../errors.js';

/** Sends `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** Sends the status and public text of a coded error. */
export function sendError(res: ServerResponse, error: SpacelogError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error.code === 'too-large') res.setHeader('connection', 'close');
  sendJson(res, httpStatusOf(error.code), { error: publicTextOf(error.code) });
}
