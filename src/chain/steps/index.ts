// The chain's steps in order. notify is run by the executor last, with the status the run is about to take.
import { buildStep } from './build.ts';
import { certifyStep } from './certify.ts';
import { checkoutStep } from './checkout.ts';
import { checksStep } from './checks.ts';
import type { Step, StepName } from './context.ts';
import { gateStep } from './gate.ts';
import { publishStep } from './publish.ts';
import { syncStep } from './sync.ts';
import { testsStep } from './tests.ts';

export const orderedSteps: readonly { name: Exclude<StepName, 'notify'>; run: Step }[] = [
  { name: 'sync', run: syncStep },
  { name: 'checkout', run: checkoutStep },
  { name: 'checks', run: checksStep },
  { name: 'tests', run: testsStep },
  { name: 'build', run: buildStep },
  { name: 'publish', run: publishStep },
  { name: 'gate', run: gateStep },
  { name: 'certify', run: certifyStep },
];
