/** Reading command-line words the same way in every command: `--name value` and `--name=value` both work. */

/** A word split into its flag and the value written after `=` (`--origin=https://a.example`), if any. */
export function splitFlag(arg: string): readonly [flag: string, inline: string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

/**
 * The words of a command line, each with its flag and a `value()` that takes the flag's value: the text after `=`, or
 * the next word (which is then not yielded again). `missing` makes the error for a flag with no value. With
 * `nextFlagIsNoValue`, a next word that starts with `--` is the next flag, not the value (`fix --request --server x`
 * says `--request` has no value); without it, it is taken as the value (`check --data` may send `--boundary…`).
 */
export function* commandWords(
  argv: readonly string[],
  missing: (flag: string) => Error,
  options: { nextFlagIsNoValue?: boolean } = {},
): Generator<{ arg: string; flag: string; value(): string }> {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = splitFlag(arg);
    yield {
      arg,
      flag,
      value: () => {
        if (inline !== undefined) return inline;
        const next = argv[i + 1];
        if (next === undefined || (options.nextFlagIsNoValue === true && next.startsWith('--'))) throw missing(flag);
        i += 1;
        return next;
      },
    };
  }
}
