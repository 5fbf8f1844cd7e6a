// Every checker of the library, in the order they run. One line per checker.
import type { Checker, Rule } from './model.ts';

const checkers: Checker[] = [];

/** Add checkers here (one import + one push per checker module). */
export function allCheckers(): readonly Checker[] {
  return checkers;
}

export function allRules(): readonly Rule[] {
  return checkers.flatMap((c) => c.rules);
}

export function registerChecker(checker: Checker): void {
  if (checkers.some((c) => c.name === checker.name)) return;
  checkers.push(checker);
}
