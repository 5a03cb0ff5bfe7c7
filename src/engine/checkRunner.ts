/**
 * Runs checks in the browser's order and keeps the checklist: after the first failure every later check is
 * `not-reached` (its function is not even called).
 *
 * Every check result and outcome has one shape, its optional fields `undefined` when a check has nothing to say (the
 * JSON report leaves them out, as before): a capture makes tens of thousands of them, and one shape keeps every place
 * that reads them fast.
 */
import { keepShape, Shape } from '../model/shapeKeeper.js';
import type { BlockInfo, CheckId, CheckPhase, CheckResult, CheckStatus } from '../model/exchange.js';

export type { BlockInfo } from '../model/exchange.js';

export interface CheckOutcome {
  status: CheckStatus;
  subject?: string;
  expected?: string;
  actual?: string | null;
  note?: string;
  block?: BlockInfo;
}

export interface FailedCheck {
  index: number;
  result: CheckResult;
  block: BlockInfo;
}

/** What a check says beside its status. */
type CheckFields = Omit<CheckOutcome, 'status' | 'block'>;

const NO_FIELDS: CheckFields = Object.freeze({});

function outcomeOf(status: CheckStatus, fields: CheckFields, block: BlockInfo | undefined): CheckOutcome {
  return { status, subject: fields.subject, expected: fields.expected, actual: fields.actual, note: fields.note, block };
}

export class CheckRunner {
  readonly checks: CheckResult[] = [];
  failed: FailedCheck | undefined;
  /** Index of the first check whose status is `unknown`, when one came before any failure. */
  firstUnknown: number | undefined;
  /** Set when the checks stopped because CORS does not apply. */
  notCors = false;
  constructor() {
    keepShape(Shape.CheckRunner, this);
  }

  get stopped(): boolean {
    return this.failed !== undefined || this.notCors;
  }

  check(id: CheckId, phase: CheckPhase, hop: number, run: () => CheckOutcome): CheckOutcome | undefined {
    if (this.stopped) {
      this.checks.push({ id, phase, hop, status: 'not-reached', subject: undefined, expected: undefined, actual: undefined, note: undefined });
      return undefined;
    }
    const outcome = run();
    const result: CheckResult = {
      id,
      phase,
      hop,
      status: outcome.status,
      subject: outcome.subject,
      expected: outcome.expected,
      actual: outcome.actual,
      note: outcome.note,
    };
    this.checks.push(result);
    if (outcome.status === 'fail') {
      this.failed = {
        index: this.checks.length - 1,
        result,
        block: outcome.block ?? { corsError: null, failedParameter: '', values: {} },
      };
    } else if (outcome.status === 'unknown' && this.firstUnknown === undefined) {
      this.firstUnknown = this.checks.length - 1;
    }
    return outcome;
  }
}

export const pass = (fields: CheckFields = NO_FIELDS): CheckOutcome => outcomeOf('pass', fields, undefined);
export const unknown = (fields: CheckFields = NO_FIELDS): CheckOutcome => outcomeOf('unknown', fields, undefined);
export const fail = (block: BlockInfo, fields: CheckFields = NO_FIELDS): CheckOutcome => outcomeOf('fail', fields, block);
