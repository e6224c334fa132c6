/** Starting an HTTP server on PORT/HOST, or failing with one sentence that names the setting to change. */
import type { Server } from 'node:http';

/** A port or address this process cannot listen on: the user's to fix, so no stack trace. */
export class ListenFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenFailure';
  }
}

/** One sentence for a listen error we expect; anything else unchanged. */
function describe(err: unknown, port: number, host: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new ListenFailure(`port ${port} is already in use; set PORT to a free port`);
  if (code === 'EACCES') return new ListenFailure(`port ${port} needs privileges this user lacks; set PORT to a port above 1023`);
  if (code === 'EADDRNOTAVAIL') return new ListenFailure(`HOST ${host} is not an address of this machine; set HOST to one (0.0.0.0 for all)`);
  return err;
}

/** Resolves once `server` listens; rejects with a {@link ListenFailure} for a busy port or a foreign address. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (err: unknown) => reject(describe(err, port, host));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}
