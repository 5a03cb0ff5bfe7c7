/**
 * One live instance of each short-lived class the engine makes per exchange, kept for the life of the module.
 *
 * V8's optimized code checks an object's hidden class (its map) and holds that map only weakly. A `HeaderIndex`, a
 * `CheckRunner` or a pairing index lives only while one exchange (or one HAR) is judged; once none is alive, a full
 * garbage collection that reduces memory (a forced one; Chrome's memory reducer while DevTools sits idle) frees the
 * map, and every function optimized against it goes back to the interpreter. The next HAR explained after such a
 * collection ran at about 0.6 times the speed until V8 had optimized it all again (docs/performance.md, eighth pass).
 * The latest instance of each class keeps its map, and the code with it; a class whose objects get some fields only when
 * they have them (a report) has a map per combination, so it keeps the latest of each `variant` (a handful per
 * capture, each holding only its own exchange). Plain objects need no keeping when they are
 * made with all their fields at once, undefined where absent (V8 keeps a literal's map with the code that makes it);
 * adding a field later makes a map that only its objects hold.
 */
/** A slot per class (array slots rather than a Map: the call sits in constructors that run per exchange). */
export const Shape = {
  HeaderIndex: 0,
  CheckRunner: 1,
  CheckSequence: 2,
  OutcomeReasoning: 3,
  ExchangeStore: 4,
  UrlList: 5,
  RequestSnapshot: 6,
  ResponseSnapshot: 7,
  ExchangeReport: 8,
} as const;

const kept: object[][] = [];

export function keepShape(shape: (typeof Shape)[keyof typeof Shape], instance: object, variant = 0): void {
  (kept[shape] ??= [])[variant] = instance;
}
