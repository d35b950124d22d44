// An app that stays up and never logs.
import { ready } from './_lib.mjs';

ready();
setInterval(() => {}, 1 << 30);
