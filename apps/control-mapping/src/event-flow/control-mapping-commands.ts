import { Inject, Injectable } from '@nestjs/common';
import { DomainError, foldEvents, type Decider } from '@attest/decider';
import {
  adoptedCatalogControls,
  CONTROL_SET_STREAM_TYPE,
  CONTROL_STREAM_TYPE,
  controlDecider,
  controlSetDecider,
  controlSetIdFor,
  planCatalogUpgrade,
  POLICY_STREAM_TYPE,
  policyDecider,
  READINESS_GAP_STREAM_TYPE,
  READINESS_SYSTEM_ACTOR,
  readinessGapDecider,
  readinessGapStreamIdFor,
  remediationTargets,
  streamOfEvent,
  type ActiveControlSet,
  type CatalogUpgradePlan,
  type ControlCommand,
  type ControlEvent,
  type ControlSetCommand,
  type ControlSetEvent,
  type ControlSetState,
  type ControlState,
  type ExistingControl,
  type PolicyCommand,
  type PolicyEvent,
  type PolicyState,
  type ReadinessGapCommand,
  type ReadinessGapEvent,
  type ReadinessGapState,
  type RemediationTarget,
} from '@attest/control-mapping-domain';
import {
  ConcurrencyError,
  handleCommand,
  type EventMetadata,
  type ExpectedVersion,
  type RecordedEvent,
  type StreamAppend,
} from '@attest/event-store';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';
import { assertAppendable, ControlMappingEventStore } from './control-mapping-event-store';

/** A decider whose decided events are checked against their contracts before handleCommand appends them. */
function checked<C, E extends { type: string; data: unknown }, S>(
  decider: Decider<C, E, S>,
  streamIdOf: (command: C) => string,
): Decider<C, E, S> {
  return {
    initialState: decider.initialState,
    evolve: decider.evolve,
    decide: (command, state) => {
      const events = decider.decide(command, state);
      assertAppendable(streamIdOf(command), events);
      return events;
    },
  };
}

const MAX_ATTEMPTS = 5;

/**
 * Turns commands into events: loads the aggregate from its stream, lets the domain decide, checks the events
 * against their contracts and appends them (with their outbox records) in one transaction. Single-stream commands
 * go through `handleCommand`; the control set's decisions span the set's stream and its controls' streams and are
 * appended together with `appendBatch` under the expected version of each stream (retried on a concurrent write).
 * A stream of another tenant is answered as not found.
 */
@Injectable()
export class ControlMappingCommands {
  private readonly controlSet: Decider<ControlSetCommand, ControlSetEvent, ControlSetState>;
  private readonly control: Decider<ControlCommand, ControlEvent, ControlState>;
  private readonly policy: Decider<PolicyCommand, PolicyEvent, PolicyState>;
  /** Its events are all internal: there is no contract to check them against. */
  private readonly gap = readinessGapDecider;

  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly events: ControlMappingEventStore,
  ) {
    this.controlSet = controlSetDecider(options.catalogs);
    this.control = checked(controlDecider(options.catalogs), (c: ControlCommand) => c.controlId);
    this.policy = checked(policyDecider(options.policyTemplates), (c: PolicyCommand) => c.policyId);
  }

  private get store() {
    return this.events.store;
  }

  /**
   * A stream of another tenant, or of another type, is answered exactly as one that does not exist (`notFound`,
   * the decider's own refusal), before anything about it is decided: the caller learns nothing about it.
   */
  private async ensureStream(
    streamId: string,
    tenantId: string,
    streamType: string,
    notFound: () => DomainError,
  ): Promise<void> {
    const owner = await this.events.streamOwner(streamId);
    if (owner && (owner.tenantId !== tenantId || owner.streamType !== streamType)) throw notFound();
  }

  /** The control set of a tenant as its stream tells it (strongly consistent), with its stream version. */
  async loadControlSet(
    tenantId: string,
  ): Promise<{ state: ControlSetState; version: number; controlSetId: string }> {
    const controlSetId = controlSetIdFor(tenantId);
    const stream = await this.store.readStream(controlSetId);
    const state = foldEvents(
      this.controlSet,
      stream.events.map((e) => ({ type: e.type, data: e.data }) as ControlSetEvent),
    );
    return { state, version: stream.version, controlSetId };
  }

  async loadControl(controlId: string): Promise<{ state: ControlState; version: number }> {
    const stream = await this.store.readStream(controlId);
    const state = foldEvents(
      this.control,
      stream.events.map((e) => ({ type: e.type, data: e.data }) as ControlEvent),
    );
    return { state, version: stream.version };
  }

  /** The path's control set id must be the tenant's (one control set per tenant), else it is not found. */
  assertOwnControlSet(tenantId: string, controlSetId: string): void {
    if (controlSetId !== controlSetIdFor(tenantId))
      throw new DomainError('control-set-not-found', `control set ${controlSetId} does not exist`, {
        controlSetId,
      });
  }

  /** Runs a control-set command: the set's stream and the controls' streams it writes, atomically. */
  async onControlSet(
    tenantId: string,
    command: ControlSetCommand,
    metadata: EventMetadata = {},
  ): Promise<{ events: RecordedEvent[]; state: ControlSetState }> {
    this.assertOwnControlSet(tenantId, command.controlSetId);
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.loadControlSet(tenantId);
      const expected = new Map<string, ExpectedVersion>();
      let toDecide = command;
      if (command.type === 'UpgradeCatalog' && state.kind === 'control-set') {
        const controls = await this.loadAdoptedControls(state);
        toDecide = { ...command, controls: controls.map((c) => c.state) };
        for (const c of controls) expected.set(c.state.controlId, c.version);
      }
      const decided = this.controlSet.decide(toDecide, state);
      const byStream = new Map<string, StreamAppend>();
      for (const event of decided) {
        const { streamId, streamType } = streamOfEvent(event);
        let append = byStream.get(streamId);
        if (!append) {
          const expectedVersion: ExpectedVersion =
            streamType === CONTROL_SET_STREAM_TYPE
              ? version === 0
                ? 'no-stream'
                : version
              : (expected.get(streamId) ?? 'no-stream');
          append = { tenantId, streamId, streamType, expectedVersion, events: [] };
          byStream.set(streamId, append);
        }
        append.events.push({ type: event.type, data: event.data, metadata });
      }
      for (const append of byStream.values()) assertAppendable(append.streamId, append.events);
      try {
        const result = await this.store.appendBatch([...byStream.values()]);
        return {
          events: result.events,
          state: decided
            .filter((e) => streamOfEvent(e).streamType === CONTROL_SET_STREAM_TYPE)
            .reduce((s, e) => this.controlSet.evolve(s, e), state),
        };
      } catch (err) {
        if (err instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  private async loadAdoptedControls(
    set: ActiveControlSet,
  ): Promise<{ state: ExistingControl; version: number }[]> {
    const out: { state: ExistingControl; version: number }[] = [];
    for (const controlId of adoptedCatalogControls(set).values()) {
      const { state, version } = await this.loadControl(controlId);
      if (state.kind === 'control') out.push({ state, version });
    }
    return out;
  }

  /** What upgrading the tenant's control set to `toVersion` would do (nothing is written). */
  async upgradePlan(tenantId: string, controlSetId: string, toVersion: string): Promise<CatalogUpgradePlan> {
    this.assertOwnControlSet(tenantId, controlSetId);
    const { state } = await this.loadControlSet(tenantId);
    if (state.kind === 'none')
      throw new DomainError('control-set-not-found', `control set ${controlSetId} does not exist`, {
        controlSetId,
      });
    const controls = await this.loadAdoptedControls(state);
    return planCatalogUpgrade(
      state,
      controls.map((c) => c.state),
      this.options.catalogs,
      toVersion,
    );
  }

  async onControl(tenantId: string, command: ControlCommand, metadata: EventMetadata = {}) {
    await this.ensureStream(
      command.controlId,
      tenantId,
      CONTROL_STREAM_TYPE,
      () =>
        new DomainError('control-not-found', `control ${command.controlId} does not exist`, {
          controlId: command.controlId,
        }),
    );
    return handleCommand(
      this.store,
      { streamType: CONTROL_STREAM_TYPE, decider: this.control },
      { tenantId, streamId: command.controlId },
      command,
      { metadata, maxAttempts: MAX_ATTEMPTS },
    );
  }

  async onPolicy(tenantId: string, command: PolicyCommand, metadata: EventMetadata = {}) {
    await this.ensureStream(
      command.policyId,
      tenantId,
      POLICY_STREAM_TYPE,
      () =>
        new DomainError('policy-not-found', `policy ${command.policyId} does not exist`, {
          policyId: command.policyId,
        }),
    );
    return handleCommand(
      this.store,
      { streamType: POLICY_STREAM_TYPE, decider: this.policy },
      { tenantId, streamId: command.policyId },
      command,
      { metadata, maxAttempts: MAX_ATTEMPTS },
    );
  }

  async onGap(tenantId: string, command: ReadinessGapCommand, metadata: EventMetadata = {}) {
    return handleCommand(
      this.store,
      { streamType: READINESS_GAP_STREAM_TYPE, decider: this.gap },
      { tenantId, streamId: readinessGapStreamIdFor(tenantId, command.gapId) },
      command,
      { metadata, maxAttempts: MAX_ATTEMPTS },
    );
  }

  async loadGap(tenantId: string, gapId: string): Promise<ReadinessGapState> {
    const stream = await this.store.readStream(readinessGapStreamIdFor(tenantId, gapId));
    return foldEvents(
      this.gap,
      stream.events.map((e) => ({ type: e.type, data: e.data }) as ReadinessGapEvent),
    );
  }

  /**
   * Moves the implementation of the controls linked to completed remediation of these gaps from not-started to
   * in-progress (see `remediationTargets`), as `system:readiness`. Idempotent: controls already in progress,
   * implemented or not applicable are left alone, so a repeated call changes nothing.
   */
  async progressRemediation(
    tenantId: string,
    gapIds: string[],
    metadata: EventMetadata = {},
  ): Promise<RemediationTarget[]> {
    const { state: set } = await this.loadControlSet(tenantId);
    if (set.kind === 'none') return [];
    const adopted = adoptedCatalogControls(set);
    const members = new Set(Object.keys(set.members));
    const targets = new Map<string, RemediationTarget>();
    for (const gapId of gapIds) {
      for (const t of remediationTargets(await this.loadGap(tenantId, gapId), adopted, members))
        if (!targets.has(t.controlId)) targets.set(t.controlId, t);
    }
    const moved: RemediationTarget[] = [];
    for (const t of targets.values()) {
      const outcome = await this.onControl(
        tenantId,
        {
          type: 'RecordRemediationProgress',
          controlId: t.controlId,
          taskId: t.taskId,
          resolution: t.resolution,
          at: t.completedAt,
          actor: READINESS_SYSTEM_ACTOR,
        },
        { ...metadata, actor: READINESS_SYSTEM_ACTOR.id },
      );
      if (outcome.events.length > 0) moved.push(t);
    }
    return moved;
  }
}
