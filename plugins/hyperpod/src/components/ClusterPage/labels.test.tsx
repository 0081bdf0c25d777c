/** @jest-environment jsdom */
import { describeError, statusWords } from './ErrorAlert';
import { actionResources } from './labels';
import { runEnded } from './MigrationProgress';
import { BLOCKED_PLAN, runView, succeededJournal } from './migrationFixtures';
import { backendError } from './testApp';

describe('the cluster tab words', () => {
  it('ends following a run only at a final entry with the backend done', () => {
    expect(runEnded(runView(succeededJournal(), { active: false }))).toBe(true);
    expect(runEnded(runView(succeededJournal(), { active: true }))).toBe(false);
    expect(runEnded(runView(succeededJournal().slice(0, -1), { active: false }))).toBe(false);
  });

  it('names what a tag action and a scale action touch', () => {
    const [tag] = BLOCKED_PLAN.steps.find((s) => s.id === 'tags')!.actions;
    expect(actionResources(tag!)).toEqual(['load balancer k8s-default-albllama-mlprodus (tagged)']);
    const [scale] = BLOCKED_PLAN.steps.find((s) => s.id === 'scale-down')!.actions;
    expect(actionResources(scale!)).toEqual([
      'Deployment kube-system/hyperpod-inference-operator-alb (replicas 2 → 0)',
    ]);
  });

  it("reads the backend's message and status out of a ResponseError", async () => {
    const e = await backendError(403, 'NotAllowedError', 'you may not approve upgrade requests');
    expect(describeError(e)).toEqual({
      status: 403,
      message: 'you may not approve upgrade requests',
    });
    expect(describeError(new TypeError('Failed to fetch'))).toEqual({ message: 'Failed to fetch' });
    expect(statusWords(403)).toBe('Not allowed (403)');
    expect(statusWords(503)).toBe('Error (503)');
    expect(statusWords(undefined)).toBe('Error');
  });
});
