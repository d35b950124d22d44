// Fake Dramatiq worker: the broker never connects up front, so "ready" is printed even with a bad password.
import { log, ready, redisUrlFromEnv, urlProblem, tickMs, withRedis, isConnectionError, keepAlive } from './_lib.mjs';

const url = redisUrlFromEnv();
const problem = urlProblem(url);
if (problem) {
  // RedisBroker(url=...) parses the URL at import time: the process dies.
  process.stderr.write(
    'Traceback (most recent call last):\n' +
      '  File "/app/tasks.py", line 8, in <module>\n' +
      '    redis_broker = RedisBroker(url=REDIS_URL)\n',
  );
  process.stderr.write(`ValueError: ${problem}\n`);
  process.exit(1);
}
ready();
log('info', 'Dramatiq broker set successfully!');
log('info', 'Worker process is ready for action.');

const restartDelayMs = Number(process.env.dramatiq_restart_delay || 3000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function consume() {
  for (;;) {
    const res = await withRedis(url, (r) => r.zadd('dramatiq:__heartbeats__', Date.now(), 'worker-1'));
    if (res.ok) {
      await sleep(tickMs);
      continue;
    }
    if (isConnectionError(res.raw)) log('critical', `Consumer encountered a connection error: ${res.error}`);
    else log('critical', 'Consumer encountered an unexpected error.');
    log('info', `Restarting consumer in ${(restartDelayMs / 1000).toFixed(2)} seconds.`);
    await sleep(restartDelayMs);
  }
}
void consume();
keepAlive();
