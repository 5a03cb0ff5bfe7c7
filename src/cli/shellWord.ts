/**
 * A POSIX shell word that the shell reads back as exactly `value`: single quotes, inside which nothing is special
 * (no `$(…)`, backticks, `$VAR`, `!` history, globs or braces), and each `'` written as `'\''`. A plain word made only
 * of characters no shell treats specially is left unquoted, so common paths stay readable.
 */
export function posixShellWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value) && !value.startsWith('-')) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
