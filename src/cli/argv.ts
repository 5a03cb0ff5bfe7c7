/** Reading command-line words the same way in every command: `--name value` and `--name=value` both work. */

/** A word split into its flag and the value written after `=` (`--origin=https://a.example`), if any. */
export function splitFlag(arg: string): readonly [flag: string, inline: string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}
