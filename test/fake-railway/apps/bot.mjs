// Fake Telegram bot (config/database.py): connects once at start, then uses Redis as a cache every tick.
import { log, ready, redisUrlFromEnv, tickMs, withRedis, keepAlive } from './_lib.mjs';

ready();

const url = redisUrlFromEnv();
const first = await withRedis(url, (r) => r.ping());
if (first.ok) log('info', 'Redis connected successfully');
else log('error', `Failed to connect to Redis: ${first.error}`);

let n = 0;
setInterval(async () => {
  n += 1;
  const res = await withRedis(url, async (r) => {
    await r.set('bot:limits:fake', String(n), 'EX', 60);
    return r.get('bot:limits:fake');
  });
  if (!res.ok) {
    // The bot carries on without the cache.
    log('error', n % 2 ? `Failed to cache user/limits: ${res.error}` : `Error reading from cache: ${res.error}`);
  }
}, tickMs);
keepAlive();
