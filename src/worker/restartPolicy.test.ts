import { describe, expect, it } from 'vitest';
import { RestartPolicy } from './restartPolicy';

describe('RestartPolicy', () => {
  it('restarts by itself once, then leaves it to the user until the stage has run a while', () => {
    let now = 0;
    const policy = new RestartPolicy(1000, () => now);
    expect(policy.restartsByItself()).toBe(true);
    now = 500;
    expect(policy.restartsByItself()).toBe(false);
    now = 900;
    expect(policy.restartsByItself()).toBe(false);
    now = 1600;
    expect(policy.restartsByItself()).toBe(true);
  });
});
