/**
 * Runs checks in the browser's order and keeps the checklist: after the first failure every later check is
 * `not-reached` (its function is not even called).
 */
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

export class CheckRunner {
  readonly checks: CheckResult[] = [];
  failed: FailedCheck | undefined;
  /** Index of the first check whose status is `unknown`, when one came before any failure. */
  firstUnknown: number | undefined;
  /** Set when the checks stopped because CORS does not apply. */
  notCors = false;

  get stopped(): boolean {
    return this.failed !== undefined || this.notCors;
  }

  check(id: CheckId, phase: CheckPhase, hop: number, run: () => CheckOutcome): CheckOutcome | undefined {
    if (this.stopped) {
      this.checks.push({ id, phase, hop, status: 'not-reached' });
      return undefined;
    }
    const outcome = run();
    const result: CheckResult = { id, phase, hop, status: outcome.status };
    if (outcome.subject !== undefined) result.subject = outcome.subject;
    if (outcome.expected !== undefined) result.expected = outcome.expected;
    if (outcome.actual !== undefined) result.actual = outcome.actual;
    if (outcome.note !== undefined) result.note = outcome.note;
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

export const pass = (fields: Omit<CheckOutcome, 'status' | 'block'> = {}): CheckOutcome => ({ status: 'pass', ...fields });
export const unknown = (fields: Omit<CheckOutcome, 'status' | 'block'> = {}): CheckOutcome => ({ status: 'unknown', ...fields });
export const fail = (block: BlockInfo, fields: Omit<CheckOutcome, 'status' | 'block'> = {}): CheckOutcome => ({
  status: 'fail',
  ...fields,
  block,
});
