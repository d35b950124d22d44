// The Redis service's own deployment: only log lines (the real server in tests runs outside the fake).
import { log, keepAlive } from './_lib.mjs';

log('info', 'Server initialized');
log('info', 'Ready to accept connections tcp');
keepAlive();
