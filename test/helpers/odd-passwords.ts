// Every character issues 10 and 11 list (plus the ones encodeURIComponent leaves alone), alone and
// together, for user names and passwords.
export const ODD_CHARS = ['@', ':', '/', '#', '?', '%', '+', ' ', 'é', '${', '"', "'", '`', '=', '[', ']', ';', '&', '|', '<', '>',
  '^', '{', '}', '\\', '!', '(', ')', '*', '~', '$'];

export const ODD_PASSWORDS = [...ODD_CHARS.map((ch) => `pa${ch}ss`), ODD_CHARS.join(''), '%41%zz%', 'ümlaut€😀'];
