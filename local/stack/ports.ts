/**
 * Waiting for a port to be let go of: an emulator's launcher can exit
 * before its Java server has closed its socket, and "stopped" should mean
 * nothing listens any more.
 */
import { connect } from 'node:net';

function accepts(hostname: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: hostname, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves once nothing accepts connections on `host` (`127.0.0.1:PORT`), or after `ms`. */
export async function untilClosed(host: string, ms: number): Promise<void> {
  const [hostname = '127.0.0.1', port = '0'] = host.split(':');
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await accepts(hostname, Number(port)))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
