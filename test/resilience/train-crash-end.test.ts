/**
 * A release train SIGKILLed after its fourth member, the last boundary before it ends
 * (test/support/train-crash.ts; ./train-crash.test.ts says why the boundaries are in three files).
 */
import { describeTrainCrash, TRAIN_CRASH_MEMBERS } from '../support/train-crash';

describeTrainCrash([TRAIN_CRASH_MEMBERS]);
