// The shared free-text rules (moved to @attest/decider for the auditor-engagement domain).
export { optionalText, requiredText } from '@attest/decider';
