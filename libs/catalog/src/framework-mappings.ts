/** Frameworks the control library is mapped to. */
export const FRAMEWORK_IDS = ['iso27001-2022', 'nist-csf-2.0'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

/** A requirement of another framework: an ISO/IEC 27001:2022 Annex A control or a NIST CSF 2.0 subcategory. */
export interface FrameworkTarget {
  id: string;
  /** A short label in our own words. */
  label: string;
  /** ISO 27001 Annex A theme (organizational, people, physical, technological). */
  theme?: string;
  /** NIST CSF function (govern, identify, protect, detect, respond, recover). */
  function?: string;
  /** NIST CSF category, e.g. PR.AA. */
  category?: string;
}

export interface FrameworkMapping {
  framework: { id: FrameworkId; name: string; version: string };
  targets: FrameworkTarget[];
  /** Which targets each library control supports. */
  mappings: { control: string; targets: string[] }[];
  /** Targets no library control supports, with why. */
  notCovered: { target: string; reason: string }[];
}

export function isFrameworkId(value: string): value is FrameworkId {
  return (FRAMEWORK_IDS as readonly string[]).includes(value);
}
