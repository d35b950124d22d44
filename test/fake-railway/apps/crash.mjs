// An app that dies during startup: it never reports ready, so it never becomes SUCCESS.
process.stderr.write('Error: something went wrong at startup\n');
setTimeout(() => process.exit(1), 20);
