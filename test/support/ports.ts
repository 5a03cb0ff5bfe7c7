/**
 * Ports for servers a test starts as other programs (an example app, nginx) or wants refused: free now, and picked where
 * no other test's `listen(0)` can be handed them in between.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The kernel's range for ports it hands out to `listen(0)` (Linux's /proc file; elsewhere the lowest common start, as
 * macOS starts at 49152).
 */
function ephemeralPortsFrom(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 11_000) return low;
  } catch {
    // Not Linux: the default below.
  }
  return 32_768;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolveListen) => {
    const server = createServer();
    server.once('error', () => resolveListen(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveListen(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1 for an example, which binds it itself a moment later (its port is written into the
 * generated files, so it is picked before generating). Picked below the kernel's ephemeral range: a port from there
 * (what `listen(0)` gives) could be handed to a server another test file starts meanwhile, which then answered in the
 * example's place (seen once: a lab server, unfixed, answered the Express example's preflight).
 */
export async function freePort(): Promise<number> {
  const below = ephemeralPortsFrom();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * (below - 10_000));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between 10000 and ${below}`);
}
