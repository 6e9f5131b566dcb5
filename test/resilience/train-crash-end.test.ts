/**
 * A release train SIGKILLed after its fourth member, the last boundary before it ends, and one
 * stopped by a Jenkins abort (SIGTERM) then rolled back by hand
 * (test/support/train-crash.ts; ./train-crash.test.ts says why the boundaries are in three files).
 */
import { describeTrainCrash, TRAIN_CRASH_MEMBERS } from '../support/train-crash';

describeTrainCrash([TRAIN_CRASH_MEMBERS], { abort: true });
