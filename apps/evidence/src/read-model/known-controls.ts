import { KnownControls } from '@attest/service-kit';

/**
 * The evidence service's copy of the tenants' controls (control-mapping's events), in schema `evidence_controls`,
 * not `evidence_read`: the read model is rebuilt from this service's own log, these rows could not be.
 */
export const EVIDENCE_CONTROLS = new KnownControls('evidence_controls');
