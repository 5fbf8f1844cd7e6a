import { describe, expect, it } from 'vitest';
import { isValidSlug, projectChangeRefusal } from './project-rules.ts';

describe('project slugs', () => {
  it.each(['a', 'my-app', 'app-2', 'a'.repeat(40)])('accepts %s', (s) => expect(isValidSlug(s)).toBe(true));
  it.each(['', '-app', 'app-', 'App', 'my_app', 'é', 'a'.repeat(41), 'a b', "a';drop"])('refuses %j', (s) => expect(isValidSlug(s)).toBe(false));
});

describe('locked and archived projects', () => {
  it('refuses changes to an archived project, even when it is also locked', () => {
    expect(projectChangeRefusal({ locked: true, archived: true })).toBe('archived');
  });
  it('refuses changes to a locked project', () => {
    expect(projectChangeRefusal({ locked: true, archived: false })).toBe('locked');
  });
  it('lets an authorised caller lift the lock or restore the project', () => {
    expect(projectChangeRefusal({ locked: true, archived: true }, { unlockOrRestore: true })).toBeUndefined();
  });
  it('accepts changes to an active project', () => {
    expect(projectChangeRefusal({ locked: false, archived: false })).toBeUndefined();
  });
});
