// Fake web app: one connection check at start, then stays up.
import { log, ready, redisUrlFromEnv, tickMs, withRedis, keepAlive } from './_lib.mjs';

ready();

const url = redisUrlFromEnv();
const res = await withRedis(url, (r) => r.ping());
if (res.ok) log('info', 'Redis connected successfully');
else log('error', `Failed to connect to Redis: ${res.error}`);
void tickMs;
keepAlive();
