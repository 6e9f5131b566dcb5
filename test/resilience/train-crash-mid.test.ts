/** A release train SIGKILLed after its second and third members (test/support/train-crash.ts). */
import { describeTrainCrash } from '../support/train-crash';

describeTrainCrash([3, 4]);
