/** The subset of the OSCAL 1.1 catalog model (JSON) that the Attest exports use. */
export const OSCAL_VERSION = '1.1.3';

export interface OscalProperty {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}

export interface OscalLink {
  href: string;
  rel?: string;
  text?: string;
}

export interface OscalPart {
  id?: string;
  name: string;
  ns?: string;
  class?: string;
  title?: string;
  props?: OscalProperty[];
  prose?: string;
  parts?: OscalPart[];
}

export interface OscalControl {
  id: string;
  class?: string;
  title: string;
  props?: OscalProperty[];
  links?: OscalLink[];
  parts?: OscalPart[];
  controls?: OscalControl[];
}

export interface OscalGroup {
  id?: string;
  class?: string;
  title: string;
  props?: OscalProperty[];
  parts?: OscalPart[];
  groups?: OscalGroup[];
  controls?: OscalControl[];
}

export interface OscalRole {
  id: string;
  title: string;
}

export interface OscalMetadata {
  title: string;
  'last-modified': string;
  version: string;
  'oscal-version': string;
  props?: OscalProperty[];
  roles?: OscalRole[];
  remarks?: string;
}

export interface OscalCatalogDocument {
  catalog: {
    uuid: string;
    metadata: OscalMetadata;
    groups: OscalGroup[];
  };
}
