// An app that stays up and never logs.
setInterval(() => {}, 1 << 30);
