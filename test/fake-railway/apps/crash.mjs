// An app that dies right after start.
process.stderr.write('Error: something went wrong at startup\n');
setTimeout(() => process.exit(1), 20);
