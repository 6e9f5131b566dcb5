/** The train's one Slack line (issue 26): its outcome and every member's, nothing secret. */
import { expect } from 'chai';
import { trainSummary, type TrainRunResult } from './promote';

describe('train summary', () => {
  it('names the train, its outcome and each member, and marks a failure', () => {
    const r: TrainRunResult = {
      trainId: 'train-0123456789abcdef',
      env: 'prod',
      action: 'promote',
      outcome: 'rolled_back',
      progress: [
        { name: 'consignmentapi', action: 'promote', outcome: 'succeeded', ledger: [4], detail: null },
        { name: 'frontend', action: 'promote', outcome: 'refused', ledger: [], detail: 'same digest' },
        { name: 'consignmentapi', action: 'rollback', outcome: 'succeeded', ledger: [6], detail: null },
      ],
      detail: 'frontend: refused',
      ledger: [1, 2, 3],
    };
    const text = trainSummary(r, 'bob');
    expect(text).to.match(
      /^:x: release train train-0123456789abcdef promote to prod: rolled_back \(by bob\)/,
    );
    expect(text).to.contain('frontend promote refused').and.contain('consignmentapi rollback succeeded');
    expect(trainSummary({ ...r, outcome: 'succeeded', detail: null }, 'bob')).to.match(/^:white_check_mark:/);
  });
});
