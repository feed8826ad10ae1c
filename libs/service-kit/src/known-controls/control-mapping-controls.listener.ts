import type { PoolClient } from 'pg';
import type { Frequency } from '@attest/catalog';
import { OnAttestEvent, type CloudEvent, type EventContext } from '@attest/messaging';
import type { ControlChange, KnownControls, NewControl } from './known-controls';

export const CONTROL_ADOPTED = 'io.attest.control-mapping.control-adopted.v1';
export const CUSTOM_CONTROL_ADDED = 'io.attest.control-mapping.custom-control-added.v1';
export const CONTROL_CUSTOMIZED = 'io.attest.control-mapping.control-customized.v1';
export const CONTROL_MARKED_NOT_APPLICABLE = 'io.attest.control-mapping.control-marked-not-applicable.v1';
export const CONTROL_NOT_APPLICABLE_REVOKED = 'io.attest.control-mapping.control-not-applicable-revoked.v1';

/** What is read of a control entering the set (adopted or custom; the fields kept). */
interface ControlEntered {
  controlId: string;
  catalogControlId?: string;
  code: string;
  name: string;
  frequency: Frequency;
  criteria: string[];
}

/** What is read of io.attest.control-mapping.control-customized.v1. */
interface ControlCustomized {
  controlId: string;
  changes: { name?: string; frequency?: Frequency; criteria?: string[] };
}

/**
 * Keeps a service's `KnownControls` from control-mapping's events (the service's consumer group of that topic):
 * which control ids exist, their frequency, criteria and applicability. Writes run in the consumer's transaction, so
 * they commit with the event's inbox record or not at all; each row keeps the control stream's version, so a
 * redelivery changes nothing. A service subclasses it (an `@Injectable()` provider) and derives what depends on a
 * control in the hooks, in the same transaction; the hooks run only when the row did change.
 */
export abstract class ControlMappingControlsListener {
  protected constructor(protected readonly controls: KnownControls) {}

  /** A control entered the tenant's set (`event.tenantid`). */
  protected abstract controlKnown(
    tx: PoolClient,
    event: CloudEvent<unknown>,
    control: NewControl,
  ): Promise<void>;

  /** A known control changed as `change` says. */
  protected abstract controlChanged(
    tx: PoolClient,
    event: CloudEvent<unknown>,
    controlId: string,
    change: ControlChange,
  ): Promise<void>;

  @OnAttestEvent(CONTROL_ADOPTED)
  onControlAdopted(event: CloudEvent<ControlEntered>, { tx }: EventContext): Promise<void> {
    return this.entered(event, tx);
  }

  @OnAttestEvent(CUSTOM_CONTROL_ADDED)
  onCustomControlAdded(event: CloudEvent<ControlEntered>, { tx }: EventContext): Promise<void> {
    return this.entered(event, tx);
  }

  @OnAttestEvent(CONTROL_CUSTOMIZED)
  onControlCustomized(event: CloudEvent<ControlCustomized>, { tx }: EventContext): Promise<void> {
    const { name, frequency, criteria } = event.data.changes;
    return this.changed(event, tx, { name, frequency, criteria });
  }

  @OnAttestEvent(CONTROL_MARKED_NOT_APPLICABLE)
  onControlMarkedNotApplicable(
    event: CloudEvent<{ controlId: string }>,
    { tx }: EventContext,
  ): Promise<void> {
    return this.changed(event, tx, { notApplicable: true });
  }

  @OnAttestEvent(CONTROL_NOT_APPLICABLE_REVOKED)
  onControlNotApplicableRevoked(
    event: CloudEvent<{ controlId: string }>,
    { tx }: EventContext,
  ): Promise<void> {
    return this.changed(event, tx, { notApplicable: false });
  }

  private async entered(event: CloudEvent<ControlEntered>, tx: PoolClient): Promise<void> {
    const d = event.data;
    const control: NewControl = {
      controlId: d.controlId,
      code: d.code,
      ...(d.catalogControlId ? { catalogControlId: d.catalogControlId } : {}),
      name: d.name,
      frequency: d.frequency,
      criteria: d.criteria,
    };
    if (!(await this.controls.add(tx, event.tenantid, control, event.streamversion))) return;
    await this.controlKnown(tx, event, control);
  }

  private async changed(
    event: CloudEvent<{ controlId: string }>,
    tx: PoolClient,
    change: ControlChange,
  ): Promise<void> {
    const { controlId } = event.data;
    if (!(await this.controls.change(tx, event.tenantid, controlId, change, event.streamversion))) return;
    await this.controlChanged(tx, event, controlId, change);
  }
}
