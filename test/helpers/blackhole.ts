// A loopback port that drops SYNs: a listening socket that never accepts, its backlog already full.
// This is how a firewalled host looks to a client (connect hangs), without leaving the machine.
import { spawn } from 'node:child_process';

const SCRIPT = `
import socket, sys, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
port = s.getsockname()[1]
fill = []
for _ in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(('127.0.0.1', port))
    except BlockingIOError: pass
    fill.append(c)
print(port, flush=True)
sys.stdin.read()
`;

export async function startBlackHole(): Promise<{ port: number; close(): void }> {
  const proc = spawn('python3', ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('error', reject);
    proc.stdout.once('data', (d) => resolve(Number(String(d).trim())));
  });
  return {
    port,
    close: () => {
      proc.stdin.end();
      proc.kill();
    },
  };
}
