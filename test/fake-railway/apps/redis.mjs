// The Redis service's own deployment: only log lines (the real server in tests runs outside the fake).
import { log, ready, keepAlive } from './_lib.mjs';

ready();

log('info', 'Server initialized');
log('info', 'Ready to accept connections tcp');
keepAlive();
