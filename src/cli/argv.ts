/** Reading command-line words the same way in every command: `--name value` and `--name=value` both work. */

/** A word split into its flag and the value written after `=` (`--origin=https://a.example`), if any. */
export function splitFlag(arg: string): readonly [flag: string, inline: string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

/**
 * The words of a command line, each with its flag and a `value()` that takes the flag's value: the text after `=`, or
 * the next word (which is then not yielded again). `missing` makes the error for a flag with no value.
 */
export function* commandWords(
  argv: readonly string[],
  missing: (flag: string) => Error,
): Generator<{ arg: string; flag: string; value(): string }> {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = splitFlag(arg);
    yield {
      arg,
      flag,
      value: () => {
        const next = inline ?? argv[++i];
        if (next === undefined) throw missing(flag);
        return next;
      },
    };
  }
}
