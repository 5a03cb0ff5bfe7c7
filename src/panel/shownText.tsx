/**
 * How the panel shows text, in one place: captured values with every invisible or direction-changing character made
 * visible (`⟨U+202E⟩`), and the tool's own sentences with their `code` spans, where a captured value is one opaque
 * segment that never leaves its span and is never read as markup. Everything renders as text nodes; nothing here
 * builds HTML from a string.
 */
import type { ComponentChildren } from 'preact';

/**
 * Characters that change what a value looks like without being seen: controls (C0, C1, DEL), format characters
 * (bidi embeddings, overrides and isolates, LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM, soft hyphen,
 * tags...), line and paragraph separators, and lone surrogates.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/** A run of one invisible character repeated: one mark with a count (a megabyte of U+202E is one mark, not a million). */
const INVISIBLE_RUN = /([\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}])\1*/gu;
/** Styled marks per value; past it the rest is one text node with the same marks as plain text (the DOM stays small). */
const MAX_STYLED_MARKS = 300;

/** What kind of invisible character a mark stands for, for its tooltip. */
function kindOf(cp: number): string {
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c) {
    return 'direction control';
  }
  if ((cp >= 0x200b && cp <= 0x200d) || cp === 0x2060 || cp === 0xfeff) return 'zero-width character';
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return 'control character';
  return 'invisible character';
}

export function hasInvisible(text: string): boolean {
  return INVISIBLE.test(text);
}

/** `U+202E` for one character (code unit for a lone surrogate). */
export function codePointLabel(char: string): string {
  const cp = char.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The text with each invisible character replaced by `⟨U+XXXX⟩`, for places that can only hold a string (titles). */
export function revealInvisible(text: string): string {
  return hasInvisible(text) ? text.replace(INVISIBLE_RUN, (run, c: string) => `⟨${markLabel(c, run.length / c.length)}⟩`) : text;
}

function markLabel(char: string, count: number): string {
  return count > 1 ? `${codePointLabel(char)} ×${count}` : codePointLabel(char);
}

/**
 * A captured value as text, each invisible character shown as a styled `⟨U+XXXX⟩` mark named in its tooltip. With
 * `lines` (code and console text shown pre-formatted), line feeds and tabs are kept as layout.
 */
export function Shown({ text, lines = false }: { text: string; lines?: boolean }) {
  if (!hasInvisible(text)) return <>{text}</>;
  const parts: ComponentChildren[] = [];
  let last = 0;
  let marks = 0;
  for (const m of text.matchAll(INVISIBLE_RUN)) {
    const at = m.index;
    const char = m[1]!;
    if (lines && (char === '\n' || char === '\t')) continue;
    if (at > last) parts.push(text.slice(last, at));
    last = at + m[0].length;
    if (++marks > MAX_STYLED_MARKS) {
      parts.push(revealInvisible(text.slice(at)));
      last = text.length;
      break;
    }
    const label = markLabel(char, m[0].length / char.length);
    parts.push(
      <span key={at} class="invisible-mark" data-code-point={codePointLabel(char)} title={`${label}, a ${kindOf(char.codePointAt(0) ?? 0)} in the capture`}>
        ⟨{label}⟩
      </span>,
    );
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}

/** One piece of a sentence: the tool's words, or a captured value; either may sit inside a `code` span. */
export interface Segment {
  text: string;
  code: boolean;
  captured: boolean;
}

/** The tool's own words: backticks mark code spans. Only ever called on text the tool wrote. */
function authored(text: string, startsInCode: boolean): { segments: Segment[]; inCode: boolean } {
  const segments: Segment[] = [];
  let inCode = startsInCode;
  text.split('`').forEach((part, i) => {
    if (i > 0) inCode = !inCode;
    if (part) segments.push({ text: part, code: inCode, captured: false });
  });
  return { segments, inCode };
}

const PLACEHOLDER = /\{([a-z]+)\}/g;

/**
 * Splits `text`, made by filling `template`'s `{placeholders}`, back into the template's words and the values put in
 * them (each value up to the next piece of the template's words; linear, whatever the size). `null` when `text` was
 * not made from `template` that way.
 */
export function segmentsFromTemplate(template: string, text: string): Segment[] | null {
  const literals = template.split(PLACEHOLDER).filter((_, i) => i % 2 === 0);
  const first = literals[0]!;
  const lastLiteral = literals[literals.length - 1]!;
  if (literals.length === 1) return first === text ? authored(text, false).segments : null;
  if (!text.startsWith(first) || text.length < first.length + lastLiteral.length || !text.endsWith(lastLiteral)) return null;
  const values: string[] = [];
  let at = first.length;
  const end = text.length - lastLiteral.length;
  for (let i = 1; i < literals.length - 1; i++) {
    const literal = literals[i]!;
    const found = literal === '' ? at : text.indexOf(literal, at);
    if (found < 0 || found + literal.length > end) return null;
    values.push(text.slice(at, found));
    at = found + literal.length;
  }
  values.push(text.slice(at, end));
  const segments: Segment[] = [];
  let inCode = false;
  literals.forEach((literal, i) => {
    const words = authored(literal, inCode);
    segments.push(...words.segments);
    inCode = words.inCode;
    const value = values[i];
    if (value) segments.push({ text: value, code: inCode, captured: true });
  });
  return segments;
}

/**
 * Splits a sentence whose template is not known: every captured value found in it (longest first) is an opaque
 * segment, and backticks are read only in the rest. When the rest's backticks do not pair up, no code spans at all.
 */
export function segmentsAroundValues(text: string, captured: readonly string[]): Segment[] {
  const values = [...new Set(captured.filter((v) => v.length > 0 && text.includes(v)))].sort((a, b) => b.length - a.length);
  const pieces: { text: string; captured: boolean }[] = [{ text, captured: false }];
  for (const value of values) {
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (piece.captured || !piece.text.includes(value)) continue;
      const split = piece.text.split(value);
      const replaced: { text: string; captured: boolean }[] = [];
      split.forEach((part, j) => {
        if (j > 0) replaced.push({ text: value, captured: true });
        if (part) replaced.push({ text: part, captured: false });
      });
      pieces.splice(i, 1, ...replaced);
      i += replaced.length - 1;
    }
  }
  const ticks = pieces.reduce((n, p) => n + (p.captured ? 0 : p.text.split('`').length - 1), 0);
  if (ticks % 2 === 1) return pieces.map((p) => ({ text: p.text, code: false, captured: p.captured }));
  const segments: Segment[] = [];
  let inCode = false;
  for (const piece of pieces) {
    if (piece.captured) {
      segments.push({ text: piece.text, code: inCode, captured: true });
      continue;
    }
    const words = authored(piece.text, inCode);
    segments.push(...words.segments);
    inCode = words.inCode;
  }
  return segments;
}

/** Renders segments: code spans as `<code>`, every piece through `Shown`, so invisible characters are marked. */
export function Segments({ segments }: { segments: readonly Segment[] }) {
  const out: ComponentChildren[] = [];
  let code: { text: string; captured: boolean }[] | null = null;
  const flushCode = (key: number): void => {
    if (!code) return;
    out.push(
      <code key={`c${key}`}>
        {code.map((p, i) => (p.captured ? <span key={i} class="captured"><Shown text={p.text} /></span> : <Shown key={i} text={p.text} />))}
      </code>,
    );
    code = null;
  };
  segments.forEach((s, i) => {
    if (s.code) {
      (code ??= []).push(s);
      return;
    }
    flushCode(i);
    out.push(s.captured ? <span key={i} class="captured"><Shown text={s.text} /></span> : <Shown key={i} text={s.text} />);
  });
  flushCode(segments.length);
  return <>{out}</>;
}

/**
 * A sentence of the tool's: with its template(s) when known (exact), else with the exchange's captured values; never
 * reads backticks inside a captured value.
 */
export function RichText({ text, templates = [], captured = [] }: { text: string; templates?: readonly string[]; captured?: readonly string[] }) {
  for (const template of templates) {
    const segments = segmentsFromTemplate(template, text);
    if (segments) return <Segments segments={segments} />;
  }
  return <Segments segments={segmentsAroundValues(text, captured)} />;
}

/** The same sentence as plain words (no backticks), for a tooltip or an attribute. */
export function plainText(text: string, templates: readonly string[] = [], captured: readonly string[] = []): string {
  for (const template of templates) {
    const segments = segmentsFromTemplate(template, text);
    if (segments) return revealInvisible(segments.map((s) => s.text).join(''));
  }
  return revealInvisible(segmentsAroundValues(text, captured).map((s) => s.text).join(''));
}
