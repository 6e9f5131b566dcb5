/**
 * A release train SIGKILLed at its first two boundaries: after its `started` record and after its
 * first member (test/support/train-crash.ts says how; ./train-crash-mid.test.ts and
 * ./train-crash-end.test.ts take the other three, so that mocha's workers share them).
 */
import { describeTrainCrash } from '../support/train-crash';

describeTrainCrash([1, 2]);
