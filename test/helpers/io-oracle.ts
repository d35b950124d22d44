// The live ioredis oracle: what `new Redis(url)` puts in its options, without connecting.
import { Redis } from 'ioredis';

export interface IoUrlResult {
  error?: string;
  tls?: boolean;
  username?: string;
  password?: string;
  host?: string;
  port?: number;
  db?: number;
}

export function ioredisRead(url: string): IoUrlResult {
  let client: Redis;
  try {
    client = new Redis(url, { lazyConnect: true });
  } catch (e) {
    return { error: (e as Error).name };
  }
  const o = client.options;
  client.disconnect();
  return {
    tls: Boolean(o.tls),
    username: o.username ?? '',
    password: o.password ?? '',
    host: o.host,
    port: o.port,
    db: Number.isNaN(o.db) ? 0 : (o.db ?? 0), // SELECT is skipped for NaN: db 0
  };
}
