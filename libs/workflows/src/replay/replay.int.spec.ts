import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '../bundling';
import { BRIDGE_LETTER_REMINDER_TYPE_II_ONLY } from '../lifecycle/audit-lifecycle';
import { type RecordedHistory, recordedHistories } from './testing/recorded-histories';
import { withoutPatchGuards } from './testing/without-patch-guards';

/**
 * Every committed history (histories/*.json, recorded by testing/record-histories.ts) must replay on the current
 * workflow code: a change that would make a running audit's worker take a different path than its history fails
 * here instead of in production. An intended change is guarded with `patched` and the histories re-recorded
 * (docs/operations/temporal.md, "Changing workflow code").
 */
describe('replaying the recorded histories', () => {
  const histories = recordedHistories();

  it('has histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(3);
  });

  it('replays every one on the current workflow code without a determinism error', async () => {
    const results: { workflowId: string; error?: unknown }[] = [];
    for await (const result of Worker.runReplayHistories(
      {
        workflowsPath: WORKFLOWS_PATH,
        bundlerOptions: workflowBundlerOptions(),
        replayName: 'current-workflow-code',
      },
      histories,
    )) {
      results.push({ workflowId: result.workflowId, error: result.error });
    }
    expect(results).toEqual(histories.map(({ workflowId }) => ({ workflowId, error: undefined })));
  });

  it('fails with a determinism violation when a workflow adds an activity call without `patched`', async () => {
    const observation = histories.find(({ name }) => name.startsWith('type-ii-observation'));
    if (!observation) throw new Error('no recorded typeIIObservation history');
    await expect(
      Worker.runReplayHistory(
        {
          workflowsPath: require.resolve('./testing/observation-with-unguarded-change'),
          bundlerOptions: workflowBundlerOptions(),
          replayName: 'unguarded',
        },
        observation.history,
        observation.workflowId,
      ),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });

  describe(`the patch ${BRIDGE_LETTER_REMINDER_TYPE_II_ONLY}`, () => {
    const named = (name: string) => {
      const found = histories.find((history) => history.name === name);
      if (!found) throw new Error(`no recorded history ${name}`);
      return found;
    };
    const before = named('audit-lifecycle-type-1-bridge-letter-reminder-before-patch');
    const after = named('audit-lifecycle-type-1-bridge-letter-reminder');
    const replayWithoutGuards = ({ history, workflowId }: RecordedHistory) =>
      Worker.runReplayHistory(
        { workflowsPath: WORKFLOWS_PATH, bundlerOptions: withoutPatchGuards(), replayName: 'without-guards' },
        history,
        workflowId,
      );

    it('has a history from before it: a Type I audit reminded about its bridge letter, without the marker', () => {
      expect(reportTypesOf(before)).toContain('type-1');
      expect(activitiesOf(before)).toContain('issueBridgeLetterReminder');
      expect(patchesOf(before)).toEqual([]);
    });

    it('takes the new path in a new execution: the marker, and no reminder for Type I', () => {
      expect(reportTypesOf(after)).toContain('type-1');
      expect(activitiesOf(after)).not.toContain('issueBridgeLetterReminder');
      expect(patchesOf(after)).toEqual([BRIDGE_LETTER_REMINDER_TYPE_II_ONLY]);
    });

    it('is what replays the old history: without the guard the current code fails on it', async () => {
      await expect(replayWithoutGuards(before)).rejects.toBeInstanceOf(DeterminismViolationError);
    });

    it('leaves Type II audits as they were: their history replays without the guard', async () => {
      await expect(replayWithoutGuards(named('audit-lifecycle-type-2-observation'))).resolves.toBeUndefined();
    });
  });
});

/** The activities a history scheduled, in order. */
function activitiesOf({ history }: RecordedHistory): string[] {
  return (history.events ?? []).flatMap(
    ({ activityTaskScheduledEventAttributes: scheduled }) => scheduled?.activityType?.name ?? [],
  );
}

/** The patch ids whose markers a history recorded (`patched` returning true in a new execution). */
function patchesOf({ history }: RecordedHistory): string[] {
  return (history.events ?? []).flatMap(({ markerRecordedEventAttributes: marker }) =>
    marker?.markerName === 'core_patch'
      ? (marker.details?.['patch-data']?.payloads ?? []).map(
          (payload) => defaultPayloadConverter.fromPayload<{ id: string }>(payload as Payload).id,
        )
      : [],
  );
}

/** The values the workflow upserted into AttestReportType. */
function reportTypesOf({ history }: RecordedHistory): string[] {
  return (history.events ?? []).flatMap(({ upsertWorkflowSearchAttributesEventAttributes: upsert }) => {
    const field = upsert?.searchAttributes?.indexedFields?.AttestReportType;
    return field ? defaultPayloadConverter.fromPayload<string[]>(field as Payload) : [];
  });
}
